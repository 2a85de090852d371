//! The `application-confirm` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_application_confirm::handler, fn_application_confirm::CLIENTS).await
}

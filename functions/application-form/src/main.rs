//! The `application-form` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_application_form::handler, fn_application_form::CLIENTS).await
}

//! The `application-review` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_application_review::handler, fn_application_review::CLIENTS).await
}

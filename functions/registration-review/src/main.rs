//! The `registration-review` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_registration_review::handler, fn_registration_review::CLIENTS).await
}

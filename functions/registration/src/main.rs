//! The `registration` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_registration::handler, fn_registration::CLIENTS).await
}

//! The `applications` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_applications::handler, fn_applications::CLIENTS).await
}

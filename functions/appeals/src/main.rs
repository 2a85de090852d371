//! The `appeals` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_appeals::handler, fn_appeals::CLIENTS).await
}

//! The `uploads` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_uploads::handler, fn_uploads::CLIENTS).await
}

//! The `publicities` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_publicities::handler, fn_publicities::CLIENTS).await
}

//! The `appends` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_appends::handler, fn_appends::CLIENTS).await
}

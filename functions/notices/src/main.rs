//! The `notices` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_notices::handler, fn_notices::CLIENTS).await
}

//! The `auth` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_auth::handler, fn_auth::CLIENTS).await
}

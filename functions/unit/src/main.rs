//! The `unit` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_unit::handler, fn_unit::CLIENTS).await
}

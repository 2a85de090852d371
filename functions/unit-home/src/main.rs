//! The `unit-home` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_unit_home::handler, fn_unit_home::CLIENTS).await
}

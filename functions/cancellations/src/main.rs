//! The `cancellations` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_cancellations::handler, fn_cancellations::CLIENTS).await
}

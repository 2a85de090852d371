//! The `calendar` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_calendar::handler, fn_calendar::CLIENTS).await
}

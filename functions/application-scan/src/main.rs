//! The `application-scan` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_application_scan::handler, fn_application_scan::CLIENTS).await
}

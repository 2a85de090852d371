//! The `change-requests` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_change_requests::handler, fn_change_requests::CLIENTS).await
}

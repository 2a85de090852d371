//! The `change-review` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_change_review::handler, fn_change_review::CLIENTS).await
}

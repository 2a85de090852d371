//! The `appeal-review` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_appeal_review::handler, fn_appeal_review::CLIENTS).await
}

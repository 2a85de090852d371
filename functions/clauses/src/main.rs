//! The `clauses` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_clauses::handler, fn_clauses::CLIENTS).await
}

//! The `branches` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_branches::handler, fn_branches::CLIENTS).await
}

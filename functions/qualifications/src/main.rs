//! The `qualifications` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_qualifications::handler, fn_qualifications::CLIENTS).await
}

//! The `practitioner-import` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_practitioner_import::handler, fn_practitioner_import::CLIENTS).await
}

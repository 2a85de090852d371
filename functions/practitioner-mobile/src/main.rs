//! The `practitioner-mobile` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_practitioner_mobile::handler, fn_practitioner_mobile::CLIENTS).await
}

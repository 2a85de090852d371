//! The `public-lookup` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_public_lookup::handler, fn_public_lookup::CLIENTS).await
}

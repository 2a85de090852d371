//! The `legacy-import` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_legacy_import::handler, fn_legacy_import::CLIENTS).await
}

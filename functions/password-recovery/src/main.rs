//! The `password-recovery` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_password_recovery::handler, fn_password_recovery::CLIENTS).await
}

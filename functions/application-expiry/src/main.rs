//! The `application-expiry` Lambda: a scheduled event in, a sweep report out. See `lib.rs`.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    gongshi_platform::runtime::init_tracing();
    let platform = Arc::new(gongshi_platform::runtime::platform_from_env(fn_application_expiry::CLIENTS).await?);
    lambda_runtime::run(service_fn(move |_: LambdaEvent<serde_json::Value>| {
        let platform = Arc::clone(&platform);
        async move {
            let report = fn_application_expiry::expire_overdue_applications(&platform).await?;
            Ok::<_, lambda_runtime::Error>(serde_json::json!(report))
        }
    }))
    .await
}

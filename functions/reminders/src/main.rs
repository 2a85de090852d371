//! The `reminders` Lambda: a scheduled event in, a reminder report out. See `lib.rs`.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    gongshi_platform::runtime::init_tracing();
    let platform = Arc::new(gongshi_platform::runtime::platform_from_env(fn_reminders::CLIENTS).await?);
    lambda_runtime::run(service_fn(move |_: LambdaEvent<serde_json::Value>| {
        let platform = Arc::clone(&platform);
        async move {
            let report = fn_reminders::send_reminders(&platform).await?;
            Ok::<_, lambda_runtime::Error>(serde_json::json!(report))
        }
    }))
    .await
}

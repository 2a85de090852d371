//! The `ttl-stream` Lambda: DynamoDB stream records (filtered to TTL deletions) in, partial
//! batch failures out. See `lib.rs`.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    gongshi_platform::runtime::init_tracing();
    let platform = Arc::new(gongshi_platform::runtime::platform_from_env(fn_ttl_stream::CLIENTS).await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let platform = Arc::clone(&platform);
        async move { Ok::<_, lambda_runtime::Error>(fn_ttl_stream::handle_stream(&platform, &event.payload).await) }
    }))
    .await
}

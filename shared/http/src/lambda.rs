//! The Lambda entry point shared by every function's `main.rs`.

use crate::{Handler, Request};
use gongshi_platform::aws;
pub use gongshi_platform::runtime::{init_tracing, platform_from_env};
use std::sync::Arc;

/// Runs a function's handler under the Lambda runtime, with the AWS clients it names.
pub async fn run(handler: Handler, clients: aws::Clients) -> Result<(), lambda_http::Error> {
    init_tracing();
    let platform = Arc::new(platform_from_env(clients).await?);
    lambda_http::run(lambda_http::service_fn(move |req: Request| {
        let platform = Arc::clone(&platform);
        async move { Ok::<_, std::convert::Infallible>(handler(platform, req).await) }
    }))
    .await
}

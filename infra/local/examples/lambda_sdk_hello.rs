//! Cold-start anchor of `scripts/bench`: the hello function that also loads the AWS SDK's
//! configuration from the environment and builds DynamoDB, S3 and SNS clients before taking
//! its first event, as the functions do (they add tracing and their own settings). Its HTTPS
//! client is the functions' (the SDK's own, with ring: the SDK has no default client here).

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(gongshi_platform::aws::https_client())
        .load()
        .await;
    let clients = (
        aws_sdk_dynamodb::Client::new(&sdk),
        aws_sdk_s3::Client::new(&sdk),
        aws_sdk_sns::Client::new(&sdk),
    );
    lambda_http::run(service_fn(move |_: Request| {
        let _ = &clients;
        async { Ok::<_, Error>(Response::new(Body::from("hello"))) }
    }))
    .await
}

//! The AWS adapters: DynamoDB ([`DynamoTable`]), S3 ([`S3Blobs`]), SNS ([`SnsSms`]) and SES
//! ([`SesMail`]). Clients are built once per process from the environment; setting
//! `AWS_ENDPOINT_URL` points every client at an emulator (LocalStack, moto), and S3 then uses
//! path-style addressing.

mod clients;
mod dynamo;
mod notify;
mod s3;

pub use clients::Clients;
pub use dynamo::{DynamoTable, from_stream_image};
pub use notify::{SesMail, SnsSms};
pub use s3::S3Blobs;

use crate::{Clock, Config, Ids, Platform};
use std::sync::Arc;

/// Names of the deployed resources, from the environment template.yaml sets.
#[derive(Debug, Clone)]
pub struct Resources {
    /// `TABLE_NAME`.
    pub table: String,
    /// `UPLOADS_BUCKET`.
    pub uploads_bucket: String,
    /// `MAIL_SENDER`: a verified SES identity.
    pub mail_sender: String,
    /// `SMS_SENDER_ID` (optional).
    pub sms_sender_id: Option<String>,
}

impl Resources {
    /// Reads the resource names; every missing one is named.
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).map_err(|_| name.to_owned());
        let (table, bucket, sender) = (var("TABLE_NAME"), var("UPLOADS_BUCKET"), var("MAIL_SENDER"));
        match (table, bucket, sender) {
            (Ok(table), Ok(uploads_bucket), Ok(mail_sender)) => Ok(Self {
                table,
                uploads_bucket,
                mail_sender,
                sms_sender_id: std::env::var("SMS_SENDER_ID").ok().filter(|s| !s.is_empty()),
            }),
            (t, b, s) => {
                let missing: Vec<String> = [t.err(), b.err(), s.err()].into_iter().flatten().collect();
                Err(format!("missing environment: {}", missing.join(", ")))
            }
        }
    }
}

/// The AWS SDK configuration from the environment (region, credentials, `AWS_ENDPOINT_URL`).
///
/// Deployed functions set `SSL_CERT_FILE` to the system's CA bundle (template.yaml): the SDK
/// then reads that one file for its trusted roots, where by default it also reads every file
/// of the system's certificate directory, which was most of a cold start. A name that is no
/// file would leave the clients trusting nobody, so it stops the start here instead.
pub async fn sdk_config() -> Result<aws_config::SdkConfig, String> {
    if let Some(bundle) = std::env::var_os("SSL_CERT_FILE")
        && !std::path::Path::new(&bundle).is_file()
    {
        return Err(format!(
            "SSL_CERT_FILE={} is not a file: the AWS clients would trust no certificate authority",
            bundle.to_string_lossy()
        ));
    }
    Ok(aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(https_client())
        .load()
        .await)
}

/// The SDK's hyper and rustls HTTPS client (plain HTTP for an emulator's endpoint), trusting
/// the system's roots, with ring for its cryptography: the SDK's default client uses aws-lc,
/// which adds about half a megabyte to every binary.
pub fn https_client() -> aws_sdk_dynamodb::config::SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// Whether the clients talk to an emulator rather than AWS.
pub fn emulated(sdk: &aws_config::SdkConfig) -> bool {
    sdk.endpoint_url().is_some()
}

/// The ports on AWS, with the table and the `clients` named (see [`Clients`]).
pub fn platform(
    clients: Clients,
    sdk: &aws_config::SdkConfig,
    resources: &Resources,
    config: Config,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn Ids>,
) -> Platform {
    Platform {
        table: Arc::new(DynamoTable::new(aws_sdk_dynamodb::Client::new(sdk), &resources.table)),
        blobs: clients.blobs(sdk, resources, Arc::clone(&clock)),
        sms: clients.sms(sdk, resources),
        mail: clients.mail(sdk, resources),
        clock,
        ids,
        config: Arc::new(config),
    }
}

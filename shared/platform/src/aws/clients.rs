//! [`Clients`]: which AWS clients a function builds besides DynamoDB's. A function names the
//! ones it uses in its `CLIENTS` constant, and its binary links only those: a client never
//! named is never referenced, so link-time optimisation leaves its SDK crate out (binary
//! size and cold start, issue #7). A port whose client was not built answers every call
//! with an error naming the function's missing client; the API tests check every request
//! against its function's `CLIENTS`, so such an error is a test failure, not a surprise in
//! production.

use super::{Resources, S3Blobs, SesMail, SnsSms};
use crate::Clock;
use crate::blobs::{BlobError, BlobInfo, Blobs, PresignedRequest};
use crate::notify::{Mail, NotifyError, Sms};
use async_trait::async_trait;
use gongshi_core::{Email, Mobile};
use std::sync::Arc;
use time::Duration;

type BuildBlobs = fn(&aws_config::SdkConfig, &Resources, Arc<dyn Clock>) -> Arc<dyn Blobs>;
type BuildSms = fn(&aws_config::SdkConfig, &Resources) -> Arc<dyn Sms>;
type BuildMail = fn(&aws_config::SdkConfig, &Resources) -> Arc<dyn Mail>;

/// The AWS clients a function builds besides DynamoDB's (which every function uses).
#[derive(Clone, Copy)]
pub struct Clients {
    s3: Option<BuildBlobs>,
    sns: Option<BuildSms>,
    ses: Option<BuildMail>,
}

impl Clients {
    /// DynamoDB alone.
    pub const TABLE: Self = Self {
        s3: None,
        sns: None,
        ses: None,
    };
    /// Every client: the local gateway, which serves every function.
    pub const ALL: Self = Self::TABLE.s3().sns().ses();

    /// Adds S3 (uploads, generated forms).
    pub const fn s3(self) -> Self {
        Self { s3: Some(s3), ..self }
    }

    /// Adds SNS (text messages).
    pub const fn sns(self) -> Self {
        Self { sns: Some(sns), ..self }
    }

    /// Adds SES (e-mail).
    pub const fn ses(self) -> Self {
        Self { ses: Some(ses), ..self }
    }

    /// The ports these clients serve besides the table: `blobs`, `sms`, `mail`.
    pub fn ports(&self) -> Vec<&'static str> {
        [
            ("blobs", self.s3.is_some()),
            ("sms", self.sns.is_some()),
            ("mail", self.ses.is_some()),
        ]
        .into_iter()
        .filter_map(|(port, built)| built.then_some(port))
        .collect()
    }

    pub(super) fn blobs(&self, sdk: &aws_config::SdkConfig, resources: &Resources, clock: Arc<dyn Clock>) -> Arc<dyn Blobs> {
        self.s3
            .map_or_else(|| Arc::new(NotBuilt("S3")) as Arc<dyn Blobs>, |build| build(sdk, resources, clock))
    }

    pub(super) fn sms(&self, sdk: &aws_config::SdkConfig, resources: &Resources) -> Arc<dyn Sms> {
        self.sns
            .map_or_else(|| Arc::new(NotBuilt("SNS")) as Arc<dyn Sms>, |build| build(sdk, resources))
    }

    pub(super) fn mail(&self, sdk: &aws_config::SdkConfig, resources: &Resources) -> Arc<dyn Mail> {
        self.ses
            .map_or_else(|| Arc::new(NotBuilt("SES")) as Arc<dyn Mail>, |build| build(sdk, resources))
    }
}

impl std::fmt::Debug for Clients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entry(&"table").entries(self.ports()).finish()
    }
}

fn s3(sdk: &aws_config::SdkConfig, resources: &Resources, clock: Arc<dyn Clock>) -> Arc<dyn Blobs> {
    Arc::new(S3Blobs::new(sdk, &resources.uploads_bucket, clock))
}

fn sns(sdk: &aws_config::SdkConfig, resources: &Resources) -> Arc<dyn Sms> {
    Arc::new(SnsSms::new(aws_sdk_sns::Client::new(sdk), resources.sms_sender_id.clone()))
}

fn ses(sdk: &aws_config::SdkConfig, resources: &Resources) -> Arc<dyn Mail> {
    Arc::new(SesMail::new(aws_sdk_ses::Client::new(sdk), &resources.mail_sender))
}

/// A port whose client this function was built without (its `CLIENTS` does not name it).
#[derive(Debug)]
struct NotBuilt(&'static str);

impl NotBuilt {
    fn message(&self) -> String {
        format!("this function was built without the {} client: add it to its CLIENTS", self.0)
    }
}

#[async_trait]
impl Blobs for NotBuilt {
    async fn presign_put(&self, _: &str, _: &str, _: u64, _: Duration) -> Result<PresignedRequest, BlobError> {
        Err(BlobError::Unavailable(self.message()))
    }
    async fn presign_get(&self, _: &str, _: &str, _: Duration) -> Result<PresignedRequest, BlobError> {
        Err(BlobError::Unavailable(self.message()))
    }
    async fn head(&self, _: &str) -> Result<Option<BlobInfo>, BlobError> {
        Err(BlobError::Unavailable(self.message()))
    }
    async fn read_start(&self, _: &str, _: u64) -> Result<Option<Vec<u8>>, BlobError> {
        Err(BlobError::Unavailable(self.message()))
    }
    async fn put(&self, _: &str, _: Vec<u8>, _: &str) -> Result<(), BlobError> {
        Err(BlobError::Unavailable(self.message()))
    }
    async fn delete(&self, _: &str) -> Result<(), BlobError> {
        Err(BlobError::Unavailable(self.message()))
    }
}

#[async_trait]
impl Sms for NotBuilt {
    async fn send(&self, _: &Mobile, _: &str) -> Result<(), NotifyError> {
        Err(NotifyError(self.message()))
    }
}

#[async_trait]
impl Mail for NotBuilt {
    async fn send(&self, _: &Email, _: &str, _: &str) -> Result<(), NotifyError> {
        Err(NotifyError(self.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::{Clients, Resources};
    use gongshi_core::Mobile;

    #[tokio::test]
    async fn a_client_not_built_answers_with_an_error_naming_it() {
        let sdk = aws_config::SdkConfig::builder().build();
        let resources = Resources {
            table: "gongshi".into(),
            uploads_bucket: "gongshi-uploads".into(),
            mail_sender: "noreply@gongshi.example.cn".into(),
            sms_sender_id: None,
        };
        let sms = Clients::TABLE.s3().sms(&sdk, &resources);
        let error = sms
            .send(&Mobile::parse("13800138000").expect("mobile"), "text")
            .await
            .expect_err("not built");
        assert!(error.to_string().contains("built without the SNS client"), "{error}");
        let blobs = Clients::TABLE
            .sns()
            .blobs(&sdk, &resources, std::sync::Arc::new(crate::SystemClock));
        let error = blobs.head("forms/x.pdf").await.expect_err("not built");
        assert!(error.to_string().contains("built without the S3 client"), "{error}");
    }

    #[test]
    fn a_function_names_the_clients_it_builds() {
        assert_eq!(Clients::TABLE.ports(), Vec::<&str>::new());
        assert_eq!(Clients::TABLE.sns().ports(), vec!["sms"]);
        assert_eq!(Clients::ALL.ports(), vec!["blobs", "sms", "mail"]);
        assert_eq!(format!("{:?}", Clients::TABLE.s3()), r#"["table", "blobs"]"#);
    }
}

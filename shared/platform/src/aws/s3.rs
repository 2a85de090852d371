//! `S3Blobs`: the `Blobs` port on S3. Presigned PUTs sign the content type and the exact
//! length, so S3 itself refuses another type or size; the server re-checks the stored bytes.

use crate::Clock;
use crate::blobs::{BlobError, BlobInfo, Blobs, PresignedRequest, check_key, content_disposition};
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;
use time::Duration;

/// One bucket on S3.
#[derive(Clone)]
pub struct S3Blobs {
    client: Client,
    bucket: String,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for S3Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Blobs").field("bucket", &self.bucket).finish_non_exhaustive()
    }
}

fn unavailable<E: ProvideErrorMetadata>(error: &E) -> BlobError {
    BlobError::Unavailable(format!(
        "{}: {}",
        error.code().unwrap_or("unknown"),
        error.message().unwrap_or("no message")
    ))
}

impl S3Blobs {
    /// The bucket through a client built from `sdk` (path-style against an emulator).
    pub fn new(sdk: &aws_config::SdkConfig, bucket: &str, clock: Arc<dyn Clock>) -> Self {
        let config = aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(super::emulated(sdk))
            .build();
        Self {
            client: Client::from_conf(config),
            bucket: bucket.to_owned(),
            clock,
        }
    }

    fn presigning(&self, ttl: Duration) -> Result<(PresigningConfig, time::OffsetDateTime), BlobError> {
        let now = self.clock.now();
        let start = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(now.unix_timestamp().max(0) as u64);
        let config = PresigningConfig::builder()
            .start_time(start)
            .expires_in(std::time::Duration::from_secs(ttl.whole_seconds().max(1) as u64))
            .build()
            .map_err(|e| BlobError::Unavailable(e.to_string()))?;
        Ok((config, now + ttl))
    }
}

#[async_trait]
impl Blobs for S3Blobs {
    async fn presign_put(&self, key: &str, content_type: &str, content_length: u64, ttl: Duration) -> Result<PresignedRequest, BlobError> {
        check_key(key)?;
        let (config, expires_at) = self.presigning(ttl)?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(content_length as i64)
            .presigned(config)
            .await
            .map_err(|e| unavailable(&e))?;
        // Browsers set Content-Length themselves (and may not set it by hand); it is signed,
        // so another length is refused by S3.
        let headers: BTreeMap<String, String> = BTreeMap::from([("Content-Type".to_owned(), content_type.to_owned())]);
        Ok(PresignedRequest {
            method: "PUT",
            url: request.uri().to_owned(),
            headers,
            expires_at,
        })
    }

    async fn presign_get(&self, key: &str, file_name: &str, ttl: Duration) -> Result<PresignedRequest, BlobError> {
        check_key(key)?;
        let (config, expires_at) = self.presigning(ttl)?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .response_content_disposition(content_disposition(file_name))
            .presigned(config)
            .await
            .map_err(|e| unavailable(&e))?;
        Ok(PresignedRequest {
            method: "GET",
            url: request.uri().to_owned(),
            headers: BTreeMap::new(),
            expires_at,
        })
    }

    async fn head(&self, key: &str) -> Result<Option<BlobInfo>, BlobError> {
        check_key(key)?;
        match self.client.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(output) => Ok(Some(BlobInfo {
                size: output.content_length().unwrap_or_default().max(0) as u64,
                content_type: output.content_type().map(str::to_owned),
            })),
            Err(error) if error.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(error) => Err(unavailable(&error)),
        }
    }

    async fn read_start(&self, key: &str, len: u64) -> Result<Option<Vec<u8>>, BlobError> {
        check_key(key)?;
        let range = format!("bytes=0-{}", len.max(1) - 1);
        match self.client.get_object().bucket(&self.bucket).key(key).range(range).send().await {
            Ok(output) => {
                let bytes = output
                    .body
                    .collect()
                    .await
                    .map_err(|e| BlobError::Unavailable(e.to_string()))?
                    .into_bytes();
                Ok(Some(bytes.iter().take(len as usize).copied().collect()))
            }
            Err(error) if error.as_service_error().is_some_and(|e| e.is_no_such_key()) => Ok(None),
            // An empty object has no byte 0.
            Err(error) if error.code() == Some("InvalidRange") => Ok(Some(Vec::new())),
            Err(error) => Err(unavailable(&error)),
        }
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        check_key(key)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        check_key(key)?;
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        Ok(())
    }
}

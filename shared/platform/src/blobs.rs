//! The `Blobs` port: objects moved by the browser through short-lived presigned URLs (S3
//! semantics); the server only presigns, inspects and deletes.

pub mod dir;

pub use dir::DirBlobs;

use async_trait::async_trait;
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

/// A request the browser makes on its own: method, URL and headers it must send as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    /// `PUT` or `GET`.
    pub method: &'static str,
    /// The signed URL.
    pub url: String,
    /// Headers that are part of the signature (`Content-Type` for uploads).
    pub headers: BTreeMap<String, String>,
    /// After this instant the URL is refused.
    pub expires_at: OffsetDateTime,
}

/// What is known of a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    /// Size in bytes.
    pub size: u64,
    /// Content type recorded at upload.
    pub content_type: Option<String>,
}

/// Why a blob call failed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The key is not acceptable (a bug).
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// A presigned request that is expired, tampered with or used differently than signed.
    #[error("presigned request refused: {0}")]
    Refused(&'static str),
    /// The store failed.
    #[error("blob store unavailable: {0}")]
    Unavailable(String),
}

/// Object storage.
#[async_trait]
pub trait Blobs: Send + Sync {
    /// A URL to PUT exactly `content_length` bytes of `content_type` under `key`.
    async fn presign_put(&self, key: &str, content_type: &str, content_length: u64, ttl: Duration) -> Result<PresignedRequest, BlobError>;
    /// A URL to GET `key`, downloaded under `file_name`.
    async fn presign_get(&self, key: &str, file_name: &str, ttl: Duration) -> Result<PresignedRequest, BlobError>;
    /// Size and type, or `None` when absent.
    async fn head(&self, key: &str) -> Result<Option<BlobInfo>, BlobError>;
    /// The first `len` bytes (fewer when the object is shorter), or `None` when absent.
    async fn read_start(&self, key: &str, len: u64) -> Result<Option<Vec<u8>>, BlobError>;
    /// Stores an object the server made itself (generated forms).
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;
    /// Deletes an object; deleting nothing is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

/// Keys are ours: `[A-Za-z0-9._-]` segments separated by `/`, no empty or dot-only segments.
pub fn check_key(key: &str) -> Result<(), BlobError> {
    let ok = !key.is_empty()
        && key.len() <= 512
        && !key.ends_with(".meta")
        && !key.ends_with(".partial")
        && key.split('/').all(|seg| {
            !seg.is_empty() && seg.chars().any(|c| c != '.') && seg.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        });
    if ok { Ok(()) } else { Err(BlobError::InvalidKey(key.to_owned())) }
}

/// `inline; filename*=UTF-8''…` (RFC 6266): how a download is named, safe for any file name.
pub fn content_disposition(file_name: &str) -> String {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("inline; filename*=UTF-8''{encoded}")
}

/// The kinds of file a user may upload, recognised by their first bytes.
pub fn sniff_content_type(start: &[u8]) -> Option<&'static str> {
    if start.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if start.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if start.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_segments() {
        assert!(check_key("uploads/01J0ABC/licence.pdf").is_ok());
        for bad in ["", "../etc/passwd", "a//b", "a/./b", "a/b/", "a b", "a\\b", "上传/x"] {
            assert!(check_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn download_names_are_percent_encoded() {
        assert_eq!(
            content_disposition("营业执照 v2.pdf"),
            "inline; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20v2.pdf"
        );
    }

    #[test]
    fn magic_bytes_name_the_type() {
        assert_eq!(sniff_content_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff_content_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_content_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_content_type(b"<html>"), None);
    }
}

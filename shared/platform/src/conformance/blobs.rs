//! The `Blobs` conformance cases.

use crate::blobs::{BlobError, Blobs, PresignedRequest};
use async_trait::async_trait;
use std::sync::Arc;
use time::Duration;

/// How a case performs a presigned request, as a browser would.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends `request` with `body` (and `content_type`, for PUT); returns status and body.
    async fn send(&self, request: &PresignedRequest, content_type: Option<&str>, body: Vec<u8>) -> (u16, Vec<u8>);
}

/// An adapter under test and the way to reach its URLs.
pub struct BlobsFixture {
    /// The adapter.
    pub blobs: Arc<dyn Blobs>,
    /// The client.
    pub transport: Arc<dyn Transport>,
}

fn fresh(name: &str) -> String {
    format!("conformance/{}/{name}", ulid::Ulid::new())
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A browser PUTs through the presigned URL and downloads through a presigned GET.
pub async fn presigned_put_then_presigned_get_round_trips(f: &BlobsFixture) {
    let key = fresh("licence.pdf");
    let put = f
        .blobs
        .presign_put(&key, "application/pdf", PDF.len() as u64, Duration::minutes(5))
        .await
        .expect("presign put");
    assert_eq!(put.method, "PUT");
    assert_eq!(put.headers.get("Content-Type").map(String::as_str), Some("application/pdf"));
    let (status, _) = f.transport.send(&put, Some("application/pdf"), PDF.to_vec()).await;
    assert!((200..300).contains(&status), "upload status {status}");
    let get = f
        .blobs
        .presign_get(&key, "营业执照.pdf", Duration::minutes(5))
        .await
        .expect("presign get");
    let (status, body) = f.transport.send(&get, None, Vec::new()).await;
    assert_eq!((status, body.as_slice()), (200, PDF));
}

/// What upload verification relies on (#16 finding 1): the whole uploaded object is read,
/// kept under another key, and a second PUT through the still-valid URL changes only the
/// received key, never the copy.
pub async fn a_copy_of_checked_bytes_is_untouched_by_a_later_presigned_put(f: &BlobsFixture) {
    let received = fresh("received.pdf");
    let kept = fresh("verified.pdf");
    let put = f
        .blobs
        .presign_put(&received, "application/pdf", PDF.len() as u64, Duration::minutes(5))
        .await
        .expect("presign put");
    let (status, _) = f.transport.send(&put, Some("application/pdf"), PDF.to_vec()).await;
    assert!((200..300).contains(&status), "upload status {status}");
    let bytes = f
        .blobs
        .read_start(&received, PDF.len() as u64)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(bytes, PDF, "the whole object is read");
    f.blobs.put(&kept, bytes, "application/pdf").await.expect("put the copy");
    let mut other = b"MZ".to_vec();
    other.resize(PDF.len(), b'A');
    let (status, _) = f.transport.send(&put, Some("application/pdf"), other).await;
    assert!(status < 500, "a second PUT: {status}");
    assert_eq!(
        f.blobs.read_start(&kept, 1_000).await.expect("read").as_deref(),
        Some(PDF),
        "the copy keeps the checked bytes"
    );
}

/// `head` gives size and type; `read_start` the first bytes.
pub async fn head_and_read_start_describe_the_object(f: &BlobsFixture) {
    let key = fresh("scan.png");
    let png = b"\x89PNG\r\n\x1a\n0123456789".to_vec();
    f.blobs.put(&key, png.clone(), "image/png").await.expect("put");
    let info = f.blobs.head(&key).await.expect("head").expect("present");
    assert_eq!(info.size, png.len() as u64);
    assert_eq!(info.content_type.as_deref(), Some("image/png"));
    assert_eq!(f.blobs.read_start(&key, 8).await.expect("read").as_deref(), Some(&png[..8]));
    assert_eq!(f.blobs.read_start(&key, 1_000).await.expect("read").as_deref(), Some(&png[..]));
}

/// Overwriting replaces; deleting twice is fine.
pub async fn put_and_delete_are_idempotent(f: &BlobsFixture) {
    let key = fresh("form.pdf");
    f.blobs.put(&key, PDF.to_vec(), "application/pdf").await.expect("put");
    f.blobs.put(&key, b"%PDF-2".to_vec(), "application/pdf").await.expect("overwrite");
    assert_eq!(f.blobs.head(&key).await.expect("head").map(|i| i.size), Some(6));
    f.blobs.delete(&key).await.expect("delete");
    f.blobs.delete(&key).await.expect("delete again");
    assert!(f.blobs.head(&key).await.expect("head").is_none());
}

/// Absent objects are `None`, not errors.
pub async fn absent_objects_are_none(f: &BlobsFixture) {
    let key = fresh("never-uploaded");
    assert!(f.blobs.head(&key).await.expect("head").is_none());
    assert!(f.blobs.read_start(&key, 8).await.expect("read").is_none());
}

/// Keys that could escape their folder are refused before any I/O.
pub async fn unsafe_keys_are_refused(f: &BlobsFixture) {
    for key in ["../secrets.json", "a//b", ""] {
        assert!(matches!(f.blobs.head(key).await, Err(BlobError::InvalidKey(_))), "{key}");
        assert!(
            matches!(
                f.blobs.presign_put(key, "image/png", 1, Duration::minutes(1)).await,
                Err(BlobError::InvalidKey(_))
            ),
            "{key}"
        );
    }
}

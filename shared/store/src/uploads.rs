//! Uploads: `UPLOAD#<id>` / `UPLOAD`. An upload is created when a URL is presigned, verified
//! when the browser reports completion, and attached to the record that uses it. Until it is
//! attached it expires by TTL.

use crate::{StoreError, from_item, to_item};
use gongshi_core::upload::UploadPurpose;
use gongshi_platform::{Condition, Item, Key, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// Where an upload is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadState {
    /// URL issued, bytes not yet checked.
    Pending,
    /// Size and magic bytes checked.
    Verified,
}

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// ULID.
    pub id: String,
    /// Who may use it: `REG#<id>` for a registration draft, `UNIT#<id>` for a unit.
    pub owner: String,
    /// What it is for.
    pub purpose: UploadPurpose,
    /// Name shown to users.
    pub file_name: String,
    /// Declared (and, once verified, checked) content type.
    pub content_type: String,
    /// Declared (and, once verified, checked) size.
    pub size: u64,
    /// Object key in the blob store.
    pub blob_key: String,
    /// Pending or verified.
    pub state: UploadState,
    /// The record using it, once attached.
    pub attached_to: Option<String>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Optimistic concurrency.
    pub version: u64,
    /// Deleted after this instant unless attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// The upload's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("UPLOAD#{id}"), "UPLOAD")
}

/// The upload, if any.
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<Upload>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// Records a new pending upload.
pub async fn create(table: &dyn Table, upload: &Upload) -> Result<(), StoreError> {
    table
        .put(to_item(&key(&upload.id), upload, &[]), Condition::NotExists)
        .await
        .map_err(Into::into)
}

/// Saves a change if nobody changed the upload since `expected_version`.
pub async fn save(table: &dyn Table, upload: &Upload, expected_version: u64) -> Result<(), StoreError> {
    table
        .put(
            to_item(&key(&upload.id), upload, &[]),
            Condition::equals("version", expected_version),
        )
        .await
        .map_err(Into::into)
}

/// Attaches a verified upload of `owner` to `record`: it no longer expires.
pub fn attach(id: &str, owner: &str, record: &str) -> Write {
    let set = Item::from_iter([("attached_to".to_owned(), Value::from(record))]);
    Write::Update {
        key: key(id),
        set,
        remove: vec!["expires_at".into()],
        condition: Condition::And(vec![Condition::equals("owner", owner), Condition::equals("state", "verified")]),
    }
}

/// Where the browser PUTs an upload's bytes (through a presigned URL, writable until it
/// expires).
pub fn blob_key(upload_id: &str) -> String {
    format!("uploads/{upload_id}")
}

/// Where an upload's bytes are kept once verified: a copy of exactly the bytes that were
/// checked, at a key no upload URL can write, so a later PUT to the upload URL changes
/// nothing that is read or served.
pub fn verified_key(upload_id: &str) -> String {
    format!("verified/{upload_id}")
}

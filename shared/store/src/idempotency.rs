//! Idempotency records: `IDEM#<digest>` / `IDEM`, keyed by a digest of the route, the caller's
//! credentials and the client's `Idempotency-Key`. A request first reserves its key; the
//! response is stored when it succeeds, so a repeat is answered from the record (24 h).

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Key, Table};
use serde::{Deserialize, Serialize};

/// A reserved or answered key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// The response status once answered; `None` while the first request runs.
    pub status: Option<u16>,
    /// The response body once answered.
    pub body: Option<String>,
    /// The response content type.
    pub content_type: Option<String>,
    /// Forgotten after this instant.
    pub expires_at: i64,
    /// A digest of the first request's body: a repeat with another body is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_digest: Option<String>,
}

/// The record's key.
pub fn key(digest: &str) -> Key {
    Key::new(format!("IDEM#{digest}"), "IDEM")
}

/// Reserves the key for a request whose body has `request_digest`; `Err(Conflict)` when it
/// is already reserved or answered.
pub async fn reserve(table: &dyn Table, digest: &str, request_digest: &str, expires_at: i64, now: i64) -> Result<(), StoreError> {
    let record = IdempotencyRecord {
        status: None,
        body: None,
        content_type: None,
        expires_at,
        request_digest: Some(request_digest.to_owned()),
    };
    table
        .put(to_item(&key(digest), &record, &[]), Condition::NotExistsOrExpired { now })
        .await
        .map_err(Into::into)
}

/// The record of a key, if live.
pub async fn get(table: &dyn Table, digest: &str, now: i64) -> Result<Option<IdempotencyRecord>, StoreError> {
    let found: Option<IdempotencyRecord> = table.get(&key(digest)).await?.map(from_item).transpose()?;
    Ok(found.filter(|r| r.expires_at > now))
}

/// Stores the answer of a reserved key.
pub async fn answer(table: &dyn Table, digest: &str, record: &IdempotencyRecord) -> Result<(), StoreError> {
    table
        .put(to_item(&key(digest), record, &[]), Condition::Exists)
        .await
        .map_err(Into::into)
}

/// The answered record as a write of the effect's own transaction (no reservation before):
/// refused when a live record holds the key (a copy of the request committed first).
pub fn record_answer(digest: &str, record: &IdempotencyRecord, now: i64) -> gongshi_platform::Write {
    gongshi_platform::Write::Put {
        item: to_item(&key(digest), record, &[]),
        condition: Condition::NotExistsOrExpired { now },
    }
}

/// Frees a key whose request failed, so that a retry may run.
pub async fn release(table: &dyn Table, digest: &str) -> Result<(), StoreError> {
    table.delete(&key(digest), Condition::Always).await.map_err(Into::into)
}

//! Refresh-token sessions: `SESSION#<id>` / `SESSION`, expiring by TTL. The token given to
//! the browser is `<id>.<secret>`; only the secret's digest is stored. Each refresh rotates
//! the secret; presenting an old secret again ends the session (reuse detection).

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Key, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// A login session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// ULID.
    pub id: String,
    /// Whose.
    pub username: String,
    /// SHA-256 of the current secret.
    pub secret_digest: String,
    /// Started.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Ends (also the TTL).
    pub expires_at: i64,
    /// The account's token version when the session began: a password change or a disable
    /// bumps it, which ends every session begun before.
    #[serde(default)]
    pub token_version: u64,
}

/// The session's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("SESSION#{id}"), "SESSION")
}

/// The session, if any (check `expires_at`: TTL deletion is late).
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<Session>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// Starts a session.
pub fn create(session: &Session) -> Write {
    Write::Put {
        item: to_item(&key(&session.id), session, &[]),
        condition: Condition::NotExists,
    }
}

/// Replaces the secret, if it is still the one that was presented.
pub async fn rotate(table: &dyn Table, session: &Session, presented_digest: &str) -> Result<(), StoreError> {
    let condition = Condition::equals("secret_digest", Value::from(presented_digest));
    table
        .put(to_item(&key(&session.id), session, &[]), condition)
        .await
        .map_err(Into::into)
}

/// Ends a session, as a write of a transaction.
pub fn finish(id: &str) -> Write {
    Write::Delete {
        key: key(id),
        condition: Condition::Always,
    }
}

/// Ends a session.
pub async fn end(table: &dyn Table, id: &str) -> Result<(), StoreError> {
    table.delete(&key(id), Condition::Always).await.map_err(Into::into)
}

//! Wrong logins for usernames that have no account: `LOGINFAIL#<username>` / `LOGINFAIL`,
//! counted and locked exactly as an account's own count is, so that an unknown name answers
//! like an existing one (no `account_locked` only for real accounts). The item expires a day
//! after its last failure.

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Key, Table};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// The failures of one unknown username.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    /// Wrong passwords in a row.
    pub failed: u32,
    /// Refuses logins until then (unix time).
    pub locked_until: Option<i64>,
    /// Optimistic concurrency (0: absent).
    pub version: u64,
    /// TTL.
    pub expires_at: i64,
}

/// The record's key (to read it in the login's batch get).
pub fn key(username: &str) -> Key {
    Key::new(format!("LOGINFAIL#{username}"), "LOGINFAIL")
}

/// The failures of `username` so far (a default record when none are live).
pub async fn get(table: &dyn Table, username: &str, now: OffsetDateTime) -> Result<Failures, StoreError> {
    let found: Option<Failures> = table.get(&key(username)).await?.map(from_item).transpose()?;
    Ok(found.filter(|f| f.expires_at > now.unix_timestamp()).unwrap_or_default())
}

/// The failures from their item read beforehand (a default record when none are live).
pub fn of(item: Option<gongshi_platform::Item>, now: OffsetDateTime) -> Result<Failures, StoreError> {
    let found: Option<Failures> = item.map(from_item).transpose()?;
    Ok(found.filter(|f| f.expires_at > now.unix_timestamp()).unwrap_or_default())
}

/// Stores `failures` if the record is still at `expected` (0: absent or expired).
pub async fn save(table: &dyn Table, username: &str, failures: &Failures, expected: u64, now: OffsetDateTime) -> Result<(), StoreError> {
    table
        .transact(vec![save_write(username, failures, expected, now)])
        .await
        .map_err(Into::into)
}

/// [`save`] as a write of a larger transaction.
pub fn save_write(username: &str, failures: &Failures, expected: u64, now: OffsetDateTime) -> gongshi_platform::Write {
    let condition = if expected == 0 {
        Condition::NotExistsOrExpired { now: now.unix_timestamp() }
    } else {
        Condition::equals("version", expected)
    };
    let mut next = failures.clone();
    next.expires_at = (now + Duration::days(1)).unix_timestamp();
    gongshi_platform::Write::Put {
        item: to_item(&key(username), &next, &[]),
        condition,
    }
}

//! The records of Gongshi's single DynamoDB table and their keys.
//!
//! | record | pk | sk | index / TTL |
//! |---|---|---|---|
//! | account | `ACCT#<username>` | `ACCT` | gsi1 `UNITACCT#<unit>` / `<username>`; `expires_at` while its registration is a draft |
//! | unit | `UNIT#<id>` | `PROFILE` | gsi1 `UNITACCT#<id>` / `#!UNIT` (read with its accounts and branches) |
//! | qualification certificate | `UNIT#<id>` | `QUAL#<id>` | |
//! | secondary unit (branch) | `UNIT#<id>` | `BRANCH#<id>` | gsi1 `UNITACCT#<unit>` / `#BRANCH#<id>` (listed with the unit's accounts) |
//! | account appeal | `APPEAL#<id>` | `APPEAL` | gsi2 `APPEALQ#<state>` by submission; `expires_at` while a draft |
//! | working-day calendar | `CONFIG#CALENDAR` | `CALENDAR` | |
//! | idempotency record | `IDEM#<digest>` | `IDEM` | `expires_at` (24 h) |
//! | change request | `CHANGE#<id>` | `CHANGE` | gsi1 `UNITCHANGE#<unit>`, gsi2 `CHANGEQ#<state>`, by submission |
//! | pending change lock | `UNIT#<id>` | `OPENCHANGE` | one pending request per unit |
//! | USCC reservation | `USCC#<uscc>` | `UNIQ` | `expires_at` while a draft holds it |
//! | registration | `REG#<id>` | `REG` | gsi1 `REGQ#<state>` / `<submitted_at>#<id>`; `expires_at` while a draft |
//! | a registration's history | `REG#<id>` | `HISTORY` | `expires_at` while the registration is a draft |
//! | upload | `UPLOAD#<id>` | `UPLOAD` | `expires_at` until attached to a record |
//! | session (refresh token) | `SESSION#<id>` | `SESSION` | `expires_at` |
//! | audit entry | `AUDIT#<entity>` | `<at>#<id>` | |
//! | one-time code | `OTP#<purpose>#<subject>` | `OTP` | `expires_at` |
//! | rate counter | `RATE#<scope>#<subject>` | `RATE` | `expires_at` (end of the local day) |
//! | practitioner profile (name and items), mobile, publicity, open-application lock | `PRAC#<id number>` | `PROFILE`, `MOBILE`, `PUB`, `OPEN` | `PUB`: gsi1 `UNITPUB#<unit>` / `<certificate no>` |
//! | publicity application | `APP#<id>` | `APP` | gsi1 `UNITAPP#<unit>` / `<created_at>#<id>`, gsi2 `APPQ#<state>` / `<state_since>#<id>` |
//! | application number | `APPNO#<number>` | `APPNO` | unique; leads from the form's QR code to the application |
//! | application deadline marker | `APP#<id>` | `DEADLINE` | gsi1 `DEADLINE` / `<epoch>#<id>`; `expires_at` = the deadline |
//! | commitment clauses | `CONFIG#CLAUSES` | `V#<version>` | |
//!
//! Uniqueness (usernames, USCCs) is enforced by items whose key *is* the unique value,
//! written with a not-exists condition in the same transaction as the record.

pub mod accounts;
pub mod appeals;
pub mod applications;
pub mod audit;
pub mod branches;
pub mod calendar;
pub mod change_requests;
pub mod clauses;
pub mod codes;
pub mod entity;
pub mod expired;
pub mod idempotency;
pub mod item_codes;
pub mod login_failures;
pub mod migrations;
pub mod notices;
pub mod practitioners;
pub mod qualifications;
pub mod rate;
pub mod registrations;
pub mod reminders;
pub mod sessions;
pub mod unit_accounts;
pub mod units;
pub mod uploads;

use gongshi_platform::{Item, Key, TableError};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A condition failed: a duplicate, a lost race or a late request (HTTP 409).
    #[error("conflict")]
    Conflict,
    /// A stored item could not be read back (a bug or a damaged item).
    #[error("corrupt record {key}: {reason}")]
    Corrupt {
        /// Which item.
        key: String,
        /// What was wrong.
        reason: String,
    },
    /// The table failed.
    #[error(transparent)]
    Table(TableError),
}

impl From<TableError> for StoreError {
    fn from(error: TableError) -> Self {
        match error {
            TableError::ConditionFailed => Self::Conflict,
            other => Self::Table(other),
        }
    }
}

/// A record as a table item under `key`, with `extra` attributes (indexes, TTL) added.
pub(crate) fn to_item<T: Serialize>(key: &Key, record: &T, extra: &[(&str, Value)]) -> Item {
    let mut item = match serde_json::to_value(record) {
        Ok(Value::Object(map)) => map,
        // Records are structs: they always serialise to objects.
        other => panic!("record did not serialise to an object: {other:?}"),
    };
    item.insert("pk".into(), key.pk.clone().into());
    item.insert("sk".into(), key.sk.clone().into());
    for (name, value) in extra {
        item.insert((*name).to_owned(), value.clone());
    }
    item
}

/// Reads a record of type `T` back from an item read by a handler itself (e.g. in the batch
/// of `gongshi_http::auth::authenticate_with`); the key names the record in errors.
pub fn decode<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    from_item(item)
}

/// Reads a record back from an item (key and index attributes are ignored).
pub(crate) fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    let key = format!(
        "{}/{}",
        item.get("pk").and_then(Value::as_str).unwrap_or("?"),
        item.get("sk").and_then(Value::as_str).unwrap_or("?")
    );
    serde_json::from_value(Value::Object(item)).map_err(|e| StoreError::Corrupt {
        key,
        reason: e.to_string(),
    })
}

/// Every item of one sort key whose partition key begins with a prefix (a unit's `UNIT#`, a
/// person's `PRAC#`), a page at a time: for migrations, which must visit every one
/// ([`gongshi_platform::Table::scan`]), never for a request.
pub(crate) struct ScanPages<'a> {
    table: &'a dyn gongshi_platform::Table,
    sk: &'static str,
    prefix: &'static str,
    after: Option<gongshi_platform::Cursor>,
    done: bool,
}

impl<'a> ScanPages<'a> {
    pub(crate) fn new(table: &'a dyn gongshi_platform::Table, sk: &'static str, prefix: &'static str) -> Self {
        Self {
            table,
            sk,
            prefix,
            after: None,
            done: false,
        }
    }

    /// The next page's matching items; `None` after the last page.
    pub(crate) async fn next(&mut self) -> Result<Option<Vec<Item>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let page = self.table.scan(self.sk, self.after.as_ref(), 100).await?;
        self.done = page.next.is_none();
        self.after = page.next;
        let prefix = self.prefix;
        Ok(Some(
            page.items
                .into_iter()
                .filter(|item| item.get("pk").and_then(Value::as_str).is_some_and(|pk| pk.starts_with(prefix)))
                .collect(),
        ))
    }
}

/// SHA-256 hex of a bearer secret: what is stored instead of the secret.
pub fn digest(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

//! Login accounts: `ACCT#<username>` / `ACCT`.

use crate::{StoreError, from_item, to_item};
use gongshi_core::account::{AccountStatus, Role};
use gongshi_platform::{Condition, Index, Item, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// A login account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Normalised username (the key).
    pub username: String,
    /// What it may do.
    pub role: Role,
    /// Whether it may log in.
    pub status: AccountStatus,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Shown in the header.
    pub display_name: String,
    /// The unit a unit account belongs to.
    pub unit_id: Option<String>,
    /// The registration that created (or is creating) the account.
    pub registration_id: Option<String>,
    /// Bumped to revoke every token issued before.
    pub token_version: u64,
    /// Wrong passwords in a row.
    pub failed_logins: u32,
    /// Refuses logins until then.
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Optimistic concurrency.
    pub version: u64,
    /// Set while the account only reserves a username for a registration draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The secondary unit (二级单位) a unit account works for; `None`: the unit itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
    /// An imported old-system hash, replaced by argon2id at the first successful login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_hash: Option<gongshi_core::legacy::LegacyHash>,
    /// Set while the account must choose a new password before anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_change: Option<PasswordChange>,
    /// Sessions ended (logout, refresh-token reuse) whose access tokens may still be
    /// unexpired: a token naming one of them is refused. Read with the account on every
    /// request, so ending a session costs no extra read; entries go once their tokens expire.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ended_sessions: Vec<EndedSession>,
}

/// A session that ended while its access tokens may still be live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedSession {
    /// The session id (the access token's `sid`).
    pub id: String,
    /// Unix time after which no access token of it is valid anyway.
    pub until: i64,
}

impl Account {
    /// Records that `session_id` ended at `now`: its access tokens, valid for at most
    /// `access_ttl`, are refused from now on. Entries whose tokens have expired are dropped.
    pub fn end_session(&mut self, session_id: &str, now: OffsetDateTime, access_ttl: time::Duration) {
        let now = now.unix_timestamp();
        self.ended_sessions.retain(|e| e.until > now && e.id != session_id);
        self.ended_sessions.push(EndedSession {
            id: session_id.to_owned(),
            until: now + access_ttl.whole_seconds(),
        });
    }

    /// Whether `session_id` has ended.
    pub fn session_ended(&self, session_id: &str) -> bool {
        !session_id.is_empty() && self.ended_sessions.iter().any(|e| e.id == session_id)
    }
}

/// A password the account must replace: why, and until when it may still log in (a
/// temporary password's end; `None` for an old system's weak password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    /// Why.
    pub reason: gongshi_core::account::PasswordChangeReason,
    /// A temporary password logs in until then.
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub usable_until: Option<OffsetDateTime>,
}

impl PasswordChange {
    /// A temporary password set now, usable for [`TEMPORARY_PASSWORD_LIFETIME`](gongshi_core::account::TEMPORARY_PASSWORD_LIFETIME).
    pub fn temporary(reason: gongshi_core::account::PasswordChangeReason, now: OffsetDateTime) -> Self {
        Self {
            reason,
            usable_until: Some(now + gongshi_core::account::TEMPORARY_PASSWORD_LIFETIME),
        }
    }

    /// Whether the password can no longer log in.
    pub fn has_expired(&self, now: OffsetDateTime) -> bool {
        self.usable_until.is_some_and(|until| now >= until)
    }
}

impl Account {
    /// Whether the account only reserves its name for a draft that has since expired.
    pub fn is_expired_reservation(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at < now.unix_timestamp())
    }
}

/// The account's key.
pub fn key(username: &str) -> Key {
    Key::new(format!("ACCT#{username}"), "ACCT")
}

/// Accounts of a unit are listed through gsi1 `UNITACCT#<unit>`, sorted by username.
fn item(account: &Account) -> Item {
    let index: Vec<(&str, Value)> = match &account.unit_id {
        Some(unit) => vec![
            ("gsi1pk", crate::entity::unit_accounts(unit).into()),
            ("gsi1sk", account.username.clone().into()),
        ],
        None => Vec::new(),
    };
    to_item(&key(&account.username), account, &index)
}

/// Every account of a unit, by username (a unit has at most a few hundred; its branches,
/// in the same index, are left out).
pub async fn of_unit(table: &dyn Table, unit_id: &str) -> Result<Vec<Account>, StoreError> {
    let page = table
        .query(&Query::partition(Index::Gsi1, crate::entity::unit_accounts(unit_id)).limit(1000))
        .await?;
    page.items
        .into_iter()
        .filter(|item| item.get("sk").and_then(Value::as_str) == Some("ACCT"))
        .map(from_item)
        .collect()
}

/// The account, if any (an expired reservation is returned too; check it).
pub async fn get(table: &dyn Table, username: &str) -> Result<Option<Account>, StoreError> {
    table.get(&key(username)).await?.map(from_item).transpose()
}

/// Creates an account unless the username is taken (an expired reservation is free).
pub fn create(account: &Account, now: OffsetDateTime) -> Write {
    Write::Put {
        item: item(account),
        condition: Condition::NotExistsOrExpired { now: now.unix_timestamp() },
    }
}

/// Replaces the account if nobody changed it since `expected_version` was read.
pub fn replace(account: &Account, expected_version: u64) -> Write {
    Write::Put {
        item: item(account),
        condition: Condition::equals("version", expected_version),
    }
}

/// Saves one account change (see [`replace`]).
pub async fn save(table: &dyn Table, account: &Account, expected_version: u64) -> Result<(), StoreError> {
    table.transact(vec![replace(account, expected_version)]).await.map_err(Into::into)
}

fn set(values: Value) -> Item {
    match values {
        Value::Object(map) => map,
        _ => Item::new(),
    }
}

/// Keeps the reservation of a submitted registration (it no longer expires).
pub fn keep_for_registration(username: &str, registration_id: &str) -> Write {
    Write::Update {
        key: key(username),
        set: Item::new(),
        remove: vec!["expires_at".into()],
        condition: Condition::equals("registration_id", registration_id),
    }
}

/// Activates the account of an approved registration as the unit's admin, named after the
/// person who uses it: the registration's authorised contact (授权联系人), not the unit.
pub fn activate_for_unit(username: &str, registration_id: &str, unit_id: &str, admin_name: &str) -> Write {
    Write::Update {
        key: key(username),
        set: set(json!({
            "status": "active", "role": "unit_admin", "unit_id": unit_id, "display_name": admin_name,
            "gsi1pk": crate::entity::unit_accounts(unit_id), "gsi1sk": username,
        })),
        remove: vec!["expires_at".into()],
        condition: Condition::And(vec![
            Condition::equals("registration_id", registration_id),
            Condition::equals("status", "pending"),
        ]),
    }
}

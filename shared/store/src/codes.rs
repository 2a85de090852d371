//! One-time codes sent by SMS: `OTP#<purpose>#<subject>` / `OTP`. Only a keyed digest of the
//! code is stored; a code allows a few tries and expires by TTL (checked on read too).

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Key, Table, Write};
use serde::{Deserialize, Serialize};

/// A pending code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    /// What it is for, e.g. `RESET`.
    pub purpose: String,
    /// Whom it is for, e.g. a username.
    pub subject: String,
    /// Keyed digest of the code.
    pub digest: String,
    /// Wrong tries left.
    pub tries_left: u32,
    /// Epoch seconds after which it is void (also the TTL).
    pub expires_at: i64,
    /// Optimistic concurrency.
    pub version: u64,
}

/// The code's key.
pub fn key(purpose: &str, subject: &str) -> Key {
    Key::new(format!("OTP#{purpose}#{subject}"), "OTP")
}

/// The pending code, if any (check `expires_at`).
pub async fn get(table: &dyn Table, purpose: &str, subject: &str) -> Result<Option<PendingCode>, StoreError> {
    table.get(&key(purpose, subject)).await?.map(from_item).transpose()
}

/// A new code as a write of the transaction that counts its sending.
pub fn issue_write(code: &PendingCode) -> Write {
    Write::Put {
        item: to_item(&key(&code.purpose, &code.subject), code, &[]),
        condition: Condition::Always,
    }
}

/// The pending code from its item read beforehand (check `expires_at`).
pub fn of(item: Option<gongshi_platform::Item>) -> Result<Option<PendingCode>, StoreError> {
    item.map(from_item).transpose()
}

/// A wrong try, if nobody else used the code meanwhile, as a write.
pub fn spend_try_write(code: &PendingCode) -> Write {
    let mut next = code.clone();
    next.tries_left = next.tries_left.saturating_sub(1);
    next.version += 1;
    Write::Put {
        item: to_item(&key(&code.purpose, &code.subject), &next, &[]),
        condition: Condition::equals("version", code.version),
    }
}

/// Forgetting the code (no tries left), as a write.
pub fn discard_write(code: &PendingCode) -> Write {
    Write::Delete {
        key: key(&code.purpose, &code.subject),
        condition: Condition::Always,
    }
}

/// Uses up the code (in the transaction of what it allows), exactly once.
pub fn consume(code: &PendingCode) -> Write {
    Write::Delete {
        key: key(&code.purpose, &code.subject),
        condition: Condition::equals("version", code.version),
    }
}

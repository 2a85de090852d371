//! The audit trail (F23): `AUDIT#<entity>` / `<at>#<id>`, append-only, written in the same
//! transaction as the change it records.

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Index, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One recorded state change or decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// What changed, e.g. `REG#01J…`.
    pub entity: String,
    /// What happened, e.g. `registration.submitted`.
    pub action: String,
    /// Who: a username, or `system`.
    pub actor: String,
    /// State before.
    pub from: Option<String>,
    /// State after.
    pub to: Option<String>,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Appends an entry (`id` makes entries of one instant distinct).
pub fn record(entry: &AuditEntry, id: &str) -> Write {
    let at = entry.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let key = Key::new(format!("AUDIT#{}", entry.entity), format!("{at}#{id}"));
    Write::Put {
        item: to_item(&key, entry, &[]),
        condition: Condition::NotExists,
    }
}

/// The entity's history, oldest first (at most 1000 entries).
pub async fn history(table: &dyn Table, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
    let page = table
        .query(&Query::partition(Index::Primary, format!("AUDIT#{entity}")).limit(1000))
        .await?;
    page.items.into_iter().map(from_item).collect()
}

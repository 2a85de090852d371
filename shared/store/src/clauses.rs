//! Commitment clauses (承诺条款), versioned: `CONFIG#CLAUSES` / `V#<version, 6 digits>`.
//! Versions are never changed once published; the latest is the one units confirm.

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Index, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One published version of the clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseText {
    /// 1, 2, …
    pub version: u32,
    /// Heading, e.g. 执业公示承诺书.
    pub title: String,
    /// The clauses, in order.
    pub clauses: Vec<String>,
    /// When it was published.
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// By whom (`system` for the built-in first version).
    pub published_by: String,
}

fn key(version: u32) -> Key {
    Key::new("CONFIG#CLAUSES", format!("V#{version:06}"))
}

/// The latest published version, if any.
pub async fn latest(table: &dyn Table) -> Result<Option<ClauseText>, StoreError> {
    let page = table
        .query(&Query::partition(Index::Primary, "CONFIG#CLAUSES").backward().limit(1))
        .await?;
    page.items.into_iter().next().map(from_item).transpose()
}

/// One version, if published.
pub async fn get(table: &dyn Table, version: u32) -> Result<Option<ClauseText>, StoreError> {
    table.get(&key(version)).await?.map(from_item).transpose()
}

/// Publishes a version; fails (409) if that version exists already (a racing publication).
pub fn publish(text: &ClauseText) -> Write {
    Write::Put {
        item: to_item(&key(text.version), text, &[]),
        condition: Condition::NotExists,
    }
}

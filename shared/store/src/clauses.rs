//! Commitment clauses (承诺条款), versioned: `CONFIG#CLAUSES` / `V#<version, 6 digits>`.
//! Versions are never changed once published; the latest is the one units confirm, and a
//! copy of it is kept under `CONFIG#CLAUSES` / `CURRENT` (written in the publication's
//! transaction) so that a request reads it by key, in its batch get. Absent `CURRENT`: none
//! was published (the migration `clauses-current` writes it for data older than the copy).

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

/// The key of the copy of the version in force.
pub fn current_key() -> Key {
    Key::new("CONFIG#CLAUSES", "CURRENT")
}

/// The version in force from its copy read beforehand (`None`: none published).
pub fn current_of(item: Option<gongshi_platform::Item>) -> Result<Option<ClauseText>, StoreError> {
    item.map(from_item).transpose()
}

/// The latest published version by its own item, if any (what the `CURRENT` copy is made
/// from).
pub async fn latest(table: &dyn Table) -> Result<Option<ClauseText>, StoreError> {
    let page = table
        .query(
            &Query::partition(Index::Primary, "CONFIG#CLAUSES")
                .sort(gongshi_platform::SortKey::BeginsWith("V#".into()))
                .backward()
                .limit(1),
        )
        .await?;
    page.items.into_iter().next().map(from_item).transpose()
}

/// One version, if published.
pub async fn get(table: &dyn Table, version: u32) -> Result<Option<ClauseText>, StoreError> {
    table.get(&key(version)).await?.map(from_item).transpose()
}

/// Publishes a version, and its copy as the one in force (both writes of one transaction);
/// fails (409) if that version exists already (a racing publication).
pub fn publish(text: &ClauseText) -> [Write; 2] {
    [
        Write::Put {
            item: to_item(&key(text.version), text, &[]),
            condition: Condition::NotExists,
        },
        set_current(text),
    ]
}

/// Makes `text` the copy in force (the version's own put guards against a racing publication).
fn set_current(text: &ClauseText) -> Write {
    Write::Put {
        item: to_item(&current_key(), text, &[]),
        condition: Condition::Always,
    }
}

/// Writes the `CURRENT` copy from the latest version (the migration `clauses-current`);
/// whether it wrote one.
pub async fn copy_latest_as_current(table: &dyn Table) -> Result<bool, StoreError> {
    if table.get(&current_key()).await?.is_some() {
        return Ok(false);
    }
    match latest(table).await? {
        Some(text) => {
            match table.put(to_item(&current_key(), &text, &[]), Condition::NotExists).await {
                Ok(()) => Ok(true),
                // A publication wrote it meanwhile: that copy is newer.
                Err(gongshi_platform::TableError::ConditionFailed) => Ok(false),
                Err(other) => Err(other.into()),
            }
        }
        None => Ok(false),
    }
}

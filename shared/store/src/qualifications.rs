//! The unit's qualification certificates (单位资质, F9): `UNIT#<unit>` / `QUAL#<id>`, so one
//! query of the unit's partition lists them.

use crate::{StoreError, from_item, to_item};
use gongshi_core::registration::Qualification;
use gongshi_platform::{Condition, Index, Key, Query, SortKey, Table, Write};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One certificate of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitQualification {
    /// ULID.
    pub id: String,
    /// The unit.
    pub unit_id: String,
    /// The certificate.
    pub qualification: Qualification,
    /// Added.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Optimistic concurrency.
    pub version: u64,
}

/// The certificate's key.
pub fn key(unit_id: &str, id: &str) -> Key {
    Key::new(format!("UNIT#{unit_id}"), format!("QUAL#{id}"))
}

/// Adds a certificate.
pub fn create(q: &UnitQualification) -> Write {
    Write::Put {
        item: to_item(&key(&q.unit_id, &q.id), q, &[]),
        condition: Condition::NotExists,
    }
}

/// Replaces a certificate if it is still at `expected_version`.
pub fn replace(q: &UnitQualification, expected_version: u64) -> Write {
    Write::Put {
        item: to_item(&key(&q.unit_id, &q.id), q, &[]),
        condition: Condition::equals("version", expected_version),
    }
}

/// One certificate of the unit, if any.
pub async fn get(table: &dyn Table, unit_id: &str, id: &str) -> Result<Option<UnitQualification>, StoreError> {
    table.get(&key(unit_id, id)).await?.map(from_item).transpose()
}

/// Every certificate of the unit, oldest first.
pub async fn of_unit(table: &dyn Table, unit_id: &str) -> Result<Vec<UnitQualification>, StoreError> {
    let query = Query::partition(Index::Primary, format!("UNIT#{unit_id}"))
        .sort(SortKey::BeginsWith("QUAL#".into()))
        .limit(1000);
    table.query(&query).await?.items.into_iter().map(from_item).collect()
}

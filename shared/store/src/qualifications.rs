//! The unit's qualification certificates (单位资质, F9): `UNIT#<unit>` / `QUAL#<id>`, so one
//! query of the unit's partition lists them. Scope is what eligibility trusts, so a unit
//! only asks: a new certificate or a corrected one waits in `pending` (with its change
//! request) until a reviewer decides, and eligibility reads only an approved version.

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
    /// The certificate: the approved version when `approved`, else the one first asked for.
    pub qualification: Qualification,
    /// Whether `qualification` is a version the association approved (the registration's
    /// certificate is approved with the registration).
    #[serde(default = "approved_by_default")]
    pub approved: bool,
    /// A version asked for and not yet decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingRevision>,
    /// Added.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Optimistic concurrency.
    pub version: u64,
}

/// Records from before review was required were in force as stored.
fn approved_by_default() -> bool {
    true
}

/// A version of a certificate a unit asked for, reviewed as an information change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRevision {
    /// The version asked for, with its new scan.
    pub qualification: Qualification,
    /// The change request that reviews it.
    pub change_request_id: String,
    /// Who asked.
    pub requested_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
}

impl UnitQualification {
    /// The version eligibility may trust, if any.
    pub fn in_force(&self) -> Option<&Qualification> {
        self.approved.then_some(&self.qualification)
    }
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

//! Secondary units (二级单位, F7, manual §3.2.3): `UNIT#<parent>` / `BRANCH#<id>`, so one
//! query of the parent's partition lists them. Their accounts belong to the parent unit
//! ("执业人的执业单位均为二级单位的主管单位") and carry the branch's id.

use crate::{StoreError, from_item, to_item};
use gongshi_core::{Address, Mobile, Name};
use gongshi_platform::{Condition, Index, Key, Query, SortKey, Table, Write};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A branch of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// ULID.
    pub id: String,
    /// The parent unit (主管单位).
    pub unit_id: String,
    /// 二级单位名称.
    pub name: Name,
    /// 地址.
    pub address: Address,
    /// 负责人.
    pub contact_name: Name,
    /// 负责人手机.
    pub contact_mobile: Mobile,
    /// Disabled branches' accounts cannot log in.
    pub enabled: bool,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Optimistic concurrency.
    pub version: u64,
}

/// The branch's key.
pub fn key(unit_id: &str, id: &str) -> Key {
    Key::new(format!("UNIT#{unit_id}"), format!("BRANCH#{id}"))
}

/// Creates a branch.
pub fn create(branch: &Branch) -> Write {
    Write::Put {
        item: to_item(&key(&branch.unit_id, &branch.id), branch, &[]),
        condition: Condition::NotExists,
    }
}

/// Replaces a branch still at `expected_version`.
pub fn replace(branch: &Branch, expected_version: u64) -> Write {
    Write::Put {
        item: to_item(&key(&branch.unit_id, &branch.id), branch, &[]),
        condition: Condition::equals("version", expected_version),
    }
}

/// One branch of the unit, if any.
pub async fn get(table: &dyn Table, unit_id: &str, id: &str) -> Result<Option<Branch>, StoreError> {
    table.get(&key(unit_id, id)).await?.map(from_item).transpose()
}

/// Every branch of the unit, oldest first.
pub async fn of_unit(table: &dyn Table, unit_id: &str) -> Result<Vec<Branch>, StoreError> {
    let query = Query::partition(Index::Primary, format!("UNIT#{unit_id}"))
        .sort(SortKey::BeginsWith("BRANCH#".into()))
        .limit(1000);
    table.query(&query).await?.items.into_iter().map(from_item).collect()
}

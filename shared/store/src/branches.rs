//! Secondary units (二级单位, F7, manual §3.2.3): `UNIT#<parent>` / `BRANCH#<id>`, also in the
//! unit's accounts index (gsi1 `UNITACCT#<parent>` / `#BRANCH#<id>`), so one query lists the
//! branches with the accounts that work for them. Their accounts belong to the parent unit
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

/// The stored item: in its unit's partition and, after the unit's accounts (a username
/// starts with a letter, never with `#`), in the unit's accounts index.
fn item(branch: &Branch) -> gongshi_platform::Item {
    to_item(
        &key(&branch.unit_id, &branch.id),
        branch,
        &[
            ("gsi1pk", crate::entity::unit_accounts(&branch.unit_id).into()),
            ("gsi1sk", format!("#BRANCH#{}", branch.id).into()),
        ],
    )
}

/// Creates a branch.
pub fn create(branch: &Branch) -> Write {
    Write::Put {
        item: item(branch),
        condition: Condition::NotExists,
    }
}

/// Replaces a branch still at `expected_version`.
pub fn replace(branch: &Branch, expected_version: u64) -> Write {
    Write::Put {
        item: item(branch),
        condition: Condition::equals("version", expected_version),
    }
}

/// Migration `branch-index`: every branch created before branches were in the unit's
/// accounts index is written again with its index keys (found through the units' profiles
/// and each unit's partition); run again, it writes nothing.
pub async fn index_with_accounts(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut pages = crate::ScanPages::new(table, "PROFILE", "UNIT#");
    while let Some(units) = pages.next().await? {
        for unit in units {
            let Some(unit_id) = unit.get("id").and_then(serde_json::Value::as_str) else {
                continue;
            };
            let query = Query::partition(Index::Primary, format!("UNIT#{unit_id}"))
                .sort(SortKey::BeginsWith("BRANCH#".into()))
                .limit(1000);
            for stored in table.query(&query).await?.items {
                if stored.contains_key("gsi1pk") {
                    continue;
                }
                let branch: Branch = from_item(stored)?;
                match table.transact(vec![replace(&branch, branch.version)]).await {
                    Ok(()) => written += 1,
                    // Changed meanwhile: written with its index keys by that change.
                    Err(gongshi_platform::TableError::ConditionFailed) => {}
                    Err(other) => return Err(other.into()),
                }
            }
        }
    }
    Ok(written)
}

/// One branch of the unit, if any.
pub async fn get(table: &dyn Table, unit_id: &str, id: &str) -> Result<Option<Branch>, StoreError> {
    table.get(&key(unit_id, id)).await?.map(from_item).transpose()
}

//! Information change requests (单位信息变更, F8): `CHANGE#<id>` / `CHANGE`, listed for the
//! unit through gsi1 `UNITCHANGE#<unit>` and queued for review through gsi2
//! `CHANGEQ#<state>`, both sorted by submission. A unit has at most one pending request:
//! `UNIT#<unit>` / `OPENCHANGE` is created with it and deleted by the decision.

use crate::{StoreError, from_item, to_item};
use gongshi_core::registration::{Contact, Decision, UploadRef};
use gongshi_core::{Address, Name, Postcode, Uscc};
use gongshi_platform::{Condition, Cursor, Index, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use gongshi_core::review::ChangeState;

/// The new values asked for (only what changes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChanges {
    /// 单位名称.
    pub unit_name: Option<Name>,
    /// 法定代表人.
    pub legal_representative: Option<Name>,
    /// 统一社会信用代码.
    pub uscc: Option<Uscc>,
    /// 单位地址.
    pub address: Option<Address>,
    /// 邮政编码.
    pub postcode: Option<Postcode>,
    /// 授权联系人.
    pub contact: Option<Contact>,
    /// A qualification certificate added or corrected (its scope is reviewed like the rest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<QualificationChange>,
}

/// A certificate version asked for: which record, whether it is new, and the version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationChange {
    /// The certificate record (`UNIT#<unit>` / `QUAL#<id>`).
    pub qualification_id: String,
    /// Whether the certificate is new (else a correction of an approved one).
    pub new: bool,
    /// The version asked for, with its scan.
    pub qualification: gongshi_core::registration::Qualification,
}

/// One changed field as shown to people: label, old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeItem {
    /// The field's API name.
    pub field: String,
    /// Its Chinese label.
    pub label: String,
    /// The value before (personal data masked).
    pub before: String,
    /// The value asked for (personal data masked).
    pub after: String,
}

/// A change request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    /// ULID.
    pub id: String,
    /// The unit.
    pub unit_id: String,
    /// The unit's name when it asked.
    pub unit_name: String,
    /// State.
    pub state: ChangeState,
    /// The new values.
    pub changes: UnitChanges,
    /// What changes, for display and history (old values kept).
    pub items: Vec<ChangeItem>,
    /// 变更原因.
    pub reason: String,
    /// 证明材料.
    pub proofs: Vec<UploadRef>,
    /// Submitted.
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// Who submitted.
    pub submitted_by: String,
    /// The decision.
    pub decision: Option<Decision>,
    /// Optimistic concurrency.
    pub version: u64,
}

/// The request's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("CHANGE#{id}"), "CHANGE")
}

fn item(request: &ChangeRequest) -> gongshi_platform::Item {
    let at = request.submitted_at.format(&Rfc3339).unwrap_or_default();
    let sort = format!("{at}#{}", request.id);
    let index: Vec<(&str, Value)> = vec![
        ("gsi1pk", format!("UNITCHANGE#{}", request.unit_id).into()),
        ("gsi1sk", sort.clone().into()),
        ("gsi2pk", format!("CHANGEQ#{}", request.state.as_str()).into()),
        ("gsi2sk", sort.into()),
    ];
    to_item(&key(&request.id), request, &index)
}

/// Creates a request.
pub fn create(request: &ChangeRequest) -> Write {
    Write::Put {
        item: item(request),
        condition: Condition::NotExists,
    }
}

/// Replaces a request still at `expected_version`.
pub fn replace(request: &ChangeRequest, expected_version: u64) -> Write {
    Write::Put {
        item: item(request),
        condition: Condition::equals("version", expected_version),
    }
}

/// The request, if any.
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<ChangeRequest>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// The unit's requests, newest first.
pub async fn of_unit(table: &dyn Table, unit_id: &str) -> Result<Vec<ChangeRequest>, StoreError> {
    let page = table
        .query(&Query::partition(Index::Gsi1, format!("UNITCHANGE#{unit_id}")).backward().limit(200))
        .await?;
    page.items.into_iter().map(from_item).collect()
}

/// One page of the review queue of a state, oldest first.
pub async fn queue(
    table: &dyn Table,
    state: ChangeState,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<ChangeRequest>, Option<Cursor>), StoreError> {
    let page = table
        .query(
            &Query::partition(Index::Gsi2, format!("CHANGEQ#{}", state.as_str()))
                .limit(limit)
                .after(after),
        )
        .await?;
    let items = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok((items, page.next))
}

pub(crate) fn lock_key(unit_id: &str) -> Key {
    Key::new(format!("UNIT#{unit_id}"), "OPENCHANGE")
}

/// Marks the unit as having a pending request; fails if it already has one.
pub fn lock(unit_id: &str, request_id: &str) -> Write {
    let item = to_item(&lock_key(unit_id), &serde_json::json!({"request_id": request_id}), &[]);
    Write::Put {
        item,
        condition: Condition::NotExists,
    }
}

/// Frees the unit for a new request once this one is decided.
pub fn unlock(unit_id: &str, request_id: &str) -> Write {
    Write::Delete {
        key: lock_key(unit_id),
        condition: Condition::equals("request_id", request_id),
    }
}

/// The outcome of a unit's latest decided information change (not a certificate request),
/// kept in the unit's partition (`UNIT#<id>` / `LASTCHANGE`) so that the unit's home reads
/// it with the unit in one query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastChange {
    /// The request.
    pub request_id: String,
    /// Approved or rejected.
    pub state: ChangeState,
    /// The reviewer's reason.
    pub reason: Option<String>,
    /// When it was submitted (the latest request wins).
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
}

/// The key of a unit's [`LastChange`].
pub fn last_change_key(unit_id: &str) -> Key {
    Key::new(format!("UNIT#{unit_id}"), "LASTCHANGE")
}

/// Records a decided information change as the unit's latest (in the decision's transaction).
pub fn record_last_change(request: &ChangeRequest) -> Write {
    let last = LastChange {
        request_id: request.id.clone(),
        state: request.state,
        reason: request.decision.as_ref().and_then(|d| d.reason.clone()),
        submitted_at: request.submitted_at,
    };
    Write::Put {
        item: to_item(&last_change_key(&request.unit_id), &last, &[]),
        condition: Condition::Always,
    }
}

/// Writes each unit's [`LastChange`] from the decided requests in the review queues (the
/// migration `unit-last-change`), unless the unit has one already; how many it wrote.
pub async fn copy_last_changes(table: &dyn Table) -> Result<usize, StoreError> {
    let mut latest: std::collections::BTreeMap<String, ChangeRequest> = std::collections::BTreeMap::new();
    for state in [ChangeState::Approved, ChangeState::Rejected] {
        let mut after = None;
        loop {
            let (page, next) = queue(table, state, after, 100).await?;
            for request in page.into_iter().filter(|r| r.changes.qualification.is_none()) {
                let newer = latest
                    .get(&request.unit_id)
                    .is_none_or(|known| known.submitted_at < request.submitted_at);
                if newer {
                    latest.insert(request.unit_id.clone(), request);
                }
            }
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    }
    let mut written = 0;
    for request in latest.values() {
        let Write::Put { item, .. } = record_last_change(request) else {
            continue;
        };
        match table.put(item, Condition::NotExists).await {
            Ok(()) => written += 1,
            Err(gongshi_platform::TableError::ConditionFailed) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(written)
}

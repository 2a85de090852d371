//! Units (`UNIT#<id>` / `PROFILE`) and USCC reservations (`USCC#<uscc>` / `UNIQ`).

use crate::{StoreError, from_item, to_item};
use gongshi_core::registration::{Contact, UploadRef};
use gongshi_core::{Address, Name, Postcode, Uscc};
use gongshi_platform::{Condition, Key, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

/// An approved 执业单位.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// ULID.
    pub id: String,
    /// 单位名称.
    pub name: Name,
    /// 统一社会信用代码.
    pub uscc: Uscc,
    /// 法定代表人.
    pub legal_representative: Name,
    /// 单位地址.
    pub address: Address,
    /// 邮政编码.
    pub postcode: Postcode,
    /// 授权联系人.
    pub contact: Contact,
    /// 营业执照 (units imported from the old system have none yet).
    pub licence: Option<UploadRef>,
    /// The registration it came from (none for units imported from the old system).
    pub registration_id: Option<String>,
    /// Approved.
    #[serde(with = "time::serde::rfc3339")]
    pub approved_at: OffsetDateTime,
    /// The approved qualification scopes (what eligibility trusts), one per certificate with
    /// an approved version, kept with the unit so that a read of the unit by key brings
    /// them: written with every change of a certificate's version in force. Absent in a unit
    /// written before they were kept here: then the certificates are read
    /// (migration `unit-scopes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<ScopeInForce>>,
    /// Optimistic concurrency.
    pub version: u64,
}

/// The approved version of one certificate, as eligibility reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeInForce {
    /// The certificate.
    pub qualification_id: String,
    /// Its item codes.
    pub items: Vec<String>,
    /// Its last valid day.
    pub valid_until: time::Date,
}

impl ScopeInForce {
    /// The scope of a certificate's approved version, if it has one.
    pub fn of(certificate: &crate::qualifications::UnitQualification) -> Option<Self> {
        certificate.in_force().map(|q| Self {
            qualification_id: certificate.id.clone(),
            items: q.items.clone(),
            valid_until: q.valid_until,
        })
    }
}

impl Unit {
    /// Puts the certificate's approved version in the unit's scopes (replacing the one
    /// before it); nothing while the unit keeps no scopes yet (they are read from the
    /// certificates until the migration).
    pub fn put_scope(&mut self, certificate: &crate::qualifications::UnitQualification) {
        let (Some(scopes), Some(scope)) = (self.scopes.as_mut(), ScopeInForce::of(certificate)) else {
            return;
        };
        scopes.retain(|s| s.qualification_id != certificate.id);
        scopes.push(scope);
    }
}

/// Gives every unit written before the scopes were kept with it its scopes from its
/// certificates (migration `unit-scopes`): the units are found by a scan of the profiles,
/// each one's partition read and the unit rewritten at the same version, only if it is
/// still the one read (a unit changed meanwhile is left: its next run or read handles it).
pub async fn copy_scopes_into_units(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut pages = crate::ScanPages::new(table, "PROFILE", "UNIT#");
    while let Some(items) = pages.next().await? {
        for item in items {
            if item.contains_key("scopes") {
                continue;
            }
            let unit: Unit = from_item(item)?;
            let found = partition(table, &unit.id).await?;
            let Some(mut current) = found.unit else { continue };
            if current.scopes.is_some() {
                continue;
            }
            current.scopes = Some(found.qualifications.iter().filter_map(ScopeInForce::of).collect());
            let version = current.version;
            match table.transact(vec![replace(&current, version)]).await {
                Ok(()) => written += 1,
                Err(gongshi_platform::TableError::ConditionFailed) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(written)
}

/// The unit's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("UNIT#{id}"), "PROFILE")
}

/// The unit, if any.
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<Unit>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// Where the unit's profile sorts in its accounts index (gsi1 `UNITACCT#<id>`): before its
/// accounts (usernames are lower-case letters and digits) and its branches (`#BRANCH#`).
pub const INDEX_SORT: &str = "#!UNIT";

/// The profile's item, in the unit's accounts index too: one query of that index brings the
/// unit with its accounts and branches (what the appeal review and the branch changes read).
fn item(unit: &Unit) -> gongshi_platform::Item {
    let index = [
        ("gsi1pk", crate::entity::unit_accounts(&unit.id).into()),
        ("gsi1sk", INDEX_SORT.into()),
    ];
    to_item(&key(&unit.id), unit, &index)
}

/// Creates a new unit.
pub fn create(unit: &Unit) -> Write {
    Write::Put {
        item: item(unit),
        condition: Condition::NotExists,
    }
}

/// Who holds a USCC: `REG#<id>` while a registration claims it, `UNIT#<id>` once approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsccClaim {
    /// The holder.
    pub owner: String,
    /// Set while only a draft holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// The claim item of a USCC, if any (see [`UsccClaim`]).
pub async fn uscc_claim_item(table: &dyn Table, uscc: &Uscc) -> Result<Option<gongshi_platform::Item>, StoreError> {
    Ok(table.get(&uscc_key(uscc)).await?)
}

/// The reservation's key.
pub fn uscc_key(uscc: &Uscc) -> Key {
    Key::new(format!("USCC#{uscc}"), "UNIQ")
}

/// The current holder of a USCC (an expired draft claim is returned too; check it).
pub async fn uscc_claim(table: &dyn Table, uscc: &Uscc) -> Result<Option<UsccClaim>, StoreError> {
    table.get(&uscc_key(uscc)).await?.map(from_item).transpose()
}

/// Claims a USCC for `owner` unless someone else holds it (an expired draft claim is free).
pub fn claim_uscc(uscc: &Uscc, owner: &str, expires_at: Option<i64>, now: OffsetDateTime) -> Write {
    let claim = UsccClaim {
        owner: owner.to_owned(),
        expires_at,
    };
    Write::Put {
        item: to_item(&uscc_key(uscc), &claim, &[]),
        condition: Condition::NotExistsOrExpired { now: now.unix_timestamp() },
    }
}

/// Gives up a claim `owner` holds.
pub fn release_uscc(uscc: &Uscc, owner: &str) -> Write {
    Write::Delete {
        key: uscc_key(uscc),
        condition: Condition::equals("owner", owner),
    }
}

/// Moves a claim from one holder to another and makes it permanent.
pub fn transfer_uscc(uscc: &Uscc, from: &str, to: &str) -> Write {
    let set = match json!({"owner": to}) {
        serde_json::Value::Object(map) => map,
        _ => gongshi_platform::Item::new(),
    };
    Write::Update {
        key: uscc_key(uscc),
        set,
        remove: vec!["expires_at".into()],
        condition: Condition::equals("owner", from),
    }
}

/// Replaces the unit if it is still at `expected_version`.
pub fn replace(unit: &Unit, expected_version: u64) -> Write {
    Write::Put {
        item: item(unit),
        condition: Condition::equals("version", expected_version),
    }
}

/// Migration `unit-index`: every unit profile written before profiles were in the unit's
/// accounts index is written again with its index keys; run again, it writes nothing.
pub async fn index_with_accounts(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut pages = crate::ScanPages::new(table, "PROFILE", "UNIT#");
    while let Some(profiles) = pages.next().await? {
        for stored in profiles {
            if stored.contains_key("gsi1pk") {
                continue;
            }
            let unit: Unit = from_item(stored)?;
            match table.transact(vec![replace(&unit, unit.version)]).await {
                Ok(()) => written += 1,
                // Changed meanwhile: written with its index keys by that change.
                Err(gongshi_platform::TableError::ConditionFailed) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(written)
}

/// What the unit's own partition holds, read in one query: the profile, the qualification
/// certificates and whether an information change request is pending.
#[derive(Debug, Clone, Default)]
pub struct UnitPartition {
    /// The profile (absent for an unknown unit).
    pub unit: Option<Unit>,
    /// Its qualification certificates, oldest first.
    pub qualifications: Vec<crate::qualifications::UnitQualification>,
    /// Whether a change request holds the unit's change lock.
    pub change_pending: bool,
    /// The outcome of its latest decided information change, if any.
    pub last_change: Option<crate::change_requests::LastChange>,
    /// Its open publicity applications (their markers), by id.
    pub open_applications: Vec<crate::applications::OpenApplication>,
    /// Its publicities that are not cancelled or ended (their markers), by certificate.
    pub publicities: Vec<crate::practitioners::UnitPublicity>,
}

/// The unit's partition in one query; an item that cannot be read is an error, never
/// skipped.
pub async fn partition(table: &dyn Table, id: &str) -> Result<UnitPartition, StoreError> {
    let mut found = UnitPartition::default();
    let mut after = None;
    loop {
        let query = gongshi_platform::Query::partition(gongshi_platform::Index::Primary, key(id).pk)
            .limit(1000)
            .after(after.take());
        let page = table.query(&query).await?;
        found.add(id, page.items)?;
        match page.next {
            // A unit with more than a page of items (hundreds of open applications) reads on.
            Some(next) => after = Some(next),
            None => return Ok(found),
        }
    }
}

impl UnitPartition {
    /// Sorts the items of unit `id`'s partition into their places.
    fn add(&mut self, id: &str, items: Vec<gongshi_platform::Item>) -> Result<(), StoreError> {
        for item in items {
            let sk = item.get("sk").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            if sk == "PROFILE" {
                self.unit = Some(from_item(item)?);
            } else if sk.starts_with("QUAL#") {
                self.qualifications.push(from_item(item)?);
            } else if sk == crate::change_requests::lock_key(id).sk {
                self.change_pending = true;
            } else if sk == crate::change_requests::last_change_key(id).sk {
                self.last_change = Some(from_item(item)?);
            } else if sk.starts_with(crate::applications::OPEN_PREFIX) {
                self.open_applications.push(from_item(item)?);
            } else if sk.starts_with(crate::practitioners::UNIT_PUBLICITY_PREFIX) {
                self.publicities.push(from_item(item)?);
            }
        }
        Ok(())
    }
}

//! Practitioners (执业人) and everything that binds them, co-located in one partition
//! `PRAC#<id number>` so that eligibility is one Query (docs/ARCHITECTURE.md, the table):
//!
//! | sk | what |
//! |---|---|
//! | `PROFILE` | name and certificate items from the personnel registry (F22), one item so that a batch read by key brings them |
//! | `ITEM#<certificate no>#<item code>` | one certificate item, as written before the items moved into `PROFILE` (migration `registry-items`; read only while the profile has no items) |
//! | `MOBILE` | the verified mobile number (F20); kept by re-imports |
//! | `PUB` | the publicity (at most one); gsi1 `UNITPUB#<unit>` / `<certificate no>`; while active gsi2 `PUBENDS#<yyyy-mm>` / `<valid until>#<certificate no>` (reminders) |
//! | `OPEN` | the open-application lock: at most one open application per person |
//! | `HIST#<from>#<certificate no>` | one stay at a unit: the public unit-change history |
//!
//! Beside them: `CERTNO#<certificate no>` / `CERTNO` (unique number → person, for the public
//! lookup) and `UNIT#<unit>` / `PUBHIST#<certificate no>` (the unit's ended publicities).

use crate::{StoreError, from_item, to_item};
use gongshi_core::practice::{ApplicationState, CertificateItem, Publicity};
use gongshi_core::{IdNumber, Mobile, Name};
use gongshi_platform::{Condition, Cursor, Index, Item, Key, Query, SortKey, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// The partition of a person.
pub fn partition(id_number: &IdNumber) -> String {
    format!("PRAC#{}", id_number.as_str())
}

/// The person as the personnel registry knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 姓名.
    pub name: Name,
    /// The certificate items, by certificate number and item code. Absent in a profile
    /// written before they moved here: its items are still `ITEM#` rows (see [`person`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<CertificateItem>>,
}

impl Profile {
    /// Merges registry items into the profile's: an item with the same certificate number
    /// and code is replaced, the others kept; the result is in key order.
    pub fn merge(&mut self, imported: impl IntoIterator<Item = CertificateItem>) {
        let mut by_key: std::collections::BTreeMap<(String, String), CertificateItem> = self
            .items
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|i| ((i.certificate_no.clone(), i.code.clone()), i))
            .collect();
        for item in imported {
            by_key.insert((item.certificate_no.clone(), item.code.clone()), item);
        }
        self.items = Some(by_key.into_values().collect());
    }
}

/// A verified mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedMobile {
    /// The number.
    pub mobile: Mobile,
    /// When the person proved it by SMS code.
    #[serde(with = "time::serde::rfc3339")]
    pub verified_at: OffsetDateTime,
}

/// The open-application lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenLock {
    /// The application holding the person.
    pub application_id: String,
    /// Its unit.
    pub unit_id: String,
    /// Its state when the lock was last written.
    pub state: ApplicationState,
    /// Its deadline, so that a reader can tell a lock that cannot have lapsed without
    /// reading the application (absent in locks written before it was kept).
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub deadline: Option<OffsetDateTime>,
}

impl OpenLock {
    /// Whether the application holding the person may be past its deadline (then read it
    /// to expire it); `false` only when the lock's own deadline says it cannot be.
    pub fn may_have_lapsed(&self, now: OffsetDateTime) -> bool {
        self.state.counts_down() && self.deadline.is_none_or(|at| now >= at)
    }
}

/// A stored publicity with whom it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicityRecord {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 姓名.
    pub name: Name,
    /// The publicity.
    #[serde(flatten)]
    pub publicity: Publicity,
}

/// Everything stored about one person: the result of one Query.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// From the registry, if known.
    pub profile: Option<Profile>,
    /// Certificate items.
    pub items: Vec<CertificateItem>,
    /// Verified mobile.
    pub mobile: Option<VerifiedMobile>,
    /// Publicity.
    pub publicity: Option<PublicityRecord>,
    /// Open application.
    pub open: Option<OpenLock>,
    /// The stays at units (the public unit-change history), oldest first.
    pub stays: Vec<Stay>,
}

/// Reads everything about a person in one Query.
pub async fn person(table: &dyn Table, id_number: &IdNumber) -> Result<Person, StoreError> {
    let page = table
        .query(&Query::partition(Index::Primary, partition(id_number)).limit(1000))
        .await?;
    let mut person = Person::default();
    for item in page.items {
        let sk = item.get("sk").and_then(Value::as_str).unwrap_or_default().to_owned();
        match sk.as_str() {
            "PROFILE" => person.profile = Some(from_item(item)?),
            "MOBILE" => person.mobile = Some(from_item(item)?),
            "PUB" => person.publicity = Some(from_item(item)?),
            "OPEN" => person.open = Some(from_item(item)?),
            _ if sk.starts_with("HIST#") => person.stays.push(from_item(item)?),
            _ if sk.starts_with("ITEM#") => person.items.push(from_item(item)?),
            _ => {}
        }
    }
    // A profile that holds the items is the registry's word; `ITEM#` rows beside it are
    // from before the move (the migration removes them).
    if let Some(items) = person.profile.as_ref().and_then(|p| p.items.clone()) {
        person.items = items;
    }
    sort_stays(&mut person.stays);
    Ok(person)
}

/// The people behind publicities, read by key: each one's profile (with its items), mobile
/// and open lock, 33 people to a batch read (DynamoDB's 100 keys), the batches 8 at a time.
/// The publicity is the record's; the stays are not read. A profile from before the items
/// moved into it is read whole (a Query), until the migration has run.
pub async fn people(table: &dyn Table, records: &[PublicityRecord]) -> Result<Vec<Person>, StoreError> {
    const PER_BATCH: usize = gongshi_platform::table::MAX_BATCH_GET / 3;
    let mut people = Vec::with_capacity(records.len());
    let batches: Vec<&[PublicityRecord]> = records.chunks(PER_BATCH).collect();
    for wave in batches.chunks(8) {
        let read = gongshi_platform::join_all(wave.iter().map(|batch| {
            let keys: Vec<Key> = batch
                .iter()
                .flat_map(|r| [profile_key(&r.id_number), mobile_key(&r.id_number), lock_key(&r.id_number)])
                .collect();
            async move { table.get_many(&keys).await }
        }))
        .await;
        for (batch, found) in wave.iter().zip(read) {
            let mut found = found?.into_iter();
            for record in batch.iter() {
                let (profile, mobile, open) = (found.next().flatten(), found.next().flatten(), found.next().flatten());
                let profile: Option<Profile> = profile.map(from_item).transpose()?;
                let mut person = match profile {
                    Some(Profile { items: None, .. }) => person(table, &record.id_number).await?,
                    profile => Person {
                        items: profile.as_ref().and_then(|p| p.items.clone()).unwrap_or_default(),
                        profile,
                        mobile: mobile.map(from_item).transpose()?,
                        open: open.map(from_item).transpose()?,
                        ..Person::default()
                    },
                };
                person.publicity = Some(record.clone());
                people.push(person);
            }
        }
    }
    Ok(people)
}

/// Moves each person's `ITEM#` rows into their profile (migration `registry-items`): the
/// profiles are found by a scan, 100 at a time; a profile that holds items already is left.
/// Idempotent: the profile is written with its rows' items and the rows deleted in one
/// transaction (a person with more than 99 rows: the profile first, then the rows).
pub async fn move_items_into_profiles(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut pages = crate::ScanPages::new(table, "PROFILE", "PRAC#");
    while let Some(items) = pages.next().await? {
        for item in items {
            let mut profile: Profile = from_item(item)?;
            if profile.items.is_some() {
                continue;
            }
            let rows = table
                .query(
                    &Query::partition(Index::Primary, partition(&profile.id_number))
                        .sort(SortKey::BeginsWith("ITEM#".into()))
                        .limit(1000),
                )
                .await?;
            let keys: Vec<Key> = rows.items.iter().map(Key::of).collect::<Result<_, _>>()?;
            let items: Vec<CertificateItem> = rows.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
            profile.merge(items);
            let deletes = keys.into_iter().map(|key| Write::Delete {
                key,
                condition: Condition::Always,
            });
            let mut writes: Vec<Write> = std::iter::once(put_profile(&profile)).chain(deletes).collect();
            written += writes.len();
            if writes.len() <= gongshi_platform::table::MAX_TRANSACTION_WRITES {
                table.transact(writes).await?;
            } else {
                let rest = writes.split_off(1);
                table.transact(writes).await?;
                for chunk in rest.chunks(gongshi_platform::table::MAX_TRANSACTION_WRITES) {
                    table.transact(chunk.to_vec()).await?;
                }
            }
        }
    }
    Ok(written)
}

/// Stays that began the same day: the ended one first, the open one last.
fn sort_stays(stays: &mut [Stay]) {
    stays.sort_by_key(|s| (s.from, s.until.is_none(), s.until));
}

/// Writes (or rewrites, unchanged on re-import) a person's registry name and items.
pub fn put_profile(profile: &Profile) -> Write {
    Write::Put {
        item: to_item(&Key::new(partition(&profile.id_number), "PROFILE"), profile, &[]),
        condition: Condition::Always,
    }
}

/// The writes of a registry import for up to 100 people: each one's stored profile (read
/// in one batch) with `imported`'s name and its items merged in (see [`Profile::merge`]).
/// A profile from before the items moved into it has its items read from the rows.
pub async fn merged_profiles(table: &dyn Table, imported: Vec<Profile>) -> Result<Vec<Write>, StoreError> {
    let keys: Vec<Key> = imported.iter().map(|p| profile_key(&p.id_number)).collect();
    let stored = table.get_many(&keys).await?;
    let mut writes = Vec::with_capacity(imported.len());
    for (new, stored) in imported.into_iter().zip(stored) {
        let mut profile = match stored.map(from_item::<Profile>).transpose()? {
            Some(Profile { items: None, .. }) => Profile {
                items: Some(person(table, &new.id_number).await?.items),
                ..new.clone()
            },
            Some(stored) => stored,
            None => Profile {
                items: Some(Vec::new()),
                ..new.clone()
            },
        };
        profile.name = new.name;
        profile.merge(new.items.unwrap_or_default());
        writes.push(put_profile(&profile));
    }
    Ok(writes)
}

/// Records the person's verified mobile number, replacing an earlier one.
pub fn put_mobile(id_number: &IdNumber, mobile: &VerifiedMobile) -> Write {
    Write::Put {
        item: to_item(&mobile_key(id_number), mobile, &[]),
        condition: Condition::Always,
    }
}

/// The key of a person's registry profile (their name), to read it in a batch.
pub fn profile_key(id_number: &IdNumber) -> Key {
    Key::new(partition(id_number), "PROFILE")
}

/// The key of a person's verified mobile (read in batches for lists).
pub fn mobile_key(id_number: &IdNumber) -> Key {
    Key::new(partition(id_number), "MOBILE")
}

/// The key of a person's open-application lock (read in batches for lists).
pub fn lock_key(id_number: &IdNumber) -> Key {
    Key::new(partition(id_number), "OPEN")
}

/// Takes the person for an application; fails (409) when another application holds them.
pub fn lock(id_number: &IdNumber, lock: &OpenLock) -> Write {
    Write::Put {
        item: to_item(&lock_key(id_number), lock, &[]),
        condition: Condition::NotExists,
    }
}

/// Rewrites the lock with the application's new state (it must still hold the person).
pub fn relock(id_number: &IdNumber, lock: &OpenLock) -> Write {
    Write::Put {
        item: to_item(&lock_key(id_number), lock, &[]),
        condition: Condition::equals("application_id", lock.application_id.as_str()),
    }
}

/// Frees the person when the application ends (only if this application holds them).
pub fn unlock(id_number: &IdNumber, application_id: &str) -> Write {
    Write::Delete {
        key: lock_key(id_number),
        condition: Condition::equals("application_id", application_id),
    }
}

fn publicity_item(record: &PublicityRecord) -> Item {
    let p = &record.publicity;
    let mut index = vec![
        ("gsi1pk", Value::from(format!("UNITPUB#{}", p.unit_id))),
        ("gsi1sk", Value::from(p.certificate_no.clone())),
    ];
    if !p.cancelled {
        index.push(("gsi2pk", Value::from(ends_bucket(p.valid_until))));
        index.push(("gsi2sk", Value::from(format!("{}#{}", p.valid_until, p.certificate_no))));
    }
    to_item(&publicity_key(&record.id_number), record, &index)
}

/// The key of a person's publicity (read by key beside other records).
pub fn publicity_key(id_number: &IdNumber) -> Key {
    Key::new(partition(id_number), "PUB")
}

/// The publicity from its item read beforehand.
pub fn publicity_of(item: Option<Item>) -> Result<Option<PublicityRecord>, StoreError> {
    item.map(from_item).transpose()
}

/// The gsi2 partition of publicities ending in the month of `day`.
pub fn ends_bucket(day: time::Date) -> String {
    format!("PUBENDS#{:04}-{:02}", day.year(), u8::from(day.month()))
}

/// Active publicities ending from `from` to `until` (inclusive), by end day; at most 10,000.
pub async fn ending_between(table: &dyn Table, from: time::Date, until: time::Date) -> Result<Vec<PublicityRecord>, StoreError> {
    let mut found = Vec::new();
    let mut month = from.replace_day(1).unwrap_or(from);
    while month <= until && found.len() < 10_000 {
        let mut after = None;
        loop {
            let page = table
                .query(
                    &Query::partition(Index::Gsi2, ends_bucket(month))
                        .sort(SortKey::Between(format!("{from}"), format!("{until}#~")))
                        .limit(1000)
                        .after(after),
                )
                .await?;
            for item in page.items {
                found.push(from_item(item)?);
            }
            match page.next {
                Some(next) if found.len() < 10_000 => after = Some(next),
                _ => break,
            }
        }
        let next = if month.month() == time::Month::December {
            time::Date::from_calendar_date(month.year() + 1, time::Month::January, 1)
        } else {
            time::Date::from_calendar_date(month.year(), month.month().next(), 1)
        };
        month = match next {
            Ok(m) => m,
            Err(_) => break,
        };
    }
    Ok(found)
}

/// The key of a certificate number's holder (read in a batch; see [`holder_of`]).
pub fn certificate_key(certificate_no: &str) -> Key {
    Key::new(format!("CERTNO#{certificate_no}"), "CERTNO")
}

/// Reserves a new certificate number (unique) and records whose it is.
pub fn claim_certificate(certificate_no: &str, id_number: &IdNumber) -> Write {
    Write::Put {
        item: to_item(
            &certificate_key(certificate_no),
            &serde_json::json!({"id_number": id_number.as_str()}),
            &[],
        ),
        condition: Condition::NotExists,
    }
}

/// The id number of a certificate's holder from its item read beforehand.
pub fn holder_of(item: Option<Item>) -> Option<String> {
    item.and_then(|item| item.get("id_number").and_then(Value::as_str).map(str::to_owned))
}

/// One stay of a person at a unit (the public unit-change history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    /// The unit.
    pub unit_id: String,
    /// Its name.
    pub unit_name: String,
    /// 公示证书编号.
    pub certificate_no: String,
    /// First day.
    pub from: time::Date,
    /// Last day, once it ended.
    pub until: Option<time::Date>,
    /// How it ended: 注销, 变更至其他单位.
    pub end: Option<String>,
}

/// The stable code of how a stay or publicity ended (`cancelled`, `moved`, `lapsed`), from
/// the label written when it ended (注销, 变更至其他单位, 公示到期); `ended` for another.
pub fn end_code(label: &str) -> &'static str {
    match label {
        "注销" => "cancelled",
        "变更至其他单位" => "moved",
        "公示到期" => "lapsed",
        _ => "ended",
    }
}

/// Records (or rewrites) a stay.
pub fn put_stay(id_number: &IdNumber, stay: &Stay) -> Write {
    let sk = format!("HIST#{}#{}", stay.from, stay.certificate_no);
    Write::Put {
        item: to_item(&Key::new(partition(id_number), sk), stay, &[]),
        condition: Condition::Always,
    }
}

/// A person's stays, oldest first.
pub async fn stays(table: &dyn Table, id_number: &IdNumber) -> Result<Vec<Stay>, StoreError> {
    let page = table
        .query(
            &Query::partition(Index::Primary, partition(id_number))
                .sort(SortKey::BeginsWith("HIST#".into()))
                .limit(100),
        )
        .await?;
    let mut stays: Vec<Stay> = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    sort_stays(&mut stays);
    Ok(stays)
}

/// A publicity that ended at a unit, kept for the unit's list (F19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedPublicity {
    /// The publicity as it was at its end.
    pub record: PublicityRecord,
    /// The last day.
    pub ended_on: time::Date,
    /// 注销 or 变更至其他单位.
    pub end: String,
}

fn ended_key(unit_id: &str, certificate_no: &str) -> Key {
    Key::new(format!("UNIT#{unit_id}"), format!("PUBHIST#{certificate_no}"))
}

/// The publicity `certificate_no` that ended at the unit, if it did.
pub async fn ended(table: &dyn Table, unit_id: &str, certificate_no: &str) -> Result<Option<EndedPublicity>, StoreError> {
    table.get(&ended_key(unit_id, certificate_no)).await?.map(from_item).transpose()
}

/// Keeps an ended publicity on the unit's record.
pub fn put_ended(ended: &EndedPublicity) -> Write {
    let key = ended_key(&ended.record.publicity.unit_id, &ended.record.publicity.certificate_no);
    Write::Put {
        item: to_item(&key, ended, &[]),
        condition: Condition::Always,
    }
}

/// The unit's ended publicities (at most 10,000).
pub async fn ended_of_unit(table: &dyn Table, unit_id: &str) -> Result<Vec<EndedPublicity>, StoreError> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = table
            .query(
                &Query::partition(Index::Primary, format!("UNIT#{unit_id}"))
                    .sort(SortKey::BeginsWith("PUBHIST#".into()))
                    .limit(1000)
                    .after(after),
            )
            .await?;
        for item in page.items {
            all.push(from_item(item)?);
        }
        match page.next {
            Some(next) if all.len() < 10_000 => after = Some(next),
            _ => return Ok(all),
        }
    }
}

/// Issues or replaces the person's publicity (the caller holds the person's lock), with its
/// unit's marker ([`unit_publicity`]).
pub fn put_publicity(record: &PublicityRecord, has_mobile: Option<bool>) -> [Write; 2] {
    [
        Write::Put {
            item: publicity_item(record),
            condition: Condition::Always,
        },
        unit_publicity(record, has_mobile),
    ]
}

/// Replaces the publicity if it is still as `issued_by` (the application that last issued
/// or updated it) left it: of two racing updates, one fails. With its unit's marker.
pub fn update_publicity(record: &PublicityRecord, issued_by: &str) -> [Write; 2] {
    [
        Write::Put {
            item: publicity_item(record),
            condition: Condition::equals("application_id", issued_by),
        },
        unit_publicity(record, None),
    ]
}

/// A publicity as its unit's partition marks it (`UNIT#<unit>` / `PUBAT#<certificate no>`)
/// while it is not cancelled or ended: the unit home counts the active ones, those ending
/// soon and the people without a registered mobile in the query of the unit's partition it
/// makes anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPublicity {
    /// 公示证书编号.
    pub certificate_no: String,
    /// 姓名.
    pub name: String,
    /// Its last valid day.
    pub valid_until: time::Date,
    /// Whether the person has a verified mobile (`None`: not known when it was marked).
    #[serde(default)]
    pub has_mobile: Option<bool>,
}

/// The sort key prefix of the publicity markers in a unit's partition.
pub const UNIT_PUBLICITY_PREFIX: &str = "PUBAT#";

/// The key of the marker of publicity `certificate_no` in unit `unit_id`'s partition.
pub fn unit_publicity_key(unit_id: &str, certificate_no: &str) -> Key {
    Key::new(crate::entity::unit(unit_id), format!("{UNIT_PUBLICITY_PREFIX}{certificate_no}"))
}

/// The unit's marker as `record` leaves it: its fields set while the publicity holds (an
/// update keeps what it does not set, so `has_mobile: None` keeps the known value), deleted
/// once it is cancelled or ended.
pub fn unit_publicity(record: &PublicityRecord, has_mobile: Option<bool>) -> Write {
    let p = &record.publicity;
    let key = unit_publicity_key(&p.unit_id, &p.certificate_no);
    if p.cancelled || p.ended_on.is_some() {
        return Write::Delete {
            key,
            condition: Condition::Always,
        };
    }
    let mut set = Item::new();
    set.insert("certificate_no".into(), p.certificate_no.clone().into());
    set.insert("name".into(), record.name.as_str().into());
    set.insert("valid_until".into(), serde_json::to_value(p.valid_until).unwrap_or_default());
    if let Some(known) = has_mobile {
        set.insert("has_mobile".into(), known.into());
    }
    Write::Update {
        key,
        set,
        remove: Vec::new(),
        condition: Condition::Always,
    }
}

/// Removes the marker of a publicity that left the unit (a change to another unit, a new
/// certificate after it ended).
pub fn drop_unit_publicity(unit_id: &str, certificate_no: &str) -> Write {
    Write::Delete {
        key: unit_publicity_key(unit_id, certificate_no),
        condition: Condition::Always,
    }
}

/// Records on the unit's marker that the person now has a verified mobile.
pub fn unit_publicity_has_mobile(record: &PublicityRecord) -> Write {
    let mut set = Item::new();
    set.insert("has_mobile".into(), true.into());
    Write::Update {
        key: unit_publicity_key(&record.publicity.unit_id, &record.publicity.certificate_no),
        set,
        remove: Vec::new(),
        condition: Condition::Always,
    }
}

/// Migration `unit-publicities`: every publicity that holds gets its unit's marker (with
/// whether the person has a verified mobile), conditional on the publicity being unchanged
/// and on no marker being there; run again, it writes nothing.
pub async fn mark_unit_publicities(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut pages = crate::ScanPages::new(table, "PUB", "PRAC#");
    while let Some(items) = pages.next().await? {
        for item in items {
            let record: PublicityRecord = from_item(item)?;
            let p = &record.publicity;
            if p.cancelled || p.ended_on.is_some() {
                continue;
            }
            let has_mobile = table.get(&mobile_key(&record.id_number)).await?.is_some();
            let marker = UnitPublicity {
                certificate_no: p.certificate_no.clone(),
                name: record.name.as_str().into(),
                valid_until: p.valid_until,
                has_mobile: Some(has_mobile),
            };
            let writes = vec![
                Write::Check {
                    key: publicity_key(&record.id_number),
                    condition: Condition::equals("application_id", p.application_id.as_str()),
                },
                Write::Put {
                    item: to_item(&unit_publicity_key(&p.unit_id, &p.certificate_no), &marker, &[]),
                    condition: Condition::NotExists,
                },
            ];
            match table.transact(writes).await {
                Ok(()) => written += 1,
                Err(gongshi_platform::TableError::ConditionFailed) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(written)
}

/// Checks that no application holds the person (for steps that take no lock, like appends).
pub fn not_held(id_number: &IdNumber) -> Write {
    Write::Check {
        key: lock_key(id_number),
        condition: Condition::NotExists,
    }
}

/// One page of a unit's publicities, by certificate number.
pub async fn of_unit(
    table: &dyn Table,
    unit_id: &str,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<PublicityRecord>, Option<Cursor>), StoreError> {
    let page = table
        .query(
            &Query::partition(Index::Gsi1, format!("UNITPUB#{unit_id}"))
                .limit(limit)
                .after(after),
        )
        .await?;
    let items = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok((items, page.next))
}

/// Every publicity of a unit (bounded at 10,000).
pub async fn all_of_unit(table: &dyn Table, unit_id: &str) -> Result<Vec<PublicityRecord>, StoreError> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let (mut page, next) = of_unit(table, unit_id, after, 1000).await?;
        all.append(&mut page);
        match next {
            Some(cursor) if all.len() < 10_000 => after = Some(cursor),
            _ => return Ok(all),
        }
    }
}

//! Publicity applications (申报单, F11–F17): `APP#<id>` / `APP`, listed for the unit through
//! gsi1 `UNITAPP#<unit>` by creation and queued by state through gsi2 `APPQ#<state>` by the
//! time the state was entered (the age reviewers see).
//!
//! While an application counts down, `APP#<id>` / `DEADLINE` carries the deadline as its TTL
//! (`expires_at`) and in gsi1 `DEADLINE` / `<epoch>#<id>`: the sweeper finds due ones there,
//! and the TTL deletion reaches the stream handler. Both, and every read, expire through
//! the one conditional transition of the application's version.

use crate::{StoreError, from_item, to_item};
use gongshi_core::practice::{ApplicationKind, ApplicationState, PublishedItem};
use gongshi_core::registration::{Decision, UploadRef};
use gongshi_core::{IdNumber, Mobile, Name};
use gongshi_platform::{Condition, Cursor, Index, Key, Query, SortKey, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The person an application is for (the full ID number is stored; views mask it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantPerson {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 姓名.
    pub name: Name,
    /// The verified mobile the confirmation code goes to.
    pub mobile: Option<Mobile>,
}

/// The commitment clauses the unit confirmed (who, when, which version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseConsent {
    /// Version of the clause text.
    pub version: u32,
    /// Its title.
    pub title: String,
    /// Who confirmed.
    pub confirmed_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub confirmed_at: OffsetDateTime,
}

/// The publicity a change moves the person away from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousPublicity {
    /// The other unit (never shown to the applying unit).
    pub unit_id: String,
    /// Its name then, for the reviewer who checks the resignation proof against it (empty in
    /// records written before it was kept: the reviewer's view reads the unit then).
    #[serde(default)]
    pub unit_name: String,
    /// Its certificate.
    pub certificate_no: String,
    /// Whether the other unit had completed its cancellation.
    pub cancelled: bool,
}

/// An application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// ULID.
    pub id: String,
    /// 申报单号.
    pub number: String,
    /// The applying unit.
    pub unit_id: String,
    /// Its name when it applied.
    pub unit_name: String,
    /// 公示类型.
    pub kind: ApplicationKind,
    /// State as last written (see [`Application::state_at`]).
    pub state: ApplicationState,
    /// The person.
    pub person: ApplicantPerson,
    /// What would be published.
    pub items: Vec<PublishedItem>,
    /// For a change: the publicity it ends.
    pub previous: Option<PreviousPublicity>,
    /// 离职证明, for a change while the previous unit has not cancelled.
    pub resignation_proof: Option<UploadRef>,
    /// The confirmed commitment clauses.
    pub clauses: ClauseConsent,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// By whom.
    pub created_by: String,
    /// Printing, upload and confirmation must be done before this instant; once returned for
    /// correction, the correction before this one (the period's end).
    #[serde(with = "time::serde::rfc3339")]
    pub deadline: OffsetDateTime,
    /// When the current state was entered.
    #[serde(with = "time::serde::rfc3339")]
    pub state_since: OffsetDateTime,
    /// The signed, stamped scan.
    pub scan: Option<UploadRef>,
    /// When the last confirmation code was sent.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub code_sent_at: Option<OffsetDateTime>,
    /// The reviewer's decision.
    pub decision: Option<Decision>,
    /// Why it ended without a decision (expiry, withdrawal).
    pub end_reason: Option<String>,
    /// The publicity certificate issued or updated on approval (for a cancellation: the
    /// one it ends).
    pub certificate_no: Option<String>,
    /// 注销原因, for a cancellation.
    #[serde(default)]
    pub reason: Option<String>,
    /// Every transition, oldest first: a copy of the application's audit entries kept in the
    /// record, so that a view (and the answer to a step) needs no second read. Empty only in
    /// records written before the copy existed (the view then reads the audit trail; the
    /// migration `application-history` fills it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<crate::audit::AuditEntry>,
    /// Every return for correction (退回补正), oldest first; the last one is open while the
    /// application is `returned`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<gongshi_core::correction::Correction>,
    /// A reviewer's claim while it is in review (认领); a decision ends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<gongshi_core::review::Claim>,
    /// Optimistic concurrency.
    pub version: u64,
}

impl Application {
    /// The state at `now` (overdue counting-down applications are expired at once).
    pub fn state_at(&self, now: OffsetDateTime) -> ApplicationState {
        self.state.at(self.deadline, now)
    }

    /// The audit entity name.
    pub fn entity(&self) -> String {
        entity(&self.id)
    }

    /// Records `entry` in the application's history and returns the audit trail's write of
    /// it: call before the application's own write is made.
    pub fn record(&mut self, entry: crate::audit::AuditEntry, id: &str) -> Write {
        let write = crate::audit::record(&entry, id);
        self.history.push(entry);
        write
    }
}

/// The audit entity of an application.
pub fn entity(id: &str) -> String {
    format!("APP#{id}")
}

/// The application's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("APP#{id}"), "APP")
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

fn item(app: &Application) -> gongshi_platform::Item {
    let index: Vec<(&str, Value)> = vec![
        ("gsi1pk", format!("UNITAPP#{}", app.unit_id).into()),
        ("gsi1sk", format!("{}#{}", rfc3339(app.created_at), app.id).into()),
        ("gsi2pk", format!("APPQ#{}", app.state.as_str()).into()),
        ("gsi2sk", format!("{}#{}", rfc3339(app.state_since), app.id).into()),
    ];
    to_item(&key(&app.id), app, &index)
}

/// Creates an application.
pub fn create(app: &Application) -> Write {
    Write::Put {
        item: item(app),
        condition: Condition::NotExists,
    }
}

/// Replaces an application still at `expected_version` (every transition goes here).
pub fn replace(app: &Application, expected_version: u64) -> Write {
    Write::Put {
        item: item(app),
        condition: Condition::equals("version", expected_version),
    }
}

/// An open application as its unit's partition holds it (`UNIT#<unit>` / `OPENAPP#<id>`):
/// written in the transaction of its creation and of every transition while it is open,
/// deleted in the transaction that ends it, so the unit home reads every open application
/// in the query of the unit's partition it makes anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenApplication {
    /// The application.
    pub id: String,
    /// 申报单号.
    pub number: String,
    /// 公示类型.
    pub kind: ApplicationKind,
    /// Its state when written (see [`OpenApplication::state_at`]).
    pub state: ApplicationState,
    /// The practitioner's name.
    pub person_name: String,
    /// The ID number, masked.
    pub id_number_masked: String,
    /// The applying unit's name when it applied.
    pub unit_name: String,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When its state was entered.
    #[serde(with = "time::serde::rfc3339")]
    pub state_since: OffsetDateTime,
    /// The deadline (or the correction period's end) while it counts down.
    #[serde(with = "time::serde::rfc3339")]
    pub deadline: OffsetDateTime,
    /// What a return for correction asks, while the application is returned.
    #[serde(default)]
    pub correction: Option<String>,
}

impl OpenApplication {
    /// The marker of `app`.
    pub fn of(app: &Application) -> Self {
        Self {
            id: app.id.clone(),
            number: app.number.clone(),
            kind: app.kind,
            state: app.state,
            person_name: app.person.name.as_str().into(),
            id_number_masked: app.person.id_number.masked(),
            unit_name: app.unit_name.clone(),
            created_at: app.created_at,
            state_since: app.state_since,
            deadline: app.deadline,
            correction: match app.state {
                ApplicationState::Returned => app.corrections.last().map(|c| c.request.text()),
                _ => None,
            },
        }
    }

    /// The state at `now` (past its deadline, a counting-down one is expired).
    pub fn state_at(&self, now: OffsetDateTime) -> ApplicationState {
        self.state.at(self.deadline, now)
    }
}

/// The sort key of open-application markers in the unit's partition.
pub const OPEN_PREFIX: &str = "OPENAPP#";

/// The key of application `id`'s marker in unit `unit_id`'s partition.
pub fn open_key(unit_id: &str, id: &str) -> Key {
    Key::new(crate::entity::unit(unit_id), format!("{OPEN_PREFIX}{id}"))
}

/// The unit's marker of `app` as it is after a write: put while it is open, deleted once it
/// is not. Goes into the transaction of every write of the application.
pub fn open_marker(app: &Application) -> Write {
    let key = open_key(&app.unit_id, &app.id);
    if app.state.is_open() {
        Write::Put {
            item: to_item(&key, &OpenApplication::of(app), &[]),
            condition: Condition::Always,
        }
    } else {
        Write::Delete {
            key,
            condition: Condition::Always,
        }
    }
}

/// Migration `unit-open-applications`: every open application written before the markers
/// existed gets its marker, conditional on the application being unchanged (a transition
/// meanwhile wrote its own) and on no marker being there; run again, it writes nothing.
pub async fn mark_open_applications(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    for state in ApplicationState::ALL.into_iter().filter(|s| s.is_open()) {
        let mut after = None;
        loop {
            let (found, next) = queue(table, state, after, 100).await?;
            for app in found {
                let writes = vec![
                    Write::Check {
                        key: key(&app.id),
                        condition: Condition::equals("version", app.version),
                    },
                    Write::Put {
                        item: to_item(&open_key(&app.unit_id, &app.id), &OpenApplication::of(&app), &[]),
                        condition: Condition::NotExists,
                    },
                ];
                match table.transact(writes).await {
                    Ok(()) => written += 1,
                    Err(gongshi_platform::TableError::ConditionFailed) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
    }
    Ok(written)
}

/// The application, if any.
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<Application>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// One page of a unit's applications, newest first, keeping those `wanted` accepts. Scans
/// at most 20 pages of 200 per call; the cursor continues where it stopped.
pub async fn of_unit(
    table: &dyn Table,
    unit_id: &str,
    wanted: impl Fn(&Application) -> bool,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<Application>, Option<Cursor>), StoreError> {
    let mut found = Vec::new();
    let mut after = after;
    for _ in 0..20 {
        let page = table
            .query(
                &Query::partition(Index::Gsi1, format!("UNITAPP#{unit_id}"))
                    .backward()
                    .limit(200)
                    .after(after.take()),
            )
            .await?;
        for raw in page.items {
            let cursor = Cursor::after(&raw, Index::Gsi1);
            let app: Application = from_item(raw)?;
            if wanted(&app) {
                found.push(app);
                if found.len() == limit {
                    return Ok((found, Some(cursor)));
                }
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok((found, None)),
        }
    }
    Ok((found, after))
}

/// One page of the applications in a state, the longest waiting first.
pub async fn queue(
    table: &dyn Table,
    state: ApplicationState,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<Application>, Option<Cursor>), StoreError> {
    let page = table
        .query(
            &Query::partition(Index::Gsi2, format!("APPQ#{}", state.as_str()))
                .limit(limit)
                .after(after),
        )
        .await?;
    let items = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok((items, page.next))
}

fn number_key(number: &str) -> Key {
    Key::new(format!("APPNO#{number}"), "APPNO")
}

/// Reserves the application's number (unique) and makes it findable by number (the QR code
/// on the form carries the number); written with the application.
pub fn claim_number(app: &Application) -> Write {
    Write::Put {
        item: to_item(&number_key(&app.number), &serde_json::json!({"application_id": app.id}), &[]),
        condition: Condition::NotExists,
    }
}

/// The application with this number, if any.
pub async fn by_number(table: &dyn Table, number: &str) -> Result<Option<Application>, StoreError> {
    let claim = table.get(&number_key(number)).await?;
    by_number_claim(table, claim).await
}

/// The key of an application number's claim (to read it in a batch; see [`by_number_claim`]).
pub fn number_claim_key(number: &str) -> Key {
    number_key(number)
}

/// The application a number's claim item (read beforehand) names, if any.
pub async fn by_number_claim(table: &dyn Table, claim: Option<gongshi_platform::Item>) -> Result<Option<Application>, StoreError> {
    match claim.as_ref().and_then(|c| c.get("application_id")).and_then(Value::as_str) {
        Some(id) => get(table, id).await,
        None => Ok(None),
    }
}

fn deadline_key(id: &str) -> Key {
    Key::new(format!("APP#{id}"), "DEADLINE")
}

/// The deadline marker: TTL and sweeper index of a counting-down application.
pub fn set_deadline(app: &Application) -> Write {
    let at = app.deadline.unix_timestamp();
    let index: Vec<(&str, Value)> = vec![
        ("gsi1pk", "DEADLINE".into()),
        ("gsi1sk", format!("{at:012}#{}", app.id).into()),
        ("expires_at", at.into()),
    ];
    Write::Put {
        item: to_item(&deadline_key(&app.id), &serde_json::json!({"application_id": app.id}), &index),
        condition: Condition::NotExists,
    }
}

/// Removes the deadline marker once the application no longer counts down.
pub fn clear_deadline(id: &str) -> Write {
    Write::Delete {
        key: deadline_key(id),
        condition: Condition::Always,
    }
}

/// The ids of applications whose deadline is at or before `now`, earliest first.
pub async fn due(table: &dyn Table, now: OffsetDateTime, limit: usize) -> Result<Vec<String>, StoreError> {
    let high = format!("{:012}#~", now.unix_timestamp());
    let page = table
        .query(
            &Query::partition(Index::Gsi1, "DEADLINE")
                .sort(SortKey::Between("0".into(), high))
                .limit(limit),
        )
        .await?;
    Ok(page
        .items
        .iter()
        .filter_map(|i| i.get("application_id").and_then(Value::as_str).map(str::to_owned))
        .collect())
}

/// Copies the audit trail of every application whose record keeps no history into the record
/// (the migration `application-history`); how many records it wrote. Applications are found
/// through the state queues (gsi2), a page at a time; a record changed meanwhile already
/// keeps its history (every write since the copy exists does), so it is left alone.
pub async fn copy_history_into_records(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    for state in ApplicationState::ALL {
        let mut after = None;
        loop {
            let page = table
                .query(
                    &Query::partition(Index::Gsi2, format!("APPQ#{}", state.as_str()))
                        .limit(100)
                        .after(after),
                )
                .await?;
            for raw in page.items {
                let mut app: Application = from_item(raw)?;
                if !app.history.is_empty() {
                    continue;
                }
                app.history = crate::audit::history(table, &app.entity()).await?;
                if app.history.is_empty() {
                    continue;
                }
                // The same version, so that nothing else about it changes.
                match table.transact(vec![replace(&app, app.version)]).await {
                    Ok(()) => written += 1,
                    Err(gongshi_platform::TableError::ConditionFailed) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    }
    Ok(written)
}

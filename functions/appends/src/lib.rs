//! Append (追加, F16, manual §3.3.2: "待追加人员列表，选中待追加人员，确认相应的承诺条款，即完成"):
//! the unit's published people who hold valid items not yet in their publicity; the unit
//! selects many (hundreds), confirms the clauses, and each selected person's publicity
//! gains the new items at once, with an approved append application on record. No print,
//! upload or SMS.
//!
//! Writes go in transactions of 16 people (6 items each, within DynamoDB's 100); each
//! person is all-or-nothing: when a batch fails, its people are retried one by one, so one
//! person who changed meanwhile does not hold back the others. The result is per person.

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationKind, ApplicationState, PublishedItem, document_number, publicity_valid_until};
use gongshi_http::applications::PublishedItemView;
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::{Platform, TableError, Write};
use gongshi_store::applications::{self, ApplicantPerson, Application, ClauseConsent};
use gongshi_store::audit::AuditEntry;
use gongshi_store::practitioners::{self, Person, PublicityRecord};
use gongshi_store::units;
use gongshi_workflow::{clauses, eligibility};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

gongshi_http::routes!(candidates, append);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// Most people in one append.
pub const MAX_PEOPLE: usize = 1000;

/// People per transaction: 6 writes each (the application, its number, the publicity and
/// its unit's marker, the lock's check, the audit entry; DynamoDB allows 100).
const PEOPLE_PER_BATCH: usize = 16;

/// A person with items to append.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppendCandidate {
    /// 公示证书编号 (select by it).
    pub certificate_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// The items to be added.
    pub new_items: Vec<PublishedItemView>,
}

/// 待追加人员列表.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppendCandidateList {
    /// By certificate number.
    pub items: Vec<AppendCandidate>,
}

/// The people selected.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppendInput {
    /// Certificate numbers from the list (1–1000, no repeats).
    pub certificate_nos: Vec<String>,
    /// The version of the clauses confirmed.
    pub clause_version: u32,
    /// 我已阅读并确认以上承诺条款.
    pub clauses_confirmed: bool,
}

/// The outcome for one person.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppendResult {
    /// 公示证书编号.
    pub certificate_no: String,
    /// 姓名 (empty when the number is unknown).
    pub name: String,
    /// Whether the items were added.
    pub ok: bool,
    /// What was added.
    pub added_items: Vec<PublishedItemView>,
    /// The append application on record.
    pub application_number: Option<String>,
    /// Why not.
    pub error: Option<AppendError>,
}

/// Why a person was not appended.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppendError {
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub message: String,
}

/// Results in the order asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppendOutcome {
    /// Appended people.
    pub appended: usize,
    /// People refused.
    pub failed: usize,
    /// One per requested certificate number.
    pub results: Vec<AppendResult>,
}

/// The people of the unit with their assessment.
async fn assessed(
    p: &Platform,
    unit_id: &str,
    unit: Option<gongshi_platform::Item>,
) -> Result<Vec<(PublicityRecord, Person, Result<Vec<PublishedItem>, AppendError>)>, ApiError> {
    let (people, scopes) = tokio::try_join!(
        eligibility::unit_people(p, unit_id),
        eligibility::unit_scopes_with(p, unit_id, unit)
    )?;
    Ok(people
        .into_iter()
        .map(|(record, person)| {
            let verdict = match eligibility::assess_person(p, unit_id, &person, &record.name, &scopes) {
                Ok(a) if a.kind == ApplicationKind::Append => Ok(a.items),
                Ok(a) => Err(AppendError {
                    code: "nothing_to_append".into(),
                    message: format!("该人员没有待追加的项目（当前可申报类型：{}）", a.kind.label()),
                }),
                Err(refusal) => Err(AppendError {
                    code: refusal.code.into(),
                    message: refusal.message,
                }),
            };
            (record, person, verdict)
        })
        .collect())
}

/// 待追加人员列表: people at this unit with valid items not yet published.
#[utoipa::path(get, path = "/api/v1/unit/appends", tag = "publicity", security(("bearer" = [])),
    responses((status = 200, body = AppendCandidateList), (status = 403, body = Problem)))]
async fn candidates(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, unit_id, [unit]) = authenticate_in_unit(p, req, |unit| [units::key(unit)]).await?;
    let items = assessed(p, &unit_id, unit)
        .await?
        .into_iter()
        .filter_map(|(record, _, verdict)| {
            verdict.ok().map(|new| AppendCandidate {
                certificate_no: record.publicity.certificate_no.clone(),
                name: record.name.as_str().into(),
                id_number_masked: record.id_number.masked(),
                new_items: new.iter().map(PublishedItemView::from).collect(),
            })
        })
        .collect();
    json(200, &AppendCandidateList { items })
}

/// One person's append: the approved application and the updated publicity.
struct Planned {
    certificate_no: String,
    app: Application,
    writes: Vec<Write>,
}

fn plan(p: &Platform, record: &PublicityRecord, new: Vec<PublishedItem>, consent: &ClauseConsent, unit_name: &str, actor: &str) -> Planned {
    let now = p.clock.now();
    let id = p.ids.id();
    let mut updated = record.clone();
    updated.publicity.items.extend(new.iter().cloned());
    updated.publicity.valid_until = publicity_valid_until(&updated.publicity.items).unwrap_or(record.publicity.valid_until);
    updated.publicity.application_id = id.clone();
    let mut app = Application {
        number: document_number("SB", china_today(now), &id),
        id,
        unit_id: record.publicity.unit_id.clone(),
        unit_name: unit_name.into(),
        kind: ApplicationKind::Append,
        state: ApplicationState::Approved,
        person: ApplicantPerson {
            id_number: record.id_number.clone(),
            name: record.name.clone(),
            mobile: None,
        },
        items: new,
        previous: None,
        resignation_proof: None,
        clauses: consent.clone(),
        created_at: now,
        created_by: actor.into(),
        deadline: now,
        state_since: now,
        scan: None,
        code_sent_at: None,
        decision: None,
        end_reason: None,
        certificate_no: Some(record.publicity.certificate_no.clone()),
        reason: None,
        history: Vec::new(),
        corrections: Vec::new(),
        claim: None,
        version: 1,
    };
    let added: Vec<String> = app.items.iter().map(|i| format!("{}（{}）", i.name, i.code)).collect();
    let audit = app.record(
        AuditEntry {
            entity: app.entity(),
            action: "application.appended".into(),
            actor: actor.into(),
            from: None,
            to: Some(ApplicationState::Approved.as_str().into()),
            reason: Some(format!("追加项目：{}", added.join("、"))),
            at: now,
        },
        &p.ids.id(),
    );
    let mut writes = vec![applications::create(&app), applications::claim_number(&app)];
    writes.extend(practitioners::update_publicity(&updated, &record.publicity.application_id));
    writes.extend([practitioners::not_held(&record.id_number), audit]);
    Planned {
        certificate_no: record.publicity.certificate_no.clone(),
        app,
        writes,
    }
}

/// Appends the new items of the selected people (each all-or-nothing); the result per person.
#[utoipa::path(post, path = "/api/v1/unit/appends", tag = "publicity", security(("bearer" = [])), request_body = AppendInput,
    responses((status = 200, body = AppendOutcome), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn append(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, unit_id, [unit_item]) = authenticate_in_unit(p, req, |unit| [units::key(unit)]).await?;
    let input: AppendInput = json_body(req)?;
    let wanted: Vec<String> = input.certificate_nos.iter().map(|c| c.trim().to_owned()).collect();
    if wanted.is_empty() || wanted.len() > MAX_PEOPLE {
        return Err(ApiError::field("certificate_nos", "selection_size", "请选择1至1000名待追加人员"));
    }
    if wanted.iter().collect::<HashSet<_>>().len() != wanted.len() {
        return Err(ApiError::field("certificate_nos", "selection_repeated", "所选人员有重复"));
    }
    let consent = clauses::confirmed(p, input.clause_version, input.clauses_confirmed, caller.username()).await?;
    let unit: units::Unit = unit_item
        .clone()
        .map(gongshi_store::decode)
        .transpose()?
        .ok_or_else(|| ApiError::Internal(format!("unit {unit_id} is missing")))?;
    let mut by_no: HashMap<String, (PublicityRecord, Result<Vec<PublishedItem>, AppendError>)> = assessed(p, &unit_id, unit_item)
        .await?
        .into_iter()
        .map(|(record, _, verdict)| (record.publicity.certificate_no.clone(), (record, verdict)))
        .collect();
    let mut results: HashMap<String, AppendResult> = HashMap::new();
    let mut planned = Vec::new();
    for no in &wanted {
        match by_no.remove(no) {
            None => {
                results.insert(no.clone(), refused(no, "", "publicity_not_found", "本单位没有该编号的公示证书"));
            }
            Some((record, Err(error))) => {
                results.insert(no.clone(), refused(no, record.name.as_str(), &error.code, &error.message));
            }
            Some((record, Ok(new))) => planned.push(plan(p, &record, new, &consent, unit.name.as_str(), caller.username())),
        }
    }
    for batch in planned.chunks(PEOPLE_PER_BATCH) {
        let writes: Vec<Write> = batch.iter().flat_map(|one| one.writes.iter().cloned()).collect();
        // A failed condition in the batch is one person's lost race: each is then tried on
        // its own. An unavailable table fails the request (503): the unit sends it again and
        // the people already appended are refused as published.
        let together = match p.table.transact(writes).await {
            Ok(()) => true,
            Err(TableError::ConditionFailed) => false,
            Err(other) => return Err(other.into()),
        };
        for one in batch {
            let ok = together
                || match p.table.transact(one.writes.clone()).await {
                    Ok(()) => true,
                    Err(TableError::ConditionFailed) => false,
                    Err(other) => return Err(other.into()),
                };
            let result = if ok {
                AppendResult {
                    certificate_no: one.certificate_no.clone(),
                    name: one.app.person.name.as_str().into(),
                    ok: true,
                    added_items: one.app.items.iter().map(PublishedItemView::from).collect(),
                    application_number: Some(one.app.number.clone()),
                    error: None,
                }
            } else {
                refused(
                    &one.certificate_no,
                    one.app.person.name.as_str(),
                    "changed_meanwhile",
                    "该人员的公示信息刚刚发生变化或有进行中的申报单，请刷新列表后重试",
                )
            };
            results.insert(one.certificate_no.clone(), result);
        }
    }
    let results: Vec<AppendResult> = wanted.iter().filter_map(|no| results.remove(no)).collect();
    let appended = results.iter().filter(|r| r.ok).count();
    tracing::info!(appended, failed = results.len() - appended, "append submitted");
    json(
        200,
        &AppendOutcome {
            appended,
            failed: results.len() - appended,
            results,
        },
    )
}

fn refused(certificate_no: &str, name: &str, code: &str, message: &str) -> AppendResult {
    AppendResult {
        certificate_no: certificate_no.into(),
        name: name.into(),
        ok: false,
        added_items: Vec::new(),
        application_number: None,
        error: Some(AppendError {
            code: code.into(),
            message: message.into(),
        }),
    }
}

//! Practice publicity as several functions share it: the application views, the one
//! conditional transition every step goes through (with its audit entry and the person's
//! lock and deadline marker kept in step), expiry, and the outcome notifications.

use crate::ApiError;
use crate::auth::{Caller, authenticate_with};
use crate::views::{HistoryEntry, UploadRef};
use gongshi_core::Mobile;
use gongshi_core::practice::{ApplicationKind, ApplicationState, PublishedItem, Step};
use gongshi_core::registration::Outcome;
use gongshi_platform::{Platform, Write};
use gongshi_store::applications::{self, Application};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::practitioners::{self, OpenLock};
use gongshi_store::units;
use lambda_http::Request;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// The actor of automatic transitions.
pub const SYSTEM: &str = "system";

/// The purpose of application confirmation codes; their subject is the person's ID number
/// (a person has at most one open application).
pub const CONFIRM_PURPOSE: &str = "CONFIRM";

/// Why an expired application ended.
pub const EXPIRY_REASON: &str = "申报单创建后7天内未完成打印、上传和执业人确认，已自动结束，如需公示请重新申报";

/// Where an application's generated form (申请表 PDF) is stored.
pub fn form_key(id: &str) -> String {
    format!("forms/{id}.pdf")
}

/// An item as published or to be published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedItemView {
    /// 项目代号.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 级别.
    pub level: String,
    /// 有效期至.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
}

impl From<&PublishedItem> for PublishedItemView {
    fn from(i: &PublishedItem) -> Self {
        Self {
            code: i.code.clone(),
            name: i.name.clone(),
            level: i.level.clone(),
            valid_until: i.valid_until,
        }
    }
}

/// An application in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationSummary {
    /// Id.
    pub id: String,
    /// 申报单号.
    pub number: String,
    /// 公示类型.
    pub kind: ApplicationKind,
    /// 初始/变更/续期/追加.
    pub kind_label: String,
    /// State at the time of the request (overdue ones are `expired` at once).
    pub state: ApplicationState,
    /// Its Chinese label.
    pub state_label: String,
    /// The practitioner's name.
    pub person_name: String,
    /// The ID number, masked.
    pub id_number_masked: String,
    /// The applying unit.
    pub unit_name: String,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Printing, upload and confirmation are due before this instant.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub deadline: OffsetDateTime,
    /// Seconds left while the deadline runs; `null` once it does not.
    pub seconds_left: Option<i64>,
    /// When the current state was entered (the age in a review queue).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub state_since: OffsetDateTime,
}

impl ApplicationSummary {
    /// The summary as seen at `now`.
    pub fn of(app: &Application, now: OffsetDateTime) -> Self {
        let state = app.state_at(now);
        Self {
            id: app.id.clone(),
            number: app.number.clone(),
            kind: app.kind,
            kind_label: app.kind.label().into(),
            state,
            state_label: state.label().into(),
            person_name: app.person.name.clone(),
            id_number_masked: mask_id(&app.person.id_number),
            unit_name: app.unit_name.clone(),
            created_at: app.created_at,
            deadline: app.deadline,
            seconds_left: state.counts_down().then(|| (app.deadline - now).whole_seconds().max(0)),
            state_since: app.state_since,
        }
    }
}

/// The person of an application as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicantView {
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// The confirmation mobile, masked.
    pub mobile_masked: Option<String>,
}

/// The confirmed commitment clauses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClauseConsentView {
    /// Version confirmed.
    pub version: u32,
    /// Its title.
    pub title: String,
    /// Who confirmed.
    pub confirmed_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub confirmed_at: OffsetDateTime,
}

/// A reviewer's decision on an application.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationDecision {
    /// Approved or not.
    pub approved: bool,
    /// The reason (always given for a rejection).
    pub reason: Option<String>,
    /// Reviewer.
    pub decided_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub decided_at: OffsetDateTime,
}

/// What the unit may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationActions {
    /// Download the form (打印申请表).
    pub print: bool,
    /// Upload the signed scan.
    pub upload: bool,
    /// Send the confirmation code again.
    pub resend_code: bool,
    /// Withdraw.
    pub withdraw: bool,
}

/// An application with its details and history (F15).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    /// The list fields.
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    /// The person.
    pub person: ApplicantView,
    /// What is (to be) published.
    pub items: Vec<PublishedItemView>,
    /// The confirmed clauses.
    pub clauses: ClauseConsentView,
    /// 离职证明.
    pub resignation_proof: Option<UploadRef>,
    /// The signed scan.
    pub scan: Option<UploadRef>,
    /// When the last confirmation code was sent.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub code_sent_at: Option<OffsetDateTime>,
    /// Until when that code is valid.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub code_expires_at: Option<OffsetDateTime>,
    /// The reviewer's decision.
    pub decision: Option<ApplicationDecision>,
    /// Why it ended without a decision.
    pub end_reason: Option<String>,
    /// 注销原因 of a cancellation.
    pub reason: Option<String>,
    /// 公示证书编号 once approved (for a cancellation: the one it ends).
    pub publicity_certificate_no: Option<String>,
    /// For a change: the unit left, as the applying unit may see it.
    pub previous_unit: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// Every transition, oldest first (F23).
    pub history: Vec<HistoryEntry>,
    /// What the unit may do now.
    pub actions: ApplicationActions,
}

/// `110105********002X`: the first 6 and last 4 characters.
pub fn mask_id(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

fn mask_mobile(raw: &str) -> String {
    Mobile::parse(raw).map(|m| m.masked()).unwrap_or_else(|_| "***".into())
}

/// The full view of an application at `now`, with its history.
pub async fn view(p: &Platform, app: &Application) -> Result<ApplicationView, ApiError> {
    let history = audit::history(p.table.as_ref(), &app.entity()).await?;
    Ok(view_with(p, app, history.into_iter().map(HistoryEntry::from).collect()))
}

/// The view to answer a step that has been written: a failing history read must not turn a
/// done step into an error (the client would retry and get 409), so the history is then
/// left out and the failure logged.
pub async fn view_committed(p: &Platform, app: &Application) -> ApplicationView {
    match audit::history(p.table.as_ref(), &app.entity()).await {
        Ok(history) => view_with(p, app, history.into_iter().map(HistoryEntry::from).collect()),
        Err(error) => {
            tracing::error!(application = %app.id, %error, "history not read for the answer; the step itself is done");
            view_with(p, app, Vec::new())
        }
    }
}

fn view_with(p: &Platform, app: &Application, history: Vec<HistoryEntry>) -> ApplicationView {
    let now = p.clock.now();
    let summary = ApplicationSummary::of(app, now);
    let state = summary.state;
    let code_lifetime = p.config.periods.confirmation_code;
    ApplicationView {
        person: ApplicantView {
            name: app.person.name.clone(),
            id_number_masked: summary.id_number_masked.clone(),
            mobile_masked: app.person.mobile.as_deref().map(mask_mobile),
        },
        items: app.items.iter().map(PublishedItemView::from).collect(),
        clauses: ClauseConsentView {
            version: app.clauses.version,
            title: app.clauses.title.clone(),
            confirmed_by: app.clauses.confirmed_by.clone(),
            confirmed_at: app.clauses.confirmed_at,
        },
        resignation_proof: app.resignation_proof.as_ref().map(UploadRef::from),
        scan: app.scan.as_ref().map(UploadRef::from),
        code_sent_at: app.code_sent_at,
        code_expires_at: app.code_sent_at.map(|at| (at + code_lifetime).min(app.deadline)),
        decision: app.decision.as_ref().map(|d| ApplicationDecision {
            approved: d.outcome == Outcome::Approved,
            reason: d.reason.clone(),
            decided_by: d.decided_by.clone(),
            decided_at: d.decided_at,
        }),
        end_reason: match state {
            ApplicationState::Expired => Some(app.end_reason.clone().unwrap_or_else(|| EXPIRY_REASON.into())),
            _ => app.end_reason.clone(),
        },
        reason: app.reason.clone(),
        publicity_certificate_no: app.certificate_no.clone(),
        previous_unit: app.previous.as_ref().map(|_| "另一单位".into()),
        created_by: app.created_by.clone(),
        history,
        actions: ApplicationActions {
            print: state.counts_down(),
            upload: state.counts_down(),
            resend_code: state == ApplicationState::AwaitingConfirmation,
            withdraw: state.counts_down(),
        },
        summary,
    }
}

/// The application, or 404.
pub async fn load(p: &Platform, id: &str) -> Result<Application, ApiError> {
    applications::get(p.table.as_ref(), id).await?.ok_or_else(not_found)
}

fn not_found() -> ApiError {
    ApiError::NotFound("application_not_found", "未找到该申报单".into())
}

/// The caller and application `id` (if any), read in one round trip. Authorise with the
/// caller before answering anything about the application; then [`found`] it.
pub async fn authenticate_for(p: &Platform, req: &Request, id: &str) -> Result<(Caller, Option<Application>), ApiError> {
    let (caller, [item]) = authenticate_with(p, req, [applications::key(id)]).await?;
    Ok((caller, item.map(gongshi_store::decode).transpose()?))
}

/// The application, or 404.
pub fn found(app: Option<Application>) -> Result<Application, ApiError> {
    app.ok_or_else(not_found)
}

/// A unit user and their unit's own application `id`, read in one round trip; another
/// unit's application answers 404 (its existence is not revealed).
pub async fn authenticate_own(p: &Platform, req: &Request, id: &str) -> Result<(Caller, String, Application), ApiError> {
    let (caller, [item]) = authenticate_with(p, req, [applications::key(id)]).await?;
    let unit_id = caller.unit_id()?;
    let app = found(item.map(gongshi_store::decode).transpose()?)?;
    if app.unit_id != unit_id {
        return Err(not_found());
    }
    Ok((caller, unit_id, app))
}

/// A transition ready to be written: the new application and the writes that go with it.
pub struct Transition {
    /// The application after the step.
    pub next: Application,
    /// Its conditional replacement, audit entry, lock and deadline writes; add more and
    /// pass them to one `transact`.
    pub writes: Vec<Write>,
}

/// The step applied to `app` by `actor`: conditional on its version; the lock follows the
/// state (rewritten while open, deleted at the end) and the deadline marker goes once the
/// deadline no longer runs; `edit` sets what else the step changes. A step the current
/// state does not allow is 409.
pub fn advance(
    p: &Platform,
    app: &Application,
    step: Step,
    actor: &str,
    reason: Option<String>,
    edit: impl FnOnce(&mut Application),
) -> Result<Transition, ApiError> {
    let now = p.clock.now();
    let current = if step == Step::Expire { app.state } else { app.state_at(now) };
    let Some(state) = current.after(app.kind, step) else {
        return Err(not_allowed(current));
    };
    let mut next = app.clone();
    next.state = state;
    next.version += 1;
    if state != app.state {
        next.state_since = now;
    }
    edit(&mut next);
    let id_number = gongshi_core::IdNumber::parse(&app.person.id_number, crate::views::china_today(now))
        .map_err(|e| ApiError::Internal(format!("stored id number unreadable: {}", e.message)))?;
    let entry = AuditEntry {
        entity: app.entity(),
        action: format!("application.{}", step_name(step)),
        actor: actor.into(),
        from: Some(app.state.as_str().into()),
        to: Some(state.as_str().into()),
        reason,
        at: now,
    };
    let mut writes = vec![applications::replace(&next, app.version), audit::record(&entry, &p.ids.id())];
    if state.is_open() {
        if state != app.state {
            writes.push(practitioners::relock(
                &id_number,
                &OpenLock {
                    application_id: app.id.clone(),
                    unit_id: app.unit_id.clone(),
                    state,
                },
            ));
        }
    } else {
        writes.push(practitioners::unlock(&id_number, &app.id));
    }
    if app.state.counts_down() && !state.counts_down() {
        writes.push(applications::clear_deadline(&app.id));
    }
    Ok(Transition { next, writes })
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::UploadScan => "scan_uploaded",
        Step::Confirm => "confirmed",
        Step::Approve => "approved",
        Step::Reject => "rejected",
        Step::Expire => "expired",
        Step::Withdraw => "withdrawn",
    }
}

/// 409 for a step the state does not allow (an expired application names its expiry).
pub fn not_allowed(current: ApplicationState) -> ApiError {
    match current {
        ApplicationState::Expired => ApiError::Conflict(
            "application_expired",
            "申报单已超过7天期限，已自动结束（不通过），请重新申报".into(),
        ),
        other => ApiError::Conflict("application_state", format!("申报单当前状态为“{}”，不能执行此操作", other.label())),
    }
}

/// 409 for a transition that lost a race.
pub fn changed_meanwhile() -> ApiError {
    ApiError::Conflict("application_changed", "申报单状态已变化，请刷新后重试".into())
}

/// Expires the application if its deadline has passed and it still counts down; the one
/// transition the read-time check, the sweeper and the TTL stream handler share. Idempotent:
/// `Ok(false)` when there is nothing (more) to do, e.g. another layer was first.
pub async fn expire_if_due(p: &Platform, id: &str) -> Result<bool, ApiError> {
    let Some(app) = applications::get(p.table.as_ref(), id).await? else {
        return Ok(false);
    };
    let now = p.clock.now();
    if !app.state.counts_down() || now < app.deadline {
        return Ok(false);
    }
    let transition = advance(p, &app, Step::Expire, SYSTEM, Some(EXPIRY_REASON.into()), |next| {
        next.end_reason = Some(EXPIRY_REASON.into());
    })?;
    match p.table.transact(transition.writes).await {
        Ok(()) => {
            tracing::info!(application = %app.id, "application expired");
            notify_outcome(p, &transition.next).await;
            Ok(true)
        }
        Err(gongshi_platform::TableError::ConditionFailed) => Ok(false),
        Err(other) => Err(gongshi_store::StoreError::from(other).into()),
    }
}

/// The SMS texts of an ended application, to the unit's authorised contact and the person.
pub async fn notify_outcome(p: &Platform, app: &Application) {
    let outcome = match app.state {
        ApplicationState::Approved => format!("已审核通过，公示证书编号 {}", app.certificate_no.as_deref().unwrap_or_default()),
        ApplicationState::Rejected => format!(
            "审核不通过，原因：{}",
            app.decision.as_ref().and_then(|d| d.reason.as_deref()).unwrap_or("未说明")
        ),
        ApplicationState::Expired => "因7天内未完成打印、上传和确认，已自动结束（不通过）".into(),
        _ => return,
    };
    let text = format!(
        "【执业公示系统】{}（{}）的{}执业公示申报单 {} {}。",
        app.person.name,
        mask_id(&app.person.id_number),
        app.kind.label(),
        app.number,
        outcome
    );
    match units::get(p.table.as_ref(), &app.unit_id).await {
        Ok(Some(unit)) => {
            if let Err(error) = p.sms.send(&unit.contact.mobile, &text).await {
                tracing::error!(application = %app.id, %error, "outcome SMS to the unit not sent");
            }
        }
        Ok(None) => tracing::error!(application = %app.id, "unit of the application is missing"),
        Err(error) => tracing::error!(application = %app.id, %error, "unit not read for the outcome SMS"),
    }
    if let Some(mobile) = app.person.mobile.as_deref().and_then(|m| Mobile::parse(m).ok())
        && let Err(error) = p.sms.send(&mobile, &text).await
    {
        tracing::error!(application = %app.id, %error, "outcome SMS to the practitioner not sent");
    }
}

/// A person looked up for a unit: what is stored and the eligibility decision.
pub struct Lookup {
    /// Everything stored about the person (one Query).
    pub person: practitioners::Person,
    /// Eligible with a type, or why not.
    pub decision: Result<gongshi_core::practice::Assessment, gongshi_core::practice::Refusal>,
}

/// Decides whether the unit may apply for the person (DOMAIN.md, Eligibility): one Query on
/// the person's partition and one on the unit's qualifications. An open application whose
/// deadline has passed is expired first, so the person is free at once.
pub async fn look_up(
    p: &Platform,
    unit_id: &str,
    id_number: &gongshi_core::IdNumber,
    name: &gongshi_core::Name,
) -> Result<Lookup, ApiError> {
    let (person, scopes) = tokio::try_join!(practitioners::person(p.table.as_ref(), id_number), unit_scopes(p, unit_id))?;
    let mut person = person;
    if let Some(open) = &person.open
        && open.state.counts_down()
        && expire_if_due(p, &open.application_id).await?
    {
        person.open = None;
    }
    let decision = assess_person(p, unit_id, &person, name, &scopes);
    Ok(Lookup { person, decision })
}

/// The commitment clauses units confirm until the association publishes its own (version 1).
pub fn default_clauses() -> gongshi_store::clauses::ClauseText {
    gongshi_store::clauses::ClauseText {
        version: 1,
        title: "执业公示承诺书".into(),
        clauses: vec![
            "本单位承诺所申报人员为本单位正式聘用的检验检测人员，申报信息真实、准确、完整。".into(),
            "本单位承诺所申报人员仅在本单位执业，不存在同时在两个及以上单位执业的情形。".into(),
            "本单位承诺所申报项目在本单位核准/许可的范围内，并对申报人员的执业行为进行管理。".into(),
            "如申报信息不实，本单位愿意承担相应责任，并接受协会的处理。".into(),
        ],
        published_at: OffsetDateTime::UNIX_EPOCH,
        published_by: SYSTEM.into(),
    }
}

/// The clauses in force: the latest published version, or the built-in first one.
pub async fn current_clauses(p: &Platform) -> Result<gongshi_store::clauses::ClauseText, ApiError> {
    Ok(gongshi_store::clauses::latest(p.table.as_ref())
        .await?
        .unwrap_or_else(default_clauses))
}

/// The clauses the unit confirmed, checked against the version in force (409 when they
/// changed meanwhile; 422 when not confirmed).
pub async fn confirmed_clauses(
    p: &Platform,
    version: u32,
    confirmed: bool,
    who: &str,
) -> Result<gongshi_store::applications::ClauseConsent, ApiError> {
    if !confirmed {
        return Err(ApiError::field(
            "clauses_confirmed",
            "clauses_not_confirmed",
            "请阅读并确认承诺条款",
        ));
    }
    let current = current_clauses(p).await?;
    if current.version != version {
        return Err(ApiError::Conflict(
            "clauses_outdated",
            "承诺条款已更新，请重新阅读并确认最新版本".into(),
        ));
    }
    Ok(gongshi_store::applications::ClauseConsent {
        version,
        title: current.title,
        confirmed_by: who.into(),
        confirmed_at: p.clock.now(),
    })
}

/// The people published at the unit (active or not), each with everything stored about
/// them; one Query per person, 16 at a time.
pub async fn unit_people(p: &Platform, unit_id: &str) -> Result<Vec<(practitioners::PublicityRecord, practitioners::Person)>, ApiError> {
    let records = practitioners::all_of_unit(p.table.as_ref(), unit_id).await?;
    let mut people = Vec::with_capacity(records.len());
    for chunk in records.chunks(16) {
        let found = gongshi_platform::join_all(chunk.iter().map(|r| practitioners::person(p.table.as_ref(), &r.id_number))).await;
        for (record, person) in chunk.iter().zip(found) {
            people.push((record.clone(), person?));
        }
    }
    Ok(people)
}

/// The unit's qualification scopes (approved items and last valid day).
pub async fn unit_scopes(p: &Platform, unit_id: &str) -> Result<Vec<(Vec<String>, Date)>, gongshi_store::StoreError> {
    Ok(gongshi_store::qualifications::of_unit(p.table.as_ref(), unit_id)
        .await?
        .iter()
        .map(|q| (q.qualification.items.clone(), q.qualification.valid_until))
        .collect())
}

/// The eligibility of a person already read (see [`look_up`]).
pub fn assess_person(
    p: &Platform,
    unit_id: &str,
    person: &practitioners::Person,
    name: &gongshi_core::Name,
    scopes: &[(Vec<String>, Date)],
) -> Result<gongshi_core::practice::Assessment, gongshi_core::practice::Refusal> {
    let today = crate::views::china_today(p.clock.now());
    let candidate = gongshi_core::practice::Candidate {
        registered_name: person.profile.as_ref().map(|p| &p.name),
        items: &person.items,
        mobile_verified: person.mobile.is_some(),
        open_application: person.open.as_ref().map(|o| o.state),
        publicity: person.publicity.as_ref().map(|r| &r.publicity),
    };
    let unit = gongshi_core::practice::ApplyingUnit {
        unit_id,
        qualifications: scopes,
    };
    gongshi_core::practice::assess(name, &candidate, &unit, today, &p.config.periods)
}

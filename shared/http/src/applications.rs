//! Publicity applications as the API shows them (F15, F21): the list summary, the full view
//! with its history and next actions, and reading an application together with the caller.
//! The steps themselves are in `gongshi_workflow::applications`.

use crate::ApiError;
use crate::auth::{Caller, authenticate_with};
use crate::views::{HistoryEntry, UploadRef};
use gongshi_core::Mobile;
use gongshi_core::practice::{ApplicationKind, ApplicationState, PublishedItem};
use gongshi_core::registration::Outcome;
use gongshi_core::upload::UploadPurpose;
use gongshi_platform::Platform;
use gongshi_store::applications::{self, Application, OpenApplication};
use gongshi_store::audit;
use gongshi_workflow::{applications::not_found, expiry};
use lambda_http::Request;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

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
            person_name: app.person.name.as_str().into(),
            id_number_masked: app.person.id_number.masked(),
            unit_name: app.unit_name.clone(),
            created_at: app.created_at,
            deadline: app.deadline,
            seconds_left: state.counts_down().then(|| (app.deadline - now).whole_seconds().max(0)),
            state_since: app.state_since,
        }
    }
}

impl ApplicationSummary {
    /// The summary of an open application's marker (the unit home) as seen at `now`.
    pub fn of_open(open: &OpenApplication, now: OffsetDateTime) -> Self {
        let state = open.state_at(now);
        Self {
            id: open.id.clone(),
            number: open.number.clone(),
            kind: open.kind,
            kind_label: open.kind.label().into(),
            state,
            state_label: state.label().into(),
            person_name: open.person_name.clone(),
            id_number_masked: open.id_number_masked.clone(),
            unit_name: open.unit_name.clone(),
            created_at: open.created_at,
            deadline: open.deadline,
            seconds_left: state.counts_down().then(|| (open.deadline - now).whole_seconds().max(0)),
            state_since: open.state_since,
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
    /// Links to view the signed scan and the 离职证明 (presigned, valid for minutes), so the
    /// unit sees what it uploaded; empty in the answers to a step, which the SPA reads again.
    pub documents: Vec<crate::review::DocumentLink>,
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
    /// The last return for correction (退回补正): open while the state is `returned`, kept
    /// once corrected; `returns` counts them all.
    pub correction: Option<crate::review::CorrectionView>,
    /// How many times it was returned for correction.
    pub returns: usize,
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

/// The full view of an application at `now`, with its history (kept in the record; a
/// record older than that copy reads the audit trail).
pub async fn view(p: &Platform, app: &Application) -> Result<ApplicationView, ApiError> {
    let mut view = if app.history.is_empty() {
        let history = audit::history(p.table.as_ref(), &app.entity()).await?;
        view_with(p, app, history.into_iter().map(HistoryEntry::from).collect())
    } else {
        view_of(p, app)
    };
    // Presigning is computed here, no call of the store.
    view.documents = crate::review::document_links(
        p,
        &[
            (UploadPurpose::SignedForm, app.scan.as_ref()),
            (UploadPurpose::ResignationProof, app.resignation_proof.as_ref()),
        ],
    )
    .await?;
    Ok(view)
}

/// The view to answer a step that has been written: a failing history read (of a record
/// older than the history it keeps) must not turn a done step into an error (the client
/// would retry and get 409), so the history is then left out and the failure logged.
pub async fn view_committed(p: &Platform, app: &Application) -> ApplicationView {
    match view(p, app).await {
        Ok(view) => view,
        Err(error) => {
            tracing::error!(application = %app.id, ?error, "history not read for the answer; the step itself is done");
            view_with(p, app, Vec::new())
        }
    }
}

/// The view of an application with the history it keeps (no read).
pub fn view_of(p: &Platform, app: &Application) -> ApplicationView {
    view_with(p, app, app.history.iter().cloned().map(HistoryEntry::from).collect())
}

fn view_with(p: &Platform, app: &Application, history: Vec<HistoryEntry>) -> ApplicationView {
    let now = p.clock.now();
    let summary = ApplicationSummary::of(app, now);
    let state = summary.state;
    let code_lifetime = p.config.periods.confirmation_code;
    ApplicationView {
        person: ApplicantView {
            name: app.person.name.as_str().into(),
            id_number_masked: summary.id_number_masked.clone(),
            mobile_masked: app.person.mobile.as_ref().map(Mobile::masked),
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
        documents: Vec::new(),
        code_sent_at: app.code_sent_at,
        code_expires_at: app.code_sent_at.map(|at| (at + code_lifetime).min(app.deadline)),
        decision: app.decision.as_ref().map(|d| ApplicationDecision {
            approved: d.outcome == Outcome::Approved,
            reason: d.reason.clone(),
            decided_by: d.decided_by.clone(),
            decided_at: d.decided_at,
        }),
        end_reason: match state {
            ApplicationState::Expired => Some(app.end_reason.clone().unwrap_or_else(|| expiry::reason(app, &p.config.periods))),
            _ => app.end_reason.clone(),
        },
        correction: app.corrections.last().map(crate::review::CorrectionView::from),
        returns: app.corrections.len(),
        reason: app.reason.clone(),
        publicity_certificate_no: app.certificate_no.clone(),
        previous_unit: app.previous.as_ref().map(|_| "另一单位".into()),
        created_by: app.created_by.clone(),
        history,
        actions: ApplicationActions {
            print: state.may_print(),
            upload: state.counts_down(),
            resend_code: state == ApplicationState::AwaitingConfirmation,
            withdraw: state.counts_down(),
        },
        summary,
    }
}

/// The caller and application `id` (if any), read in one round trip. Authorise with the
/// caller before answering anything about the application; then [`found`] it.
pub async fn authenticate_for(p: &Platform, req: &Request, id: &str) -> Result<(Caller, Option<Application>), ApiError> {
    let (caller, [item]) = authenticate_with(p, req, [applications::key(id)]).await?;
    Ok((caller, item.map(gongshi_store::decode).transpose()?))
}

/// The application, or 404.
pub fn found(app: Option<Application>) -> Result<Application, ApiError> {
    Ok(gongshi_workflow::applications::found(app)?)
}

/// [`authenticate_own`] that also reads the item under `extra` (an upload the body names) in
/// the same batch get.
pub async fn authenticate_own_with(
    p: &Platform,
    req: &Request,
    id: &str,
    extra: gongshi_platform::Key,
) -> Result<(Caller, String, Application, Option<gongshi_platform::Item>), ApiError> {
    let (caller, [item, extra]) = authenticate_with(p, req, [applications::key(id), extra]).await?;
    let unit_id = caller.unit_id()?;
    let app = own_of(item, &unit_id)?;
    Ok((caller, unit_id, app, extra))
}

/// The application read beforehand (its item, `None` if absent) if it is `unit_id`'s own;
/// another unit's answers 404 (its existence is not revealed).
pub fn own_of(item: Option<gongshi_platform::Item>, unit_id: &str) -> Result<Application, ApiError> {
    let app = found(item.map(gongshi_store::decode).transpose()?)?;
    if app.unit_id != unit_id {
        return Err(not_found().into());
    }
    Ok(app)
}

/// A unit user and their unit's own application `id`, read in one round trip; another
/// unit's application answers 404 (its existence is not revealed).
pub async fn authenticate_own(p: &Platform, req: &Request, id: &str) -> Result<(Caller, String, Application), ApiError> {
    let (caller, [item]) = authenticate_with(p, req, [applications::key(id)]).await?;
    let unit_id = caller.unit_id()?;
    let app = own_of(item, &unit_id)?;
    Ok((caller, unit_id, app))
}

/// Applications as an .xlsx download (the unit's list, F15; the reviewer's queue, F21): one
/// row each, ID numbers masked as the list masks them, times in China time.
pub fn summaries_workbook(
    rows: &[ApplicationSummary],
    sheet: &str,
    file_name: &str,
) -> Result<lambda_http::Response<lambda_http::Body>, ApiError> {
    use gongshi_core::china_time;
    use gongshi_files::write::{Column, Grid};
    let columns = [
        ("申报单号", 24.0),
        ("公示类型", 10.0),
        ("姓名", 10.0),
        ("身份证号", 22.0),
        ("执业单位", 30.0),
        ("状态", 14.0),
        ("创建时间", 18.0),
        ("办理期限", 18.0),
        ("进入当前状态", 18.0),
    ];
    let grid = Grid {
        name: sheet.into(),
        columns: columns.iter().map(|(h, w)| Column::text(h, *w)).collect(),
        rows: rows
            .iter()
            .map(|a| {
                vec![
                    a.number.clone(),
                    a.kind_label.clone(),
                    a.person_name.clone(),
                    a.id_number_masked.clone(),
                    a.unit_name.clone(),
                    a.state_label.clone(),
                    china_time(a.created_at),
                    china_time(a.deadline),
                    china_time(a.state_since),
                ]
            })
            .collect(),
        ..Grid::default()
    };
    crate::response::workbook(&grid, file_name)
}

/// Whether the request asks for a workbook (`format=xlsx`); another format is refused by field.
pub fn wants_workbook(req: &lambda_http::Request) -> Result<bool, ApiError> {
    match crate::request::query_param(req, "format").as_deref() {
        None | Some("json") => Ok(false),
        Some("xlsx") => Ok(true),
        Some(_) => Err(ApiError::field("format", "invalid_value", "导出格式仅支持 xlsx")),
    }
}

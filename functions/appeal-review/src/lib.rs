//! Review of account appeals (F5, F21 appeal queue). The queue shows each reply's due date
//! (3 working days) and flags overdue ones; the detail shows the registered contact beside
//! the appellant who would replace them. What a decision does (the new contact, the
//! temporary password to the appellant's proven mobile, never in the e-mail or the API) is
//! `gongshi_workflow::appeals::decide`.

use gongshi_core::account::Role;
use gongshi_core::china_today;
use gongshi_core::upload::UploadPurpose;
use gongshi_http::auth::{Caller, Token, token};
use gongshi_http::request::page_params;
use gongshi_http::review::{DecisionInput, DocumentLink, document_links, queue_state};
use gongshi_http::views::AppealView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::appeals::{self, Appeal, AppealState};
use gongshi_store::unit_accounts::UnitAccounts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

gongshi_http::routes!(queue, detail, decide);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns().ses();

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealPage {
    /// Oldest first, with due dates and overdue flags.
    pub items: Vec<AppealView>,
    /// How many of this page are overdue.
    pub overdue_count: usize,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The unit the appeal names, as the records know it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealUnit {
    /// 单位名称 on record.
    pub name: String,
    /// Whether the appeal's unit name matches the record.
    pub name_matches: bool,
    /// The unit's admin accounts (candidates for a password reset).
    pub admin_usernames: Vec<String>,
    /// 授权联系人 on record (masked mobile): whom an approval replaces by the appellant.
    pub contact: String,
}

/// An appeal with what a reviewer needs to decide.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealReview {
    /// The appeal.
    pub appeal: AppealView,
    /// The registered unit with that USCC, if any.
    pub unit: Option<AppealUnit>,
    /// The proofs.
    pub documents: Vec<DocumentLink>,
}

/// A reviewer's decision on an appeal: the decision of every queue (the reason is the reply
/// to the appellant, so always required) and, on approval, whose password is reset.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealDecisionInput {
    /// Grant or refuse, with the reply (2–500 characters), e-mailed.
    #[serde(flatten)]
    pub decision: DecisionInput,
    /// On approval: the unit admin account whose password is reset (may be left out when the
    /// unit has one).
    #[serde(default)]
    pub reset_password_for: Option<String>,
}

/// The appeal queue of a state (default: waiting), with due dates.
#[utoipa::path(get, path = "/api/v1/review/appeals", tag = "review", security(("bearer" = [])),
    params(("state" = Option<String>, Query, description = "submitted (default), approved or rejected"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("format" = Option<String>, Query, description = "`xlsx`: the whole queue in this state (at most 5,000) as an Excel download")),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((AppealPage = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let state = queue_state(req, AppealState::Submitted, &AppealState::ALL[1..])?;
    if gongshi_http::applications::wants_workbook(req)? {
        let found = gongshi_http::review::all_pages(|after| appeals::queue(p.table.as_ref(), state, after, 100)).await?;
        let today = china_today(p.clock.now());
        let rows = found
            .iter()
            .map(|a| {
                let view = AppealView::of(a, today);
                vec![
                    view.unit_name,
                    view.uscc,
                    view.applicant_name,
                    view.applicant_mobile_masked,
                    gongshi_http::review::queue_state_label(state.as_str()).into(),
                    view.submitted_at.map(gongshi_core::china_time).unwrap_or_default(),
                    view.due_date.map(|d| d.to_string()).unwrap_or_default(),
                    if view.overdue { "已超期".into() } else { String::new() },
                ]
            })
            .collect();
        let columns = [
            ("单位名称", 30.0),
            ("统一社会信用代码", 22.0),
            ("申诉人", 10.0),
            ("手机号", 14.0),
            ("状态", 10.0),
            ("提交时间", 18.0),
            ("办理期限", 12.0),
            ("超期", 8.0),
        ];
        return gongshi_http::review::queue_workbook("申诉审核", "申诉审核队列.xlsx", &columns, rows);
    }
    let (cursor, limit) = page_params(req)?;
    let (found, next) = appeals::queue(p.table.as_ref(), state, cursor, limit).await?;
    let today = china_today(p.clock.now());
    let items: Vec<AppealView> = found.iter().map(|a| AppealView::of(a, today)).collect();
    let overdue_count = items.iter().filter(|a| a.overdue).count();
    json(
        200,
        &AppealPage {
            items,
            overdue_count,
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

/// The reviewer (`token`, verified before the body is read) and the appeal in one batch get;
/// a draft is not the reviewer's to see.
async fn load(p: &Platform, req: &Request, token: Token) -> Result<(Caller, Appeal), ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [item]) = token.read(p, [appeals::key(&id)]).await?;
    caller.require_reviewer()?;
    let appeal = item
        .map(gongshi_store::decode::<Appeal>)
        .transpose()?
        .filter(|a| a.state != AppealState::Draft)
        .ok_or_else(|| ApiError::NotFound("appeal_not_found", "未找到该申诉".into()))?;
    Ok((caller, appeal))
}

async fn review(p: &Platform, appeal: &Appeal, found: Option<&UnitAccounts>) -> Result<AppealReview, ApiError> {
    let unit = found.and_then(|found| {
        let u = found.unit.as_ref()?;
        Some(AppealUnit {
            name: u.name.as_str().into(),
            name_matches: u.name == appeal.unit_name,
            admin_usernames: found
                .accounts
                .iter()
                .filter(|a| a.role == Role::UnitAdmin && a.branch_id.is_none())
                .map(|a| a.username.clone())
                .collect(),
            contact: format!("{} {}", u.contact.name.as_str(), u.contact.mobile.masked()),
        })
    });
    let documents = document_links(
        p,
        &[
            (UploadPurpose::BusinessLicence, appeal.licence.as_ref()),
            (UploadPurpose::AuthorisationLetter, appeal.authorisation.as_ref()),
        ],
    )
    .await?;
    Ok(AppealReview {
        appeal: AppealView::of(appeal, china_today(p.clock.now())),
        unit,
        documents,
    })
}

/// An appeal with the matching unit and the proofs.
#[utoipa::path(get, path = "/api/v1/review/appeals/{id}", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")),
    responses((status = 200, body = AppealReview), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, appeal) = load(p, req, token(p, req)?).await?;
    let unit = gongshi_workflow::appeals::unit_of(p, &appeal).await?;
    json(200, &review(p, &appeal, unit.as_ref()).await?)
}

/// Decides an appeal: an approval makes the appellant the contact and sends the temporary
/// password to their proven mobile; the result is e-mailed.
#[utoipa::path(post, path = "/api/v1/review/appeals/{id}/decision", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")), request_body = AppealDecisionInput,
    responses((status = 200, body = AppealReview), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, appeal) = load(p, req, token(p, req)?).await?;
    let input: AppealDecisionInput = json_body(req)?;
    let decided = input.decision.check(true)?;
    let reason = decided.reason_text().unwrap_or_default();
    let unit = gongshi_workflow::appeals::unit_of(p, &appeal).await?;
    let (appeal, unit) = gongshi_workflow::appeals::decide(
        p,
        appeal,
        unit,
        decided.outcome,
        &reason,
        caller.username(),
        input.reset_password_for.as_deref(),
    )
    .await?;
    json(200, &review(p, &appeal, unit.as_ref()).await?)
}

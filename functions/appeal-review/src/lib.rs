//! Review of account appeals (F5, F21 appeal queue). The queue shows each reply's due date
//! (3 working days) and flags overdue ones. The decision is e-mailed to the appeal's
//! address; an approval may reset the unit admin's password, and the temporary password goes
//! by SMS only to the unit's registered authorised contact — never in the e-mail or the API.

use gongshi_core::account::{AccountStatus, Role};
use gongshi_core::china_today;
use gongshi_core::password;
use gongshi_core::registration::Decision;
use gongshi_core::upload::UploadPurpose;
use gongshi_http::request::page_params;
use gongshi_http::review::{DecisionInput, DocumentLink, document_links, queue_state};
use gongshi_http::views::AppealView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::appeals::{self, Appeal, AppealState};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::{accounts, units};
use gongshi_workflow::OnConflict;
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
    /// 授权联系人 on record (masked mobile): who would receive a temporary password.
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
    /// On approval: the unit admin account whose password is reset.
    #[serde(default)]
    pub reset_password_for: Option<String>,
}

/// The appeal queue of a state (default: waiting), with due dates.
#[utoipa::path(get, path = "/api/v1/review/appeals", tag = "review", security(("bearer" = [])),
    params(("state" = Option<String>, Query, description = "submitted (default), approved or rejected"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20")),
    responses((status = 200, body = AppealPage), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let state = queue_state(req, AppealState::Submitted, &AppealState::ALL[1..])?;
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

async fn load(p: &Platform, req: &Request) -> Result<Appeal, ApiError> {
    let id = path_param(req, "id")?;
    appeals::get(p.table.as_ref(), &id)
        .await?
        .filter(|a| a.state != AppealState::Draft)
        .ok_or_else(|| ApiError::NotFound("appeal_not_found", "未找到该申诉".into()))
}

async fn review(p: &Platform, appeal: &Appeal) -> Result<AppealReview, ApiError> {
    let owner = units::uscc_claim(p.table.as_ref(), &appeal.uscc)
        .await?
        .and_then(|c| gongshi_store::entity::unit_of(&c.owner).map(str::to_owned));
    let unit = match owner {
        Some(unit_id) => match units::get(p.table.as_ref(), &unit_id).await? {
            Some(u) => {
                let admins = accounts::of_unit(p.table.as_ref(), &unit_id).await?;
                Some(AppealUnit {
                    name: u.name.as_str().into(),
                    name_matches: u.name == appeal.unit_name,
                    admin_usernames: admins
                        .iter()
                        .filter(|a| a.role == Role::UnitAdmin && a.branch_id.is_none())
                        .map(|a| a.username.clone())
                        .collect(),
                    contact: format!("{} {}", u.contact.name.as_str(), u.contact.mobile.masked()),
                })
            }
            None => None,
        },
        None => None,
    };
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
    authenticate(p, req).await?.require_reviewer()?;
    let appeal = load(p, req).await?;
    json(200, &review(p, &appeal).await?)
}

/// Decides an appeal; the result is e-mailed, a reset password goes only to the contact.
#[utoipa::path(post, path = "/api/v1/review/appeals/{id}/decision", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")), request_body = AppealDecisionInput,
    responses((status = 200, body = AppealReview), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    caller.require_reviewer()?;
    let input: AppealDecisionInput = json_body(req)?;
    let decided = input.decision.check(true)?;
    let reason = decided.reason_text().unwrap_or_default();
    let mut appeal = load(p, req).await?;
    let Some(state) = appeal.state.decided(decided.outcome) else {
        return Err(ApiError::Conflict("state_conflict", "该申诉已处理".into()));
    };
    let approved = decided.approved();
    let now = p.clock.now();
    let expected = appeal.version;
    appeal.state = state;
    appeal.decision = Some(Decision {
        outcome: decided.outcome,
        reason: Some(reason.clone()),
        decided_at: now,
        decided_by: caller.username().into(),
    });
    appeal.version += 1;
    let mut writes = Vec::new();
    let mut reset = None;
    if let Some(username) = input.reset_password_for.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        if !approved {
            return Err(ApiError::field(
                "reset_password_for",
                "reset_needs_approval",
                "只有通过的申诉才能重置密码",
            ));
        }
        let owner = units::uscc_claim(p.table.as_ref(), &appeal.uscc).await?.map(|c| c.owner);
        let account = accounts::get(p.table.as_ref(), &username.to_ascii_lowercase()).await?.filter(|a| {
            a.role == Role::UnitAdmin
                && a.status != AccountStatus::Pending
                && owner.as_deref() == a.unit_id.as_ref().map(|u| gongshi_store::entity::unit(u)).as_deref()
        });
        let Some(mut account) = account else {
            return Err(ApiError::field(
                "reset_password_for",
                "account_not_found",
                "该帐号不是申诉单位的管理员帐号",
            ));
        };
        let unit = units::get(p.table.as_ref(), account.unit_id.as_deref().unwrap_or_default())
            .await?
            .ok_or_else(|| ApiError::Internal("unit of an admin is missing".into()))?;
        let temporary = format!("Gs{}{}", p.ids.code(), &p.ids.secret()[..6].replace(['-', '_'], "x"));
        let version = account.version;
        account.password_hash = password::hash(&temporary);
        account.legacy_hash = None;
        account.token_version += 1;
        account.failed_logins = 0;
        account.locked_until = None;
        account.version += 1;
        writes.push(accounts::replace(&account, version));
        appeal.password_reset_for = Some(account.username.clone());
        reset = Some((account.username.clone(), temporary, unit.contact.mobile.clone()));
    }
    let entry = AuditEntry {
        entity: appeals::entity(&appeal.id),
        action: format!("appeal.{}", appeal.state.as_str()),
        actor: caller.username().into(),
        from: Some("submitted".into()),
        to: Some(appeal.state.as_str().into()),
        reason: Some(reason.clone()),
        at: now,
    };
    writes.push(appeals::replace(&appeal, expected));
    writes.push(audit::record(&entry, &p.ids.id()));
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("state_conflict", "该申诉已被其他审核员处理，请刷新".into()))?;
    let verdict = if approved { "已通过" } else { "未通过" };
    let mut body = format!(
        "{}：\n\n您好！您于 {} 提交的{}（统一社会信用代码 {}）帐号申诉{}审核。\n\n答复意见：{reason}\n",
        appeal.applicant_name.as_str(),
        appeal.submitted_at.map(|t| china_today(t).to_string()).unwrap_or_default(),
        appeal.unit_name.as_str(),
        appeal.uscc,
        verdict
    );
    if let Some((username, _, mobile)) = &reset {
        body.push_str(&format!(
            "\n帐号 {username} 的临时密码已通过短信发送至单位登记的授权联系人手机（{}），请登录后及时修改。\n",
            mobile.masked()
        ));
    }
    body.push_str("\n中国特种设备检验协会");
    if let Err(error) = p
        .mail
        .send(&appeal.contact_email, &format!("执业公示系统：帐号申诉{verdict}"), &body)
        .await
    {
        tracing::error!(appeal = %appeal.id, %error, "appeal result e-mail not sent");
    }
    if let Some((username, temporary, mobile)) = reset {
        let text = format!("【执业公示系统】经帐号申诉审核，帐号 {username} 的临时密码为 {temporary}，请尽快登录并修改密码。");
        if let Err(error) = p.sms.send(&mobile, &text).await {
            tracing::error!(appeal = %appeal.id, %error, "temporary password SMS not sent");
        }
    }
    json(200, &review(p, &appeal).await?)
}

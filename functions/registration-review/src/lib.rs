//! Review of unit registrations (F21, registrations queue): list by state, read with the
//! uploaded documents and the history, approve or reject with a reason. Approval creates the
//! unit and activates its admin account in one transaction; the authorised contact is told
//! by SMS and e-mail.

use gongshi_core::registration::{Outcome, Registration, RegistrationState};
use gongshi_core::upload::UploadPurpose;
use gongshi_http::auth::{Caller, authenticate_with};
use gongshi_http::request::page_params;
use gongshi_http::review::{DecisionInput, DocumentLink, document_links, queue_state};
use gongshi_http::views::{Audience, HistoryEntry, RegistrationStateView, RegistrationView};
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::qualifications::{self, UnitQualification};
use gongshi_store::registrations::History;
use gongshi_store::units::{self, Unit};
use gongshi_store::{accounts, registrations};
use gongshi_workflow::OnConflict;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(list, detail, decide);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns().ses();

/// One row of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationSummary {
    /// Id.
    pub id: String,
    /// State.
    pub state: RegistrationStateView,
    /// 单位名称.
    pub unit_name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 授权联系人.
    pub contact_name: Option<String>,
    /// Submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<OffsetDateTime>,
    /// Warnings for the reviewer (e.g. USCC checksum).
    pub warnings_count: usize,
}

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationPage {
    /// Oldest submission first.
    pub items: Vec<RegistrationSummary>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A registration with what a reviewer needs to decide.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationReview {
    /// The registration, ID number in full.
    pub registration: RegistrationView,
    /// Business licence and qualification scan.
    pub documents: Vec<DocumentLink>,
    /// Every state change, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// The review queue of a state (default: waiting for review).
#[utoipa::path(get, path = "/api/v1/review/registrations", tag = "review", security(("bearer" = [])),
    params(("state" = Option<String>, Query, description = "submitted (default), approved or rejected"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("format" = Option<String>, Query, description = "`xlsx`: the whole queue in this state (at most 5,000) as an Excel download")),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((RegistrationPage = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let state = queue_state(req, RegistrationState::Submitted, &RegistrationState::ALL[1..])?;
    if gongshi_http::applications::wants_workbook(req)? {
        let found = gongshi_http::review::all_pages(|after| registrations::queue(p.table.as_ref(), state, after, 100)).await?;
        let rows = found
            .iter()
            .map(|r| {
                vec![
                    r.basic.unit_name.as_str().into(),
                    r.basic.uscc.as_str().into(),
                    r.contact.as_ref().map(|c| c.name.as_str().to_owned()).unwrap_or_default(),
                    gongshi_http::review::queue_state_label(state.as_str()).into(),
                    r.submitted_at.map(gongshi_core::china_time).unwrap_or_default(),
                    r.warnings().iter().map(|w| w.message.clone()).collect::<Vec<_>>().join("；"),
                ]
            })
            .collect();
        let columns = [
            ("单位名称", 30.0),
            ("统一社会信用代码", 22.0),
            ("授权联系人", 12.0),
            ("状态", 10.0),
            ("提交时间", 18.0),
            ("提示", 40.0),
        ];
        return gongshi_http::review::queue_workbook("注册审核", "注册审核队列.xlsx", &columns, rows);
    }
    let (cursor, limit) = page_params(req)?;
    let (found, next) = registrations::queue(p.table.as_ref(), state, cursor, limit).await?;
    let items = found
        .iter()
        .map(|r| RegistrationSummary {
            id: r.id.clone(),
            state: RegistrationView::of(r, Audience::Reviewer).state,
            unit_name: r.basic.unit_name.as_str().into(),
            uscc: r.basic.uscc.as_str().into(),
            contact_name: r.contact.as_ref().map(|c| c.name.as_str().into()),
            submitted_at: r.submitted_at,
            warnings_count: r.warnings().len(),
        })
        .collect();
    json(
        200,
        &RegistrationPage {
            items,
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

/// The reviewer, the registration and its history (`None`: an older registration, whose
/// history is its audit trail) in one batch get.
async fn load(p: &Platform, req: &Request) -> Result<(Caller, Registration, Option<History>), ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [item, history]) = authenticate_with(p, req, [registrations::key(&id), registrations::history_key(&id)]).await?;
    caller.require_reviewer()?;
    let registration = item
        .map(gongshi_store::decode::<Registration>)
        .transpose()?
        // Drafts are the applicant's own business until submitted.
        .filter(|r| r.state != RegistrationState::Draft)
        .ok_or_else(|| ApiError::NotFound("registration_not_found", "未找到该注册申请".into()))?;
    let history = history.map(gongshi_store::decode::<History>).transpose()?;
    Ok((caller, registration, history))
}

/// The review view. A registration that keeps its history beside it answers from it; an
/// older one reads its audit trail. After a decision is written (`committed`), a failing
/// trail read must not turn the done decision into an error (the reviewer would retry into
/// a 409): the history is then left out and the failure logged.
async fn review(
    p: &Platform,
    registration: &Registration,
    history: Option<History>,
    committed: bool,
) -> Result<RegistrationReview, ApiError> {
    let documents = document_links(
        p,
        &[
            (UploadPurpose::BusinessLicence, registration.licence.as_ref()),
            (
                UploadPurpose::QualificationScan,
                registration.qualification.as_ref().map(|q| &q.scan),
            ),
        ],
    )
    .await?;
    let entries = match history {
        Some(kept) => Ok(kept.entries),
        None => audit::history(p.table.as_ref(), &registrations::entity(&registration.id)).await,
    };
    let history = match entries {
        Ok(history) => history.into_iter().map(HistoryEntry::from).collect(),
        Err(error) if committed => {
            tracing::error!(registration = %registration.id, %error, "history not read for the answer; the decision is done");
            Vec::new()
        }
        Err(error) => return Err(error.into()),
    };
    Ok(RegistrationReview {
        registration: RegistrationView::of(registration, Audience::Reviewer),
        documents,
        history,
    })
}

/// A registration with its documents and history.
#[utoipa::path(get, path = "/api/v1/review/registrations/{id}", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationReview), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, registration, history) = load(p, req).await?;
    json(200, &review(p, &registration, history, false).await?)
}

/// Approves or rejects a submitted registration. A second decision gets 409.
#[utoipa::path(post, path = "/api/v1/review/registrations/{id}/decision", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")), request_body = DecisionInput,
    responses((status = 200, body = RegistrationReview), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, mut registration, mut history) = load(p, req).await?;
    let decided = json_body::<DecisionInput>(req)?.check(false)?;
    let reason = decided.reason_text();
    let now = p.clock.now();
    let expected = registration.version;
    let outcome = decided.outcome;
    registration
        .decide(outcome, reason.clone(), caller.username(), now)
        .map_err(|conflict| ApiError::Conflict("state_conflict", format!("该注册申请已处理：{conflict}")))?;
    let entity = registrations::entity(&registration.id);
    let entry = AuditEntry {
        entity: entity.clone(),
        action: format!("registration.{}", registration.state.as_str()),
        actor: caller.username().into(),
        from: Some(RegistrationState::Submitted.as_str().into()),
        to: Some(registration.state.as_str().into()),
        reason: reason.clone(),
        at: now,
    };
    let mut writes = vec![registrations::replace(&registration, expected)];
    writes.extend(registrations::record(&registration, history.as_mut(), entry, &p.ids.id()));
    let (Some(contact), Some(licence)) = (registration.contact.clone(), registration.licence.clone()) else {
        return Err(ApiError::Internal(format!(
            "submitted registration {} lacks contact or licence",
            registration.id
        )));
    };
    if outcome == Outcome::Approved {
        let unit = Unit {
            id: p.ids.id(),
            name: registration.basic.unit_name.clone(),
            uscc: registration.basic.uscc.clone(),
            legal_representative: registration.basic.legal_representative.clone(),
            address: registration.basic.address.clone(),
            postcode: registration.basic.postcode.clone(),
            contact: contact.clone(),
            licence: Some(licence),
            registration_id: Some(registration.id.clone()),
            approved_at: now,
            scopes: Some(Vec::new()),
            version: 1,
        };
        let mut unit = unit;
        if let Some(qualification) = registration.qualification.clone() {
            let certificate = UnitQualification {
                id: p.ids.id(),
                unit_id: unit.id.clone(),
                qualification,
                approved: true,
                pending: None,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            unit.put_scope(&certificate);
            writes.push(qualifications::create(&certificate));
        }
        writes.push(units::create(&unit));
        writes.push(accounts::activate_for_unit(
            registration.basic.username.as_str(),
            &registration.id,
            &unit.id,
            unit.contact.name.as_str(),
        ));
        writes.push(units::transfer_uscc(&unit.uscc, &entity, &gongshi_store::entity::unit(&unit.id)));
    } else {
        // A rejected registration holds the USCC no longer (it claims it again when it is
        // submitted again): a code squatted by a false registration is freed by rejecting it.
        writes.push(units::release_uscc(&registration.basic.uscc, &entity));
    }
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("state_conflict", "该注册申请已被其他审核员处理，请刷新".into()))?;
    notify_contact(p, &registration, &contact).await;
    json(200, &review(p, &registration, history, true).await?)
}

/// Tells the authorised contact the result. A failed message does not undo the decision:
/// it is logged for the operators (no message content or phone number in the log).
async fn notify_contact(p: &Platform, registration: &Registration, contact: &gongshi_core::registration::Contact) {
    let unit = registration.basic.unit_name.as_str();
    let username = registration.basic.username.as_str();
    let (sms, subject, mail) = match (
        &registration.state,
        registration.decision.as_ref().and_then(|d| d.reason.as_deref()),
    ) {
        (RegistrationState::Approved, _) => (
            format!("【执业公示系统】{unit}的单位注册申请已审核通过。请使用注册时设置的用户名 {username} 以“单位用户”身份登录系统。"),
            "执业公示系统：单位注册申请已通过".to_owned(),
            format!(
                "{}：\n\n您好！{unit}（统一社会信用代码 {}）提交的执业公示系统单位注册申请已审核通过。\n\n请使用注册时设置的用户名 {username} 和密码，选择“单位用户”登录执业公示综合业务管理系统。\n\n中国特种设备检验协会",
                contact.name.as_str(),
                registration.basic.uscc
            ),
        ),
        (_, reason) => {
            let reason = reason.unwrap_or("未说明");
            (
                format!("【执业公示系统】{unit}的单位注册申请未通过审核，原因：{reason}。请使用用户名 {username} 登录系统修改后重新提交。"),
                "执业公示系统：单位注册申请未通过".to_owned(),
                format!(
                    "{}：\n\n您好！{unit}提交的执业公示系统单位注册申请未通过审核。\n\n驳回原因：{reason}\n\n请使用用户名 {username} 和注册时设置的密码登录系统，按驳回原因修改后重新提交。\n\n中国特种设备检验协会",
                    contact.name.as_str()
                ),
            )
        }
    };
    if let Err(error) = p.sms.send(&contact.mobile, &sms).await {
        tracing::error!(registration = %registration.id, %error, "result SMS not sent");
    }
    if let Err(error) = p.mail.send(&contact.email, &subject, &mail).await {
        tracing::error!(registration = %registration.id, %error, "result e-mail not sent");
    }
}

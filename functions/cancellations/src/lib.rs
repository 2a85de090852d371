//! Cancellation (注销, F18, manual §3.3.4: "在“公示证书管理-公示证书注销申请”中申请注销，填写注销
//! 原因 … 申请成功后，（1）打印注销申请，加盖单位公章（2）上传申请表，进行审核流程"). The unit names
//! one of its active publicities and the reason; a cancellation application is created with
//! the person's lock and the deadline, like any application. Its form, stamped scan, review
//! and expiry go through the same functions (`application-form`, `application-scan`,
//! `application-review`, the three expiry layers); approval ends the publicity.

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationKind, ApplicationState, document_number};
use gongshi_http::applications::{self as app_views, ApplicationView};
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::response::commit;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::applications::{self, ApplicantPerson, Application, ClauseConsent};
use gongshi_store::audit::AuditEntry;
use gongshi_store::practitioners::{self, OpenLock};
use gongshi_workflow::OnConflict;
use gongshi_workflow::expiry;
use serde::Deserialize;
use utoipa::ToSchema;

gongshi_http::routes!(request_cancellation; in_transaction: request_cancellation);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// Which publicity and why.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CancellationInput {
    /// 公示证书编号 of one of the unit's active publicities.
    pub certificate_no: String,
    /// 注销原因 (2–200 characters), e.g. 离职, 退休, 调离检验岗位.
    pub reason: String,
}

/// Creates a cancellation application; the 7-day deadline starts now.
#[utoipa::path(post, path = "/api/v1/unit/cancellations", tag = "publicity", security(("bearer" = [])), request_body = CancellationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retried request with the same key returns the first answer",
        min_length = 1, max_length = 100, pattern = "^[!-~]+$")),
    responses((status = 201, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn request_cancellation(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The holder of the certificate number is read with the caller; a bad body is answered
    // once the caller is authorised.
    let input = json_body::<CancellationInput>(req);
    let certificate_no = input.as_ref().map(|i| i.certificate_no.trim().to_owned()).unwrap_or_default();
    let (caller, unit_id, [holder]) = authenticate_in_unit(p, req, |_| [practitioners::certificate_key(&certificate_no)]).await?;
    let input = input?;
    let reason = input.reason.trim().to_owned();
    if !(2..=200).contains(&reason.chars().count()) {
        return Err(ApiError::field("reason", "reason_length", "注销原因应为2至200个字符"));
    }
    let not_found = || ApiError::NotFound("publicity_not_found", "本单位没有该编号的公示证书".into());
    let now = p.clock.now();
    let today = china_today(now);
    let id_number = practitioners::holder_of(holder)
        .and_then(|id| gongshi_core::IdNumber::parse(&id, today).ok())
        .ok_or_else(not_found)?;
    // Everything about the person in one query: the publicity (at this unit?) and any lock.
    let person = practitioners::person(p.table.as_ref(), &id_number).await?;
    let record = person
        .publicity
        .clone()
        .filter(|r| r.publicity.unit_id == unit_id && r.publicity.certificate_no == certificate_no)
        .ok_or_else(not_found)?;
    if !record.publicity.is_active_on(today) {
        return Err(ApiError::Conflict(
            "publicity_not_active",
            "该公示证书已注销或已到期，无需注销".into(),
        ));
    }
    if let Some(open) = &person.open
        && !(open.may_have_lapsed(now) && expiry::expire_if_due(p, &open.application_id).await?)
    {
        return Err(ApiError::Conflict(
            "application_open",
            "该人员有进行中的申报单，请待其结束后再申请注销".into(),
        ));
    }
    let id = p.ids.id();
    let mut app = Application {
        number: document_number("ZX", today, &id),
        id,
        unit_id: unit_id.clone(),
        unit_name: record.publicity.unit_name.clone(),
        kind: ApplicationKind::Cancellation,
        state: ApplicationState::Created,
        person: ApplicantPerson {
            id_number: record.id_number.clone(),
            name: record.name.clone(),
            mobile: person.mobile.as_ref().map(|m| m.mobile.clone()),
        },
        items: record.publicity.items.clone(),
        previous: None,
        resignation_proof: None,
        // A cancellation confirms no clauses; version 0 records who asked and when.
        clauses: ClauseConsent {
            version: 0,
            title: "注销申请".into(),
            confirmed_by: caller.username().into(),
            confirmed_at: now,
        },
        created_at: now,
        created_by: caller.username().into(),
        deadline: now + p.config.periods.application_deadline,
        state_since: now,
        scan: None,
        code_sent_at: None,
        decision: None,
        end_reason: None,
        certificate_no: Some(record.publicity.certificate_no.clone()),
        reason: Some(reason.clone()),
        history: Vec::new(),
        corrections: Vec::new(),
        claim: None,
        version: 1,
    };
    let entry = AuditEntry {
        entity: app.entity(),
        action: "application.created".into(),
        actor: caller.username().into(),
        from: None,
        to: Some(ApplicationState::Created.as_str().into()),
        reason: Some(format!("注销公示证书 {}：{reason}", record.publicity.certificate_no)),
        at: now,
    };
    let audit = app.record(entry, &p.ids.id());
    let lock = OpenLock {
        application_id: app.id.clone(),
        unit_id,
        state: ApplicationState::Created,
        deadline: Some(app.deadline),
    };
    let writes = vec![
        applications::create(&app),
        applications::claim_number(&app),
        practitioners::lock(&record.id_number, &lock),
        applications::set_deadline(&app),
        applications::open_marker(&app),
        audit,
    ];
    // The answer is known before the write: the new application and its one history entry.
    let answer = json(201, &app_views::view_of(p, &app))?;
    let created = commit(p, writes, answer)
        .await
        .on_conflict(|| ApiError::Conflict("application_open", "该人员有进行中的申报单，请待其结束后再申请注销".into()))?;
    tracing::info!(application = %app.id, "cancellation requested");
    Ok(created)
}

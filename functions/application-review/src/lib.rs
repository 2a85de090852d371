//! Review of publicity applications (F21): the queue by state and age, the detail with the
//! form PDF and the signed scan side by side, and the decision. Approval issues the
//! publicity (初始, 变更: a new 公示证书 at this unit; the previous unit's publicity ends and
//! that unit is told) or updates it (续期: same certificate, renewed items and validity);
//! an approved cancellation (注销) ends it: the person is free, the record and history stay.

use gongshi_core::practice::{ApplicationKind, ApplicationState, Publicity, Step, document_number, publicity_valid_until};
use gongshi_core::registration::{Decision, Outcome};
use gongshi_core::{IdNumber, Name};
use gongshi_http::publicity::{self, ApplicationSummary, ApplicationView, changed_meanwhile, form_key};
use gongshi_http::request::page_params;
use gongshi_http::views::china_today;
use gongshi_http::{
    ApiError, Body, HandlerFuture, Problem, Request, Response, authenticate, json, json_body, path_param, query_param, respond, route_key,
};
use gongshi_platform::{Platform, Write};
use gongshi_store::applications::{self, Application};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::practitioners::{self, EndedPublicity, PublicityRecord, Stay};
use gongshi_store::{units, uploads};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{OpenApi, ToSchema};

/// The routes of this function.
#[derive(OpenApi)]
#[openapi(paths(queue, detail, decide))]
pub struct Api;

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns();

/// The Lambda handler.
pub fn handler(platform: Arc<Platform>, req: Request) -> HandlerFuture {
    Box::pin(async move {
        let p = platform.as_ref();
        respond(p, &req, async {
            match route_key(&req).as_str() {
                "GET /api/v1/review/applications" => queue(p, &req).await,
                "GET /api/v1/review/applications/{id}" => detail(p, &req).await,
                "POST /api/v1/review/applications/{id}/decision" => decide(p, &req).await,
                other => Err(ApiError::NotFound("route_not_found", format!("未知接口 {other}"))),
            }
        })
        .await
    })
}

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationQueue {
    /// Longest waiting first (`state_since`).
    pub items: Vec<ApplicationSummary>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// An application with what a reviewer needs to decide.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationReview {
    /// The application (history included).
    pub application: ApplicationView,
    /// The generated form (presigned GET), once the unit printed it.
    pub form_url: Option<String>,
    /// The signed scan (presigned GET).
    pub scan_url: Option<String>,
    /// Its content type (image or PDF), to show it.
    pub scan_content_type: Option<String>,
    /// The resignation proof (presigned GET), for a change.
    pub resignation_proof_url: Option<String>,
}

/// Approve or reject.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationDecisionInput {
    /// `true` approves, `false` rejects.
    pub approve: bool,
    /// Required when rejecting (2–500 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The review queue of a state (default `under_review`), longest waiting first.
#[utoipa::path(get, path = "/api/v1/review/applications", tag = "review", security(("bearer" = [])),
    params(("state" = Option<ApplicationState>, Query), ("cursor" = Option<String>, Query), ("limit" = Option<usize>, Query)),
    responses((status = 200, body = ApplicationQueue), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let (cursor, limit) = page_params(req)?;
    let state = match query_param(req, "state").filter(|s| !s.is_empty()) {
        None => ApplicationState::UnderReview,
        Some(raw) => ApplicationState::parse(&raw).ok_or_else(|| ApiError::field("state", "invalid_value", "状态无效"))?,
    };
    let (found, next) = applications::queue(p.table.as_ref(), state, cursor, limit).await?;
    let now = p.clock.now();
    json(
        200,
        &ApplicationQueue {
            items: found.iter().map(|a| ApplicationSummary::of(a, now)).collect(),
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

async fn review(p: &Platform, app: &Application) -> Result<ApplicationReview, ApiError> {
    let ttl = p.config.presign_ttl;
    let form_url = match p.blobs.head(&form_key(&app.id)).await? {
        Some(_) => Some(
            p.blobs
                .presign_get(&form_key(&app.id), &format!("{}.pdf", app.number), ttl)
                .await?
                .url,
        ),
        None => None,
    };
    let link = |upload: &gongshi_core::registration::UploadRef| {
        let key = uploads::blob_key(&upload.upload_id);
        let name = upload.file_name.clone();
        async move { p.blobs.presign_get(&key, &name, ttl).await.map(|l| l.url) }
    };
    let scan_url = match &app.scan {
        Some(scan) => Some(link(scan).await?),
        None => None,
    };
    let resignation_proof_url = match &app.resignation_proof {
        Some(proof) => Some(link(proof).await?),
        None => None,
    };
    Ok(ApplicationReview {
        application: publicity::view_committed(p, app).await,
        form_url,
        scan_url,
        scan_content_type: app.scan.as_ref().map(|s| s.content_type.clone()),
        resignation_proof_url,
    })
}

/// One application for review.
#[utoipa::path(get, path = "/api/v1/review/applications/{id}", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ApplicationReview), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, app) = publicity::authenticate_for(p, req, &path_param(req, "id")?).await?;
    caller.require_reviewer()?;
    json(200, &review(p, &publicity::found(app)?).await?)
}

fn audit_publicity(p: &Platform, certificate_no: &str, action: &str, to: String, reason: String) -> Write {
    audit::record(
        &AuditEntry {
            entity: format!("PUB#{certificate_no}"),
            action: action.into(),
            actor: SYSTEM_ACTOR.into(),
            from: None,
            to: Some(to),
            reason: Some(reason),
            at: p.clock.now(),
        },
        &p.ids.id(),
    )
}

/// Ends a publicity at its unit: kept in the unit's list and the person's history.
fn end_publicity(p: &Platform, record: &PublicityRecord, end: &str, number: &str) -> Vec<Write> {
    let today = china_today(p.clock.now());
    let ended_on = today.min(record.publicity.valid_until);
    let mut ended = record.clone();
    ended.publicity.ended_on = Some(ended_on);
    vec![
        practitioners::put_ended(&EndedPublicity {
            record: ended,
            ended_on,
            end: end.into(),
        }),
        practitioners::put_stay(
            &record.id_number,
            &Stay {
                unit_id: record.publicity.unit_id.clone(),
                unit_name: record.publicity.unit_name.clone(),
                certificate_no: record.publicity.certificate_no.clone(),
                from: record.publicity.valid_from,
                until: Some(ended_on),
                end: Some(end.into()),
            },
        ),
        audit_publicity(
            p,
            &record.publicity.certificate_no,
            "publicity.ended",
            end.into(),
            format!("申报单 {number}"),
        ),
    ]
}

/// What an approval does to the person's publicity: issue a new one (初始, 变更; the one
/// left behind ends), update it (续期) or end it (注销). The record written and the writes.
fn publish(p: &Platform, app: &Application, current: Option<&PublicityRecord>) -> Result<(PublicityRecord, Vec<Write>), ApiError> {
    let today = china_today(p.clock.now());
    let id_number = IdNumber::parse(&app.person.id_number, today)
        .map_err(|e| ApiError::Internal(format!("stored id number unreadable: {}", e.message)))?;
    let name = Name::parse(&app.person.name).map_err(|e| ApiError::Internal(format!("stored name unreadable: {}", e.message)))?;
    let own = current.filter(|c| c.publicity.unit_id == app.unit_id && Some(&c.publicity.certificate_no) == app.certificate_no.as_ref());
    if app.kind == ApplicationKind::Cancellation {
        let current = own.ok_or_else(|| ApiError::Conflict("publicity_changed", "该公示证书已发生变化，无法注销".into()))?;
        let mut record = current.clone();
        record.publicity.cancelled = true;
        record.publicity.ended_on = Some(today.min(record.publicity.valid_until));
        record.publicity.application_id = app.id.clone();
        let mut writes = vec![practitioners::update_publicity(&record, &current.publicity.application_id)];
        writes.extend(end_publicity(p, current, "注销", &app.number));
        return Ok((record, writes));
    }
    let valid_until = publicity_valid_until(&app.items).ok_or_else(|| ApiError::Internal("application without items".into()))?;
    let renewing = current.filter(|c| app.kind == ApplicationKind::Renewal && c.publicity.unit_id == app.unit_id);
    let record = PublicityRecord {
        id_number: id_number.clone(),
        name,
        publicity: Publicity {
            certificate_no: match renewing {
                Some(c) => c.publicity.certificate_no.clone(),
                None => document_number("GS", today, &p.ids.id()),
            },
            unit_id: app.unit_id.clone(),
            unit_name: app.unit_name.clone(),
            items: app.items.clone(),
            valid_from: renewing.map_or(today, |c| c.publicity.valid_from),
            valid_until,
            cancelled: false,
            ended_on: None,
            application_id: app.id.clone(),
        },
    };
    let certificate_no = record.publicity.certificate_no.clone();
    let mut writes = Vec::new();
    match renewing {
        Some(c) => {
            writes.push(practitioners::update_publicity(&record, &c.publicity.application_id));
            writes.push(audit_publicity(
                p,
                &certificate_no,
                "publicity.renewed",
                format!("有效期至 {valid_until}"),
                format!("申报单 {}", app.number),
            ));
        }
        None => {
            writes.push(practitioners::put_publicity(&record));
            writes.push(practitioners::claim_certificate(&certificate_no, &id_number));
            writes.push(practitioners::put_stay(
                &id_number,
                &Stay {
                    unit_id: app.unit_id.clone(),
                    unit_name: app.unit_name.clone(),
                    certificate_no: certificate_no.clone(),
                    from: today,
                    until: None,
                    end: None,
                },
            ));
            writes.push(audit_publicity(
                p,
                &certificate_no,
                "publicity.issued",
                format!("有效期至 {valid_until}"),
                format!("申报单 {}", app.number),
            ));
            // The publicity left behind (not already ended by a cancellation) ends now.
            if let Some(previous) = current.filter(|c| !c.publicity.cancelled) {
                let end = if previous.publicity.valid_until < today {
                    "公示到期"
                } else {
                    "变更至其他单位"
                };
                writes.extend(end_publicity(p, previous, end, &app.number));
            }
        }
    }
    Ok((record, writes))
}

const SYSTEM_ACTOR: &str = publicity::SYSTEM;

/// Tells the previous unit that its practitioner moved (变更 approved).
async fn notify_previous_unit(p: &Platform, app: &Application, previous: &PublicityRecord) {
    let text = format!(
        "【执业公示系统】贵单位执业人员{}（{}）已经协会审核变更至其他单位执业，贵单位公示证书 {} 已终止。",
        app.person.name,
        publicity::mask_id(&app.person.id_number),
        previous.publicity.certificate_no
    );
    match units::get(p.table.as_ref(), &previous.publicity.unit_id).await {
        Ok(Some(unit)) => {
            if let Err(error) = p.sms.send(&unit.contact.mobile, &text).await {
                tracing::error!(application = %app.id, %error, "change SMS to the previous unit not sent");
            }
        }
        Ok(None) => tracing::error!(application = %app.id, "previous unit is missing"),
        Err(error) => tracing::error!(application = %app.id, %error, "previous unit not read"),
    }
}

/// Approves (the publicity is issued or updated) or rejects with a reason.
#[utoipa::path(post, path = "/api/v1/review/applications/{id}/decision", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ApplicationDecisionInput,
    responses((status = 200, body = ApplicationReview), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, app) = publicity::authenticate_for(p, req, &path_param(req, "id")?).await?;
    caller.require_reviewer()?;
    let input: ApplicationDecisionInput = json_body(req)?;
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if !input.approve && reason.as_ref().is_none_or(|r| !(2..=500).contains(&r.chars().count())) {
        return Err(ApiError::field("reason", "reason_required", "驳回时请填写2至500个字符的原因"));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ApiError::field("reason", "reason_length", "审核意见不超过500个字符"));
    }
    let app = publicity::found(app)?;
    let now = p.clock.now();
    let decision = Decision {
        outcome: if input.approve { Outcome::Approved } else { Outcome::Rejected },
        reason: reason.clone(),
        decided_at: now,
        decided_by: caller.username().into(),
    };
    let step = if input.approve { Step::Approve } else { Step::Reject };
    let id_number = IdNumber::parse(&app.person.id_number, china_today(now))
        .map_err(|e| ApiError::Internal(format!("stored id number unreadable: {}", e.message)))?;
    let current = practitioners::person(p.table.as_ref(), &id_number).await?.publicity;
    let issued = if input.approve {
        Some(publish(p, &app, current.as_ref())?)
    } else {
        None
    };
    let certificate_no = issued.as_ref().map(|(record, _)| record.publicity.certificate_no.clone());
    let transition = publicity::advance(p, &app, step, caller.username(), reason, |next| {
        next.decision = Some(decision);
        next.certificate_no = certificate_no;
    })?;
    let mut writes = transition.writes;
    if let Some((_, publicity_writes)) = &issued {
        writes.extend(publicity_writes.iter().cloned());
    }
    p.table.transact(writes).await.map_err(|_| changed_meanwhile())?;
    let next = transition.next;
    tracing::info!(application = %next.id, approved = input.approve, "application decided");
    publicity::notify_outcome(p, &next).await;
    if input.approve
        && next.kind != ApplicationKind::Cancellation
        && let Some(previous) = current
            .as_ref()
            .filter(|c| c.publicity.unit_id != next.unit_id && c.publicity.is_active_on(china_today(now)))
    {
        notify_previous_unit(p, &next, previous).await;
    }
    json(200, &review(p, &next).await?)
}

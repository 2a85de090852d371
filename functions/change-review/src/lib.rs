//! Review of information change requests (F8, F21 change queue). Approval applies every
//! change to the unit atomically — the unit, a moved USCC reservation, the request and the
//! audit entry in one transaction, so a USCC taken meanwhile refuses the whole change (409) —
//! and frees the unit for its next request; the old values stay in the request's history.
//! The authorised contact (the new one, if it changed) is told by SMS.

use gongshi_core::registration::{Decision, Outcome};
use gongshi_http::request::page_params;
use gongshi_http::views::ChangeRequestView;
use gongshi_http::{
    ApiError, Body, HandlerFuture, Problem, Request, Response, authenticate, json, json_body, path_param, query_param, respond, route_key,
};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::change_requests::{self, ChangeRequest, ChangeState};
use gongshi_store::{units, uploads};
use gongshi_workflow::OnConflict;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::OffsetDateTime;
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
                "GET /api/v1/review/change-requests" => queue(p, &req).await,
                "GET /api/v1/review/change-requests/{id}" => detail(p, &req).await,
                "POST /api/v1/review/change-requests/{id}/decision" => decide(p, &req).await,
                other => Err(ApiError::NotFound("route_not_found", format!("未知接口 {other}"))),
            }
        })
        .await
    })
}

/// One row of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestSummary {
    /// Id.
    pub id: String,
    /// 单位名称 when asked.
    pub unit_name: String,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    /// Labels of the fields that change.
    pub fields: Vec<String>,
    /// Submitted.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: OffsetDateTime,
}

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestPage {
    /// Oldest first.
    pub items: Vec<ChangeRequestSummary>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A proof to look at through a short-lived link.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProofLink {
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Presigned download URL.
    pub url: String,
}

/// A request with what a reviewer needs to decide.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestReview {
    /// The request.
    pub request: ChangeRequestView,
    /// The unit's name when asked.
    pub unit_name: String,
    /// The proofs.
    pub documents: Vec<ProofLink>,
}

/// Approve or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOutcome {
    /// 通过: apply the changes.
    Approve,
    /// 驳回: change nothing.
    Reject,
}

/// A reviewer's decision on a change request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeDecisionInput {
    /// Approve or reject.
    pub outcome: ChangeOutcome,
    /// Required to reject (2–500 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

fn parse_state(raw: Option<String>) -> Result<ChangeState, ApiError> {
    match raw.as_deref() {
        None | Some("pending") => Ok(ChangeState::Pending),
        Some("approved") => Ok(ChangeState::Approved),
        Some("rejected") => Ok(ChangeState::Rejected),
        Some(_) => Err(ApiError::field(
            "state",
            "invalid_value",
            "状态只能是 pending、approved 或 rejected",
        )),
    }
}

/// The queue of a state (default: pending).
#[utoipa::path(get, path = "/api/v1/review/change-requests", tag = "review", security(("bearer" = [])),
    params(("state" = Option<String>, Query, description = "pending (default), approved or rejected"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20")),
    responses((status = 200, body = ChangeRequestPage), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let state = parse_state(query_param(req, "state"))?;
    let (cursor, limit) = page_params(req)?;
    let (found, next) = change_requests::queue(p.table.as_ref(), state, cursor, limit).await?;
    let items = found
        .iter()
        .map(|r| ChangeRequestSummary {
            id: r.id.clone(),
            unit_name: r.unit_name.clone(),
            state: r.state.as_str().into(),
            fields: r.items.iter().map(|i| i.label.clone()).collect(),
            submitted_at: r.submitted_at,
        })
        .collect();
    json(
        200,
        &ChangeRequestPage {
            items,
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

async fn load(p: &Platform, req: &Request) -> Result<ChangeRequest, ApiError> {
    let id = path_param(req, "id")?;
    change_requests::get(p.table.as_ref(), &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("change_request_not_found", "未找到该变更申请".into()))
}

async fn review(p: &Platform, request: &ChangeRequest) -> Result<ChangeRequestReview, ApiError> {
    let mut documents = Vec::new();
    for proof in &request.proofs {
        let link = p
            .blobs
            .presign_get(&uploads::blob_key(&proof.upload_id), &proof.file_name, p.config.presign_ttl)
            .await?;
        documents.push(ProofLink {
            file_name: proof.file_name.clone(),
            content_type: proof.content_type.clone(),
            url: link.url,
        });
    }
    Ok(ChangeRequestReview {
        request: ChangeRequestView::of(request),
        unit_name: request.unit_name.clone(),
        documents,
    })
}

/// A request with its proofs.
#[utoipa::path(get, path = "/api/v1/review/change-requests/{id}", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Change request id")),
    responses((status = 200, body = ChangeRequestReview), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let request = load(p, req).await?;
    json(200, &review(p, &request).await?)
}

/// Applies or refuses a pending request. A second decision gets 409.
#[utoipa::path(post, path = "/api/v1/review/change-requests/{id}/decision", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Change request id")), request_body = ChangeDecisionInput,
    responses((status = 200, body = ChangeRequestReview), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    caller.require_reviewer()?;
    let input: ChangeDecisionInput = json_body(req)?;
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    match (&input.outcome, &reason) {
        (ChangeOutcome::Reject, None) => return Err(ApiError::field("reason", "required", "驳回时请填写驳回原因")),
        (_, Some(r)) if !(2..=500).contains(&r.chars().count()) => {
            return Err(ApiError::field("reason", "reason_length", "原因应为2至500个字符"));
        }
        _ => {}
    }
    let mut request = load(p, req).await?;
    if request.state != ChangeState::Pending {
        return Err(ApiError::Conflict("state_conflict", "该变更申请已处理".into()));
    }
    let now = p.clock.now();
    let expected = request.version;
    let approved = input.outcome == ChangeOutcome::Approve;
    request.state = if approved { ChangeState::Approved } else { ChangeState::Rejected };
    request.decision = Some(Decision {
        outcome: if approved { Outcome::Approved } else { Outcome::Rejected },
        reason: reason.clone(),
        decided_at: now,
        decided_by: caller.username().into(),
    });
    request.version += 1;
    let entry = AuditEntry {
        entity: gongshi_store::entity::change_request(&request.id),
        action: format!("change_request.{}", request.state.as_str()),
        actor: caller.username().into(),
        from: Some("pending".into()),
        to: Some(request.state.as_str().into()),
        reason: reason.clone(),
        at: now,
    };
    let mut writes = vec![
        change_requests::replace(&request, expected),
        change_requests::unlock(&request.unit_id, &request.id),
        audit::record(&entry, &p.ids.id()),
    ];
    let mut unit = units::get(p.table.as_ref(), &request.unit_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("unit {} is missing", request.unit_id)))?;
    if approved {
        let unit_version = unit.version;
        let owner = gongshi_store::entity::unit(&unit.id);
        let c = request.changes.clone();
        if let Some(uscc) = c.uscc {
            writes.push(units::release_uscc(&unit.uscc, &owner));
            writes.push(units::claim_uscc(&uscc, &owner, None, now));
            unit.uscc = uscc;
        }
        unit.name = c.unit_name.unwrap_or(unit.name);
        unit.legal_representative = c.legal_representative.unwrap_or(unit.legal_representative);
        unit.address = c.address.unwrap_or(unit.address);
        unit.postcode = c.postcode.unwrap_or(unit.postcode);
        unit.contact = c.contact.unwrap_or(unit.contact);
        unit.version += 1;
        writes.push(units::replace(&unit, unit_version));
        let changed = AuditEntry {
            entity: owner,
            action: "unit.changed".into(),
            actor: caller.username().into(),
            from: None,
            to: Some(request.items.iter().map(|i| i.label.clone()).collect::<Vec<_>>().join("、")),
            reason: Some(format!("变更申请 {}", request.id)),
            at: now,
        };
        writes.push(audit::record(&changed, &p.ids.id()));
    }
    p.table.transact(writes).await.on_conflict(|| {
        if request.changes.uscc.is_some() && approved {
            ApiError::Conflict(
                "uscc_taken",
                "新的统一社会信用代码已被其他单位使用，或申请已被处理，请刷新后重试".into(),
            )
        } else {
            ApiError::Conflict("state_conflict", "该变更申请已被其他审核员处理，请刷新".into())
        }
    })?;
    let text = if approved {
        format!(
            "【执业公示系统】{}的单位信息变更申请已审核通过，变更内容已生效。",
            request.unit_name
        )
    } else {
        format!(
            "【执业公示系统】{}的单位信息变更申请未通过审核，原因：{}。",
            request.unit_name,
            reason.as_deref().unwrap_or("未说明")
        )
    };
    if let Err(error) = p.sms.send(&unit.contact.mobile, &text).await {
        tracing::error!(request = %request.id, %error, "change result SMS not sent");
    }
    json(200, &review(p, &request).await?)
}

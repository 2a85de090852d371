//! Review of information change requests (F8, F21 change queue). Approval applies every
//! change to the unit atomically — the unit, a moved USCC reservation, the request and the
//! audit entry in one transaction, so a USCC taken meanwhile refuses the whole change (409) —
//! and frees the unit for its next request; the old values stay in the request's history.
//! The authorised contact (the new one, if it changed) is told by SMS.

use gongshi_core::upload::UploadPurpose;
use gongshi_http::auth::authenticate_with;
use gongshi_http::request::page_params;
use gongshi_http::review::{DecisionInput, DocumentLink, document_links, queue_state};
use gongshi_http::views::ChangeRequestView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::change_requests::{self, ChangeRequest, ChangeState};
use gongshi_workflow::changes;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(queue, detail, decide);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns();

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
    /// The same fields as codes (`unit_name`, `address`, `contact`, `qualification`, …), in
    /// the same order: the SPA words them in its language.
    pub field_codes: Vec<String>,
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

/// A request with what a reviewer needs to decide.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestReview {
    /// The request.
    pub request: ChangeRequestView,
    /// The unit's name when asked.
    pub unit_name: String,
    /// The proofs.
    pub documents: Vec<DocumentLink>,
}

/// The queue of a state (default: pending).
#[utoipa::path(get, path = "/api/v1/review/change-requests", tag = "review", security(("bearer" = [])),
    params(("state" = Option<String>, Query, description = "pending (default), approved or rejected"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("format" = Option<String>, Query, description = "`xlsx`: the whole queue in this state (at most 5,000) as an Excel download")),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((ChangeRequestPage = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    authenticate(p, req).await?.require_reviewer()?;
    let state = queue_state(req, ChangeState::Pending, &ChangeState::ALL)?;
    if gongshi_http::applications::wants_workbook(req)? {
        let found = gongshi_http::review::all_pages(|after| change_requests::queue(p.table.as_ref(), state, after, 100)).await?;
        let rows = found
            .iter()
            .map(|r| {
                let changes: Vec<String> = r.items.iter().map(|i| format!("{}：{} → {}", i.label, i.before, i.after)).collect();
                vec![
                    r.unit_name.clone(),
                    changes.join("；"),
                    gongshi_http::review::queue_state_label(state.as_str()).into(),
                    gongshi_core::china_time(r.submitted_at),
                ]
            })
            .collect();
        let columns = [("单位名称", 30.0), ("变更内容", 60.0), ("状态", 10.0), ("提交时间", 18.0)];
        return gongshi_http::review::queue_workbook("变更审核", "变更审核队列.xlsx", &columns, rows);
    }
    let (cursor, limit) = page_params(req)?;
    let (found, next) = change_requests::queue(p.table.as_ref(), state, cursor, limit).await?;
    let items = found
        .iter()
        .map(|r| ChangeRequestSummary {
            id: r.id.clone(),
            unit_name: r.unit_name.clone(),
            state: r.state.as_str().into(),
            fields: r.items.iter().map(|i| i.label.clone()).collect(),
            field_codes: r.items.iter().map(|i| i.field.clone()).collect(),
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
    let attached: Vec<_> = request
        .proofs
        .iter()
        .map(|proof| (UploadPurpose::ChangeProof, Some(proof)))
        .collect();
    let documents = document_links(p, &attached).await?;
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
    params(("id" = String, Path, description = "Change request id")), request_body = DecisionInput,
    responses((status = 200, body = ChangeRequestReview), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [request]) = authenticate_with(p, req, [change_requests::key(&id)]).await?;
    caller.require_reviewer()?;
    let decided = json_body::<DecisionInput>(req)?.check(false)?;
    let request = request
        .map(gongshi_store::decode::<ChangeRequest>)
        .transpose()?
        .ok_or_else(|| ApiError::NotFound("change_request_not_found", "未找到该变更申请".into()))?;
    let request = changes::decide(p, request, caller.username(), decided.outcome, decided.reason).await?;
    json(200, &review(p, &request).await?)
}

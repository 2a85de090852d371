//! Review of publicity applications (F21): the queue by state and age, the detail with the
//! form PDF and the signed scan side by side, and the decision. Approval issues the
//! publicity (初始, 变更: a new 公示证书 at this unit; the previous unit's publicity ends and
//! that unit is told) or updates it (续期: same certificate, renewed items and validity);
//! an approved cancellation (注销) ends it: the person is free, the record and history stay.

use gongshi_core::practice::ApplicationState;
use gongshi_core::review::Claim;
use gongshi_core::upload::UploadPurpose;
use gongshi_http::applications::{self, ApplicationSummary, ApplicationView};
use gongshi_http::request::page_params;
use gongshi_http::response::no_content;
use gongshi_http::review::{ClaimView, DecisionInput, DocumentLink, ReturnInput, document_links, queue_state, require_unclaimed};
use gongshi_http::{ApiError, Body, Caller, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::applications::Application;
use gongshi_workflow::OnConflict;
use gongshi_workflow::applications::form_key;
use gongshi_workflow::publicity;
use serde::Serialize;
use utoipa::ToSchema;

gongshi_http::routes!(queue, detail, decide, send_back, claim, release);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns().ses();

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationQueue {
    /// Longest waiting first (`state_since`).
    pub items: Vec<QueuedApplication>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// An application in the queue, with who holds it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedApplication {
    /// The application.
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    /// The reviewer who claimed it (认领), while the claim holds.
    pub claim: Option<ClaimView>,
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
    /// The uploaded documents (the signed scan, the resignation proof) as every review
    /// queue shows them.
    pub documents: Vec<DocumentLink>,
    /// For a change (变更): the unit the person leaves, named, so the reviewer can check the
    /// 离职证明 against it (the applying unit sees only 另一单位).
    pub previous_unit: Option<PreviousUnitView>,
    /// The reviewer who claimed it (认领), while the claim holds: another may not decide it.
    pub claim: Option<ClaimView>,
}

/// The unit a change leaves.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviousUnitView {
    /// 原执业单位.
    pub unit_name: String,
    /// Its 公示证书编号.
    pub certificate_no: String,
    /// Whether it had cancelled the publicity (then no resignation proof is needed).
    pub cancelled: bool,
}

/// The review queue of a state (default `under_review`), longest waiting first.
#[utoipa::path(get, path = "/api/v1/review/applications", tag = "review", security(("bearer" = [])),
    params(("state" = Option<ApplicationState>, Query), ("cursor" = Option<String>, Query), ("limit" = Option<usize>, Query),
        ("format" = Option<String>, Query, description = "`xlsx`: the whole queue in this state (at most 5,000) as an Excel download")),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((ApplicationQueue = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    caller.require_reviewer()?;
    let (cursor, limit) = page_params(req)?;
    let state = queue_state(req, ApplicationState::UnderReview, &ApplicationState::ALL)?;
    let now = p.clock.now();
    if gongshi_http::applications::wants_workbook(req)? {
        // The whole queue in this state, page after page (at most EXPORT_ROWS).
        let found =
            gongshi_http::review::all_pages(|after| gongshi_store::applications::queue(p.table.as_ref(), state, after, 100)).await?;
        let rows: Vec<ApplicationSummary> = found.iter().map(|a| ApplicationSummary::of(a, now)).collect();
        return gongshi_http::applications::summaries_workbook(&rows, "执业公示审核", "执业公示审核队列.xlsx");
    }
    let (found, next) = gongshi_store::applications::queue(p.table.as_ref(), state, cursor, limit).await?;
    json(
        200,
        &ApplicationQueue {
            items: found
                .iter()
                .map(|a| QueuedApplication {
                    summary: ApplicationSummary::of(a, now),
                    claim: ClaimView::of(a.claim.as_ref(), caller.username(), now),
                })
                .collect(),
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

async fn review(p: &Platform, app: &Application, caller: &Caller) -> Result<ApplicationReview, ApiError> {
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
    let documents = document_links(
        p,
        &[
            (UploadPurpose::SignedForm, app.scan.as_ref()),
            (UploadPurpose::ResignationProof, app.resignation_proof.as_ref()),
        ],
    )
    .await?;
    let url_of = |purpose| documents.iter().find(|d| d.purpose == purpose).map(|d| d.url.clone());
    let scan_url = url_of(UploadPurpose::SignedForm);
    let resignation_proof_url = url_of(UploadPurpose::ResignationProof);
    let previous_unit = match &app.previous {
        Some(previous) => {
            let unit_name = if previous.unit_name.is_empty() {
                gongshi_store::units::get(p.table.as_ref(), &previous.unit_id)
                    .await?
                    .map(|u| u.name.as_str().to_owned())
                    .unwrap_or_default()
            } else {
                previous.unit_name.clone()
            };
            Some(PreviousUnitView {
                unit_name,
                certificate_no: previous.certificate_no.clone(),
                cancelled: previous.cancelled,
            })
        }
        None => None,
    };
    let mut application = applications::view_committed(p, app).await;
    application.previous_unit = previous_unit.as_ref().map(|u| u.unit_name.clone());
    Ok(ApplicationReview {
        application,
        previous_unit,
        form_url,
        scan_url,
        scan_content_type: app.scan.as_ref().map(|s| s.content_type.clone()),
        resignation_proof_url,
        documents,
        claim: ClaimView::of(app.claim.as_ref(), caller.username(), p.clock.now()),
    })
}

/// One application for review.
#[utoipa::path(get, path = "/api/v1/review/applications/{id}", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ApplicationReview), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, app) = applications::authenticate_for(p, req, &path_param(req, "id")?).await?;
    caller.require_reviewer()?;
    json(200, &review(p, &applications::found(app)?, &caller).await?)
}

/// Approves (the publicity is issued or updated) or rejects with a reason.
#[utoipa::path(post, path = "/api/v1/review/applications/{id}/decision", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = DecisionInput,
    responses((status = 200, body = ApplicationReview), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn decide(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, app) = applications::authenticate_for(p, req, &path_param(req, "id")?).await?;
    caller.require_reviewer()?;
    let decided = json_body::<DecisionInput>(req)?.check(false)?;
    let mut app = applications::found(app)?;
    require_unclaimed(app.claim.as_ref(), caller.username(), p.clock.now(), "申报单")?;
    // The decision ends the claim (it is written with the decided record).
    app.claim = None;
    let next = publicity::decide(p, &app, caller.username(), decided.outcome, decided.reason_text()).await?;
    json(200, &review(p, &next, &caller).await?)
}

/// Returns an application in review for correction (退回补正) with one or more reasons: the
/// unit has the correction period (5 working days by default) to upload a corrected scan,
/// which sends it back to review without a new confirmation; otherwise it expires. The
/// unit's contact is texted and e-mailed. Another reviewer's live claim is 409.
#[utoipa::path(post, path = "/api/v1/review/applications/{id}/return", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReturnInput,
    responses((status = 200, body = ApplicationReview), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn send_back(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    // The reviewer, the application and the working-day calendar in one batch get.
    let (caller, [app, calendar]) =
        gongshi_http::auth::authenticate_with(p, req, [gongshi_store::applications::key(&id), gongshi_store::calendar::key()]).await?;
    caller.require_reviewer()?;
    let request = json_body::<ReturnInput>(req)?.check()?;
    let mut app = applications::found(app.map(gongshi_store::decode).transpose()?)?;
    require_unclaimed(app.claim.as_ref(), caller.username(), p.clock.now(), "申报单")?;
    let calendar = gongshi_store::calendar::of(calendar)?.calendar();
    // The return ends the claim, as a decision does.
    app.claim = None;
    let next = publicity::send_back(p, &app, caller.username(), request, &calendar).await?;
    json(200, &review(p, &next, &caller).await?)
}

/// The reviewer and the application in review, for a claim or its release.
async fn in_review(p: &Platform, req: &Request) -> Result<(Caller, Application), ApiError> {
    let (caller, app) = applications::authenticate_for(p, req, &path_param(req, "id")?).await?;
    caller.require_reviewer()?;
    let app = applications::found(app)?;
    if app.state_at(p.clock.now()) != ApplicationState::UnderReview {
        return Err(ApiError::Conflict("state_conflict", "该申报单不在审核中，无需认领".into()));
    }
    Ok((caller, app))
}

/// Claims an application in review (认领) for 30 minutes, or renews one's claim: other
/// reviewers see who holds it and may not decide it meanwhile. Another's live claim is 409.
#[utoipa::path(post, path = "/api/v1/review/applications/{id}/claim", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ClaimView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn claim(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, app) = in_review(p, req).await?;
    let now = p.clock.now();
    require_unclaimed(app.claim.as_ref(), caller.username(), now, "申报单")?;
    let app = write_claim(p, app, Some(Claim::new(caller.username(), &caller.account.display_name, now))).await?;
    let view = ClaimView::of(app.claim.as_ref(), caller.username(), now)
        .ok_or_else(|| ApiError::Internal("a claim just written does not hold".into()))?;
    json(200, &view)
}

/// Releases one's claim on an application (释放), so another reviewer may take it; nothing to
/// release is 204 too. Another's live claim is 409.
#[utoipa::path(delete, path = "/api/v1/review/applications/{id}/claim", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn release(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, app) = in_review(p, req).await?;
    let now = p.clock.now();
    require_unclaimed(app.claim.as_ref(), caller.username(), now, "申报单")?;
    if Claim::live(app.claim.as_ref(), now).is_some() {
        write_claim(p, app, None).await?;
    }
    no_content()
}

/// Writes the application with `claim` (a new version: a decision or claim that read the
/// one before fails its condition, 409).
async fn write_claim(p: &Platform, mut app: Application, claim: Option<Claim>) -> Result<Application, ApiError> {
    let expected = app.version;
    app.claim = claim;
    app.version += 1;
    p.table
        .transact(vec![gongshi_store::applications::replace(&app, expected)])
        .await
        .on_conflict(|| ApiError::Conflict("state_conflict", "该申报单刚被其他审核员认领或处理，请刷新".into()))?;
    Ok(app)
}

//! Account appeals, the appellant's side (帐号申诉, F5, manual §2.3.2: for units that cannot
//! recover by SMS). No login: creating an appeal returns a token, sent as `X-Appeal-Token`,
//! that alone lets its holder upload the proofs (营业执照, 授权委托书), submit and follow it.
//! On submission the reply is due within 3 working days (weekends, the association's
//! statutory holidays and make-up workdays counted), and that date is shown to both sides.

use gongshi_core::china_today;
use gongshi_core::upload::UploadPurpose;
use gongshi_core::{Email, Fields, Invalid, Mobile, Name, Uscc};
use gongshi_http::forms::verified_upload;
use gongshi_http::uploads::{PresignedUpload, UploadRequest, UploadView};
use gongshi_http::views::AppealView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::appeals::{self, Appeal, AppealState};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::{calendar, digest};
use gongshi_workflow::uploads;
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;

/// Working days the association has to answer.
pub const REPLY_WORKING_DAYS: u32 = 3;

gongshi_http::routes!(create, read, presign, complete, submit);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3();

/// The appeal form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealInput {
    /// 统一社会信用代码.
    pub uscc: String,
    /// 单位名称.
    pub unit_name: String,
    /// 申诉人.
    pub applicant_name: String,
    /// 申诉人手机.
    pub applicant_mobile: String,
    /// 接收申诉结果的电子邮箱.
    pub contact_email: String,
    /// 申诉原因 (10–1000 characters).
    pub reason: String,
}

/// A new appeal and the token that lets its holder continue it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealCreated {
    /// The appeal (a draft until submitted).
    pub appeal: AppealView,
    /// Send as `X-Appeal-Token` with every further call.
    pub token: String,
}

/// The proofs to submit with.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealSubmit {
    /// A verified upload with purpose `business_licence`.
    pub licence_upload_id: String,
    /// A verified upload with purpose `authorisation_letter`.
    pub authorisation_upload_id: String,
}

/// The appeal of the path, if the request carries its token; anything else is not found.
async fn own_appeal(p: &Platform, req: &Request) -> Result<Appeal, ApiError> {
    let id = path_param(req, "id")?;
    let appeal = appeals::get(p.table.as_ref(), &id).await?;
    check_token(p, req, appeal)
}

/// The appeal if the request carries its token and it has not expired; else 404.
fn check_token(p: &Platform, req: &Request, appeal: Option<Appeal>) -> Result<Appeal, ApiError> {
    let not_found = || ApiError::NotFound("appeal_not_found", "未找到该申诉，或申诉凭证无效".into());
    let token = req
        .headers()
        .get("x-appeal-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let appeal = appeal.ok_or_else(not_found)?;
    let live = appeal.expires_at.is_none_or(|at| at > p.clock.now().unix_timestamp());
    if token.is_empty() || digest(token) != appeal.token_digest || !live {
        return Err(not_found());
    }
    Ok(appeal)
}

/// Starts an appeal; returns it with its token.
#[utoipa::path(post, path = "/api/v1/appeals", tag = "appeals", request_body = AppealInput,
    responses((status = 201, body = AppealCreated), (status = 422, body = Problem)))]
async fn create(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: AppealInput = json_body(req)?;
    let mut fields = Fields::default();
    let uscc = fields.check("uscc", Uscc::parse(&input.uscc));
    let unit_name = fields.check("unit_name", Name::parse(&input.unit_name));
    let applicant_name = fields.check("applicant_name", Name::parse(&input.applicant_name));
    let applicant_mobile = fields.check("applicant_mobile", Mobile::parse(&input.applicant_mobile));
    let contact_email = fields.check("contact_email", Email::parse(&input.contact_email));
    let reason = input.reason.trim();
    if !(10..=1000).contains(&reason.chars().count()) {
        fields.refuse("reason", Invalid::new("reason_length", "请说明申诉原因（10至1000个字符）"));
    }
    let (Some(uscc), Some(unit_name), Some(applicant_name), Some(applicant_mobile), Some(contact_email), true) =
        (uscc, unit_name, applicant_name, applicant_mobile, contact_email, fields.is_ok())
    else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let now = p.clock.now();
    let token = p.ids.secret();
    let appeal = Appeal {
        id: p.ids.id(),
        state: AppealState::Draft,
        uscc,
        unit_name,
        applicant_name,
        applicant_mobile,
        contact_email,
        reason: reason.into(),
        licence: None,
        authorisation: None,
        token_digest: digest(&token),
        created_at: now,
        submitted_at: None,
        due_date: None,
        decision: None,
        password_reset_for: None,
        version: 1,
        expires_at: Some((now + Duration::days(1)).unix_timestamp()),
    };
    appeals::create(p.table.as_ref(), &appeal).await?;
    json(
        201,
        &AppealCreated {
            appeal: AppealView::of(&appeal, china_today(now)),
            token,
        },
    )
}

/// The appeal, for the holder of its token.
#[utoipa::path(get, path = "/api/v1/appeals/{id}", tag = "appeals", params(("id" = String, Path, description = "Appeal id"),
    ("X-Appeal-Token" = String, Header, description = "The token returned on creation")),
    responses((status = 200, body = AppealView), (status = 404, body = Problem)))]
async fn read(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let appeal = own_appeal(p, req).await?;
    json(200, &AppealView::of(&appeal, china_today(p.clock.now())))
}

/// A presigned upload of a proof (营业执照 or 授权委托书) for a draft appeal.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/uploads", tag = "appeals", request_body = UploadRequest,
    params(("id" = String, Path, description = "Appeal id"), ("X-Appeal-Token" = String, Header, description = "The appeal's token")),
    responses((status = 201, body = PresignedUpload), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn presign(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let appeal = own_appeal(p, req).await?;
    if appeal.state != AppealState::Draft {
        return Err(ApiError::Conflict("state_conflict", "申诉已提交，不能再上传材料".into()));
    }
    let input: UploadRequest = json_body(req)?;
    if !matches!(input.purpose, UploadPurpose::BusinessLicence | UploadPurpose::AuthorisationLetter) {
        return Err(ApiError::field("purpose", "invalid_value", "申诉只需上传营业执照和授权委托书"));
    }
    json(
        201,
        &PresignedUpload::of(uploads::presign(p, appeals::entity(&appeal.id), input.declared()).await?),
    )
}

/// Verifies an uploaded proof.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/uploads/{upload_id}/complete", tag = "appeals",
    params(("id" = String, Path, description = "Appeal id"), ("upload_id" = String, Path, description = "Upload id"),
        ("X-Appeal-Token" = String, Header, description = "The appeal's token")),
    responses((status = 200, body = UploadView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn complete(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The appeal and the upload in one round trip.
    let keys = [
        appeals::key(&path_param(req, "id")?),
        gongshi_store::uploads::key(&path_param(req, "upload_id")?),
    ];
    let [appeal, upload] = gongshi_platform::get_each(p.table.as_ref(), keys)
        .await
        .map_err(gongshi_store::StoreError::from)?;
    let appeal = check_token(p, req, appeal.map(gongshi_store::decode).transpose()?)?;
    json(
        200,
        &UploadView::of(&uploads::complete(p, &appeals::entity(&appeal.id), upload).await?),
    )
}

/// Submits the appeal with its proofs; the reply is due within 3 working days.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/submit", tag = "appeals", request_body = AppealSubmit,
    params(("id" = String, Path, description = "Appeal id"), ("X-Appeal-Token" = String, Header, description = "The appeal's token")),
    responses((status = 200, body = AppealView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let mut appeal = own_appeal(p, req).await?;
    if appeal.state != AppealState::Draft {
        return Err(ApiError::Conflict("state_conflict", "该申诉已提交".into()));
    }
    let input: AppealSubmit = json_body(req)?;
    let owner = appeals::entity(&appeal.id);
    let licence = verified_upload(
        p,
        &owner,
        &input.licence_upload_id,
        "licence_upload_id",
        UploadPurpose::BusinessLicence,
    )
    .await?;
    let authorisation = verified_upload(
        p,
        &owner,
        &input.authorisation_upload_id,
        "authorisation_upload_id",
        UploadPurpose::AuthorisationLetter,
    )
    .await?;
    let now = p.clock.now();
    let today = china_today(now);
    let calendar = calendar::get(p.table.as_ref()).await?.calendar();
    let expected = appeal.version;
    appeal.state = AppealState::Submitted;
    appeal.submitted_at = Some(now);
    appeal.due_date = Some(calendar.add_working_days(today, REPLY_WORKING_DAYS));
    appeal.licence = Some(licence.clone());
    appeal.authorisation = Some(authorisation.clone());
    appeal.expires_at = None;
    appeal.version += 1;
    let entry = AuditEntry {
        entity: owner.clone(),
        action: "appeal.submitted".into(),
        actor: format!("申诉人 {}", appeal.applicant_name.as_str()),
        from: Some("draft".into()),
        to: Some("submitted".into()),
        reason: None,
        at: now,
    };
    let writes = vec![
        appeals::replace(&appeal, expected),
        gongshi_store::uploads::attach(&licence.upload_id, &owner, &owner),
        gongshi_store::uploads::attach(&authorisation.upload_id, &owner, &owner),
        audit::record(&entry, &p.ids.id()),
    ];
    p.table.transact(writes).await?;
    json(200, &AppealView::of(&appeal, today))
}

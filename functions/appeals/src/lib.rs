//! Account appeals, the appellant's side (帐号申诉, F5, manual §2.3.2: for units that cannot
//! recover by SMS because the authorised contact's number is out of service or the contact
//! has left). The appellant is the unit's new authorised contact: name, ID number, a mobile
//! proven by an SMS code sent while appealing, and the e-mail for the result, with the
//! 授权委托书 as proof. No login: creating an appeal returns a token, sent as
//! `X-Appeal-Token`, that alone lets its holder upload the proofs (营业执照, 授权委托书), prove
//! the mobile, submit and follow it. On submission the reply is due within 3 working days
//! (weekends, the association's statutory holidays and make-up workdays counted), and that
//! date is shown to both sides. What an approval does is in `gongshi_workflow::appeals`.

use gongshi_core::china_today;
use gongshi_core::upload::UploadPurpose;
use gongshi_core::{Email, Fields, IdNumber, Invalid, Mobile, Name, Uscc};
use gongshi_http::auth::read_each;
use gongshi_http::forms::{upload_key, verified_upload_in};
use gongshi_http::request::source_ip;
use gongshi_http::uploads::{PresignedUpload, UploadRequest, UploadView};
use gongshi_http::views::AppealView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::appeals::{self, Appeal, AppealState};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::codes;
use gongshi_store::rate::Limit;
use gongshi_store::units;
use gongshi_store::{calendar, digest};
use gongshi_workflow::uploads;
use gongshi_workflow::{OnConflict, otp};
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;

/// Working days the association has to answer.
pub const REPLY_WORKING_DAYS: u32 = 3;

gongshi_http::routes!(create, read, resend_code, presign, complete, submit);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns();

/// The appeal form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealInput {
    /// 统一社会信用代码.
    pub uscc: String,
    /// 单位名称.
    pub unit_name: String,
    /// 申诉人: the unit's new authorised contact.
    pub applicant_name: String,
    /// 申诉人身份证号.
    pub applicant_id_number: String,
    /// 申诉人手机: receives a code now, and the temporary password if the appeal is granted.
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
    /// Where the verification code went (masked); it is entered at submission.
    pub code_sent_to: String,
    /// Seconds before another code may be asked for.
    pub resend_after: i64,
}

/// A verification code sent to the appellant's mobile.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealCodeSent {
    /// Masked mobile.
    pub code_sent_to: String,
    /// Seconds before another code may be asked for.
    pub resend_after: i64,
}

/// The proofs to submit with.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealSubmit {
    /// A verified upload with purpose `business_licence`.
    pub licence_upload_id: String,
    /// A verified upload with purpose `authorisation_letter`.
    pub authorisation_upload_id: String,
    /// The 6-digit code sent to the appellant's mobile: proves the number the temporary
    /// password would go to.
    pub code: String,
}

const CODE_PURPOSE: &str = "APPEAL";
/// The code lasts while the proofs are being scanned and uploaded.
const CODE_LIFETIME: Duration = Duration::minutes(30);
/// Per mobile number: one a minute, ten a day.
const SEND_LIMIT: Limit = Limit {
    interval: Duration::minutes(1),
    per_day: 10,
};
/// Per caller address: a day's appeals from one network.
const ADDRESS_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 20,
};

/// Per unit credit code: a day's new appeals for one unit (a flood of appeals for one USCC
/// fills the association's queue and hides the real one; docs/SECURITY.md, finding 2).
const USCC_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 3,
};

/// The limits a code sending to `mobile` from `address` counts against.
fn limits<'a>(address: &'a str, mobile: &'a Mobile) -> [(&'static str, &'a str, Limit); 2] {
    [("APPEAL-IP", address, ADDRESS_LIMIT), ("SMS", mobile.as_str(), SEND_LIMIT)]
}

/// The writes of a fresh code for the appeal (any earlier one stops working) and of the
/// sending counted against `limits` (their counters read beforehand, in order): 429 when
/// a limit is reached. The code itself, to send once the writes are committed.
fn code_writes(
    p: &Platform,
    appeal: &Appeal,
    limits: &[(&str, &str, Limit)],
    counters: Vec<Option<gongshi_platform::Item>>,
) -> Result<(String, Vec<gongshi_platform::Write>), ApiError> {
    let mut writes = otp::sending_counted(p, limits, counters)?;
    let (code, _, stored) = otp::issue_write(p, CODE_PURPOSE, &appeal.id, CODE_LIFETIME);
    writes.push(stored);
    Ok((code, writes))
}

/// Sends the code to the appellant's mobile.
async fn send_code(p: &Platform, appeal: &Appeal, code: &str) -> Result<AppealCodeSent, ApiError> {
    let text = format!(
        "【执业公示系统】您正在为{}提交帐号申诉，验证码 {code}，30分钟内有效。如非本人操作，请忽略本短信。",
        appeal.unit_name.as_str()
    );
    p.sms.send(&appeal.applicant_mobile, &text).await?;
    Ok(AppealCodeSent {
        code_sent_to: appeal.applicant_mobile.masked(),
        resend_after: SEND_LIMIT.interval.whole_seconds(),
    })
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
    responses((status = 201, body = AppealCreated), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn create(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: AppealInput = json_body(req)?;
    let mut fields = Fields::default();
    let uscc = fields.check("uscc", Uscc::parse(&input.uscc));
    let unit_name = fields.check("unit_name", Name::parse(&input.unit_name));
    let applicant_name = fields.check("applicant_name", Name::parse(&input.applicant_name));
    let applicant_id_number = fields.check(
        "applicant_id_number",
        IdNumber::parse(&input.applicant_id_number, china_today(p.clock.now())),
    );
    let applicant_mobile = fields.check("applicant_mobile", Mobile::parse(&input.applicant_mobile));
    let contact_email = fields.check("contact_email", Email::parse(&input.contact_email));
    let reason = input.reason.trim();
    if !(10..=1000).contains(&reason.chars().count()) {
        fields.refuse("reason", Invalid::new("reason_length", "请说明申诉原因（10至1000个字符）"));
    }
    let (Some(uscc), Some(unit_name), Some(applicant_name), Some(applicant_id_number), Some(applicant_mobile), Some(contact_email), true) = (
        uscc,
        unit_name,
        applicant_name,
        applicant_id_number,
        applicant_mobile,
        contact_email,
        fields.is_ok(),
    ) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let now = p.clock.now();
    let token = p.ids.secret();
    let mut appeal = Appeal {
        id: p.ids.id(),
        state: AppealState::Draft,
        uscc,
        unit_id: None,
        unit_name,
        applicant_name,
        applicant_mobile,
        applicant_id_number: Some(applicant_id_number),
        mobile_verified_at: None,
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
    // The counters and the USCC's claim (which registered unit the appeal is about, kept for
    // the review) in one batch get; the appeal, its code and the counting in one transaction.
    let address = source_ip(req);
    let [by_address, by_mobile] = limits(&address, &appeal.applicant_mobile);
    let uscc = appeal.uscc.to_string();
    let limits = [by_address, by_mobile, ("APPEAL-USCC", uscc.as_str(), USCC_LIMIT)];
    let mut keys = otp::counter_keys(&limits);
    keys.push(units::uscc_key(&appeal.uscc));
    let mut counters = p.table.get_many(&keys).await.map_err(gongshi_store::StoreError::from)?;
    let claim: Option<units::UsccClaim> = counters.pop().flatten().map(gongshi_store::decode).transpose()?;
    appeal.unit_id = claim.and_then(|c| gongshi_store::entity::unit_of(&c.owner).map(str::to_owned));
    let (code, mut writes) = code_writes(p, &appeal, &limits, counters)?;
    writes.push(appeals::create_write(&appeal));
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::from(otp::counters_changed()))?;
    let sent = send_code(p, &appeal, &code).await?;
    json(
        201,
        &AppealCreated {
            appeal: AppealView::of(&appeal, china_today(now)),
            token,
            code_sent_to: sent.code_sent_to,
            resend_after: sent.resend_after,
        },
    )
}

/// Sends another verification code to the appellant's mobile (a draft appeal; one a minute).
#[utoipa::path(post, path = "/api/v1/appeals/{id}/code", tag = "appeals",
    params(("id" = String, Path, description = "Appeal id"), ("X-Appeal-Token" = String, Header, description = "The appeal's token")),
    responses((status = 202, body = AppealCodeSent), (status = 404, body = Problem), (status = 409, body = Problem), (status = 429, body = Problem)))]
async fn resend_code(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The appeal and the address's counter together; the mobile's counter once the appeal
    // names the mobile; the code and the counting in one transaction.
    let address = source_ip(req);
    let [appeal, address_counter] = gongshi_platform::get_each(
        p.table.as_ref(),
        [
            appeals::key(&path_param(req, "id")?),
            gongshi_store::rate::key("APPEAL-IP", &address),
        ],
    )
    .await
    .map_err(gongshi_store::StoreError::from)?;
    let appeal = check_token(p, req, appeal.map(gongshi_store::decode).transpose()?)?;
    if appeal.state != AppealState::Draft {
        return Err(ApiError::Conflict("state_conflict", "该申诉已提交".into()));
    }
    let limits = limits(&address, &appeal.applicant_mobile);
    let mobile_counter = p
        .table
        .get(&gongshi_store::rate::key("SMS", appeal.applicant_mobile.as_str()))
        .await
        .map_err(gongshi_store::StoreError::from)?;
    let (code, writes) = code_writes(p, &appeal, &limits, vec![address_counter, mobile_counter])?;
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::from(otp::counters_changed()))?;
    json(202, &send_code(p, &appeal, &code).await?)
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
    // The appeal, both proofs, the code and the working-day calendar in one batch get; the
    // body is parsed first to name the proofs (its errors are answered after the token).
    let id = path_param(req, "id")?;
    let input = json_body::<AppealSubmit>(req);
    let named = |f: fn(&AppealSubmit) -> &str| input.as_ref().map(|i| f(i).to_owned()).unwrap_or_default();
    let (licence_id, authorisation_id) = (named(|i| &i.licence_upload_id), named(|i| &i.authorisation_upload_id));
    // (The two proofs may name one upload: a batch reads it once.)
    let [appeal, licence, authorisation, code, calendar] = read_each(
        p,
        [
            appeals::key(&id),
            upload_key(&licence_id),
            upload_key(&authorisation_id),
            gongshi_store::codes::key(CODE_PURPOSE, &id),
            calendar::key(),
        ],
    )
    .await?;
    let mut appeal = check_token(p, req, appeal.map(gongshi_store::decode).transpose()?)?;
    if appeal.state != AppealState::Draft {
        return Err(ApiError::Conflict("state_conflict", "该申诉已提交".into()));
    }
    let input = input?;
    let mut fields = Fields::default();
    otp::check_format(&mut fields, &input.code);
    if !fields.is_ok() {
        return Err(ApiError::Invalid(fields.into_errors()));
    }
    let owner = appeals::entity(&appeal.id);
    let licence = verified_upload_in(licence, &owner, "licence_upload_id", UploadPurpose::BusinessLicence)?;
    let authorisation = verified_upload_in(authorisation, &owner, "authorisation_upload_id", UploadPurpose::AuthorisationLetter)?;
    let code = otp::verify_read(p, code, CODE_PURPOSE, &appeal.id, &input.code).await?;
    let now = p.clock.now();
    let today = china_today(now);
    let calendar = calendar::of(calendar)?.calendar();
    let expected = appeal.version;
    appeal.state = AppealState::Submitted;
    appeal.mobile_verified_at = Some(now);
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
        codes::consume(&code),
        appeals::replace(&appeal, expected),
        gongshi_store::uploads::attach(&licence.upload_id, &owner, &owner),
        gongshi_store::uploads::attach(&authorisation.upload_id, &owner, &owner),
        audit::record(&entry, &p.ids.id()),
    ];
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("state_conflict", "该申诉已提交，或验证码已使用".into()))?;
    json(200, &AppealView::of(&appeal, today))
}

//! The signed scan and the confirmation code (F14, manual §3.3.1 第三步: "申报单经执业人本人、单位
//! 授权人签字，加盖单位公章，拍照后，上传。同时系统会给执业人发送一条确认短信（24 小时有效）"). The
//! unit uploads the scan through a presigned PUT (purpose `signed_form`), then attaches it
//! here: the file is verified, the application awaits the practitioner's confirmation and a
//! 6-digit code goes to the person's verified mobile. The unit may have the code sent again,
//! rate limited, while the deadline lasts. A new code is valid 24 hours, never past the
//! deadline. A cancellation (注销) has no confirmation: its stamped form sends it to review.
//! A corrected scan of an application returned for correction (退回补正) sends it back to
//! review too: the practitioner confirmed the person, unit and items, which a correction
//! cannot change.

use gongshi_core::Mobile;
use gongshi_core::practice::{ApplicationKind, ApplicationState, Step};
use gongshi_core::upload::UploadPurpose;
use gongshi_http::applications::{self as app_views, ApplicationView};
use gongshi_http::forms::{upload_key, verified_upload_in};
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, path_param};
use gongshi_platform::{Platform, Write};
use gongshi_store::applications::{self, Application};
use gongshi_store::audit::AuditEntry;
use gongshi_store::rate::{self, Limit};
use gongshi_store::{practitioners, uploads};
use gongshi_workflow::applications::{self as steps, CONFIRM_PURPOSE, changed_meanwhile, not_allowed};
use gongshi_workflow::{OnConflict, expiry, otp};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

gongshi_http::routes!(attach_scan, resend_code);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// Codes sent per application: one a minute, five a day.
const SEND_LIMIT: Limit = Limit {
    interval: Duration::minutes(1),
    per_day: 5,
};

/// The verified upload of the signed, stamped form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScanInput {
    /// An upload with purpose `signed_form` (JPEG, PNG or PDF).
    pub upload_id: String,
}

/// A code was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmationCodeSent {
    /// The practitioner's mobile, masked.
    pub sent_to: String,
    /// Until when the code is valid.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub code_expires_at: OffsetDateTime,
}

/// The person's verified mobile as it is now (they may have changed it since submission) and
/// the application's send counter, in one batch get; with the write that counts this send.
async fn mobile_and_count(p: &Platform, app: &Application) -> Result<(Mobile, Write), ApiError> {
    let [mobile, counter] = gongshi_platform::get_each(
        p.table.as_ref(),
        [practitioners::mobile_key(&app.person.id_number), rate::key("CONFIRM-SMS", &app.id)],
    )
    .await
    .map_err(gongshi_store::StoreError::from)?;
    let mobile = mobile
        .map(gongshi_store::decode::<practitioners::VerifiedMobile>)
        .transpose()?
        .map(|m| m.mobile)
        .ok_or_else(|| {
            ApiError::Conflict(
                "mobile_not_registered",
                "该执业人尚未登记手机号码，无法发送确认短信，请提醒其本人完成登记".into(),
            )
        })?;
    match rate::plan(counter, "CONFIRM-SMS", &app.id, SEND_LIMIT, p.clock.now())? {
        Ok(counted) => Ok((mobile, counted)),
        Err(wait) => Err(ApiError::TooManyRequests(
            "rate_limited",
            format!("确认短信发送过于频繁，请 {wait} 秒后再试"),
            wait,
        )),
    }
}

/// A code valid 24 hours (never past the deadline): the code, its expiry and the write that
/// stores it (with the step that sends it).
fn new_code(p: &Platform, app: &Application) -> (String, OffsetDateTime, Write) {
    let now = p.clock.now();
    let lifetime = p.config.periods.confirmation_code.min(app.deadline - now);
    let (code, expires_at, write) = otp::issue_write(p, CONFIRM_PURPOSE, app.person.id_number.as_str(), lifetime);
    (code, OffsetDateTime::from_unix_timestamp(expires_at).unwrap_or(now), write)
}

/// Texts the code to the person.
async fn send_code(p: &Platform, app: &Application, mobile: &Mobile, code: &str, expires: OffsetDateTime) -> Result<(), ApiError> {
    let text = format!(
        "【执业公示系统】{}申请为您办理{}执业公示（申报单 {}），确认码 {code}，{}前有效。确认请访问 {}/confirm 输入身份证号和确认码；如非本人意愿，请勿确认。",
        app.unit_name,
        app.kind.label(),
        app.number,
        expires
            .to_offset(time::macros::offset!(+8))
            .format(time::macros::format_description!("[month]月[day]日[hour]:[minute]"))
            .unwrap_or_default(),
        p.config.public_base_url.trim_end_matches('/'),
    );
    p.sms.send(mobile, &text).await?;
    Ok(())
}

/// Attaches the signed scan: the application awaits the practitioner's confirmation and the
/// code is sent. A new scan while awaiting confirmation replaces the old one.
#[utoipa::path(post, path = "/api/v1/unit/applications/{id}/scan", tag = "publicity", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ScanInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn attach_scan(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    // The scan the body names is read with the caller and the application; a bad body is
    // answered once the caller is authorised.
    let input = json_body::<ScanInput>(req);
    let upload_id = input.as_ref().map(|i| i.upload_id.clone()).unwrap_or_default();
    let (caller, unit_id, app, upload) = app_views::authenticate_own_with(p, req, &id, upload_key(&upload_id)).await?;
    input?;
    let current = app.state_at(p.clock.now());
    if current.after(app.kind, Step::UploadScan).is_none() {
        if current == ApplicationState::Expired {
            expiry::expire_if_due(p, &app.id).await?;
        }
        return Err(not_allowed(p, &app, current).into());
    }
    let owner = gongshi_store::entity::unit(&unit_id);
    let scan = verified_upload_in(upload, &owner, "upload_id", UploadPurpose::SignedForm)?;
    // A cancellation goes to review with its stamped form; the others wait for the person.
    // A cancellation needs no confirmation; a corrected scan (退回补正) goes back to review
    // on the confirmation already given.
    let sending = if app.kind == ApplicationKind::Cancellation || current == ApplicationState::Returned {
        None
    } else {
        let (mobile, counted) = mobile_and_count(p, &app).await?;
        let (code, expires, stored) = new_code(p, &app);
        Some((mobile, code, expires, [counted, stored]))
    };
    let mobile = sending.as_ref().map(|(mobile, ..)| mobile.clone());
    let now = p.clock.now();
    let transition = steps::advance(p, &app, Step::UploadScan, caller.username(), Some(scan.file_name.clone()), |next| {
        next.scan = Some(scan.clone());
        if current == ApplicationState::Returned
            && let Some(open) = next.corrections.last_mut()
        {
            open.corrected_at = Some(now);
        }
        if let Some(mobile) = &mobile {
            next.code_sent_at = Some(now);
            next.person.mobile = Some(mobile.clone());
        }
    })?;
    let mut writes = transition.writes;
    writes.push(uploads::attach(&scan.upload_id, &owner, &app.entity()));
    let sms = sending.map(|(mobile, code, expires, code_writes)| {
        writes.extend(code_writes);
        (mobile, code, expires)
    });
    p.table.transact(writes).await.on_conflict(changed_meanwhile)?;
    if let Some((mobile, code, expires)) = &sms {
        send_code(p, &transition.next, mobile, code, *expires).await?;
    }
    json(200, &app_views::view_of(p, &transition.next))
}

/// Sends the confirmation code again (while the application awaits confirmation).
#[utoipa::path(post, path = "/api/v1/unit/applications/{id}/confirmation-code", tag = "publicity", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 202, body = ConfirmationCodeSent), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 429, body = Problem)))]
async fn resend_code(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (caller, _, app) = app_views::authenticate_own(p, req, &id).await?;
    let current = app.state_at(p.clock.now());
    if current != ApplicationState::AwaitingConfirmation {
        if current == ApplicationState::Expired {
            expiry::expire_if_due(p, &app.id).await?;
        }
        return Err(not_allowed(p, &app, current).into());
    }
    let (mobile, counted) = mobile_and_count(p, &app).await?;
    let (code, code_expires_at, stored) = new_code(p, &app);
    let now = p.clock.now();
    let mut next = app.clone();
    next.code_sent_at = Some(now);
    next.person.mobile = Some(mobile.clone());
    next.version += 1;
    let entry = AuditEntry {
        entity: app.entity(),
        action: "application.code_resent".into(),
        actor: caller.username().into(),
        from: Some(current.as_str().into()),
        to: Some(current.as_str().into()),
        reason: Some(format!("确认短信已重新发送至 {}", mobile.masked())),
        at: now,
    };
    let audit = next.record(entry, &p.ids.id());
    p.table
        .transact(vec![applications::replace(&next, app.version), audit, counted, stored])
        .await
        .on_conflict(changed_meanwhile)?;
    send_code(p, &next, &mobile, &code, code_expires_at).await?;
    json(
        202,
        &ConfirmationCodeSent {
            sent_to: mobile.masked(),
            code_expires_at,
        },
    )
}

//! Practitioner mobile registration and change (F20, manual §4: "执业人本人更换手机号码，并应
//! 及时按此试修改相关信息"). Public: the person gives ID number, name and the new mobile; a
//! code goes to that mobile; with the code the number is recorded as verified. Confirmation
//! codes of applications go to this number. Sending is rate limited per number and caller.

use gongshi_core::china_today;
use gongshi_core::{Fields, IdNumber, Mobile, Name};
use gongshi_http::request::source_ip;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::codes;
use gongshi_store::practitioners::{self, VerifiedMobile};
use gongshi_store::rate::Limit;
use gongshi_workflow::OnConflict;
use gongshi_workflow::otp;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

gongshi_http::routes!(send_code, register);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

const PURPOSE: &str = "MOBILE";
const CODE_LIFETIME: Duration = Duration::minutes(10);
/// Per mobile number: one a minute, ten a day.
const SEND_LIMIT: Limit = Limit {
    interval: Duration::minutes(1),
    per_day: 10,
};
/// Per caller address: many people may register from one office network.
const ADDRESS_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 50,
};

/// Who asks to register which number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MobileCodeRequest {
    /// 身份证号.
    pub id_number: String,
    /// 姓名, as in the personnel registry.
    pub name: String,
    /// The mobile to register.
    pub mobile: String,
}

/// A code was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct MobileCodeSent {
    /// `138****8000`.
    pub sent_to: String,
    /// Until when the code is valid.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
    /// Seconds before another code may be sent.
    pub resend_after: i64,
}

/// The code from the SMS.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MobileRegistration {
    /// 身份证号.
    pub id_number: String,
    /// 姓名.
    pub name: String,
    /// The mobile the code went to.
    pub mobile: String,
    /// 6 digits.
    pub code: String,
}

/// The registered number.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredMobile {
    /// 姓名.
    pub name: String,
    /// `138****8000`.
    pub mobile_masked: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub verified_at: OffsetDateTime,
}

fn not_found() -> ApiError {
    ApiError::NotFound(
        "practitioner_not_found",
        "未查询到该人员的资格证书信息，请核对身份证号和姓名".into(),
    )
}

fn parse(p: &Platform, id_number: &str, name: &str, mobile: &str, code: Option<&str>) -> Result<(IdNumber, Name, Mobile), ApiError> {
    let mut fields = Fields::default();
    let id_number = fields.check("id_number", IdNumber::parse(id_number, china_today(p.clock.now())));
    let name = fields.check("name", Name::parse(name));
    let mobile = fields.check("mobile", Mobile::parse(mobile));
    if let Some(code) = code {
        otp::check_format(&mut fields, code);
    }
    match (id_number, name, mobile) {
        (Some(i), Some(n), Some(m)) if fields.is_ok() => Ok((i, n, m)),
        _ => Err(ApiError::Invalid(fields.into_errors())),
    }
}

/// The code's subject: the person and the number, so a code proves exactly that pair.
fn subject(id_number: &IdNumber, mobile: &Mobile) -> String {
    format!("{}#{}", id_number.as_str(), mobile.as_str())
}

/// Sends a verification code to the mobile the person wants to register.
#[utoipa::path(post, path = "/api/v1/practitioners/mobile/code", tag = "practitioner", request_body = MobileCodeRequest,
    responses((status = 202, body = MobileCodeSent), (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn send_code(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: MobileCodeRequest = json_body(req)?;
    let (id_number, name, mobile) = parse(p, &input.id_number, &input.name, &input.mobile, None)?;
    let now = p.clock.now();
    let address = source_ip(req);
    let limits = [("MOBILE-IP", address.as_str(), ADDRESS_LIMIT), ("SMS", mobile.as_str(), SEND_LIMIT)];
    // The counters and the person's registry name in one batch get; the counters are written
    // with the code (a person not found still costs an attempt: written alone).
    let mut keys = otp::counter_keys(&limits);
    keys.push(practitioners::profile_key(&id_number));
    let mut found = p.table.get_many(&keys).await.map_err(gongshi_store::StoreError::from)?;
    let profile = found
        .pop()
        .flatten()
        .map(gongshi_store::decode::<practitioners::Profile>)
        .transpose()?;
    let mut writes = otp::sending_counted(p, &limits, found)?;
    if profile.as_ref().is_none_or(|profile| profile.name != name) {
        p.table
            .transact(writes)
            .await
            .on_conflict(|| ApiError::from(otp::counters_changed()))?;
        return Err(not_found());
    }
    let (code, expires_at, stored) = otp::issue_write(p, PURPOSE, &subject(&id_number, &mobile), CODE_LIFETIME);
    writes.push(stored);
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::from(otp::counters_changed()))?;
    let text = format!("【执业公示系统】您正在登记执业人手机号码，验证码 {code}，10分钟内有效。如非本人操作，请忽略本短信。");
    p.sms.send(&mobile, &text).await?;
    json(
        202,
        &MobileCodeSent {
            sent_to: mobile.masked(),
            expires_at: OffsetDateTime::from_unix_timestamp(expires_at).unwrap_or(now),
            resend_after: SEND_LIMIT.interval.whole_seconds(),
        },
    )
}

/// Records the mobile as the person's verified number (replacing an earlier one).
#[utoipa::path(post, path = "/api/v1/practitioners/mobile", tag = "practitioner", request_body = MobileRegistration,
    responses((status = 200, body = RegisteredMobile), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn register(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: MobileRegistration = json_body(req)?;
    let (id_number, name, mobile) = parse(p, &input.id_number, &input.name, &input.mobile, Some(&input.code))?;
    // The code, the registry name and the current number in one batch get.
    let [code, profile, current, publicity] = gongshi_platform::get_each(
        p.table.as_ref(),
        [
            codes::key(PURPOSE, &subject(&id_number, &mobile)),
            practitioners::profile_key(&id_number),
            practitioners::mobile_key(&id_number),
            practitioners::publicity_key(&id_number),
        ],
    )
    .await
    .map_err(gongshi_store::StoreError::from)?;
    let pending = otp::verify_read(p, code, PURPOSE, &subject(&id_number, &mobile), &input.code).await?;
    let profile = profile.map(gongshi_store::decode::<practitioners::Profile>).transpose()?;
    if profile.as_ref().is_none_or(|profile| profile.name != name) {
        return Err(not_found());
    }
    let current = current.map(gongshi_store::decode::<VerifiedMobile>).transpose()?;
    let now = p.clock.now();
    let entry = AuditEntry {
        entity: practitioners::partition(&id_number),
        action: "practitioner.mobile_registered".into(),
        actor: "practitioner".into(),
        from: current.as_ref().map(|m| m.mobile.masked()),
        to: Some(mobile.masked()),
        reason: None,
        at: now,
    };
    let verified = VerifiedMobile {
        mobile: mobile.clone(),
        verified_at: now,
    };
    // The code is used up in the same transaction, so a replayed request finds no code (409).
    let mut writes = vec![
        codes::consume(&pending),
        practitioners::put_mobile(&id_number, &verified),
        audit::record(&entry, &p.ids.id()),
    ];
    // The unit where the person practises counts them as reachable from now on.
    if let Some(record) = practitioners::publicity_of(publicity)?
        && !record.publicity.cancelled
        && record.publicity.ended_on.is_none()
    {
        writes.push(practitioners::unit_publicity_has_mobile(&record));
    }
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("code_used", "验证码已使用，请重新获取".into()))?;
    json(
        200,
        &RegisteredMobile {
            name: name.as_str().into(),
            mobile_masked: mobile.masked(),
            verified_at: now,
        },
    )
}

//! Password recovery by SMS (F4, manual §2.3.1): username, USCC and the authorised contact's
//! mobile must all match the records ("输入内容应与系统中一致") before a 6-digit code goes to
//! that mobile; the code (10 minutes, 5 tries) and a new password reset the unit admin's
//! password and end every session of the account.
//!
//! A mismatch gets one neutral answer that names no field, and every attempt counts against
//! the sending limits (per phone number and per caller address: one a minute, ten a day), so
//! the form cannot be used to probe accounts.

use gongshi_core::account::AccountStatus;
use gongshi_core::password::NewPassword;
use gongshi_core::{Fields, Mobile, Uscc, Username};
use gongshi_http::request::source_ip;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, no_content};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::codes;
use gongshi_store::rate::Limit;
use gongshi_store::{accounts, units};
use gongshi_workflow::otp;
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;

gongshi_http::routes!(send_code, reset);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

const PURPOSE: &str = "RESET";
const CODE_LIFETIME: Duration = Duration::minutes(10);
const SEND_LIMIT: Limit = Limit {
    interval: Duration::minutes(1),
    per_day: 10,
};

/// Who asks: the three facts that must match the records.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecoveryCodeRequest {
    /// 用户名.
    pub username: String,
    /// 统一社会信用代码 of the unit.
    pub uscc: String,
    /// 授权联系人手机号 as registered.
    pub mobile: String,
}

/// Where the code went.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodeSent {
    /// `138****8000`.
    pub mobile_masked: String,
    /// Seconds the code stays valid.
    pub expires_in: i64,
    /// Seconds before another code may be sent.
    pub resend_after: i64,
}

/// The code and the new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    /// 用户名.
    pub username: String,
    /// The 6-digit code from the SMS.
    pub code: String,
    /// 新密码: 8–64 characters with letters and digits.
    pub new_password: String,
}

fn mismatch() -> ApiError {
    ApiError::Unprocessable(
        "recovery_mismatch",
        "输入的信息与系统中登记的不一致，无法发送验证码。如授权联系人手机号已变更，请提交帐号申诉。".into(),
    )
}

fn rate_limited(seconds: u64) -> ApiError {
    ApiError::TooManyRequests("rate_limited", format!("获取验证码过于频繁，请 {seconds} 秒后再试"), seconds)
}

/// Checks the three facts and sends a code to the contact's mobile.
#[utoipa::path(post, path = "/api/v1/password-recovery/code", tag = "password recovery", request_body = RecoveryCodeRequest,
    responses((status = 202, body = RecoveryCodeSent), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn send_code(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: RecoveryCodeRequest = json_body(req)?;
    let mut fields = Fields::default();
    let username = fields.check("username", Username::parse(&input.username));
    let uscc = fields.check("uscc", Uscc::parse(&input.uscc));
    let mobile = fields.check("mobile", Mobile::parse(&input.mobile));
    let (Some(username), Some(uscc), Some(mobile), true) = (username, uscc, mobile, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let address = source_ip(req);
    let limits = [("SMS-IP", address.as_str(), SEND_LIMIT), ("SMS", mobile.as_str(), SEND_LIMIT)];
    // The counters and the account in one batch get, then the unit; the counters are written
    // with the code (a mismatch costs an attempt too, written alone). A counter another
    // request wrote meanwhile fails the transaction: read again and count again.
    const ATTEMPTS: usize = 8;
    for _ in 0..ATTEMPTS {
        let mut keys = otp::counter_keys(&limits);
        keys.push(accounts::key(username.as_str()));
        let mut found = p.table.get_many(&keys).await.map_err(gongshi_store::StoreError::from)?;
        let account = found
            .pop()
            .flatten()
            .map(gongshi_store::decode::<accounts::Account>)
            .transpose()?
            .filter(|a| a.status == AccountStatus::Active && a.role.is_unit());
        let mut writes = otp::sending_counted(p, &limits, found)?;
        let unit = match account.as_ref().and_then(|a| a.unit_id.as_deref()) {
            Some(unit_id) => units::get(p.table.as_ref(), unit_id).await?,
            None => None,
        };
        let Some(unit) = unit.filter(|u| u.uscc == uscc && u.contact.mobile == mobile) else {
            match p.table.transact(writes).await {
                Err(gongshi_platform::TableError::ConditionFailed) => continue,
                counted => counted.map_err(gongshi_store::StoreError::from)?,
            }
            tracing::warn!("password recovery refused: details do not match");
            return Err(mismatch());
        };
        let (code, _, issued) = otp::issue_write(p, PURPOSE, username.as_str(), CODE_LIFETIME);
        writes.push(issued);
        match p.table.transact(writes).await {
            Err(gongshi_platform::TableError::ConditionFailed) => continue,
            counted => counted.map_err(gongshi_store::StoreError::from)?,
        }
        return sent(p, &username, &unit, &mobile, &code).await;
    }
    Err(rate_limited(1))
}

/// Sends the recovery code to the unit's contact and answers 202.
async fn sent(p: &Platform, username: &Username, unit: &units::Unit, mobile: &Mobile, code: &str) -> Result<Response<Body>, ApiError> {
    let text = format!(
        "【执业公示系统】您正在找回帐号 {} 的登录密码，验证码 {code}，10分钟内有效。如非本单位操作，请忽略本短信。",
        username.as_str()
    );
    p.sms.send(&unit.contact.mobile, &text).await?;
    json(
        202,
        &RecoveryCodeSent {
            mobile_masked: mobile.masked(),
            expires_in: CODE_LIFETIME.whole_seconds(),
            resend_after: SEND_LIMIT.interval.whole_seconds(),
        },
    )
}

fn code_error(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(vec![gongshi_core::FieldError::new("code", code, message)])
}

/// Checks the code and sets the new password; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/password-recovery/reset", tag = "password recovery", request_body = PasswordResetRequest,
    responses((status = 204, description = "Password reset"), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reset(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: PasswordResetRequest = json_body(req)?;
    let mut fields = Fields::default();
    let username = fields.check("username", Username::parse(&input.username));
    otp::check_format(&mut fields, &input.code);
    let password = fields.check("new_password", NewPassword::parse(&input.new_password));
    let (Some(username), Some(password), true) = (username, password, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    // The code and the account in one batch get.
    let [code_item, account] = gongshi_platform::get_each(
        p.table.as_ref(),
        [codes::key(PURPOSE, username.as_str()), accounts::key(username.as_str())],
    )
    .await
    .map_err(gongshi_store::StoreError::from)?;
    let pending = otp::verify_read(p, code_item, PURPOSE, username.as_str(), &input.code).await?;
    let now = p.clock.now();
    let Some(mut account) = account.map(gongshi_store::decode::<accounts::Account>).transpose()? else {
        return Err(code_error("code_expired", "验证码已过期或未获取，请重新获取"));
    };
    let expected = account.version;
    account.password_hash = password.hash();
    account.token_version += 1;
    account.password_change = None;
    account.failed_logins = 0;
    account.locked_until = None;
    account.version += 1;
    let entry = AuditEntry {
        entity: gongshi_store::entity::account(&account.username),
        action: "account.password_recovered".into(),
        actor: account.username.clone(),
        from: None,
        to: None,
        reason: Some("短信验证找回密码".into()),
        at: now,
    };
    p.table
        .transact(vec![
            codes::consume(&pending),
            accounts::replace(&account, expected),
            audit::record(&entry, &p.ids.id()),
        ])
        .await?;
    no_content()
}

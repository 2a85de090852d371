//! Login (F3), token refresh, logout and the caller's own account and unit.
//!
//! Wrong passwords are counted per account; after `login_max_failures` in a row the account
//! is locked for `login_lockout` (429 with Retry-After). Unknown usernames, wrong passwords
//! and the wrong user type all get the same answer, so usernames cannot be probed.

use gongshi_core::account::AccountStatus;
use gongshi_core::account::PasswordChangeReason;
use gongshi_core::password;
use gongshi_core::password::NewPassword;
use gongshi_core::registration::RegistrationState;
use gongshi_core::{FieldError, Fields, Invalid};
use gongshi_http::auth::{authenticate_to_change_password, start_session};
use gongshi_http::request::source_ip;
use gongshi_http::views::{Account, Session};
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, no_content};
use gongshi_platform::Platform;
use gongshi_store::accounts::PasswordChange;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::rate::{self, Limit};
use gongshi_store::{StoreError, accounts, branches, digest, login_failures, registrations, sessions, units};
use gongshi_workflow::OnConflict;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

// The routes of this function: the OpenAPI part and the Lambda handler.
gongshi_http::routes!(login, refresh, logout, me, change_password);

/// 单位用户 or 协会用户 (manual §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserType {
    /// 单位用户.
    Unit,
    /// 协会用户.
    Association,
}

/// Login form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// 用户名.
    pub username: String,
    /// 密码.
    pub password: String,
    /// 用户类型.
    pub user_type: UserType,
}

/// A refresh token being exchanged or ended.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// `<session id>.<secret>` from the last login or refresh.
    pub refresh_token: String,
}

/// The caller's unit, as shown on the unit home.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unit {
    /// Id.
    pub id: String,
    /// 单位名称.
    pub name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 法定代表人.
    pub legal_representative: String,
    /// 单位地址.
    pub address: String,
    /// 邮政编码.
    pub postcode: String,
    /// 授权联系人.
    pub contact_name: String,
    /// 授权联系人手机 (masked).
    pub contact_mobile_masked: String,
    /// `active`.
    pub state: String,
    /// Approved.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub approved_at: OffsetDateTime,
}

/// The caller: account and, for unit accounts, the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The account.
    pub account: Account,
    /// The unit of a unit account.
    pub unit: Option<Unit>,
    /// The branch (二级单位) of a branch account, so its pages can name it.
    pub branch: Option<MyBranch>,
}

/// A branch account's branch.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyBranch {
    /// Branch id.
    pub id: String,
    /// 二级单位名称.
    pub name: String,
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized("invalid_credentials", "用户名或密码错误".into())
}

fn locked(until: OffsetDateTime, now: OffsetDateTime) -> ApiError {
    let seconds = (until - now).whole_seconds().max(1) as u64;
    let minutes = seconds.div_ceil(60);
    ApiError::TooManyRequests(
        "account_locked",
        format!("密码错误次数过多，帐号已锁定，请 {minutes} 分钟后再试"),
        seconds,
    )
}

/// Logs in with username, password and user type.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn login(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: LoginRequest = json_body(req)?;
    let mut missing = Vec::new();
    if input.username.trim().is_empty() {
        missing.push(gongshi_core::FieldError::new("username", "required", "请输入用户名"));
    }
    if input.password.is_empty() {
        missing.push(gongshi_core::FieldError::new("password", "required", "请输入密码"));
    }
    if !missing.is_empty() {
        return Err(ApiError::Invalid(missing));
    }
    let now = p.clock.now();
    let address = source_ip(req);
    let username = input.username.trim().to_ascii_lowercase();
    // One batch get: the address's failures today, the account, an unknown name's failures.
    // A failure is counted (address and name) in one transaction.
    let [address_counter, account, unknown] = gongshi_platform::get_each(
        p.table.as_ref(),
        [
            rate::key("LOGIN-IP", &address),
            accounts::key(&username),
            login_failures::key(&username),
        ],
    )
    .await
    .map_err(StoreError::from)?;
    if let Some(wait) = rate::exhausted_of(address_counter.clone(), address_failures(p), now)? {
        return Err(ApiError::TooManyRequests(
            "rate_limited",
            "该网络地址今日登录失败次数过多，请明日再试或通过“找回密码”重置".into(),
            wait,
        ));
    }
    // Past the limit nothing more is counted; the next login is refused before it is tried.
    let address_failure = rate::plan(address_counter, "LOGIN-IP", &address, address_failures(p), now)?.ok();
    let found = account
        .map(gongshi_store::decode::<accounts::Account>)
        .transpose()?
        .filter(|a| !a.is_expired_reservation(now));
    let Some(mut account) = found else {
        password::verify_against_dummy(&input.password);
        let failures = login_failures::of(unknown, now)?;
        return Err(count_unknown_failure(p, &username, failures, (&address, address_failure), now).await?);
    };
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Err(locked(until, now));
    }
    let expected = account.version;
    let verified = match &account.legacy_hash {
        Some(legacy) => legacy.verify(&input.password),
        None => password::verify(&input.password, &account.password_hash),
    };
    if !verified {
        return Err(count_failure(p, account, (&address, address_failure), now).await?);
    }
    let unit_side = account.status == AccountStatus::Pending || account.role.is_unit();
    if unit_side != (input.user_type == UserType::Unit) {
        return Err(invalid_credentials());
    }
    if account.password_change.as_ref().is_some_and(|c| c.has_expired(now)) {
        return Err(ApiError::Forbidden(
            "temporary_password_expired",
            "临时密码已过期，请通过“找回密码”或联系单位管理员重新设置".into(),
        ));
    }
    match account.status {
        AccountStatus::Disabled => {
            return Err(ApiError::Forbidden(
                "account_disabled",
                "该帐号已停用，请联系单位管理员或协会".into(),
            ));
        }
        AccountStatus::Pending => {
            let registration_id = account.registration_id.clone().unwrap_or_default();
            let registration = registrations::get(p.table.as_ref(), &registration_id).await?;
            if registration.is_some_and(|r| r.state == RegistrationState::Submitted) {
                return Err(ApiError::Forbidden(
                    "registration_pending",
                    "注册申请正在审核中，审核结果将以短信和邮件通知授权联系人".into(),
                ));
            }
        }
        AccountStatus::Active => {}
    }
    // A branch account logs in only while its branch is enabled: checked in the session's
    // transaction (no read before it, and no race with the branch being disabled meanwhile).
    let branch = match (&account.branch_id, &account.unit_id) {
        (Some(branch), Some(unit)) if account.status == AccountStatus::Active => Some(branches::key(unit, branch)),
        _ => None,
    };
    let weak_legacy = account.legacy_hash.is_some() && NewPassword::parse(&input.password).is_err();
    if weak_legacy {
        // The old system allowed passwords today's rule refuses: the first login sets a new one.
        account.password_change = Some(PasswordChange {
            reason: PasswordChangeReason::WeakLegacy,
            usable_until: None,
        });
    }
    let (session, session_write) = start_session(p, &account)?;
    let mut writes = vec![session_write];
    if account.failed_logins > 0 || account.locked_until.is_some() || account.legacy_hash.is_some() {
        if account.legacy_hash.take().is_some() {
            // The old system's hash is replaced by argon2id of the password just proven.
            account.password_hash = password::hash(&input.password);
            tracing::info!(weak = weak_legacy, "legacy password hash upgraded");
        }
        account.failed_logins = 0;
        account.locked_until = None;
        account.version += 1;
        writes.push(accounts::replace(&account, expected));
    }
    if let Some(key) = &branch {
        writes.push(gongshi_platform::Write::Check {
            key: key.clone(),
            condition: gongshi_platform::Condition::equals("enabled", true),
        });
    }
    match p.table.transact(writes).await {
        Ok(()) => json(200, &session),
        Err(gongshi_platform::TableError::ConditionFailed) if branch.is_some() => {
            let branch_id = account.branch_id.as_deref().unwrap_or_default();
            let unit_id = account.unit_id.as_deref().unwrap_or_default();
            if branches::get(p.table.as_ref(), unit_id, branch_id)
                .await?
                .is_some_and(|b| b.enabled)
            {
                Err(StoreError::Conflict.into())
            } else {
                Err(ApiError::Forbidden(
                    "branch_disabled",
                    "所属二级单位已停用，请联系单位管理员".into(),
                ))
            }
        }
        Err(other) => Err(StoreError::from(other).into()),
    }
}

/// Counts a wrong password against the account and locks it at the limit. Wrong passwords
/// racing each other are each counted (the loser of the version race reads the account
/// again), so parallel guesses cannot slip past the lockout, and none is answered with a
/// conflict that would tell an existing account from an unknown one.
async fn count_failure(
    p: &Platform,
    mut account: accounts::Account,
    (address, address_failure): (&str, Option<gongshi_platform::Write>),
    now: OffsetDateTime,
) -> Result<ApiError, ApiError> {
    const ATTEMPTS: usize = 8;
    // The address's failure is written with the first try; after a lost race it is counted
    // on its own (its counter may have been the one that changed).
    let mut address_failure = address_failure;
    for _ in 0..ATTEMPTS {
        if let Some(until) = account.locked_until.filter(|until| *until > now) {
            return Ok(locked(until, now));
        }
        let expected = account.version;
        account.failed_logins += 1;
        account.version += 1;
        let now_locked = account.failed_logins >= p.config.login_max_failures;
        if now_locked {
            account.failed_logins = 0;
            account.locked_until = Some(now + p.config.login_lockout);
        }
        let mut writes = vec![accounts::replace(&account, expected)];
        writes.extend(address_failure.clone());
        match p.table.transact(writes).await.map_err(StoreError::from) {
            Ok(()) => {
                tracing::warn!(locked = now_locked, "failed login");
                return Ok(match account.locked_until {
                    Some(until) if now_locked => locked(until, now),
                    _ => invalid_credentials(),
                });
            }
            Err(StoreError::Conflict) => {
                if address_failure.take().is_some() {
                    count_address_failure(p, address, now).await?;
                }
                match accounts::get(p.table.as_ref(), &account.username).await? {
                    Some(current) => account = current,
                    None => return Ok(invalid_credentials()),
                }
            }
            Err(error) => return Err(error.into()),
        }
    }
    tracing::warn!("failed login not counted: the account kept changing");
    Ok(invalid_credentials())
}

/// Wrong logins one caller address may make in a (China) day, over all usernames.
fn address_failures(p: &Platform) -> Limit {
    Limit {
        interval: time::Duration::ZERO,
        per_day: p.config.login_address_failures,
    }
}

async fn count_address_failure(p: &Platform, address: &str, now: OffsetDateTime) -> Result<(), ApiError> {
    // Past the limit nothing more is counted; the next login is refused before it is tried.
    let _ = rate::hit(p.table.as_ref(), "LOGIN-IP", address, address_failures(p), now).await?;
    Ok(())
}

/// Counts a wrong login for a username without an account exactly as [`count_failure`]
/// counts one for an account, so that both answer alike (401, then 429 `account_locked`).
async fn count_unknown_failure(
    p: &Platform,
    username: &str,
    read: login_failures::Failures,
    (address, address_failure): (&str, Option<gongshi_platform::Write>),
    now: OffsetDateTime,
) -> Result<ApiError, ApiError> {
    const ATTEMPTS: usize = 8;
    let mut read = Some(read);
    let mut address_failure = address_failure;
    for _ in 0..ATTEMPTS {
        let mut failures = match read.take() {
            Some(failures) => failures,
            None => login_failures::get(p.table.as_ref(), username, now).await?,
        };
        if let Some(until) = failures
            .locked_until
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
            .filter(|until| *until > now)
        {
            return Ok(locked(until, now));
        }
        let expected = failures.version;
        failures.failed += 1;
        failures.version += 1;
        let now_locked = failures.failed >= p.config.login_max_failures;
        if now_locked {
            failures.failed = 0;
            failures.locked_until = Some((now + p.config.login_lockout).unix_timestamp());
        }
        let mut writes = vec![login_failures::save_write(username, &failures, expected, now)];
        writes.extend(address_failure.clone());
        match p.table.transact(writes).await.map_err(StoreError::from) {
            Ok(()) => {
                tracing::warn!(locked = now_locked, "failed login");
                return Ok(if now_locked {
                    locked(now + p.config.login_lockout, now)
                } else {
                    invalid_credentials()
                });
            }
            Err(StoreError::Conflict) => {
                if address_failure.take().is_some() {
                    count_address_failure(p, address, now).await?;
                }
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(invalid_credentials())
}

fn split_refresh_token(token: &str) -> Result<(&str, &str, Option<String>), ApiError> {
    gongshi_http::auth::parse_refresh_token(token).ok_or_else(|| ApiError::field("refresh_token", "invalid_value", "刷新凭证格式不正确"))
}

/// The session of a refresh token and its account: one batch get when the token names the
/// account (tokens issued before it did: the session first, then its account).
async fn session_and_account(
    p: &Platform,
    id: &str,
    username: Option<&str>,
) -> Result<(Option<sessions::Session>, Option<accounts::Account>), ApiError> {
    let decode_session = |item: Option<gongshi_platform::Item>| item.map(gongshi_store::decode::<sessions::Session>).transpose();
    match username {
        Some(username) => {
            let [session, account] = gongshi_platform::get_each(p.table.as_ref(), [sessions::key(id), accounts::key(username)])
                .await
                .map_err(StoreError::from)?;
            let session = decode_session(session)?.filter(|s| s.username == username);
            let account = account.map(gongshi_store::decode::<accounts::Account>).transpose()?;
            Ok((session, account))
        }
        None => {
            let session = sessions::get(p.table.as_ref(), id).await?;
            let account = match &session {
                Some(s) => accounts::get(p.table.as_ref(), &s.username).await?,
                None => None,
            };
            Ok((session, account))
        }
    }
}

fn session_over() -> ApiError {
    ApiError::Unauthorized("session_expired", "登录已过期，请重新登录".into())
}

/// Exchanges a refresh token for new tokens; the old refresh token stops working. Presenting
/// an already-used refresh token ends the session (it may have been stolen).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn refresh(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: RefreshRequest = json_body(req)?;
    let (id, secret, username) = split_refresh_token(&input.refresh_token)?;
    let now = p.clock.now();
    let (session, account) = session_and_account(p, id, username.as_deref()).await?;
    let Some(mut session) = session.filter(|s| s.expires_at > now.unix_timestamp()) else {
        return Err(session_over());
    };
    let presented = digest(secret);
    if presented != session.secret_digest {
        tracing::warn!("refresh token reused; session ended");
        end_session(p, &session, account).await?;
        return Err(session_over());
    }
    let account = account.ok_or_else(session_over)?;
    if account.status == AccountStatus::Disabled || account.is_expired_reservation(now) || account.token_version != session.token_version {
        return Err(session_over());
    }
    let new_secret = p.ids.secret();
    session.secret_digest = digest(&new_secret);
    sessions::rotate(p.table.as_ref(), &session, &presented)
        .await
        .on_conflict(session_over)?;
    let (access_token, expires_in) = gongshi_http::auth::issue_access_token(p, &account, &session.id)?;
    json(
        200,
        &Session {
            access_token,
            refresh_token: gongshi_http::auth::refresh_token(id, &new_secret, &account.username),
            expires_in,
            account: Account::of(&account),
        },
    )
}

/// Ends the session of a refresh token. Ending an unknown session is not an error.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "Logged out"), (status = 422, body = Problem)))]
async fn logout(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: RefreshRequest = json_body(req)?;
    let (id, secret, username) = split_refresh_token(&input.refresh_token)?;
    let (session, account) = session_and_account(p, id, username.as_deref()).await?;
    if let Some(session) = session.filter(|s| s.secret_digest == digest(secret)) {
        end_session(p, &session, account).await?;
    }
    no_content()
}

/// Ends `session` and, in the same transaction, its access tokens: the account records the
/// session as ended until those tokens would have expired (read on every request anyway).
/// `read` is the account as read with the session (read again after a lost race).
async fn end_session(p: &Platform, session: &sessions::Session, read: Option<accounts::Account>) -> Result<(), ApiError> {
    const ATTEMPTS: usize = 5;
    let mut read = Some(read);
    for _ in 0..ATTEMPTS {
        let account = match read.take() {
            Some(account) => account,
            None => accounts::get(p.table.as_ref(), &session.username).await?,
        };
        let Some(mut account) = account else {
            sessions::end(p.table.as_ref(), &session.id).await?;
            return Ok(());
        };
        let expected = account.version;
        account.end_session(&session.id, p.clock.now(), p.config.access_token_ttl);
        account.version += 1;
        match p
            .table
            .transact(vec![sessions::finish(&session.id), accounts::replace(&account, expected)])
            .await
            .map_err(StoreError::from)
        {
            Ok(()) => return Ok(()),
            // The account changed meanwhile (a login, another logout): read it again.
            Err(StoreError::Conflict) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::Conflict("state_conflict", "帐号正在被修改，请稍后再退出登录".into()))
}

/// The caller's account and unit.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // Readable while a new password is required, so that the SPA can ask for it.
    let caller = authenticate_to_change_password(p, req).await?;
    // The unit and (for a branch account) its branch in one read.
    let (unit, branch) = match (&caller.account.unit_id, caller.account.role, &caller.account.branch_id) {
        (Some(unit_id), role, Some(branch_id)) if role.is_unit() => {
            let [unit, branch] = gongshi_platform::get_each(p.table.as_ref(), [units::key(unit_id), branches::key(unit_id, branch_id)])
                .await
                .map_err(StoreError::from)?;
            (
                unit.map(gongshi_store::decode::<units::Unit>).transpose()?,
                branch.map(gongshi_store::decode::<branches::Branch>).transpose()?,
            )
        }
        (Some(unit_id), role, None) if role.is_unit() => (units::get(p.table.as_ref(), unit_id).await?, None),
        _ => (None, None),
    };
    let unit = unit.map(|u| Unit {
        id: u.id,
        name: u.name.as_str().into(),
        uscc: u.uscc.as_str().into(),
        legal_representative: u.legal_representative.as_str().into(),
        address: u.address.as_str().into(),
        postcode: u.postcode.as_str().into(),
        contact_name: u.contact.name.as_str().into(),
        contact_mobile_masked: u.contact.mobile.masked(),
        state: "active".into(),
        approved_at: u.approved_at,
    });
    json(
        200,
        &Me {
            account: Account::of(&caller.account),
            unit,
            branch: branch.map(|b| MyBranch {
                id: b.id,
                name: b.name.as_str().into(),
            }),
        },
    )
}

/// One's own new password, proven with the current one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    /// 当前密码 (the temporary one, after a reset or an appeal).
    pub current_password: String,
    /// 新密码: at least 8 characters with letters and digits, not the current one.
    pub new_password: String,
}

/// Sets one's own password (any account; also the one call an account that must replace a
/// temporary or weak password may make). Every other session of the account ends; the
/// answer is the caller's new session.
#[utoipa::path(put, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = [])), request_body = PasswordChangeRequest,
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn change_password(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // Any account the token still names (disabled ones are refused), a registrant's too.
    let caller = authenticate_to_change_password(p, req).await?;
    let input: PasswordChangeRequest = json_body(req)?;
    let mut account = caller.account;
    let mut fields = Fields::default();
    let proven = password::verify(&input.current_password, &account.password_hash);
    if !proven {
        fields.refuse("current_password", Invalid::new("wrong_password", "当前密码不正确"));
    }
    let new = fields.check("new_password", NewPassword::parse(&input.new_password));
    if proven && input.new_password == input.current_password {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "new_password",
            "password_reused",
            "新密码不能与当前密码相同",
        )]));
    }
    let (Some(new), true) = (new, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let now = p.clock.now();
    let expected = account.version;
    let reason = account.password_change.take().map(|c| c.reason.as_str());
    account.password_hash = new.hash();
    account.token_version += 1;
    account.failed_logins = 0;
    account.locked_until = None;
    account.version += 1;
    let entry = AuditEntry {
        entity: gongshi_store::entity::account(&account.username),
        action: "account.password_changed".into(),
        actor: account.username.clone(),
        from: reason.map(str::to_owned),
        to: None,
        reason: None,
        at: now,
    };
    let (session, session_write) = start_session(p, &account)?;
    p.table
        .transact(vec![
            accounts::replace(&account, expected),
            audit::record(&entry, &p.ids.id()),
            session_write,
        ])
        .await
        .on_conflict(|| ApiError::Conflict("state_conflict", "该帐号刚被修改，请重新登录后再试".into()))?;
    json(200, &session)
}

//! The unit's own information and its accounts (F7, manual §3.2.1–§3.2.2). Every unit user
//! reads the unit; only a unit admin manages accounts: creates sub-accounts (子帐号), disables
//! and enables them, and sets their passwords. Disabling or a new password ends the account's
//! sessions at once. Another unit's accounts answer 404.

use gongshi_core::account::PasswordChangeReason;
use gongshi_core::account::{AccountStatus, Role};
use gongshi_core::password::NewPassword;
use gongshi_core::{Fields, Name, Username};
use gongshi_http::auth::{Caller, authenticate_in_unit, authenticate_with};
use gongshi_http::views::Session as SessionView;
use gongshi_http::views::{QualificationView, UploadRef};
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, no_content, path_param};
use gongshi_platform::{Platform, Write};
use gongshi_store::accounts::PasswordChange;
use gongshi_store::accounts::{self, Account};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::{branches, qualifications, units};
use gongshi_workflow::OnConflict;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(unit_detail, list_accounts, create_account, set_status, set_password);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// The authorised contact, masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitContactView {
    /// 姓名.
    pub name: String,
    /// `110***********002X`.
    pub id_number_masked: String,
    /// `138****8000`.
    pub mobile_masked: String,
    /// 电子邮箱.
    pub email: String,
}

/// The unit as its users see it (单位信息).
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDetail {
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
    pub contact: UnitContactView,
    /// 营业执照 (none for units imported from the old system).
    pub licence: Option<UploadRef>,
    /// 单位资质.
    pub qualifications: Vec<QualificationView>,
    /// Approved.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub approved_at: OffsetDateTime,
}

/// A unit role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitRole {
    /// 单位管理员.
    UnitAdmin,
    /// 子帐号.
    UnitStaff,
}

/// Whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitAccountStatus {
    /// 正常.
    Active,
    /// 已停用.
    Disabled,
}

/// One account of the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitAccount {
    /// 用户名.
    pub username: String,
    /// 姓名.
    pub display_name: String,
    /// Role.
    pub role: UnitRole,
    /// Status.
    pub status: UnitAccountStatus,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Whether it is the caller's own account.
    pub is_self: bool,
    /// The secondary unit it works for, if any.
    pub branch_id: Option<String>,
}

/// The unit's accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitAccountList {
    /// By username.
    pub items: Vec<UnitAccount>,
}

/// A new account of the unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUnitAccount {
    /// 用户名.
    pub username: String,
    /// 姓名.
    pub display_name: String,
    /// 初始密码.
    pub password: String,
    /// 角色.
    pub role: UnitRole,
    /// The secondary unit the account works for (its accounts are 子帐号); none for the unit itself.
    #[serde(default)]
    pub branch_id: Option<String>,
}

/// Enable or disable an account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountStatusChange {
    /// `true` to enable, `false` to disable.
    pub enabled: bool,
}

/// A new password set by the admin.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordSet {
    /// 新密码.
    pub new_password: String,
}

fn view(account: &Account, caller: &Caller) -> UnitAccount {
    UnitAccount {
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        role: if account.role == Role::UnitAdmin {
            UnitRole::UnitAdmin
        } else {
            UnitRole::UnitStaff
        },
        status: if account.status == AccountStatus::Disabled {
            UnitAccountStatus::Disabled
        } else {
            UnitAccountStatus::Active
        },
        created_at: account.created_at,
        is_self: account.username == caller.account.username,
        branch_id: account.branch_id.clone(),
    }
}

fn audit_write(p: &Platform, username: &str, action: &str, actor: &str, from: Option<&str>, to: Option<&str>) -> Write {
    let entry = AuditEntry {
        entity: gongshi_store::entity::account(username),
        action: action.into(),
        actor: actor.into(),
        from: from.map(str::to_owned),
        to: to.map(str::to_owned),
        reason: None,
        at: p.clock.now(),
    };
    audit::record(&entry, &p.ids.id())
}

/// The caller's unit (单位信息).
#[utoipa::path(get, path = "/api/v1/unit", tag = "unit", security(("bearer" = [])),
    responses((status = 200, body = UnitDetail), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn unit_detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, unit_id, [unit]) = authenticate_in_unit(p, req, |unit| [units::key(unit)]).await?;
    let unit = unit
        .map(gongshi_store::decode::<units::Unit>)
        .transpose()?
        .ok_or_else(|| ApiError::Internal(format!("unit {unit_id} of an account is missing")))?;
    let certificates = qualifications::of_unit(p.table.as_ref(), &unit.id).await?;
    json(
        200,
        &UnitDetail {
            id: unit.id.clone(),
            name: unit.name.as_str().into(),
            uscc: unit.uscc.as_str().into(),
            legal_representative: unit.legal_representative.as_str().into(),
            address: unit.address.as_str().into(),
            postcode: unit.postcode.as_str().into(),
            contact: UnitContactView {
                name: unit.contact.name.as_str().into(),
                id_number_masked: unit.contact.id_number.masked(),
                mobile_masked: unit.contact.mobile.masked(),
                email: unit.contact.email.as_str().into(),
            },
            licence: unit.licence.as_ref().map(UploadRef::from),
            // The approved certificates: what the unit is registered with.
            qualifications: certificates
                .iter()
                .filter_map(|c| c.in_force())
                .map(QualificationView::from)
                .collect(),
            approved_at: unit.approved_at,
        },
    )
}

/// The unit's accounts (unit admin only).
#[utoipa::path(get, path = "/api/v1/unit/accounts", tag = "unit", security(("bearer" = [])),
    responses((status = 200, body = UnitAccountList), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_accounts(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.admin_unit_id("只有单位管理员可以管理帐号")?;
    let found = accounts::of_unit(p.table.as_ref(), &unit_id).await?;
    json(
        200,
        &UnitAccountList {
            items: found.iter().map(|a| view(a, &caller)).collect(),
        },
    )
}

/// Creates an account of the unit (子帐号 or another admin).
#[utoipa::path(post, path = "/api/v1/unit/accounts", tag = "unit", security(("bearer" = [])), request_body = NewUnitAccount,
    responses((status = 201, body = UnitAccount), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_account(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The body is parsed first so that the branch it names (if any) is read in the caller's
    // batch get; a malformed body is answered only once the caller is authorised.
    let input = json_body::<NewUnitAccount>(req);
    let branch_asked = input
        .as_ref()
        .ok()
        .and_then(|i| i.branch_id.as_deref())
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    let (caller, unit_id, [branch]) = authenticate_in_unit(p, req, |unit| {
        // No branch asked: a key that names no item (branch ids are generated ids).
        [branches::key(unit, branch_asked.as_deref().unwrap_or("-"))]
    })
    .await?;
    caller.admin_unit_id("只有单位管理员可以管理帐号")?;
    let input = input?;
    let mut fields = Fields::default();
    let username = fields.check("username", Username::parse(&input.username));
    let display_name = fields.check("display_name", Name::parse(&input.display_name));
    let password = fields.check("password", NewPassword::parse(&input.password));
    let (Some(username), Some(display_name), Some(password), true) = (username, display_name, password, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let branch = branch.map(gongshi_store::decode::<branches::Branch>).transpose()?;
    let branch_id = match branch_asked {
        None => None,
        Some(_) if input.role == UnitRole::UnitAdmin => {
            return Err(ApiError::field("branch_id", "branch_account_role", "二级单位的帐号只能是子帐号"));
        }
        Some(_) => match branch {
            Some(branch) if branch.enabled => Some(branch.id),
            Some(_) => return Err(ApiError::field("branch_id", "branch_disabled", "该二级单位已停用")),
            None => return Err(ApiError::field("branch_id", "branch_not_found", "未找到该二级单位")),
        },
    };
    let now = p.clock.now();
    let account = Account {
        username: username.as_str().into(),
        role: if input.role == UnitRole::UnitAdmin {
            Role::UnitAdmin
        } else {
            Role::UnitStaff
        },
        status: AccountStatus::Active,
        password_hash: password.hash(),
        display_name: display_name.as_str().into(),
        unit_id: Some(unit_id),
        registration_id: None,
        token_version: 1,
        failed_logins: 0,
        locked_until: None,
        created_at: now,
        version: 1,
        expires_at: None,
        branch_id,
        legacy_hash: None,
        password_change: None,
        ended_sessions: Vec::new(),
    };
    let writes = vec![
        accounts::create(&account, now),
        audit_write(
            p,
            &account.username,
            "account.created",
            caller.username(),
            None,
            Some(account.role.as_str()),
        ),
    ];
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("username_taken", "该用户名已被使用，请更换".into()))?;
    json(201, &view(&account, &caller))
}

/// One of the caller's unit's accounts; any other → 404 (existence is not revealed).
/// The caller (a unit admin) and one of their unit's accounts, read in one round trip.
async fn own_account(p: &Platform, req: &Request) -> Result<(Caller, Account), ApiError> {
    let username = path_param(req, "username")?.to_ascii_lowercase();
    let (caller, [item]) = authenticate_with(p, req, [accounts::key(&username)]).await?;
    let unit_id = caller.admin_unit_id("只有单位管理员可以管理帐号")?;
    let account = item
        .map(gongshi_store::decode::<Account>)
        .transpose()?
        .filter(|a| a.unit_id.as_deref() == Some(unit_id.as_str()) && a.status != AccountStatus::Pending)
        .ok_or_else(|| ApiError::NotFound("account_not_found", "未找到该帐号".into()))?;
    Ok((caller, account))
}

/// Enables or disables an account; disabling ends its sessions.
#[utoipa::path(put, path = "/api/v1/unit/accounts/{username}/status", tag = "unit", security(("bearer" = [])),
    params(("username" = String, Path, description = "Account")), request_body = AccountStatusChange,
    responses((status = 200, body = UnitAccount), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn set_status(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, mut account) = own_account(p, req).await?;
    let input: AccountStatusChange = json_body(req)?;
    if account.username == caller.account.username && !input.enabled {
        return Err(ApiError::Conflict("cannot_disable_self", "不能停用当前登录的帐号".into()));
    }
    let before = if account.status == AccountStatus::Disabled {
        "disabled"
    } else {
        "active"
    };
    let after = if input.enabled { "active" } else { "disabled" };
    if before == after {
        return json(200, &view(&account, &caller));
    }
    let expected = account.version;
    account.status = if input.enabled {
        AccountStatus::Active
    } else {
        AccountStatus::Disabled
    };
    if !input.enabled {
        account.token_version += 1;
    }
    account.version += 1;
    let action = if input.enabled { "account.enabled" } else { "account.disabled" };
    p.table
        .transact(vec![
            accounts::replace(&account, expected),
            audit_write(p, &account.username, action, caller.username(), Some(before), Some(after)),
        ])
        .await?;
    json(200, &view(&account, &caller))
}

/// Sets an account's password; its sessions end. Setting one's own keeps working: the
/// answer is a new session for the caller (200), so the next action does not fail with
/// 登录已失效 while every other session of the account ends.
#[utoipa::path(put, path = "/api/v1/unit/accounts/{username}/password", tag = "unit", security(("bearer" = [])),
    params(("username" = String, Path, description = "Account")), request_body = PasswordSet,
    responses((status = 200, body = SessionView, description = "One's own password set: the caller's new session"),
        (status = 204, description = "Password set"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn set_password(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, mut account) = own_account(p, req).await?;
    let input: PasswordSet = json_body(req)?;
    let mut fields = Fields::default();
    let password = fields.check("new_password", NewPassword::parse(&input.new_password));
    let (Some(password), true) = (password, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let expected = account.version;
    let own = account.username == caller.username();
    account.password_hash = password.hash();
    account.token_version += 1;
    account.failed_logins = 0;
    account.locked_until = None;
    account.version += 1;
    // A password the admin chose for someone else is temporary: its owner sets their own
    // at the first login, within three days (ASVS 2.3).
    account.password_change = (!own).then(|| PasswordChange::temporary(PasswordChangeReason::SetByAdmin, p.clock.now()));
    let mut writes = vec![
        accounts::replace(&account, expected),
        audit_write(p, &account.username, "account.password_set", caller.username(), None, None),
    ];
    let session = if own {
        let (view, write) = gongshi_http::auth::start_session(p, &account)?;
        writes.push(write);
        Some(view)
    } else {
        None
    };
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("state_conflict", "该帐号刚被修改，请刷新后重试".into()))?;
    match session {
        Some(view) => json(200, &view),
        None => no_content(),
    }
}

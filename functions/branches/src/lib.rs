//! Secondary units (二级单位管理, F7, manual §3.2.3: "分支机构较多时使用，在办理执业公示业务时
//! 执业人的执业单位均为二级单位的主管单位。该权限只对管理员帐户拥有"). The unit admin creates,
//! lists, disables and enables branches; branch accounts (created under 帐号管理 with a
//! branch) act for the parent unit. Disabling a branch ends its accounts' sessions and
//! refuses their logins until it is enabled again.

use gongshi_core::account::AccountStatus;
use gongshi_core::{Address, Fields, Mobile, Name};
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::{Platform, Write};
use gongshi_store::accounts;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::branches::{self, Branch};
use gongshi_store::unit_accounts;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(list, create, set_status);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

const ADMIN_ONLY: &str = "只有单位管理员可以管理二级单位";

/// A secondary unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchView {
    /// Id (use as `branch_id` when creating its accounts).
    pub id: String,
    /// 二级单位名称.
    pub name: String,
    /// 地址.
    pub address: String,
    /// 负责人.
    pub contact_name: String,
    /// 负责人手机 (masked).
    pub contact_mobile_masked: String,
    /// Whether its accounts may log in.
    pub enabled: bool,
    /// Its accounts.
    pub account_count: usize,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// The unit's branches.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchList {
    /// Oldest first.
    pub items: Vec<BranchView>,
}

/// A new branch.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewBranch {
    /// 二级单位名称.
    pub name: String,
    /// 地址.
    pub address: String,
    /// 负责人.
    pub contact_name: String,
    /// 负责人手机.
    pub contact_mobile: String,
}

/// Enable or disable a branch.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BranchStatusChange {
    /// `true` to enable, `false` to disable.
    pub enabled: bool,
}

fn view(branch: &Branch, account_count: usize) -> BranchView {
    BranchView {
        id: branch.id.clone(),
        name: branch.name.as_str().into(),
        address: branch.address.as_str().into(),
        contact_name: branch.contact_name.as_str().into(),
        contact_mobile_masked: branch.contact_mobile.masked(),
        enabled: branch.enabled,
        account_count,
        created_at: branch.created_at,
    }
}

fn audit_write(p: &Platform, branch: &Branch, action: &str, actor: &str) -> Write {
    let entry = AuditEntry {
        entity: gongshi_store::entity::unit(&branch.unit_id),
        action: action.into(),
        actor: actor.into(),
        from: None,
        to: Some(branch.name.as_str().into()),
        reason: None,
        at: p.clock.now(),
    };
    audit::record(&entry, &p.ids.id())
}

/// The unit's branches with their account counts.
#[utoipa::path(get, path = "/api/v1/unit/branches", tag = "unit", security(("bearer" = [])),
    responses((status = 200, body = BranchList), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.admin_unit_id(ADMIN_ONLY)?;
    // The branches and the accounts working for them in one query (the unit's accounts index).
    let unit_accounts::UnitAccounts {
        branches: found, accounts, ..
    } = unit_accounts::read(p.table.as_ref(), &unit_id).await?;
    let items = found
        .iter()
        .map(|b| view(b, accounts.iter().filter(|a| a.branch_id.as_deref() == Some(b.id.as_str())).count()))
        .collect();
    json(200, &BranchList { items })
}

/// Creates a branch.
#[utoipa::path(post, path = "/api/v1/unit/branches", tag = "unit", security(("bearer" = [])), request_body = NewBranch,
    responses((status = 201, body = BranchView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.admin_unit_id(ADMIN_ONLY)?;
    if caller.account.branch_id.is_some() {
        return Err(ApiError::Forbidden("unit_admin_only", ADMIN_ONLY.into()));
    }
    let input: NewBranch = json_body(req)?;
    let mut fields = Fields::default();
    let name = fields.check("name", Name::parse(&input.name));
    let address = fields.check("address", Address::parse(&input.address));
    let contact_name = fields.check("contact_name", Name::parse(&input.contact_name));
    let contact_mobile = fields.check("contact_mobile", Mobile::parse(&input.contact_mobile));
    let (Some(name), Some(address), Some(contact_name), Some(contact_mobile), true) =
        (name, address, contact_name, contact_mobile, fields.is_ok())
    else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let branch = Branch {
        id: p.ids.id(),
        unit_id,
        name,
        address,
        contact_name,
        contact_mobile,
        enabled: true,
        created_at: p.clock.now(),
        version: 1,
    };
    p.table
        .transact(vec![
            branches::create(&branch),
            audit_write(p, &branch, "branch.created", caller.username()),
        ])
        .await?;
    json(201, &view(&branch, 0))
}

/// Disables (ending its accounts' sessions) or enables a branch.
#[utoipa::path(put, path = "/api/v1/unit/branches/{id}/status", tag = "unit", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id")), request_body = BranchStatusChange,
    responses((status = 200, body = BranchView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn set_status(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The branch is read with the caller (the unit is the token's).
    let id = path_param(req, "id")?;
    let (caller, _, [branch]) = authenticate_in_unit(p, req, |unit| [branches::key(unit, &id)]).await?;
    let unit_id = caller.admin_unit_id(ADMIN_ONLY)?;
    let input: BranchStatusChange = json_body(req)?;
    let mut branch: Branch = branch
        .map(gongshi_store::decode)
        .transpose()?
        .ok_or_else(|| ApiError::NotFound("branch_not_found", "未找到该二级单位".into()))?;
    let members: Vec<_> = accounts::of_unit(p.table.as_ref(), &unit_id)
        .await?
        .into_iter()
        .filter(|a| a.branch_id.as_deref() == Some(id.as_str()))
        .collect();
    if branch.enabled == input.enabled {
        return json(200, &view(&branch, members.len()));
    }
    let expected = branch.version;
    branch.enabled = input.enabled;
    branch.version += 1;
    let action = if input.enabled { "branch.enabled" } else { "branch.disabled" };
    let mut writes = vec![
        branches::replace(&branch, expected),
        audit_write(p, &branch, action, caller.username()),
    ];
    if !input.enabled {
        // Every session of the branch's accounts ends now; logins are refused while disabled.
        for mut account in members.iter().filter(|a| a.status == AccountStatus::Active).cloned() {
            let version = account.version;
            account.token_version += 1;
            account.version += 1;
            writes.push(accounts::replace(&account, version));
        }
    }
    if writes.len() > gongshi_platform::table::MAX_TRANSACTION_WRITES {
        return Err(ApiError::Conflict(
            "branch_too_large",
            "该二级单位帐号过多，请先停用部分帐号后再操作".into(),
        ));
    }
    p.table.transact(writes).await?;
    json(200, &view(&branch, members.len()))
}

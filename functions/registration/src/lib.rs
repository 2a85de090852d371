//! Unit registration (F1, manual §2.1): a four-step draft that is resumable (through the
//! returned session, or by logging in with the chosen username and password), then submitted
//! for review.
//!
//! Creating the draft reserves the username (a pending account) and the USCC in the same
//! transaction; both reservations expire with the draft unless it is submitted.

use gongshi_core::account::{AccountStatus, Role};
use gongshi_core::password::NewPassword;
use gongshi_core::registration::{BasicInfo, Contact, Registration, SubmitError};
use gongshi_core::upload::UploadPurpose;
use gongshi_core::{Address, Email, Fields, IdNumber, Mobile, Name, Postcode, Uscc, Username};
use gongshi_http::auth::{Caller, authenticate_with, read_each, start_session};
use gongshi_http::forms::{QualificationInput, parse_qualification, upload_key, verified_upload_in};
use gongshi_http::request::source_ip;
use gongshi_http::response::commit;
use gongshi_http::views::{Audience, RegistrationView, Session};
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, path_param};
use gongshi_platform::{Item, Key, Platform, Write};
use gongshi_store::audit::AuditEntry;
use gongshi_store::rate::{self, Limit};
use gongshi_store::uploads;
use gongshi_store::{accounts, registrations, units};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(
    create,
    get,
    update_basic,
    update_licence,
    update_qualification,
    update_contact,
    submit;
    in_transaction: create
);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// Step 1 when starting a registration.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BasicInfoInput {
    /// 用户名: 4–32 letters, digits or `_`, starting with a letter.
    pub username: String,
    /// 密码: 8–64 characters with letters and digits.
    pub password: String,
    /// 单位名称.
    pub unit_name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 法定代表人.
    pub legal_representative: String,
    /// 单位地址.
    pub address: String,
    /// 邮政编码.
    pub postcode: String,
}

/// Step 1 when editing (the username is fixed).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BasicInfoUpdate {
    /// 单位名称.
    pub unit_name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 法定代表人.
    pub legal_representative: String,
    /// 单位地址.
    pub address: String,
    /// 邮政编码.
    pub postcode: String,
}

/// Step 2: the uploaded business licence.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LicenceInput {
    /// A verified upload with purpose `business_licence`.
    pub upload_id: String,
}

/// Step 4: the authorised contact.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactInput {
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub id_number: String,
    /// 手机号.
    pub mobile: String,
    /// 电子邮箱.
    pub email: String,
}

/// A new draft and the session that lets its author continue it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationCreated {
    /// The draft.
    pub registration: RegistrationView,
    /// Tokens for the registrant.
    pub session: Session,
}

struct BasicFields {
    unit_name: Name,
    uscc: Uscc,
    legal_representative: Name,
    address: Address,
    postcode: Postcode,
}

fn parse_basic(fields: &mut Fields, unit_name: &str, uscc: &str, legal: &str, address: &str, postcode: &str) -> Option<BasicFields> {
    let unit_name = fields.check("unit_name", Name::parse(unit_name));
    let uscc = fields.check("uscc", Uscc::parse(uscc));
    let legal_representative = fields.check("legal_representative", Name::parse(legal));
    let address = fields.check("address", Address::parse(address));
    let postcode = fields.check("postcode", Postcode::parse(postcode));
    Some(BasicFields {
        unit_name: unit_name?,
        uscc: uscc?,
        legal_representative: legal_representative?,
        address: address?,
        postcode: postcode?,
    })
}

fn uscc_taken() -> ApiError {
    ApiError::Conflict(
        "uscc_taken",
        "该统一社会信用代码已注册或正在注册中；如为本单位，请使用原帐号登录或提交帐号申诉".into(),
    )
}

/// Whether another holder has a live claim on the USCC (its claim item read beforehand).
fn uscc_held_by_other(claim: Option<Item>, me: &str, now: OffsetDateTime) -> Result<bool, ApiError> {
    let claim = claim.map(gongshi_store::decode::<units::UsccClaim>).transpose()?;
    Ok(claim.is_some_and(|c| c.owner != me && c.expires_at.is_none_or(|at| at >= now.unix_timestamp())))
}

fn audit_entry(registration: &Registration, action: &str, actor: &str, from: Option<&str>, now: OffsetDateTime) -> AuditEntry {
    AuditEntry {
        entity: registrations::entity(&registration.id),
        action: action.into(),
        actor: actor.into(),
        from: from.map(str::to_owned),
        to: Some(registration.state.as_str().into()),
        reason: None,
        at: now,
    }
}

/// Starts a registration with step 1; returns the draft and a registrant session.
#[utoipa::path(post, path = "/api/v1/registrations", tag = "registration", request_body = BasicInfoInput,
    responses((status = 201, body = RegistrationCreated), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn create(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: BasicInfoInput = json_body(req)?;
    let mut fields = Fields::default();
    let username = fields.check("username", Username::parse(&input.username));
    let password = fields.check("password", NewPassword::parse(&input.password));
    let basic = parse_basic(
        &mut fields,
        &input.unit_name,
        &input.uscc,
        &input.legal_representative,
        &input.address,
        &input.postcode,
    );
    let (Some(username), Some(password), Some(basic), true) = (username, password, basic, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    // Hashed once, and only for a draft that passed the checks (argon2id is the costly part).
    let mut password_hash: Option<String> = None;
    // A draft that loses a race for a counter (two drafts from one address at once) reads
    // again and is counted after the other; one that loses the username is told.
    const ATTEMPTS: usize = 8;
    for attempt in 1..=ATTEMPTS {
        match create_once(p, req, &username, (&password, &mut password_hash), &basic).await? {
            Ok(response) => return Ok(response),
            Err(()) if attempt < ATTEMPTS => continue,
            Err(()) => break,
        }
    }
    Err(ApiError::Conflict(
        "registration_conflict",
        "用户名或统一社会信用代码刚被占用，请检查后重试".into(),
    ))
}

/// One try of [`create`]: the answer, or `Err(())` when its transaction lost a race (a
/// counter or the username changed after it was read).
async fn create_once(
    p: &Platform,
    req: &Request,
    username: &Username,
    (password, hashed): (&NewPassword, &mut Option<String>),
    basic: &BasicFields,
) -> Result<Result<Response<Body>, ()>, ApiError> {
    let now = p.clock.now();
    // The username, the USCC's holder and the day's draft counters (per caller address and
    // per USCC) in one batch get; the counting is written with the draft.
    let address = source_ip(req);
    let uscc_text = basic.uscc.to_string();
    let limits = [
        (
            "REG-IP",
            address.as_str(),
            Limit {
                interval: time::Duration::ZERO,
                per_day: p.config.drafts_per_address,
            },
        ),
        (
            "REG-USCC",
            uscc_text.as_str(),
            Limit {
                interval: time::Duration::ZERO,
                per_day: p.config.drafts_per_uscc,
            },
        ),
    ];
    let [account, claim, by_address, by_uscc] = read_each(
        p,
        [
            accounts::key(username.as_str()),
            units::uscc_key(&basic.uscc),
            rate::key(limits[0].0, limits[0].1),
            rate::key(limits[1].0, limits[1].1),
        ],
    )
    .await?;
    let taken = account
        .map(gongshi_store::decode::<accounts::Account>)
        .transpose()?
        .is_some_and(|a| !a.is_expired_reservation(now));
    if taken {
        return Err(ApiError::Conflict("username_taken", "该用户名已被使用，请更换".into()));
    }
    let id = p.ids.id();
    let owner = registrations::entity(&id);
    // Only a unit or a submitted registration holds a USCC: a draft claims it at submit, so
    // drafts never keep the real unit out (docs/SECURITY.md, finding 2).
    if uscc_held_by_other(claim, &owner, now)? {
        return Err(uscc_taken());
    }
    let mut counted = Vec::with_capacity(2);
    for ((scope, who, limit), stored) in limits.iter().zip([by_address, by_uscc]) {
        match rate::plan(stored, scope, who, *limit, now)? {
            Ok(write) => counted.push(write),
            Err(wait) => {
                let message = if *scope == "REG-IP" {
                    "该网络地址今日发起的注册申请过多，请明日再试"
                } else {
                    "该统一社会信用代码今日的注册申请过多，请明日再试或联系协会"
                };
                return Err(ApiError::TooManyRequests("rate_limited", message.into(), wait));
            }
        }
    }
    let registration = Registration::new(
        id.clone(),
        BasicInfo {
            username: username.clone(),
            unit_name: basic.unit_name.clone(),
            uscc: basic.uscc.clone(),
            legal_representative: basic.legal_representative.clone(),
            address: basic.address.clone(),
            postcode: basic.postcode.clone(),
        },
        now,
        p.config.draft_lifetime,
    );
    let expires_at = registration.draft_expires_at.unix_timestamp();
    let account = accounts::Account {
        username: username.as_str().into(),
        role: Role::UnitAdmin,
        status: AccountStatus::Pending,
        password_hash: hashed.get_or_insert_with(|| password.hash()).clone(),
        display_name: registration.basic.unit_name.as_str().into(),
        unit_id: None,
        registration_id: Some(id.clone()),
        token_version: 1,
        failed_logins: 0,
        locked_until: None,
        created_at: now,
        version: 1,
        expires_at: Some(expires_at),
        branch_id: None,
        legacy_hash: None,
        password_change: None,
        ended_sessions: Vec::new(),
    };
    let (session, session_write) = start_session(p, &account)?;
    let mut writes = vec![registrations::create(&registration), accounts::create(&account, now), session_write];
    // A new registration keeps its history beside it from the start.
    writes.extend(registrations::record(
        &registration,
        Some(&mut registrations::History::default()),
        audit_entry(&registration, "registration.created", account.username.as_str(), None, now),
        &p.ids.id(),
    ));
    writes.extend(counted);
    let body = RegistrationCreated {
        registration: RegistrationView::of(&registration, Audience::Applicant),
        session,
    };
    match commit(p, writes, json(201, &body)?).await {
        Ok(response) => Ok(Ok(response)),
        Err(gongshi_platform::TableError::ConditionFailed) => Ok(Err(())),
        Err(other) => Err(other.into()),
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("registration_not_found", "未找到该注册申请".into())
}

/// The caller and a registration read with the caller's account in one round trip.
async fn authenticate_for(p: &Platform, req: &Request) -> Result<(Caller, String, Option<Registration>), ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [item]) = authenticate_with(p, req, [registrations::key(&id)]).await?;
    let registration = item.map(gongshi_store::decode).transpose()?;
    Ok((caller, id, registration))
}

/// A registration the caller may see; an expired draft is gone.
fn live(p: &Platform, registration: Option<Registration>) -> Result<Registration, ApiError> {
    let registration = registration.ok_or_else(not_found)?;
    if registration.is_expired_draft(p.clock.now()) {
        return Err(ApiError::NotFound(
            "registration_expired",
            "注册草稿已超过保留期限，请重新注册".into(),
        ));
    }
    Ok(registration)
}

/// The caller's own registration, editable.
async fn load_for_edit(p: &Platform, req: &Request) -> Result<(Caller, Registration), ApiError> {
    let (caller, id, registration) = authenticate_for(p, req).await?;
    caller.require_registrant_of(&id)?;
    Ok((caller, editable(p, registration)?))
}

/// [`load_for_edit`] that also reads the item under `extra` (an upload, a USCC claim the body
/// names) in the same batch get.
async fn load_for_edit_with(p: &Platform, req: &Request, extra: Option<Key>) -> Result<(Registration, Option<Item>), ApiError> {
    let id = path_param(req, "id")?;
    let asked = extra.is_some();
    // No extra key: the registration's own (a batch reads each key once).
    let extra = extra.unwrap_or_else(|| registrations::key(&id));
    let (caller, [item, extra]) = authenticate_with(p, req, [registrations::key(&id), extra]).await?;
    caller.require_registrant_of(&id)?;
    let registration = item.map(gongshi_store::decode).transpose()?;
    Ok((editable(p, registration)?, extra.filter(|_| asked)))
}

fn editable(p: &Platform, registration: Option<Registration>) -> Result<Registration, ApiError> {
    let registration = live(p, registration)?;
    registration
        .ensure_editable()
        .map_err(|e| ApiError::Conflict("state_conflict", e.to_string()))?;
    Ok(registration)
}

fn view(registration: &Registration) -> Result<Response<Body>, ApiError> {
    json(200, &RegistrationView::of(registration, Audience::Applicant))
}

/// The caller's registration (a reviewer may read any submitted one).
#[utoipa::path(get, path = "/api/v1/registrations/{id}", tag = "registration", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationView), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, id, registration) = authenticate_for(p, req).await?;
    let audience = if caller.require_reviewer().is_ok() {
        Audience::Reviewer
    } else {
        caller.require_registrant_of(&id)?;
        Audience::Applicant
    };
    let registration = live(p, registration)?;
    json(200, &RegistrationView::of(&registration, audience))
}

/// Edits step 1. Changing the USCC moves its reservation in the same transaction.
#[utoipa::path(put, path = "/api/v1/registrations/{id}/basic", tag = "registration", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")), request_body = BasicInfoUpdate,
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_basic(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // Parsed first so that the claim of the USCC it asks for joins the batch get; a bad body
    // is answered once the caller is authorised.
    let input = json_body::<BasicInfoUpdate>(req);
    let asked = input.as_ref().ok().and_then(|i| Uscc::parse(&i.uscc).ok());
    let claim_key = asked.as_ref().map(units::uscc_key);
    let (mut registration, claim) = load_for_edit_with(p, req, claim_key).await?;
    let input = input?;
    let mut fields = Fields::default();
    let basic = parse_basic(
        &mut fields,
        &input.unit_name,
        &input.uscc,
        &input.legal_representative,
        &input.address,
        &input.postcode,
    );
    let (Some(basic), true) = (basic, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let now = p.clock.now();
    let owner = registrations::entity(&registration.id);
    let expected = registration.version;
    let uscc_changed = basic.uscc != registration.basic.uscc;
    let claim = if asked.as_ref() == Some(&basic.uscc) {
        claim
    } else {
        units::uscc_claim_item(p.table.as_ref(), &basic.uscc).await?
    };
    if uscc_changed && uscc_held_by_other(claim, &owner, now)? {
        return Err(uscc_taken());
    }
    registration.basic = BasicInfo {
        username: registration.basic.username.clone(),
        unit_name: basic.unit_name,
        uscc: basic.uscc,
        legal_representative: basic.legal_representative,
        address: basic.address,
        postcode: basic.postcode,
    };
    registration.touch(now);
    // A draft holds no claim (it claims the USCC at submit), nor does a rejected
    // registration (its claim was released with the rejection).
    p.table.transact(vec![registrations::replace(&registration, expected)]).await?;
    view(&registration)
}

/// Step 2: attaches the business licence (营业执照).
#[utoipa::path(put, path = "/api/v1/registrations/{id}/licence", tag = "registration", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")), request_body = LicenceInput,
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_licence(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input = json_body::<LicenceInput>(req);
    let upload_id = input.as_ref().map(|i| i.upload_id.clone()).unwrap_or_default();
    let (mut registration, upload) = load_for_edit_with(p, req, Some(upload_key(&upload_id))).await?;
    input?;
    let owner = registrations::entity(&registration.id);
    let licence = verified_upload_in(upload, &owner, "upload_id", UploadPurpose::BusinessLicence)?;
    let expected = registration.version;
    let attach = uploads::attach(&licence.upload_id, &owner, &owner);
    registration.licence = Some(licence);
    registration.touch(p.clock.now());
    p.table
        .transact(vec![registrations::replace(&registration, expected), attach])
        .await?;
    view(&registration)
}

/// Step 3: the qualification certificate (单位资质) and its scan.
#[utoipa::path(put, path = "/api/v1/registrations/{id}/qualification", tag = "registration", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")), request_body = QualificationInput,
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_qualification(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input = json_body::<QualificationInput>(req);
    let scan_id = input.as_ref().map(|i| i.scan_upload_id.clone()).unwrap_or_default();
    let (mut registration, upload) = load_for_edit_with(p, req, Some(upload_key(&scan_id))).await?;
    let input = input?;
    let now = p.clock.now();
    let certificate = parse_qualification(&input, gongshi_core::china_today(now))?;
    let owner = registrations::entity(&registration.id);
    let scan = verified_upload_in(upload, &owner, "scan_upload_id", UploadPurpose::QualificationScan)?;
    let expected = registration.version;
    let attach = uploads::attach(&scan.upload_id, &owner, &owner);
    registration.qualification = Some(certificate.with_scan(scan));
    registration.touch(now);
    p.table
        .transact(vec![registrations::replace(&registration, expected), attach])
        .await?;
    view(&registration)
}

/// Step 4: the authorised contact (授权联系人), who receives the result by SMS and e-mail.
#[utoipa::path(put, path = "/api/v1/registrations/{id}/contact", tag = "registration", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")), request_body = ContactInput,
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_contact(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, mut registration) = load_for_edit(p, req).await?;
    let input: ContactInput = json_body(req)?;
    let now = p.clock.now();
    let mut fields = Fields::default();
    let name = fields.check("name", Name::parse(&input.name));
    let id_number = fields.check("id_number", IdNumber::parse(&input.id_number, gongshi_core::china_today(now)));
    let mobile = fields.check("mobile", Mobile::parse(&input.mobile));
    let email = fields.check("email", Email::parse(&input.email));
    let (Some(name), Some(id_number), Some(mobile), Some(email), true) = (name, id_number, mobile, email, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let expected = registration.version;
    registration.contact = Some(Contact {
        name,
        id_number,
        mobile,
        email,
    });
    registration.touch(now);
    p.table.transact(vec![registrations::replace(&registration, expected)]).await?;
    view(&registration)
}

/// Submits the complete registration for review; the reservations stop expiring.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/submit", tag = "registration", security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The registration with its history, in the batch get that authenticates.
    let id = path_param(req, "id")?;
    let (caller, [item, history]) = authenticate_with(p, req, [registrations::key(&id), registrations::history_key(&id)]).await?;
    caller.require_registrant_of(&id)?;
    let mut registration = editable(p, item.map(gongshi_store::decode).transpose()?)?;
    let mut history: Option<registrations::History> = history.map(gongshi_store::decode).transpose()?;
    let now = p.clock.now();
    let expected = registration.version;
    let before = registration.state.as_str();
    registration.submit(now).map_err(|error| match error {
        SubmitError::Incomplete(missing) => ApiError::Invalid(missing),
        SubmitError::State(conflict) => ApiError::Conflict("state_conflict", conflict.to_string()),
    })?;
    // The USCC is claimed now, for good (until a rejection releases it): of two
    // registrations for one unit, the first submitted is reviewed, the second is told.
    let owner = registrations::entity(&registration.id);
    let recorded = registrations::record(
        &registration,
        history.as_mut(),
        audit_entry(&registration, "registration.submitted", caller.username(), Some(before), now),
        &p.ids.id(),
    );
    let writes = |claim: Write| -> Vec<Write> {
        let mut writes = vec![
            registrations::replace(&registration, expected),
            accounts::keep_for_registration(registration.basic.username.as_str(), &registration.id),
            claim,
        ];
        writes.extend(recorded.iter().cloned());
        writes
    };
    let uscc = &registration.basic.uscc;
    match p.table.transact(writes(units::claim_uscc(uscc, &owner, None, now))).await {
        Ok(()) => {}
        Err(gongshi_platform::TableError::ConditionFailed) => {
            // Lost: another holder, or a claim this draft took before claims moved to
            // submit (then it becomes permanent), or the draft changed meanwhile.
            let claim = units::uscc_claim_item(p.table.as_ref(), uscc).await?;
            if uscc_held_by_other(claim.clone(), &owner, now)? {
                return Err(uscc_taken());
            }
            let write = if claim.is_some() {
                units::transfer_uscc(uscc, &owner, &owner)
            } else {
                units::claim_uscc(uscc, &owner, None, now)
            };
            p.table.transact(writes(write)).await?;
        }
        Err(other) => return Err(other.into()),
    }
    tracing::info!(registration = %registration.id, "registration submitted");
    view(&registration)
}

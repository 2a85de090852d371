//! Publicity applications, the unit's side (F11, F12, F15; manual §3.3.1 第二步 提交 and 第四步
//! 查看结果): submit one person (初始/变更/续期) after confirming the commitment clauses, the
//! 执业公示申报单 list with filters, the detail with its history, and withdrawal.
//!
//! The application, the person's open-application lock and the deadline marker are written
//! in one transaction: of two units racing for one person exactly one gets an application,
//! the other a 409.

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationKind, ApplicationState, Step, document_number};
use gongshi_core::upload::UploadPurpose;
use gongshi_core::{Fields, IdNumber, Name};
use gongshi_http::applications::{self as app_views, ApplicationSummary, ApplicationView};
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::forms::{upload_key, verified_upload_in};
use gongshi_http::request::page_params;
use gongshi_http::response::commit;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param, query_param};
use gongshi_platform::{Item, Platform};
use gongshi_store::applications::{self, ApplicantPerson, Application, PreviousPublicity};
use gongshi_store::audit::AuditEntry;
use gongshi_store::practitioners::{self, OpenLock};
use gongshi_store::{units, uploads};
use gongshi_workflow::applications::{self as steps, changed_meanwhile};
use gongshi_workflow::{OnConflict, clauses, eligibility, expiry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

gongshi_http::routes!(submit, list, detail, withdraw; in_transaction: submit);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns();

/// A submission (第二步 提交).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationInput {
    /// 身份证号 (with `name`), or leave empty and give `certificate_no`.
    #[serde(default)]
    pub id_number: Option<String>,
    /// 姓名.
    #[serde(default)]
    pub name: Option<String>,
    /// One of the unit's publicity certificates (renewal from the 续期 list).
    #[serde(default)]
    pub certificate_no: Option<String>,
    /// The type the search showed; a different type now is 409 `kind_changed`.
    pub kind: ApplicationKind,
    /// The version of the clauses confirmed.
    pub clause_version: u32,
    /// 我已阅读并确认以上承诺条款.
    pub clauses_confirmed: bool,
    /// 离职证明 (purpose `resignation_proof`), required for a change while the other unit's
    /// publicity is not cancelled.
    #[serde(default)]
    pub resignation_upload_id: Option<String>,
}

/// A page of applications.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationList {
    /// Newest first.
    pub items: Vec<ApplicationSummary>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// Why the unit withdraws.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WithdrawInput {
    /// Optional reason (≤ 200 characters).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reason: Option<String>,
}

fn publicity_not_found() -> ApiError {
    ApiError::field("certificate_no", "publicity_not_found", "本单位没有该编号的公示证书")
}

/// The certificate number the input names instead of a person, if any.
fn certificate_asked(input: &ApplicationInput) -> Option<&str> {
    input.certificate_no.as_deref().map(str::trim).filter(|c| !c.is_empty())
}

/// Whom the application is for: the person the input names, or (by certificate number) the
/// holder read in the batch get, confirmed below against their publicity at this unit.
fn whom(p: &Platform, input: &ApplicationInput, holder: Option<Item>) -> Result<Whom, ApiError> {
    if certificate_asked(input).is_some() {
        let id_number = practitioners::holder_of(holder)
            .and_then(|id| IdNumber::parse(&id, china_today(p.clock.now())).ok())
            .ok_or_else(publicity_not_found)?;
        return Ok(Whom::Holder(id_number));
    }
    let mut fields = Fields::default();
    let today = china_today(p.clock.now());
    let id_number = fields.check("id_number", IdNumber::parse(input.id_number.as_deref().unwrap_or_default(), today));
    let name = fields.check("name", Name::parse(input.name.as_deref().unwrap_or_default()));
    match (id_number, name) {
        (Some(id_number), Some(name)) => Ok(Whom::Named(id_number, name)),
        _ => Err(ApiError::Invalid(fields.into_errors())),
    }
}

/// Whom an application is for.
enum Whom {
    /// A person named by ID number and name.
    Named(IdNumber, Name),
    /// The holder of a certificate number (their name is the publicity's).
    Holder(IdNumber),
}

fn person_taken() -> ApiError {
    ApiError::Conflict(
        "application_open",
        "该人员已有进行中的执业公示申报单（本单位或另一单位），不能重复申报".into(),
    )
}

/// Submits an application for one person; the 7-day deadline starts now.
#[utoipa::path(post, path = "/api/v1/unit/applications", tag = "publicity", security(("bearer" = [])), request_body = ApplicationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retried submission with the same key returns the first answer",
        min_length = 1, max_length = 100, pattern = "^[!-~]+$")),
    responses((status = 201, body = ApplicationView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // One batch get with the caller: the unit, the clauses in force, the resignation proof and
    // the holder of the certificate number the body names. A bad body is answered once the
    // caller is authorised.
    let input = json_body::<ApplicationInput>(req);
    let named = |f: fn(&ApplicationInput) -> Option<&str>| input.as_ref().ok().and_then(f).unwrap_or_default().to_owned();
    let (upload_id, certificate_no) = (named(|i| i.resignation_upload_id.as_deref()), named(certificate_asked));
    let (caller, unit_id, [unit, current, proof_upload, holder]) = authenticate_in_unit(p, req, |unit| {
        [
            units::key(unit),
            gongshi_store::clauses::current_key(),
            upload_key(&upload_id),
            practitioners::certificate_key(&certificate_no),
        ]
    })
    .await?;
    let input = input?;
    let whom = whom(p, &input, holder)?;
    let consent = clauses::confirmed_against(
        p,
        clauses::current_of(current)?,
        input.clause_version,
        input.clauses_confirmed,
        caller.username(),
    )?;
    let id_number = match &whom {
        Whom::Named(id_number, _) | Whom::Holder(id_number) => id_number.clone(),
    };
    let unit = unit
        .map(gongshi_store::decode::<units::Unit>)
        .transpose()?
        .ok_or_else(|| ApiError::Internal(format!("unit {unit_id} is missing")))?;
    let (person, scopes) = eligibility::read_with_unit(p, &unit_id, Some(&unit), &id_number).await?;
    let name = match whom {
        Whom::Named(_, name) => name,
        Whom::Holder(_) => person
            .publicity
            .as_ref()
            .filter(|r| r.publicity.unit_id == unit_id && r.publicity.certificate_no == certificate_no)
            .map(|r| r.name.clone())
            .ok_or_else(publicity_not_found)?,
    };
    let lookup = eligibility::Lookup {
        decision: eligibility::assess_person(p, &unit_id, &person, &name, &scopes),
        person,
    };
    let assessment = match lookup.decision {
        Ok(a) => a,
        Err(refusal) if refusal.code == "application_open" => return Err(person_taken()),
        Err(refusal) => return Err(ApiError::Unprocessable(refusal.code, refusal.message)),
    };
    if assessment.kind == ApplicationKind::Append {
        return Err(ApiError::Unprocessable(
            "append_via_list",
            "该人员有新取得的项目待追加，请在“追加”页面批量申报".into(),
        ));
    }
    if assessment.kind != input.kind {
        return Err(ApiError::Conflict(
            "kind_changed",
            format!("该人员的公示类型已变为“{}”，请重新检索后再提交", assessment.kind.label()),
        ));
    }
    let owner = gongshi_store::entity::unit(&unit_id);
    let proof = match (&input.resignation_upload_id, assessment.resignation_proof_required) {
        (Some(_), true) => Some(verified_upload_in(
            proof_upload,
            &owner,
            "resignation_upload_id",
            UploadPurpose::ResignationProof,
        )?),
        (None, true) => {
            return Err(ApiError::field(
                "resignation_upload_id",
                "resignation_proof_required",
                "原单位尚未完成注销公示，请上传原单位离职证明",
            ));
        }
        (_, false) => None,
    };
    let now = p.clock.now();
    let id = p.ids.id();
    let mut app = Application {
        number: document_number("SB", china_today(now), &id),
        id,
        unit_id: unit_id.clone(),
        unit_name: unit.name.as_str().into(),
        kind: assessment.kind,
        state: ApplicationState::Created,
        person: ApplicantPerson {
            id_number: id_number.clone(),
            name: name.clone(),
            mobile: lookup.person.mobile.as_ref().map(|m| m.mobile.clone()),
        },
        items: assessment.items,
        previous: lookup
            .person
            .publicity
            .as_ref()
            .filter(|_| assessment.kind == ApplicationKind::Change)
            .map(|r| PreviousPublicity {
                unit_id: r.publicity.unit_id.clone(),
                unit_name: r.publicity.unit_name.clone(),
                certificate_no: r.publicity.certificate_no.clone(),
                cancelled: r.publicity.cancelled,
            }),
        resignation_proof: proof,
        clauses: consent,
        created_at: now,
        created_by: caller.username().into(),
        deadline: now + p.config.periods.application_deadline,
        state_since: now,
        scan: None,
        code_sent_at: None,
        decision: None,
        end_reason: None,
        certificate_no: None,
        reason: None,
        history: Vec::new(),
        corrections: Vec::new(),
        claim: None,
        version: 1,
    };
    let entry = AuditEntry {
        entity: app.entity(),
        action: "application.created".into(),
        actor: caller.username().into(),
        from: None,
        to: Some(ApplicationState::Created.as_str().into()),
        reason: Some(format!("{}，承诺条款第 {} 版已确认", app.kind.label(), app.clauses.version)),
        at: now,
    };
    let audit = app.record(entry, &p.ids.id());
    let lock = OpenLock {
        application_id: app.id.clone(),
        unit_id: unit_id.clone(),
        state: ApplicationState::Created,
        deadline: Some(app.deadline),
    };
    let mut writes = vec![
        applications::create(&app),
        applications::claim_number(&app),
        practitioners::lock(&id_number, &lock),
        applications::set_deadline(&app),
        applications::open_marker(&app),
        audit,
    ];
    if let Some(proof) = &app.resignation_proof {
        writes.push(uploads::attach(&proof.upload_id, &owner, &app.entity()));
    }
    // The answer is known before the write: the new application and its one history entry.
    let answer = json(201, &app_views::view_of(p, &app))?;
    let created = commit(p, writes, answer).await.on_conflict(person_taken)?;
    tracing::info!(application = %app.id, kind = app.kind.as_str(), "publicity application created");
    Ok(created)
}

/// The 执业公示申报单 list: newest first, filtered by type, state (as of now) and person
/// (name or full ID number).
#[utoipa::path(get, path = "/api/v1/unit/applications", tag = "publicity", security(("bearer" = [])),
    params(("kind" = Option<ApplicationKind>, Query), ("state" = Option<ApplicationState>, Query),
        ("q" = Option<String>, Query, description = "姓名或完整身份证号"),
        ("cursor" = Option<String>, Query), ("limit" = Option<usize>, Query, description = "1–100, default 20"),
        ("format" = Option<String>, Query, description = "`xlsx`: the whole filtered list (at most 5,000) as an Excel download")),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((ApplicationList = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.unit_id()?;
    let (cursor, limit) = page_params(req)?;
    let kind = match query_param(req, "kind").filter(|k| !k.is_empty()) {
        None => None,
        Some(raw) => Some(ApplicationKind::parse(&raw).ok_or_else(|| ApiError::field("kind", "invalid_value", "公示类型无效"))?),
    };
    let state = match query_param(req, "state").filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(ApplicationState::parse(&raw).ok_or_else(|| ApiError::field("state", "invalid_value", "状态无效"))?),
    };
    let q = query_param(req, "q").map(|q| q.trim().to_uppercase()).filter(|q| !q.is_empty());
    let now = p.clock.now();
    let wanted = |app: &Application| {
        kind.is_none_or(|k| app.kind == k)
            && state.is_none_or(|s| app.state_at(now) == s)
            && q.as_deref()
                .is_none_or(|q| app.person.name.as_str().contains(q) || app.person.id_number.as_str() == q)
    };
    if gongshi_http::applications::wants_workbook(req)? {
        // The whole filtered list, page after page (at most EXPORT_ROWS).
        let found = gongshi_http::review::all_pages(|after| applications::of_unit(p.table.as_ref(), &unit_id, wanted, after, 100)).await?;
        let rows: Vec<ApplicationSummary> = found.iter().map(|a| ApplicationSummary::of(a, now)).collect();
        return gongshi_http::applications::summaries_workbook(&rows, "执业公示申报单", "执业公示申报单.xlsx");
    }
    let (found, next) = applications::of_unit(p.table.as_ref(), &unit_id, wanted, cursor, limit).await?;
    json(
        200,
        &ApplicationList {
            items: found.iter().map(|a| ApplicationSummary::of(a, now)).collect(),
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

/// One application with its items, clauses, documents and history.
#[utoipa::path(get, path = "/api/v1/unit/applications/{id}", tag = "publicity", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn detail(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (_, _, mut app) = app_views::authenticate_own(p, req, &id).await?;
    // Overdue: write the expiry now (frees the person, notifies) rather than wait for a sweep.
    if app.state_at(p.clock.now()) != app.state && expiry::expire_if_due(p, &app.id).await? {
        app = steps::load(p, &id).await?;
    }
    json(200, &app_views::view(p, &app).await?)
}

/// Withdraws an application that has not entered review (撤回).
#[utoipa::path(post, path = "/api/v1/unit/applications/{id}/withdraw", tag = "publicity", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = WithdrawInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn withdraw(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (caller, _, app) = app_views::authenticate_own(p, req, &id).await?;
    let input: WithdrawInput = json_body(req).unwrap_or_default();
    let reason = input.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 200) {
        return Err(ApiError::field("reason", "reason_length", "撤回原因不超过200个字符"));
    }
    let end_reason = reason
        .as_ref()
        .map_or_else(|| "单位已撤回".to_owned(), |r| format!("单位已撤回：{r}"));
    let transition = steps::advance(p, &app, Step::Withdraw, caller.username(), reason, |next| {
        next.end_reason = Some(end_reason);
    })?;
    p.table.transact(transition.writes).await.on_conflict(changed_meanwhile)?;
    json(200, &app_views::view_committed(p, &transition.next).await)
}

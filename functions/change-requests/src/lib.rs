//! Information change requests, the unit's side (F8, manual §3.2.4: "当单位名称、法人、统一社会
//! 信用代码、地址、邮编、授权人负责人发生变化时需要提交变更申请并提供相应证明"). Only the unit admin
//! asks; only fields that really differ are recorded, with their old values; proofs are
//! uploads; one request may be pending per unit. A reviewer applies or refuses it
//! (`change-review`).

use gongshi_core::registration::Contact;
use gongshi_core::upload::UploadPurpose;
use gongshi_core::{Address, Email, FieldError, Fields, IdNumber, Invalid, Mobile, Name, Postcode, Uscc};
use gongshi_http::auth::token;
use gongshi_http::forms::{upload_key, verified_upload_in};
use gongshi_http::views::ChangeRequestView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::change_requests::{self, ChangeItem, ChangeRequest, ChangeState, UnitChanges};
use gongshi_store::units::{self, Unit};
use gongshi_store::uploads;
use gongshi_workflow::OnConflict;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most proofs one change request carries.
const MAX_PROOFS: usize = 20;

gongshi_http::routes!(submit, list);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// The new authorised contact.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactChange {
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub id_number: String,
    /// 手机号.
    pub mobile: String,
    /// 电子邮箱.
    pub email: String,
}

/// What should change; omitted or empty fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeRequestInput {
    /// 单位名称.
    #[serde(default)]
    pub unit_name: Option<String>,
    /// 法定代表人.
    #[serde(default)]
    pub legal_representative: Option<String>,
    /// 统一社会信用代码.
    #[serde(default)]
    pub uscc: Option<String>,
    /// 单位地址.
    #[serde(default)]
    pub address: Option<String>,
    /// 邮政编码.
    #[serde(default)]
    pub postcode: Option<String>,
    /// 授权联系人.
    #[serde(default)]
    pub contact: Option<ContactChange>,
    /// 变更原因 (2–500 characters).
    pub reason: String,
    /// Verified uploads with purpose `change_proof` (at least one).
    pub proof_upload_ids: Vec<String>,
}

/// The unit's requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestList {
    /// Newest first.
    pub items: Vec<ChangeRequestView>,
}

fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The parsed new value of an optional field, when given and different from `current`.
fn changed<T: PartialEq>(
    fields: &mut Fields,
    field: &str,
    raw: &Option<String>,
    parse: fn(&str) -> Result<T, Invalid>,
    current: &T,
) -> Option<T> {
    let raw = given(raw)?;
    fields.check(field, parse(raw)).filter(|v| v != current)
}

/// How a contact is shown in the history: ID number and mobile masked.
pub fn contact_text(c: &Contact) -> String {
    format!(
        "{}，身份证 {}，手机 {}，{}",
        c.name.as_str(),
        c.id_number.masked(),
        c.mobile.masked(),
        c.email.as_str()
    )
}

/// Parses the input against the unit: the changes that differ and their display items.
fn parse_changes(input: &ChangeRequestInput, unit: &Unit, today: time::Date) -> Result<(UnitChanges, Vec<ChangeItem>), ApiError> {
    let mut fields = Fields::default();
    let mut changes = UnitChanges::default();
    let mut items = Vec::new();
    let mut note = |field: &str, label: &str, before: String, after: String| {
        items.push(ChangeItem {
            field: field.into(),
            label: label.into(),
            before,
            after,
        });
    };
    if let Some(v) = changed(&mut fields, "unit_name", &input.unit_name, Name::parse, &unit.name) {
        note("unit_name", "单位名称", unit.name.as_str().into(), v.as_str().into());
        changes.unit_name = Some(v);
    }
    if let Some(v) = changed(
        &mut fields,
        "legal_representative",
        &input.legal_representative,
        Name::parse,
        &unit.legal_representative,
    ) {
        note(
            "legal_representative",
            "法定代表人",
            unit.legal_representative.as_str().into(),
            v.as_str().into(),
        );
        changes.legal_representative = Some(v);
    }
    if let Some(v) = changed(&mut fields, "uscc", &input.uscc, Uscc::parse, &unit.uscc) {
        note("uscc", "统一社会信用代码", unit.uscc.to_string(), v.to_string());
        changes.uscc = Some(v);
    }
    if let Some(v) = changed(&mut fields, "address", &input.address, Address::parse, &unit.address) {
        note("address", "单位地址", unit.address.as_str().into(), v.as_str().into());
        changes.address = Some(v);
    }
    if let Some(v) = changed(&mut fields, "postcode", &input.postcode, Postcode::parse, &unit.postcode) {
        note("postcode", "邮政编码", unit.postcode.as_str().into(), v.as_str().into());
        changes.postcode = Some(v);
    }
    if let Some(c) = &input.contact {
        let name = fields.check("contact.name", Name::parse(&c.name));
        let id_number = fields.check("contact.id_number", IdNumber::parse(&c.id_number, today));
        let mobile = fields.check("contact.mobile", Mobile::parse(&c.mobile));
        let email = fields.check("contact.email", Email::parse(&c.email));
        if let (Some(name), Some(id_number), Some(mobile), Some(email)) = (name, id_number, mobile, email) {
            let contact = Contact {
                name,
                id_number,
                mobile,
                email,
            };
            if contact != unit.contact {
                note("contact", "授权联系人", contact_text(&unit.contact), contact_text(&contact));
                changes.contact = Some(contact);
            }
        }
    }
    let reason = input.reason.trim();
    if !(2..=500).contains(&reason.chars().count()) {
        fields.refuse("reason", Invalid::new("reason_length", "变更原因应为2至500个字符"));
    }
    if input.proof_upload_ids.is_empty() {
        fields.refuse("proof_upload_ids", Invalid::new("proof_required", "请上传变更证明材料"));
    }
    if !fields.is_ok() {
        return Err(ApiError::Invalid(fields.into_errors()));
    }
    if items.is_empty() {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "changes",
            "nothing_changes",
            "未填写与现有信息不同的变更内容",
        )]));
    }
    Ok((changes, items))
}

/// Asks for a change of the unit's registered information, with proofs.
#[utoipa::path(post, path = "/api/v1/unit/change-requests", tag = "unit", security(("bearer" = [])), request_body = ChangeRequestInput,
    responses((status = 201, body = ChangeRequestView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // One batch get: the caller, the unit, the claim of the USCC asked for, every proof. The
    // body is parsed first to name them; a bad body is answered once the caller is authorised.
    let input = json_body::<ChangeRequestInput>(req);
    let (asked_uscc, proof_ids) = match &input {
        Ok(i) if i.proof_upload_ids.len() <= MAX_PROOFS => {
            (i.uscc.as_deref().and_then(|u| Uscc::parse(u).ok()), i.proof_upload_ids.clone())
        }
        _ => (None, Vec::new()),
    };
    let (caller, unit_id, found) = token(p, req)?
        .read_all_in_unit(p, |unit| {
            let mut keys = vec![units::key(unit)];
            keys.extend(asked_uscc.as_ref().map(units::uscc_key));
            keys.extend(proof_ids.iter().map(|id| upload_key(id)));
            keys
        })
        .await?;
    caller.admin_unit_id("只有单位管理员可以申请信息变更")?;
    let input = input?;
    if input.proof_upload_ids.len() > MAX_PROOFS {
        return Err(ApiError::field(
            "proof_upload_ids",
            "too_many_proofs",
            &format!("证明材料最多{MAX_PROOFS}份"),
        ));
    }
    let mut found = found.into_iter();
    let unit = found
        .next()
        .flatten()
        .map(gongshi_store::decode::<Unit>)
        .transpose()?
        .ok_or_else(|| ApiError::Internal(format!("unit {unit_id} is missing")))?;
    let uscc_claim = match asked_uscc {
        Some(_) => found.next().flatten().map(gongshi_store::decode::<units::UsccClaim>).transpose()?,
        None => None,
    };
    let now = p.clock.now();
    let (changes, items) = parse_changes(&input, &unit, gongshi_core::china_today(now))?;
    let owner = gongshi_store::entity::unit(&unit_id);
    let proofs = found
        .map(|upload| verified_upload_in(upload, &owner, "proof_upload_ids", UploadPurpose::ChangeProof))
        .collect::<Result<Vec<_>, _>>()?;
    if changes.uscc.is_some() {
        let claim = uscc_claim;
        if claim.is_some_and(|c| c.owner != owner && c.expires_at.is_none_or(|at| at >= now.unix_timestamp())) {
            return Err(ApiError::Conflict("uscc_taken", "该统一社会信用代码已被其他单位使用".into()));
        }
    }
    let request = ChangeRequest {
        id: p.ids.id(),
        unit_id: unit_id.clone(),
        unit_name: unit.name.as_str().into(),
        state: ChangeState::Pending,
        changes,
        items,
        reason: input.reason.trim().into(),
        proofs,
        submitted_at: now,
        submitted_by: caller.username().into(),
        decision: None,
        version: 1,
    };
    let entry = AuditEntry {
        entity: gongshi_store::entity::change_request(&request.id),
        action: "change_request.submitted".into(),
        actor: caller.username().into(),
        from: None,
        to: Some("pending".into()),
        reason: Some(request.reason.clone()),
        at: now,
    };
    let mut writes = vec![
        change_requests::create(&request),
        change_requests::lock(&unit_id, &request.id),
        audit::record(&entry, &p.ids.id()),
    ];
    writes.extend(
        request
            .proofs
            .iter()
            .map(|proof| uploads::attach(&proof.upload_id, &owner, &gongshi_store::entity::change_request(&request.id))),
    );
    p.table.transact(writes).await.on_conflict(|| {
        ApiError::Conflict(
            "change_request_open",
            "本单位已有待审核的信息变更申请，请等待审核结果后再提交".into(),
        )
    })?;
    json(201, &ChangeRequestView::of(&request))
}

/// The unit's change requests, newest first.
#[utoipa::path(get, path = "/api/v1/unit/change-requests", tag = "unit", security(("bearer" = [])),
    responses((status = 200, body = ChangeRequestList), (status = 403, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.admin_unit_id("只有单位管理员可以申请信息变更")?;
    let found = change_requests::of_unit(p.table.as_ref(), &unit_id).await?;
    json(
        200,
        &ChangeRequestList {
            items: found.iter().map(ChangeRequestView::of).collect(),
        },
    )
}

//! The unit's qualification certificates (单位资质, F9, manual §3.2.5): units upload the
//! 核准证/许可证 they hold, each with its scan; the list shows validity, and certificates
//! ending within 90 days or already expired are marked (the unit home highlights them).
//! Scope is what eligibility trusts, so a new certificate or a correction is a request the
//! association reviews in the information-change queue (F8, F21): the unit admin asks (as
//! for the other information changes), the version waits as `pending`, and only an approved
//! version counts for eligibility. Another unit's certificates answer 404.

use gongshi_core::registration::{Qualification, QualificationKind, Validity};
use gongshi_core::upload::UploadPurpose;
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::forms::{QualificationInput, parse_qualification, upload_key, verified_upload_in};
use gongshi_http::views::{QualificationKindView, UploadRef};
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::{Item, Platform, Write};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::change_requests::{self, ChangeItem, ChangeRequest, ChangeState, QualificationChange, UnitChanges};
use gongshi_store::qualifications::PendingRevision;
use gongshi_store::qualifications::{self, UnitQualification};
use gongshi_store::units::{self, Unit};
use gongshi_store::uploads;
use gongshi_workflow::OnConflict;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// Days before the end of validity from which a certificate is marked as expiring.
pub const EXPIRY_WINDOW_DAYS: i64 = 90;

gongshi_http::routes!(list, add, correct);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// Where a certificate stands today.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValidityView {
    /// 有效.
    Valid,
    /// 即将到期 (within 90 days).
    Expiring,
    /// 已过期.
    Expired,
}

/// One certificate of the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitQualificationView {
    /// Id.
    pub id: String,
    /// 核准证 or 许可证.
    pub kind: QualificationKindView,
    /// 证书编号.
    pub certificate_no: String,
    /// 发证机关.
    pub authority: String,
    /// 核准/许可项目.
    pub items: Vec<String>,
    /// First valid day.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last valid day.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// The scan.
    pub scan: UploadRef,
    /// Today's standing.
    pub validity: ValidityView,
    /// Days of validity left (negative once expired).
    pub days_left: i64,
    /// Last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    /// `approved` (in force), `pending` (a version waits for review; for a new certificate
    /// nothing is in force yet) or `rejected` (a new certificate the association refused).
    pub review_state: String,
    /// The version waiting for review, if any.
    pub pending: Option<PendingQualificationView>,
}

/// A version of a certificate waiting for the association's review.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingQualificationView {
    /// The change request that reviews it (see `/api/v1/unit/change-requests`).
    pub change_request_id: String,
    /// 核准证 or 许可证.
    pub kind: QualificationKindView,
    /// 证书编号.
    pub certificate_no: String,
    /// 发证机关.
    pub authority: String,
    /// 核准/许可项目.
    pub items: Vec<String>,
    /// First valid day.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last valid day.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// The new scan.
    pub scan: UploadRef,
    /// Asked.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: OffsetDateTime,
}

/// The unit's certificates with counts for the home page.
#[derive(Debug, Serialize, ToSchema)]
pub struct QualificationList {
    /// Soonest to end first.
    pub items: Vec<UnitQualificationView>,
    /// How many end within 90 days.
    pub expiring_count: usize,
    /// How many have ended.
    pub expired_count: usize,
}

fn view(c: &UnitQualification, today: Date) -> UnitQualificationView {
    let q = &c.qualification;
    let validity = match q.validity(today, EXPIRY_WINDOW_DAYS) {
        Validity::Valid => ValidityView::Valid,
        Validity::Expiring(_) => ValidityView::Expiring,
        Validity::Expired => ValidityView::Expired,
    };
    UnitQualificationView {
        id: c.id.clone(),
        kind: q.kind.into(),
        certificate_no: q.certificate_no.clone(),
        authority: q.authority.as_str().into(),
        items: q.items.clone(),
        valid_from: q.valid_from,
        valid_until: q.valid_until,
        scan: UploadRef::from(&q.scan),
        validity,
        days_left: (q.valid_until - today).whole_days(),
        updated_at: c.updated_at,
        review_state: match (&c.pending, c.approved) {
            (Some(_), _) => "pending",
            (None, true) => "approved",
            (None, false) => "rejected",
        }
        .into(),
        pending: c.pending.as_ref().map(|p| PendingQualificationView {
            change_request_id: p.change_request_id.clone(),
            kind: p.qualification.kind.into(),
            certificate_no: p.qualification.certificate_no.clone(),
            authority: p.qualification.authority.as_str().into(),
            items: p.qualification.items.clone(),
            valid_from: p.qualification.valid_from,
            valid_until: p.qualification.valid_until,
            scan: UploadRef::from(&p.qualification.scan),
            requested_at: p.requested_at,
        }),
    }
}

/// A certificate as the change queue shows it.
fn summary(q: &Qualification) -> String {
    let kind = match q.kind {
        QualificationKind::Approval => "核准证",
        QualificationKind::Licence => "许可证",
    };
    format!(
        "{kind} {}（{}）：{}；有效期 {} 至 {}",
        q.certificate_no,
        q.authority.as_str(),
        q.items.join("、"),
        q.valid_from,
        q.valid_until
    )
}

/// The change request that reviews `asked` for the certificate `record_id`, and the writes
/// that store it (with the certificate's pending version written by the caller).
fn review_request(
    p: &Platform,
    unit: &Unit,
    record_id: &str,
    before: Option<&Qualification>,
    asked: &Qualification,
    actor: &str,
    now: OffsetDateTime,
) -> (ChangeRequest, Vec<Write>) {
    let new = before.is_none();
    let request = ChangeRequest {
        id: p.ids.id(),
        unit_id: unit.id.clone(),
        unit_name: unit.name.as_str().into(),
        state: ChangeState::Pending,
        changes: UnitChanges {
            qualification: Some(QualificationChange {
                qualification_id: record_id.into(),
                new,
                qualification: asked.clone(),
            }),
            ..UnitChanges::default()
        },
        items: vec![ChangeItem {
            field: "qualification".into(),
            label: if new { "新增资质证书" } else { "资质证书" }.into(),
            before: before.map_or_else(|| "（无）".into(), summary),
            after: summary(asked),
        }],
        reason: if new {
            "新增资质证书，核准/许可项目以审核通过的版本为准"
        } else {
            "资质证书变更，核准/许可项目以审核通过的版本为准"
        }
        .into(),
        proofs: vec![asked.scan.clone()],
        submitted_at: now,
        submitted_by: actor.into(),
        decision: None,
        version: 1,
    };
    let entry = AuditEntry {
        entity: gongshi_store::entity::change_request(&request.id),
        action: "change_request.submitted".into(),
        actor: actor.into(),
        from: None,
        to: Some("pending".into()),
        reason: Some(request.reason.clone()),
        at: now,
    };
    let writes = vec![change_requests::create(&request), audit::record(&entry, &p.ids.id())];
    (request, writes)
}

/// The caller's unit, read in their batch get, once the caller is known to be its admin.
fn admin_unit(caller: &gongshi_http::Caller, unit_id: &str, unit: Option<Item>) -> Result<Unit, ApiError> {
    caller.admin_unit_id("只有单位管理员可以申请资质证书的新增或变更")?;
    unit.map(gongshi_store::decode::<Unit>)
        .transpose()?
        .ok_or_else(|| ApiError::Internal(format!("unit {unit_id} is missing")))
}

fn audit_entry(c: &UnitQualification, action: &str, actor: &str, now: OffsetDateTime) -> AuditEntry {
    AuditEntry {
        entity: gongshi_store::entity::unit(&c.unit_id),
        action: action.into(),
        actor: actor.into(),
        from: None,
        to: Some(c.qualification.certificate_no.clone()),
        reason: None,
        at: now,
    }
}

/// The unit's certificates, soonest to end first.
#[utoipa::path(get, path = "/api/v1/unit/qualifications", tag = "unit", security(("bearer" = [])),
    responses((status = 200, body = QualificationList), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.unit_id()?;
    let today = gongshi_core::china_today(p.clock.now());
    let mut items: Vec<UnitQualificationView> = qualifications::of_unit(p.table.as_ref(), &unit_id)
        .await?
        .iter()
        .map(|c| view(c, today))
        .collect();
    items.sort_by_key(|q| q.valid_until);
    let expiring_count = items.iter().filter(|q| matches!(q.validity, ValidityView::Expiring)).count();
    let expired_count = items.iter().filter(|q| matches!(q.validity, ValidityView::Expired)).count();
    json(
        200,
        &QualificationList {
            items,
            expiring_count,
            expired_count,
        },
    )
}

/// Asks to add a certificate with its uploaded scan (unit admin): the certificate waits for
/// review (202) and counts for eligibility once approved.
#[utoipa::path(post, path = "/api/v1/unit/qualifications", tag = "unit", security(("bearer" = [])), request_body = QualificationInput,
    responses((status = 202, body = UnitQualificationView, description = "Waiting for review"), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // Parsed first so that the scan it names is read in the caller's batch get; a malformed
    // body is answered once the caller is authorised.
    let input = json_body::<QualificationInput>(req);
    let scan_id = input.as_ref().map(|i| i.scan_upload_id.clone()).unwrap_or_default();
    let (caller, unit_id, [unit, upload]) = authenticate_in_unit(p, req, |unit| [units::key(unit), upload_key(&scan_id)]).await?;
    let unit = admin_unit(&caller, &unit_id, unit)?;
    let input = input?;
    let now = p.clock.now();
    let certificate = parse_qualification(&input, gongshi_core::china_today(now))?;
    let owner = gongshi_store::entity::unit(&unit.id);
    let scan = verified_upload_in(upload, &owner, "scan_upload_id", UploadPurpose::QualificationScan)?;
    let asked = certificate.with_scan(scan);
    let id = p.ids.id();
    let (request, mut writes) = review_request(p, &unit, &id, None, &asked, caller.username(), now);
    let record = UnitQualification {
        id,
        unit_id: unit.id.clone(),
        qualification: asked.clone(),
        approved: false,
        pending: Some(PendingRevision {
            qualification: asked,
            change_request_id: request.id.clone(),
            requested_by: caller.username().into(),
            requested_at: now,
        }),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let entry = audit_entry(&record, "qualification.requested", caller.username(), now);
    writes.extend([
        qualifications::create(&record),
        uploads::attach(
            &record.qualification.scan.upload_id,
            &owner,
            &gongshi_store::entity::qualification(&record.id),
        ),
        audit::record(&entry, &p.ids.id()),
    ]);
    p.table.transact(writes).await?;
    json(202, &view(&record, gongshi_core::china_today(now)))
}

/// Asks to correct a certificate (e.g. after renewal of the 核准证: items, authority, number,
/// validity, with the new scan); the approved version stays in force until a reviewer
/// approves the new one (202). One correction waits at a time.
#[utoipa::path(put, path = "/api/v1/unit/qualifications/{id}", tag = "unit", security(("bearer" = [])),
    params(("id" = String, Path, description = "Certificate id")), request_body = QualificationInput,
    responses((status = 202, body = UnitQualificationView, description = "Waiting for review"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn correct(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input = json_body::<QualificationInput>(req);
    let scan_id = input.as_ref().map(|i| i.scan_upload_id.clone()).unwrap_or_default();
    let id = path_param(req, "id")?;
    let (caller, unit_id, [unit, record, upload]) = authenticate_in_unit(p, req, |unit| {
        [units::key(unit), qualifications::key(unit, &id), upload_key(&scan_id)]
    })
    .await?;
    let unit = admin_unit(&caller, &unit_id, unit)?;
    let input = input?;
    let now = p.clock.now();
    let certificate = parse_qualification(&input, gongshi_core::china_today(now))?;
    let mut record = record
        .map(gongshi_store::decode::<UnitQualification>)
        .transpose()?
        .ok_or_else(|| ApiError::NotFound("qualification_not_found", "未找到该资质证书".into()))?;
    if record.pending.is_some() {
        return Err(ApiError::Conflict(
            "qualification_change_open",
            "该资质证书已有待审核的变更，请等待审核结果后再提交".into(),
        ));
    }
    let owner = gongshi_store::entity::unit(&unit.id);
    let same_scan = record.qualification.scan.upload_id == input.scan_upload_id.trim();
    let scan = if same_scan {
        record.qualification.scan.clone()
    } else {
        verified_upload_in(upload, &owner, "scan_upload_id", UploadPurpose::QualificationScan)?
    };
    let asked = certificate.with_scan(scan);
    if record.approved && asked == record.qualification {
        return json(200, &view(&record, gongshi_core::china_today(now)));
    }
    let (request, mut writes) = review_request(p, &unit, &record.id, record.in_force(), &asked, caller.username(), now);
    let expected = record.version;
    record.pending = Some(PendingRevision {
        qualification: asked,
        change_request_id: request.id.clone(),
        requested_by: caller.username().into(),
        requested_at: now,
    });
    record.updated_at = now;
    record.version += 1;
    writes.push(qualifications::replace(&record, expected));
    writes.push(audit::record(
        &audit_entry(&record, "qualification.correction_requested", caller.username(), now),
        &p.ids.id(),
    ));
    if !same_scan {
        writes.push(uploads::attach(
            &input.scan_upload_id,
            &owner,
            &gongshi_store::entity::qualification(&record.id),
        ));
    }
    p.table
        .transact(writes)
        .await
        .on_conflict(|| ApiError::Conflict("qualification_change_open", "该资质证书刚被修改，请刷新后重试".into()))?;
    json(202, &view(&record, gongshi_core::china_today(now)))
}

//! The unit's qualification certificates (单位资质, F9, manual §3.2.5): units upload the
//! 核准证/许可证 they hold, each with its scan; the list shows validity, and certificates
//! ending within 90 days or already expired are marked (the unit home highlights them).
//! Any unit user may add and correct them; another unit's certificates answer 404.

use gongshi_core::registration::Validity;
use gongshi_core::upload::UploadPurpose;
use gongshi_http::forms::{QualificationInput, parse_qualification, verified_upload};
use gongshi_http::views::{QualificationKindView, UploadRef};
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::qualifications::{self, UnitQualification};
use gongshi_store::uploads;
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
    }
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

/// Adds a certificate with its uploaded scan.
#[utoipa::path(post, path = "/api/v1/unit/qualifications", tag = "unit", security(("bearer" = [])), request_body = QualificationInput,
    responses((status = 201, body = UnitQualificationView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.unit_id()?;
    let input: QualificationInput = json_body(req)?;
    let now = p.clock.now();
    let certificate = parse_qualification(&input, gongshi_core::china_today(now))?;
    let owner = gongshi_store::entity::unit(&unit_id);
    let scan = verified_upload(p, &owner, &input.scan_upload_id, "scan_upload_id", UploadPurpose::QualificationScan).await?;
    let record = UnitQualification {
        id: p.ids.id(),
        unit_id,
        qualification: certificate.with_scan(scan),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let attach = uploads::attach(
        &record.qualification.scan.upload_id,
        &owner,
        &gongshi_store::entity::qualification(&record.id),
    );
    let entry = audit_entry(&record, "qualification.added", caller.username(), now);
    p.table
        .transact(vec![qualifications::create(&record), attach, audit::record(&entry, &p.ids.id())])
        .await?;
    json(201, &view(&record, gongshi_core::china_today(now)))
}

/// Corrects a certificate (e.g. after renewal of the 核准证): all fields and a scan.
#[utoipa::path(put, path = "/api/v1/unit/qualifications/{id}", tag = "unit", security(("bearer" = [])),
    params(("id" = String, Path, description = "Certificate id")), request_body = QualificationInput,
    responses((status = 200, body = UnitQualificationView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn correct(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.unit_id()?;
    let input: QualificationInput = json_body(req)?;
    let now = p.clock.now();
    let certificate = parse_qualification(&input, gongshi_core::china_today(now))?;
    let id = path_param(req, "id")?;
    let mut record = qualifications::get(p.table.as_ref(), &unit_id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("qualification_not_found", "未找到该资质证书".into()))?;
    let owner = gongshi_store::entity::unit(&unit_id);
    let same_scan = record.qualification.scan.upload_id == input.scan_upload_id.trim();
    let scan = if same_scan {
        record.qualification.scan.clone()
    } else {
        verified_upload(p, &owner, &input.scan_upload_id, "scan_upload_id", UploadPurpose::QualificationScan).await?
    };
    let expected = record.version;
    record.qualification = certificate.with_scan(scan);
    record.updated_at = now;
    record.version += 1;
    let mut writes = vec![
        qualifications::replace(&record, expected),
        audit::record(
            &audit_entry(&record, "qualification.corrected", caller.username(), now),
            &p.ids.id(),
        ),
    ];
    if !same_scan {
        writes.push(uploads::attach(
            &record.qualification.scan.upload_id,
            &owner,
            &gongshi_store::entity::qualification(&record.id),
        ));
    }
    p.table.transact(writes).await?;
    json(200, &view(&record, gongshi_core::china_today(now)))
}

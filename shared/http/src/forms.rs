//! Request forms that more than one function accepts, with their parsing into domain values.

use crate::ApiError;
use crate::views::QualificationKindView;
use gongshi_core::registration::{Qualification, QualificationKind, UploadRef};
use gongshi_core::upload::UploadPurpose;
use gongshi_core::{FieldError, Fields, Invalid, Name};
use gongshi_platform::Platform;
use gongshi_store::uploads::{self, UploadState};
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;

/// A qualification certificate (核准证/许可证) with its uploaded scan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QualificationInput {
    /// 核准证 or 许可证.
    pub kind: QualificationKindView,
    /// 证书编号.
    pub certificate_no: String,
    /// 发证机关.
    pub authority: String,
    /// 核准/许可项目 (at least one).
    pub items: Vec<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD`.
    pub valid_until: String,
    /// A verified upload with purpose `qualification_scan`.
    pub scan_upload_id: String,
}

/// The certificate's fields once checked (the scan is checked separately, against its owner).
#[derive(Debug)]
pub struct QualificationFields {
    /// 核准证 or 许可证.
    pub kind: QualificationKind,
    /// 证书编号.
    pub certificate_no: String,
    /// 发证机关.
    pub authority: Name,
    /// 核准/许可项目.
    pub items: Vec<String>,
    /// First valid day.
    pub valid_from: Date,
    /// Last valid day.
    pub valid_until: Date,
}

impl QualificationFields {
    /// The certificate with its scan.
    pub fn with_scan(self, scan: UploadRef) -> Qualification {
        Qualification {
            kind: self.kind,
            certificate_no: self.certificate_no,
            authority: self.authority,
            items: self.items,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            scan,
        }
    }
}

fn parse_date(fields: &mut Fields, field: &str, raw: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    fields.check(
        field,
        Date::parse(raw.trim(), &format).map_err(|_| Invalid::new("date_format", "日期格式应为 YYYY-MM-DD")),
    )
}

/// Checks every field of a certificate; all errors at once.
pub fn parse_qualification(input: &QualificationInput, today: Date) -> Result<QualificationFields, ApiError> {
    let mut fields = Fields::default();
    let authority = fields.check("authority", Name::parse(&input.authority));
    let valid_from = parse_date(&mut fields, "valid_from", &input.valid_from);
    let valid_until = parse_date(&mut fields, "valid_until", &input.valid_until);
    let mut errors: Vec<FieldError> = Vec::new();
    let details = match (valid_from, valid_until) {
        (Some(from), Some(until)) => match Qualification::check_details(&input.certificate_no, &input.items, from, until, today) {
            Ok(details) => Some(details),
            Err(found) => {
                errors = found;
                None
            }
        },
        _ => None,
    };
    let mut all = fields.into_errors();
    all.extend(errors);
    match (authority, valid_from, valid_until, details) {
        (Some(authority), Some(valid_from), Some(valid_until), Some((certificate_no, items))) if all.is_empty() => {
            Ok(QualificationFields {
                kind: input.kind.into(),
                certificate_no,
                authority,
                items,
                valid_from,
                valid_until,
            })
        }
        _ => Err(ApiError::Invalid(all)),
    }
}

/// The key of the upload a form field names (to read it in a batch).
pub fn upload_key(upload_id: &str) -> gongshi_platform::Key {
    uploads::key(upload_id.trim())
}

/// A verified upload of `owner` for `purpose`, as a reference; anything else is a field
/// error on `field` (another owner's upload is reported as not found).
pub async fn verified_upload(
    p: &Platform,
    owner: &str,
    upload_id: &str,
    field: &str,
    purpose: UploadPurpose,
) -> Result<UploadRef, ApiError> {
    let item = p
        .table
        .get(&uploads::key(upload_id.trim()))
        .await
        .map_err(gongshi_store::StoreError::from)?;
    verified_upload_in(item, owner, field, purpose)
}

/// [`verified_upload`] of an upload item read beforehand (in the caller's batch get, under
/// [`upload_key`]).
pub fn verified_upload_in(
    item: Option<gongshi_platform::Item>,
    owner: &str,
    field: &str,
    purpose: UploadPurpose,
) -> Result<UploadRef, ApiError> {
    let upload = item
        .map(gongshi_store::decode::<gongshi_store::uploads::Upload>)
        .transpose()?
        .filter(|u| u.owner == owner && u.purpose == purpose)
        .ok_or_else(|| ApiError::field(field, "upload_not_found", &format!("未找到上传的{}，请重新上传", purpose.label())))?;
    if upload.state != UploadState::Verified {
        return Err(ApiError::field(
            field,
            "upload_incomplete",
            &format!("{}尚未上传完成，请重新上传", purpose.label()),
        ));
    }
    Ok(UploadRef {
        upload_id: upload.id,
        file_name: upload.file_name,
        content_type: upload.content_type,
        size: upload.size,
    })
}

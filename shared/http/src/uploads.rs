//! Uploads through presigned URLs, shared by every function that lets people upload: type
//! and size are checked before a URL is issued; after the browser's PUT the stored bytes are
//! checked (size and magic bytes), and a file that is not what was declared is deleted.
//! `owner` says who may use the upload later (`REG#…`, `UNIT#…`, `APPEAL#…`).

use crate::ApiError;
use gongshi_core::upload::{ACCEPTED_TYPES, UploadPurpose, clean_file_name};
use gongshi_platform::blobs::sniff_content_type;
use gongshi_platform::{Item, Platform};
use gongshi_store::uploads::{self, Upload, UploadState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A file the browser is about to upload.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UploadRequest {
    /// What it is for.
    pub purpose: UploadPurpose,
    /// The file's name.
    pub file_name: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub content_type: String,
    /// Exact size in bytes.
    pub size: u64,
}

/// Where and how to upload the file.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresignedUpload {
    /// Report completion with this id.
    pub upload_id: String,
    /// The signed URL.
    pub url: String,
    /// Always `PUT`.
    pub method: String,
    /// Send exactly these headers.
    pub headers: BTreeMap<String, String>,
    /// The URL stops working then.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
    /// The body must be exactly this many bytes.
    pub max_bytes: u64,
}

/// Upload state.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadStateView {
    /// Waiting for the file.
    Pending,
    /// Checked and usable.
    Verified,
}

/// An upload.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Upload)]
pub struct UploadView {
    /// Id.
    pub upload_id: String,
    /// What it is for.
    pub purpose: UploadPurpose,
    /// File name.
    pub file_name: String,
    /// Verified content type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// State.
    pub state: UploadStateView,
}

impl UploadView {
    /// The view of a stored upload.
    pub fn of(upload: &Upload) -> Self {
        Self {
            upload_id: upload.id.clone(),
            purpose: upload.purpose,
            file_name: upload.file_name.clone(),
            content_type: upload.content_type.clone(),
            size: upload.size,
            state: match upload.state {
                UploadState::Pending => UploadStateView::Pending,
                UploadState::Verified => UploadStateView::Verified,
            },
        }
    }
}

/// Checks type and size, records a pending upload of `owner` and presigns its PUT.
pub async fn presign(p: &Platform, owner: String, input: &UploadRequest) -> Result<PresignedUpload, ApiError> {
    let content_type = input.content_type.trim().to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&content_type.as_str()) {
        return Err(ApiError::field(
            "content_type",
            "unsupported_type",
            "仅支持 JPG、PNG 图片或 PDF 文件",
        ));
    }
    if input.size == 0 {
        return Err(ApiError::field("size", "file_empty", "文件内容为空，请重新选择"));
    }
    let max = p.config.max_upload_bytes;
    if input.size > max {
        return Err(ApiError::TooLarge(format!("文件不能超过 {} MB", max / (1024 * 1024))));
    }
    let now = p.clock.now();
    let id = p.ids.id();
    let blob_key = uploads::blob_key(&id);
    let presigned = p
        .blobs
        .presign_put(&blob_key, &content_type, input.size, p.config.presign_ttl)
        .await?;
    let upload = Upload {
        id: id.clone(),
        owner,
        purpose: input.purpose,
        file_name: clean_file_name(&input.file_name),
        content_type,
        size: input.size,
        blob_key,
        state: UploadState::Pending,
        attached_to: None,
        created_at: now,
        version: 1,
        // Unattached uploads are forgotten with the longest-lived thing that could use them.
        expires_at: Some((now + p.config.draft_lifetime).unix_timestamp()),
    };
    uploads::create(p.table.as_ref(), &upload).await?;
    Ok(PresignedUpload {
        upload_id: id,
        url: presigned.url,
        method: presigned.method.into(),
        headers: presigned.headers,
        expires_at: presigned.expires_at,
        max_bytes: input.size,
    })
}

/// Verifies the stored bytes of an upload of `owner`. Completing a verified upload again
/// answers the same; another owner's upload is not found.
pub async fn complete(p: &Platform, owner: &str, upload: Option<Item>) -> Result<UploadView, ApiError> {
    let mut upload = upload
        .map(gongshi_store::decode::<uploads::Upload>)
        .transpose()?
        .filter(|u| u.owner == owner)
        .ok_or_else(|| ApiError::NotFound("upload_not_found", "未找到该上传文件".into()))?;
    if upload.state == UploadState::Verified {
        return Ok(UploadView::of(&upload));
    }
    let Some(info) = p.blobs.head(&upload.blob_key).await? else {
        return Err(ApiError::field("file", "upload_missing", "文件尚未上传成功，请重新上传"));
    };
    let start = p.blobs.read_start(&upload.blob_key, 16).await?.unwrap_or_default();
    let mismatch = if info.size != upload.size {
        Some("文件大小与声明不符，请重新上传")
    } else if sniff_content_type(&start) != Some(upload.content_type.as_str()) {
        Some("文件内容与文件类型不符，仅支持真实的 JPG、PNG 图片或 PDF 文件")
    } else {
        None
    };
    if let Some(message) = mismatch {
        p.blobs.delete(&upload.blob_key).await?;
        tracing::warn!(upload = %upload.id, "uploaded bytes refused and deleted");
        return Err(ApiError::field("file", "content_mismatch", message));
    }
    let expected = upload.version;
    upload.state = UploadState::Verified;
    upload.version += 1;
    uploads::save(p.table.as_ref(), &upload, expected).await?;
    Ok(UploadView::of(&upload))
}

//! Uploads through presigned URLs: the browser asks for a URL (type and size are checked
//! first), PUTs the file straight to the blob store, then reports completion; only then are
//! the stored bytes checked (size and magic bytes) and the upload becomes usable. A file
//! whose bytes are not what was declared is deleted.

use gongshi_core::upload::{ACCEPTED_TYPES, UploadPurpose, clean_file_name};
use gongshi_http::{
    ApiError, Body, HandlerFuture, Problem, Request, Response, authenticate, json, json_body, path_param, respond, route_key,
};
use gongshi_platform::Platform;
use gongshi_platform::blobs::sniff_content_type;
use gongshi_store::uploads::{self, Upload, UploadState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;
use utoipa::{OpenApi, ToSchema};

/// The routes of this function.
#[derive(OpenApi)]
#[openapi(paths(presign, complete))]
pub struct Api;

/// The Lambda handler.
pub fn handler(platform: Arc<Platform>, req: Request) -> HandlerFuture {
    Box::pin(async move {
        let p = platform.as_ref();
        respond(&req, async {
            match route_key(&req).as_str() {
                "POST /api/v1/uploads" => presign(p, &req).await,
                "POST /api/v1/uploads/{id}/complete" => complete(p, &req).await,
                other => Err(ApiError::NotFound("route_not_found", format!("未知接口 {other}"))),
            }
        })
        .await
    })
}

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
    fn of(upload: &Upload) -> Self {
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

fn megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Checks type and size, then issues a short-lived URL for exactly that file.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", security(("bearer" = [])), request_body = UploadRequest,
    responses((status = 201, body = PresignedUpload), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn presign(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let owner = caller.upload_owner()?;
    let input: UploadRequest = json_body(req)?;
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
        return Err(ApiError::TooLarge(format!("文件不能超过 {} MB", megabytes(max))));
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
    json(
        201,
        &PresignedUpload {
            upload_id: id,
            url: presigned.url,
            method: presigned.method.into(),
            headers: presigned.headers,
            expires_at: presigned.expires_at,
            max_bytes: input.size,
        },
    )
}

/// Verifies the uploaded bytes. Completing a verified upload again answers the same.
#[utoipa::path(post, path = "/api/v1/uploads/{id}/complete", tag = "uploads", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, body = UploadView), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn complete(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let owner = caller.upload_owner()?;
    let id = path_param(req, "id")?;
    let mut upload = uploads::get(p.table.as_ref(), &id)
        .await?
        .filter(|u| u.owner == owner)
        .ok_or_else(|| ApiError::NotFound("upload_not_found", "未找到该上传文件".into()))?;
    if upload.state == UploadState::Verified {
        return json(200, &UploadView::of(&upload));
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
    json(200, &UploadView::of(&upload))
}

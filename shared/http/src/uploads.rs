//! Uploads as the API takes and shows them: the declaration before the presigned PUT, the
//! presigned request, and the upload's state. The checks are `gongshi_workflow::uploads`.

use gongshi_core::upload::UploadPurpose;
use gongshi_store::uploads::{Upload, UploadState};
use gongshi_workflow::uploads::{Declared, Presigned};
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

impl UploadRequest {
    /// The declaration the workflow checks.
    pub fn declared(&self) -> Declared<'_> {
        Declared {
            purpose: self.purpose,
            file_name: &self.file_name,
            content_type: &self.content_type,
            size: self.size,
        }
    }
}

impl PresignedUpload {
    /// The answer for a pending upload and its presigned PUT.
    pub fn of(presigned: Presigned) -> Self {
        Self {
            upload_id: presigned.upload.id,
            url: presigned.request.url,
            method: presigned.request.method.into(),
            headers: presigned.request.headers,
            expires_at: presigned.request.expires_at,
            max_bytes: presigned.upload.size,
        }
    }
}

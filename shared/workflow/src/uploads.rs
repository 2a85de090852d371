//! Uploads through presigned URLs, for every function that lets people upload: type and
//! size are checked before a URL is issued; after the browser's PUT the stored bytes are
//! checked (size and magic bytes), and a file that is not what was declared is deleted. The
//! checked bytes are kept under `verified/<id>`, which no upload URL can write, and only
//! that copy is served: a PUT to the upload URL after the check changes nothing.
//! `owner` says who may use the upload later (`gongshi_store::entity`).

use crate::{Error, Result};
use gongshi_core::upload::{ACCEPTED_TYPES, UploadPurpose, clean_file_name};
use gongshi_platform::blobs::sniff_content_type;
use gongshi_platform::{Item, Platform, PresignedRequest};
use gongshi_store::uploads::{self, Upload, UploadState};

/// A file the browser is about to upload, as declared.
#[derive(Debug, Clone, Copy)]
pub struct Declared<'a> {
    /// What it is for.
    pub purpose: UploadPurpose,
    /// The file's name (cleaned before it is stored).
    pub file_name: &'a str,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub content_type: &'a str,
    /// Exact size in bytes.
    pub size: u64,
}

/// A pending upload and the request that uploads its bytes.
#[derive(Debug)]
pub struct Presigned {
    /// The pending upload.
    pub upload: Upload,
    /// Where and how to PUT the bytes.
    pub request: PresignedRequest,
}

/// Checks type and size, records a pending upload of `owner` and presigns its PUT.
pub async fn presign(p: &Platform, owner: String, declared: Declared<'_>) -> Result<Presigned> {
    let content_type = declared.content_type.trim().to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&content_type.as_str()) {
        return Err(Error::field("content_type", "unsupported_type", "仅支持 JPG、PNG 图片或 PDF 文件"));
    }
    if declared.size == 0 {
        return Err(Error::field("size", "file_empty", "文件内容为空，请重新选择"));
    }
    let max = p.config.max_upload_bytes;
    if declared.size > max {
        return Err(Error::TooLarge(format!("文件不能超过 {} MB", max / (1024 * 1024))));
    }
    let now = p.clock.now();
    let id = p.ids.id();
    let blob_key = uploads::blob_key(&id);
    let request = p
        .blobs
        .presign_put(&blob_key, &content_type, declared.size, p.config.presign_ttl)
        .await?;
    let upload = Upload {
        id,
        owner,
        purpose: declared.purpose,
        file_name: clean_file_name(declared.file_name),
        content_type,
        size: declared.size,
        blob_key,
        state: UploadState::Pending,
        attached_to: None,
        created_at: now,
        version: 1,
        // Unattached uploads are forgotten with the longest-lived thing that could use them.
        expires_at: Some((now + p.config.draft_lifetime).unix_timestamp()),
    };
    uploads::create(p.table.as_ref(), &upload).await?;
    Ok(Presigned { upload, request })
}

/// Verifies the stored bytes of an upload of `owner` (read by the caller, e.g. in its
/// authentication batch). Completing a verified upload again answers the same; another
/// owner's upload is not found.
pub async fn complete(p: &Platform, owner: &str, upload: Option<Item>) -> Result<Upload> {
    let mut upload = upload
        .map(gongshi_store::decode::<Upload>)
        .transpose()?
        .filter(|u| u.owner == owner)
        .ok_or_else(|| Error::NotFound("upload_not_found", "未找到该上传文件".into()))?;
    if upload.state == UploadState::Verified {
        return Ok(upload);
    }
    let Some(info) = p.blobs.head(&upload.blob_key).await? else {
        return Err(Error::field("file", "upload_missing", "文件尚未上传成功，请重新上传"));
    };
    // The whole file is read once and these very bytes are checked and kept (uploads are at
    // most `max_upload_bytes`), so what was verified is what is stored and served.
    let bytes = if info.size == upload.size {
        p.blobs.read_start(&upload.blob_key, info.size).await?.unwrap_or_default()
    } else {
        Vec::new()
    };
    let mismatch = if info.size != upload.size || bytes.len() as u64 != upload.size {
        Some("文件大小与声明不符，请重新上传")
    } else if sniff_content_type(&bytes[..bytes.len().min(16)]) != Some(upload.content_type.as_str()) {
        Some("文件内容与文件类型不符，仅支持真实的 JPG、PNG 图片或 PDF 文件")
    } else {
        None
    };
    if let Some(message) = mismatch {
        p.blobs.delete(&upload.blob_key).await?;
        tracing::warn!(upload = %upload.id, "uploaded bytes refused and deleted");
        return Err(Error::field("file", "content_mismatch", message));
    }
    let received = std::mem::replace(&mut upload.blob_key, uploads::verified_key(&upload.id));
    p.blobs.put(&upload.blob_key, bytes, &upload.content_type).await?;
    let expected = upload.version;
    upload.state = UploadState::Verified;
    upload.version += 1;
    uploads::save(p.table.as_ref(), &upload, expected).await?;
    // Once recorded, the received copy goes (a failed delete leaves a file nothing reads).
    if let Err(error) = p.blobs.delete(&received).await {
        tracing::warn!(upload = %upload.id, %error, "received upload file not deleted");
    }
    Ok(upload)
}

/// A short-lived link to download an attached upload (a reviewer's view of a proof): the
/// verified copy (uploads verified before copies were kept are served where they were put).
pub async fn download_url(p: &Platform, upload: &gongshi_core::registration::UploadRef) -> Result<String> {
    let verified = uploads::verified_key(&upload.upload_id);
    let key = if p.blobs.head(&verified).await?.is_some() {
        verified
    } else {
        uploads::blob_key(&upload.upload_id)
    };
    Ok(p.blobs.presign_get(&key, &upload.file_name, p.config.presign_ttl).await?.url)
}

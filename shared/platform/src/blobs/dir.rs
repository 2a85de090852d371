//! `DirBlobs`: objects as files under a directory, with URLs signed by HMAC-SHA256 that the
//! local gateway checks exactly as S3 would check its signatures (expiry, method, key,
//! content type, length).

use super::{BlobError, BlobInfo, Blobs, PresignedRequest, check_key};
use crate::Clock;
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use time::Duration;

/// Path prefix under which the gateway serves signed blob URLs.
pub const ROUTE_PREFIX: &str = "/_blobs/";

/// Objects in a directory; `<key>` holds the bytes and `<key>.meta` the content type.
#[derive(Clone)]
pub struct DirBlobs {
    root: PathBuf,
    base_url: String,
    secret: Vec<u8>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for DirBlobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirBlobs").field("root", &self.root).finish_non_exhaustive()
    }
}

/// `<object>.<suffix>` beside the object (appended, so keys with dots cannot collide).
fn sidecar(path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn unavailable(error: impl std::fmt::Display) -> BlobError {
    BlobError::Unavailable(error.to_string())
}

/// A signed request as the gateway received it.
#[derive(Debug, Clone, Copy)]
pub struct SignedAccess<'a> {
    /// The object key (URL path after `/_blobs/`).
    pub key: &'a str,
    /// The raw query string.
    pub query: &'a str,
}

impl DirBlobs {
    /// Objects under `root`; URLs start with `base_url` and are signed with `secret`.
    pub fn new(root: PathBuf, base_url: &str, secret: Vec<u8>, clock: Arc<dyn Clock>) -> Self {
        Self {
            root,
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret,
            clock,
        }
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    fn sign(&self, parts: &[&str]) -> String {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.secret) {
            Ok(mac) => mac,
            Err(error) => panic!("HMAC accepts keys of any length: {error}"),
        };
        mac.update(parts.join("\n").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn verify(&self, parts: &[&str], signature: &str) -> bool {
        let Ok(given) = hex::decode(signature) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            return false;
        };
        mac.update(parts.join("\n").as_bytes());
        mac.verify_slice(&given).is_ok()
    }

    fn params(query: &str) -> BTreeMap<String, String> {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .filter_map(|(k, v)| Some((k.to_owned(), urlencoding::decode(v).ok()?.into_owned())))
            .collect()
    }

    fn check_expiry(&self, params: &BTreeMap<String, String>) -> Result<(), BlobError> {
        let expires: i64 = params
            .get("X-Expires")
            .and_then(|e| e.parse().ok())
            .ok_or(BlobError::Refused("missing expiry"))?;
        if self.clock.now().unix_timestamp() > expires {
            return Err(BlobError::Refused("expired"));
        }
        Ok(())
    }

    /// Accepts the body of a presigned PUT if the URL's signature, expiry, content type and
    /// length all match; then stores it.
    pub async fn accept_put(&self, access: SignedAccess<'_>, content_type: Option<&str>, body: Vec<u8>) -> Result<(), BlobError> {
        let params = Self::params(access.query);
        let get = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
        if !self.verify(
            &["PUT", access.key, get("X-Expires"), get("X-Content-Type"), get("X-Content-Length")],
            get("X-Signature"),
        ) {
            return Err(BlobError::Refused("bad signature"));
        }
        self.check_expiry(&params)?;
        if content_type != Some(get("X-Content-Type")) {
            return Err(BlobError::Refused("content type differs from the signed one"));
        }
        if get("X-Content-Length") != body.len().to_string() {
            return Err(BlobError::Refused("length differs from the signed one"));
        }
        self.put(access.key, body, get("X-Content-Type")).await
    }

    /// Returns the object of a presigned GET with its content type and download name.
    pub async fn serve_get(&self, access: SignedAccess<'_>) -> Result<Option<(Vec<u8>, String, String)>, BlobError> {
        let params = Self::params(access.query);
        let get = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
        if !self.verify(&["GET", access.key, get("X-Expires"), get("X-File-Name")], get("X-Signature")) {
            return Err(BlobError::Refused("bad signature"));
        }
        self.check_expiry(&params)?;
        let path = self.path(access.key)?;
        let Ok(bytes) = tokio::fs::read(&path).await else {
            return Ok(None);
        };
        let content_type = tokio::fs::read_to_string(sidecar(&path, "meta"))
            .await
            .unwrap_or_else(|_| "application/octet-stream".into());
        Ok(Some((bytes, content_type, get("X-File-Name").to_owned())))
    }
}

#[async_trait]
impl Blobs for DirBlobs {
    async fn presign_put(&self, key: &str, content_type: &str, content_length: u64, ttl: Duration) -> Result<PresignedRequest, BlobError> {
        check_key(key)?;
        let expires_at = self.clock.now() + ttl;
        let (exp, len) = (expires_at.unix_timestamp().to_string(), content_length.to_string());
        let signature = self.sign(&["PUT", key, &exp, content_type, &len]);
        let url = format!(
            "{}{ROUTE_PREFIX}{key}?X-Expires={exp}&X-Content-Type={}&X-Content-Length={len}&X-Signature={signature}",
            self.base_url,
            urlencoding::encode(content_type)
        );
        let headers = BTreeMap::from([("Content-Type".to_owned(), content_type.to_owned())]);
        Ok(PresignedRequest {
            method: "PUT",
            url,
            headers,
            expires_at,
        })
    }

    async fn presign_get(&self, key: &str, file_name: &str, ttl: Duration) -> Result<PresignedRequest, BlobError> {
        check_key(key)?;
        let expires_at = self.clock.now() + ttl;
        let exp = expires_at.unix_timestamp().to_string();
        let signature = self.sign(&["GET", key, &exp, file_name]);
        let url = format!(
            "{}{ROUTE_PREFIX}{key}?X-Expires={exp}&X-File-Name={}&X-Signature={signature}",
            self.base_url,
            urlencoding::encode(file_name)
        );
        Ok(PresignedRequest {
            method: "GET",
            url,
            headers: BTreeMap::new(),
            expires_at,
        })
    }

    async fn head(&self, key: &str) -> Result<Option<BlobInfo>, BlobError> {
        let path = self.path(key)?;
        match tokio::fs::metadata(&path).await {
            Ok(meta) => {
                let content_type = tokio::fs::read_to_string(sidecar(&path, "meta")).await.ok();
                Ok(Some(BlobInfo {
                    size: meta.len(),
                    content_type,
                }))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    async fn read_start(&self, key: &str, len: u64) -> Result<Option<Vec<u8>>, BlobError> {
        use tokio::io::AsyncReadExt;
        let path = self.path(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(unavailable(error)),
        };
        let mut start = Vec::new();
        file.take(len).read_to_end(&mut start).await.map_err(unavailable)?;
        Ok(Some(start))
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(unavailable)?;
        }
        // Write then rename, so a reader never sees half an object.
        let partial = sidecar(&path, "partial");
        tokio::fs::write(&partial, &bytes).await.map_err(unavailable)?;
        tokio::fs::write(sidecar(&path, "meta"), content_type).await.map_err(unavailable)?;
        tokio::fs::rename(&partial, &path).await.map_err(unavailable)
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.path(key)?;
        for file in [path.clone(), sidecar(&path, "meta")] {
            match tokio::fs::remove_file(&file).await {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(unavailable(error)),
            }
        }
        Ok(())
    }
}

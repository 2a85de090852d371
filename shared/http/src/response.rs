//! The one way to build a response.

use crate::{ApiError, request};
use gongshi_platform::Platform;
use gongshi_store::digest;
use gongshi_store::idempotency::{self, IdempotencyRecord};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::future::Future;

/// A JSON response.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response<Body>, ApiError> {
    let text = serde_json::to_string(body).map_err(|e| ApiError::Internal(e.to_string()))?;
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .body(Body::Text(text))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// 204 No Content.
pub fn no_content() -> Result<Response<Body>, ApiError> {
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Runs a route's use case and turns its error, if any, into a problem response carrying
/// the request id. Every function's `handle` ends here.
///
/// A `POST` with an `Idempotency-Key` header runs at most once per key, route and caller: the
/// first request reserves the key (for a minute) and its 2xx answer is kept for 24 hours and
/// replayed to repeats (with `Idempotent-Replay: true`); a repeat while the first still runs
/// gets 409; a failed first request frees the key for a retry, and so does a crashed one
/// once its reservation has lapsed.
pub async fn respond(platform: &Platform, req: &Request, work: impl Future<Output = Result<Response<Body>, ApiError>>) -> Response<Body> {
    let request_id = request::request_id(req);
    let route = request::route_key(req);
    let response = match idempotency_digest(req, &route) {
        Ok(Some(digest)) => once(platform, &digest, &digest_of_body(req), work).await,
        Ok(None) => work.await,
        Err(error) => Err(error),
    };
    let response = response.unwrap_or_else(|error| error.into_response(&request_id));
    tracing::info!(request_id, route, status = response.status().as_u16(), "request");
    response
}

/// The record key of an idempotent request: route, credentials and the client's key.
fn idempotency_digest(req: &Request, route: &str) -> Result<Option<String>, ApiError> {
    let Some(key) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    if req.method() != http::Method::POST {
        return Ok(None);
    }
    let key = key
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| (1..=100).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| ApiError::BadRequest("idempotency_key_invalid", "Idempotency-Key 应为1至100个可见字符".into()))?;
    let credentials = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    Ok(Some(digest(&format!("{route}\n{credentials}\n{key}"))))
}

/// A digest of the request's body, to tell a repeat from another request under the same key.
fn digest_of_body(req: &Request) -> String {
    digest(&String::from_utf8_lossy(req.body().as_ref()))
}

/// How long a reservation holds the key while the first request runs: longer than any
/// request may run (API Gateway gives up after 30 s), short enough that a key whose request
/// died mid-way (a crash) can be retried a minute later rather than a day later.
const RESERVATION_SECONDS: i64 = 60;

async fn once(
    platform: &Platform,
    digest: &str,
    request_digest: &str,
    work: impl Future<Output = Result<Response<Body>, ApiError>>,
) -> Result<Response<Body>, ApiError> {
    let now = platform.clock.now().unix_timestamp();
    let table = platform.table.as_ref();
    if idempotency::reserve(table, digest, request_digest, now + RESERVATION_SECONDS, now)
        .await
        .is_err()
    {
        let first = idempotency::get(table, digest, now).await?;
        if first
            .as_ref()
            .and_then(|r| r.request_digest.as_deref())
            .is_some_and(|d| d != request_digest)
        {
            return Err(ApiError::Unprocessable(
                "idempotency_key_reused",
                "该 Idempotency-Key 已用于内容不同的请求，请为新的请求使用新的 Idempotency-Key".into(),
            ));
        }
        return match first {
            Some(IdempotencyRecord {
                status: Some(status),
                body,
                content_type,
                ..
            }) => Response::builder()
                .status(status)
                .header("content-type", content_type.unwrap_or_else(|| "application/json".into()))
                .header("idempotent-replay", "true")
                .body(body.map(Body::Text).unwrap_or(Body::Empty))
                .map_err(|e| ApiError::Internal(e.to_string())),
            _ => Err(ApiError::Conflict(
                "request_in_progress",
                "相同的请求正在处理中，请稍后查看结果".into(),
            )),
        };
    }
    let result = work.await;
    match &result {
        Ok(response) if response.status().is_success() => {
            let body = match response.body() {
                Body::Text(text) => Some(text.clone()),
                _ => None,
            };
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let record = IdempotencyRecord {
                status: Some(response.status().as_u16()),
                body,
                content_type,
                expires_at: now + 24 * 3600,
                request_digest: Some(request_digest.to_owned()),
            };
            if let Err(error) = idempotency::answer(table, digest, &record).await {
                tracing::error!(%error, "idempotency answer not stored");
            }
        }
        _ => {
            if let Err(error) = idempotency::release(table, digest).await {
                tracing::error!(%error, "idempotency key not released");
            }
        }
    }
    result
}

//! The one way to build a response.

use crate::{ApiError, request};
use gongshi_platform::{Item, Key, Platform, TableError, Write};
use gongshi_store::digest;
use gongshi_store::idempotency::{self, IdempotencyRecord};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::cell::RefCell;
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
/// A file to save (`attachment`, named in UTF-8 as RFC 6266 says: 人员库导入模板.xlsx).
pub fn download(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Result<Response<Body>, ApiError> {
    let disposition = gongshi_platform::blobs::content_disposition(file_name).replacen("inline", "attachment", 1);
    Response::builder()
        .status(200)
        .header("content-type", content_type)
        .header("content-disposition", disposition)
        .header("cache-control", "no-store")
        .body(Body::from(bytes))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// A sheet as an .xlsx download named `file_name`.
pub fn workbook(grid: &gongshi_files::write::Grid, file_name: &str) -> Result<Response<Body>, ApiError> {
    let bytes = gongshi_files::write::xlsx(grid).map_err(|e| ApiError::Internal(e.to_string()))?;
    download(bytes, gongshi_files::XLSX_CONTENT_TYPE, file_name)
}

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
    respond_with(platform, req, false, work).await
}

/// [`respond`] for a route whose handler makes its effect with [`commit`] (`in_transaction`):
/// then the idempotency record is no extra write. It is read in the handler's batch get
/// (a repeat is answered from it before anything else happens) and written in the same
/// transaction as the effect, with the answer, so that of two racing copies exactly one
/// commits and the other is answered from the record.
pub async fn respond_with(
    platform: &Platform,
    req: &Request,
    in_transaction: bool,
    work: impl Future<Output = Result<Response<Body>, ApiError>>,
) -> Response<Body> {
    let request_id = request::request_id(req);
    let route = request::route_key(req);
    let response = match idempotency_digest(req, &route) {
        Ok(Some(digest)) if in_transaction => once_in_transaction(platform, digest, digest_of_body(req), work).await,
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
        return match idempotency::get(table, digest, now).await? {
            Some(first) => replay(first, request_digest),
            // Answered and expired meanwhile, or released: still a copy of a running request.
            None => Err(in_progress()),
        };
    }
    let result = work.await;
    match &result {
        Ok(response) if response.status().is_success() => {
            let record = answered(response, now, request_digest);
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

/// The idempotent request being handled in this task (see [`respond_with`]).
struct InTransaction {
    digest: String,
    request_digest: String,
    now: i64,
    /// The record of an earlier request with the key, once a read found it.
    found: Option<IdempotencyRecord>,
}

tokio::task_local! {
    static IN_TRANSACTION: RefCell<InTransaction>;
}

async fn once_in_transaction(
    platform: &Platform,
    digest: String,
    request_digest: String,
    work: impl Future<Output = Result<Response<Body>, ApiError>>,
) -> Result<Response<Body>, ApiError> {
    let state = InTransaction {
        digest,
        request_digest,
        now: platform.clock.now().unix_timestamp(),
        found: None,
    };
    let request_digest = state.request_digest.clone();
    let key = idempotency::key(&state.digest);
    let (result, found) = IN_TRANSACTION
        .scope(RefCell::new(state), async {
            let result = work.await;
            if matches!(result, Err(ApiError::Conflict(..))) && IN_TRANSACTION.with(|s| s.borrow().found.is_none()) {
                // A copy of this request may have committed after this one read: then what
                // this one found in the way (the person taken, a number claimed) is that
                // copy's effect, and the answer is the copy's.
                if let Ok(earlier) = platform.table.get(&key).await {
                    let _ = check_idempotency(earlier);
                }
            }
            (result, IN_TRANSACTION.with(|s| s.borrow_mut().found.take()))
        })
        .await;
    match found {
        // An earlier request with this key: whatever the handler did after finding it (it
        // stops at once), the answer is the earlier one's.
        Some(record) => replay(record, &request_digest),
        None => result,
    }
}

/// The record of a request answered `response` at `now` (kept 24 hours).
fn answered(response: &Response<Body>, now: i64, request_digest: &str) -> IdempotencyRecord {
    IdempotencyRecord {
        status: Some(response.status().as_u16()),
        body: match response.body() {
            Body::Text(text) => Some(text.clone()),
            _ => None,
        },
        content_type: response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        expires_at: now + 24 * 3600,
        request_digest: Some(request_digest.to_owned()),
    }
}

fn in_progress() -> ApiError {
    ApiError::Conflict("request_in_progress", "相同的请求正在处理中，请稍后查看结果".into())
}

/// The answer to a repeat of the request recorded in `first`: its answer, replayed; 422 when
/// the key was used for another body; 409 while the first still runs (a reservation).
fn replay(first: IdempotencyRecord, request_digest: &str) -> Result<Response<Body>, ApiError> {
    if first.request_digest.as_deref().is_some_and(|d| d != request_digest) {
        return Err(ApiError::Unprocessable(
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于内容不同的请求，请为新的请求使用新的 Idempotency-Key".into(),
        ));
    }
    match first {
        IdempotencyRecord {
            status: Some(status),
            body,
            content_type,
            ..
        } => Response::builder()
            .status(status)
            .header("content-type", content_type.unwrap_or_else(|| "application/json".into()))
            .header("idempotent-replay", "true")
            .body(body.map(Body::Text).unwrap_or(Body::Empty))
            .map_err(|e| ApiError::Internal(e.to_string())),
        _ => Err(in_progress()),
    }
}

/// The key of the idempotency record of the request being handled, to read it in the
/// handler's batch get; `None` outside an idempotent request.
pub(crate) fn idempotency_key() -> Option<Key> {
    IN_TRANSACTION.try_with(|s| idempotency::key(&s.borrow().digest)).ok()
}

/// Checks the idempotency record read under [`idempotency_key`]: a live one means this is a
/// repeat, answered from it (`Err` stops the handler; [`respond_with`] answers).
pub(crate) fn check_idempotency(item: Option<Item>) -> Result<(), ApiError> {
    let Some(item) = item else { return Ok(()) };
    let record: IdempotencyRecord = gongshi_store::decode(item)?;
    let live = IN_TRANSACTION
        .try_with(|s| {
            let mut s = s.borrow_mut();
            let live = record.expires_at > s.now;
            if live {
                s.found = Some(record);
            }
            live
        })
        .unwrap_or(false);
    if live {
        return Err(ApiError::Conflict("request_repeated", "相同的请求已处理".into()));
    }
    Ok(())
}

/// Makes a handler's effect: `writes` in one transaction, answered by `response`. In an
/// idempotent request (see [`respond_with`]) the idempotency record with this answer is a
/// write of the same transaction; when it is the record's condition that fails (a racing
/// copy committed first), the request is answered from that copy's record. A failed
/// condition of the handler's own writes is `ConditionFailed`, as from the table.
pub async fn commit(platform: &Platform, mut writes: Vec<Write>, response: Response<Body>) -> Result<Response<Body>, TableError> {
    let record = IN_TRANSACTION
        .try_with(|s| {
            let s = s.borrow();
            (s.digest.clone(), s.now, answered(&response, s.now, &s.request_digest))
        })
        .ok();
    let Some((digest, now, record)) = record else {
        platform.table.transact(writes).await?;
        return Ok(response);
    };
    writes.push(idempotency::record_answer(&digest, &record, now));
    match platform.table.transact(writes).await {
        Ok(()) => Ok(response),
        Err(TableError::ConditionFailed) => {
            // Whose condition failed: a copy of this request that committed first, or the
            // handler's own (a real conflict)?
            // A live record found here is answered by `respond_with`.
            let earlier = platform.table.get(&idempotency::key(&digest)).await?;
            let _ = check_idempotency(earlier);
            Err(TableError::ConditionFailed)
        }
        Err(other) => Err(other),
    }
}

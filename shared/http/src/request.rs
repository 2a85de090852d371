//! Reading API Gateway v2 requests: route key, path and query parameters, JSON bodies.

use crate::ApiError;
use gongshi_core::body::{BodyError, parse_json};
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;

/// Largest JSON body accepted (uploads go to the blob store, not through the API).
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// The matched route, e.g. `POST /api/v1/registrations/{id}/submit`, as API Gateway sets it.
pub fn route_key(req: &Request) -> String {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.route_key.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The request id from API Gateway's context (the local gateway sets one too).
pub fn request_id(req: &Request) -> String {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.request_id.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The caller's address as API Gateway saw it (for per-caller rate limits).
pub fn source_ip(req: &Request) -> String {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.http.source_ip.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The `cursor` and `limit` (1–100, default 20) of a paged list, each refused by name when
/// malformed.
pub fn page_params(req: &Request) -> Result<(Option<gongshi_platform::Cursor>, usize), ApiError> {
    let limit = match query_param(req, "limit") {
        None => 20,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| ApiError::field("limit", "invalid_value", "每页条数应为1至100"))?,
    };
    let cursor = query_param(req, "cursor")
        .map(|c| gongshi_platform::Cursor::decode(&c))
        .transpose()
        .map_err(|_| ApiError::field("cursor", "invalid_value", "分页参数无效，请从第一页重新查询"))?;
    Ok((cursor, limit))
}

/// A path parameter of the route (`{id}`).
pub fn path_param(req: &Request, name: &str) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|params| params.first(name))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::BadRequest("missing_path_parameter", format!("缺少路径参数 {name}")))
}

/// A query string parameter, if present.
pub fn query_param(req: &Request, name: &str) -> Option<String> {
    req.query_string_parameters_ref()
        .and_then(|params| params.first(name))
        .map(str::to_owned)
}

/// Whether the request declares a JSON body (`application/json`, any parameters).
fn declares_json(req: &Request) -> bool {
    req.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// The JSON body as `T`. A body declared as anything but `application/json` → 415; too
/// large → 413; empty or not JSON → 400; a wrong or missing field → 422 naming it.
pub fn json_body<T: DeserializeOwned>(req: &Request) -> Result<T, ApiError> {
    if !req.body().as_ref().is_empty() && !declares_json(req) {
        return Err(ApiError::UnsupportedMediaType(
            "请求内容应为 JSON（Content-Type: application/json）".into(),
        ));
    }
    parse_json(req.body().as_ref(), MAX_JSON_BYTES).map_err(|error| match error {
        BodyError::TooLarge => ApiError::TooLarge(format!("请求内容不能超过 {} KB", MAX_JSON_BYTES / 1024)),
        BodyError::Empty => ApiError::BadRequest("body_required", "请求内容不能为空".into()),
        BodyError::Malformed => ApiError::BadRequest("malformed_json", "请求内容不是有效的 JSON".into()),
        BodyError::Invalid(errors) => ApiError::Invalid(errors),
    })
}

/// A file's bytes as sent (an upload read by the server, never decoded by the browser), at
/// most `limit`. Too large → 413; empty → 422 naming `body`.
pub fn file_body(req: &Request, limit: usize) -> Result<Vec<u8>, ApiError> {
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > limit {
        return Err(ApiError::TooLarge(format!("文件不能超过 {} MB", limit / (1024 * 1024))));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::field("body", "required", "文件内容为空"));
    }
    Ok(bytes.to_vec())
}

/// A text body (e.g. `text/csv`) of at most `limit` bytes. Too large → 413; not UTF-8 or
/// empty → 422 naming `body`.
pub fn text_body(req: &Request, limit: usize) -> Result<&str, ApiError> {
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > limit {
        return Err(ApiError::TooLarge(format!("内容不能超过 {} MB", limit / (1024 * 1024))));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::field("body", "encoding", "文件应为 UTF-8 编码的 CSV"))?;
    if text.trim().is_empty() {
        return Err(ApiError::field("body", "required", "文件内容为空"));
    }
    Ok(text.trim_start_matches('\u{feff}'))
}

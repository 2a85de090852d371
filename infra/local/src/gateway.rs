//! Routing and the API Gateway v2 conversion.

use crate::functions::{self, Function};
use crate::template::{self, Route};
use crate::{local_pages, openapi};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use base64::Engine;
use gongshi_http::Handler;
use gongshi_platform::Platform;
use gongshi_platform::blobs::BlobError;
use gongshi_platform::blobs::dir::SignedAccess;
use gongshi_platform::embedded::Embedded;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Largest request body the API accepts before a function sees it.
/// (Lambda's own limit is 6 MB; imports send files of up to 5 MB.)
const MAX_API_BODY: usize = 6 * 1024 * 1024;

/// The gateway's state: the platform, the mounted routes and the local extras.
pub struct Gateway {
    /// The ports every function gets.
    pub platform: Arc<Platform>,
    /// The embedded adapters (blob URLs, outbox, TTL sweeping); `None` on AWS (`--aws`).
    pub embedded: Option<Embedded>,
    routes: HashMap<String, matchit::Router<(String, Handler)>>,
    openapi_json: String,
    web_dist: Option<PathBuf>,
    local_pages: bool,
}

/// Checks that template.yaml's routes and the functions' declared routes are the same sets.
pub fn check_routes(routes: &[Route], functions: &[Function]) -> Result<(), String> {
    let mut problems = Vec::new();
    for function in functions {
        let declared = functions::declared_routes(function);
        let in_template: Vec<String> = routes.iter().filter(|r| r.function == function.name).map(Route::key).collect();
        if in_template.is_empty() {
            problems.push(format!(
                "function `{}` has a handler but no resource in template.yaml",
                function.name
            ));
        }
        for key in declared.iter().filter(|k| !in_template.contains(k)) {
            problems.push(format!("handler route `{key}` of `{}` is not in template.yaml", function.name));
        }
        for key in in_template.iter().filter(|k| !declared.contains(k)) {
            problems.push(format!("template.yaml route `{key}` has no handler in `{}`", function.name));
        }
    }
    for route in routes.iter().filter(|r| !functions.iter().any(|f| f.name == r.function)) {
        problems.push(format!(
            "template.yaml route `{}` belongs to `{}`, which this build does not contain",
            route.key(),
            route.function
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

impl Gateway {
    /// The Content-Security-Policy of every answer (see [`content_security_policy`]).
    pub fn content_security_policy(&self) -> HeaderValue {
        content_security_policy(self.embedded.is_some(), std::env::var("AWS_ENDPOINT_URL").ok().as_deref())
    }

    /// Mounts every function on the routes of template.yaml; refuses to start on any mismatch.
    /// `local_pages` enables the outbox page (only when listening on loopback).
    pub fn new(platform: Arc<Platform>, embedded: Option<Embedded>, web_dist: Option<PathBuf>, local_pages: bool) -> Result<Self, String> {
        let functions = functions::all();
        let routes = template::routes(template::TEMPLATE)?;
        check_routes(&routes, &functions)?;
        let mut table: HashMap<String, matchit::Router<(String, Handler)>> = HashMap::new();
        for route in &routes {
            let handler = functions
                .iter()
                .find(|f| f.name == route.function)
                .map(|f| f.handler)
                .ok_or("unreachable: checked above")?;
            table
                .entry(route.method.clone())
                .or_default()
                .insert(route.path.clone(), (route.key(), handler))
                .map_err(|e| format!("route {}: {e}", route.key()))?;
        }
        let openapi_json = openapi::document(&functions).to_pretty_json().map_err(|e| e.to_string())?;
        Ok(Self {
            platform,
            embedded,
            routes: table,
            openapi_json,
            web_dist,
            local_pages,
        })
    }

    /// Deletes items past their `expires_at` from the embedded table, as DynamoDB's TTL does,
    /// and hands each to the stream handler, as the table's stream would. Returns how many.
    pub async fn sweep_expired(&self, now: i64) -> Result<usize, String> {
        let Some(embedded) = &self.embedded else {
            return Ok(0);
        };
        let removed = embedded.table.sweep_expired(now, 1000).await.map_err(|e| e.to_string())?;
        for item in &removed {
            if let Err(error) = fn_ttl_stream::on_expired(&self.platform, item).await {
                tracing::error!(%error, "stream handler failed on a TTL deletion");
            }
        }
        Ok(removed.len())
    }

    /// The template.yaml route (`METHOD /path/{param}`) a request goes to, if any.
    pub fn route_key(&self, method: &str, path: &str) -> Option<String> {
        let matched = self.routes.get(method)?.at(path).ok()?;
        Some(matched.value.0.clone())
    }

    /// The merged OpenAPI document as JSON.
    pub fn openapi_json(&self) -> &str {
        &self.openapi_json
    }
}

/// The HTTP application.
pub fn app(gateway: Arc<Gateway>) -> Router {
    let mut router = Router::new()
        .route("/api/v1/openapi.json", get(openapi_document))
        .route("/api/{*rest}", any(api))
        .route("/_blobs/{*key}", get(blob_get).put(blob_put).options(blob_preflight))
        .layer(DefaultBodyLimit::max(11 * 1024 * 1024));
    if gateway.local_pages {
        router = router.merge(local_pages::routes(gateway.embedded.as_ref().map(|e| e.outbox.clone())));
    }
    let router = match &gateway.web_dist {
        Some(dist) if dist.join("index.html").is_file() => {
            // The build writes .br and .gz beside each asset (web/scripts/precompress.mjs):
            // they are served to a browser that accepts them.
            let index = tower_http::services::ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip();
            let spa = tower_http::services::ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            let spa = axum::Router::new()
                .fallback_service(spa)
                .layer(axum::middleware::from_fn(spa_caching));
            router.fallback_service(spa)
        }
        _ => router.fallback(spa_missing),
    };
    let csp = gateway.content_security_policy();
    router
        .layer(axum::middleware::map_response(move |response: Response| {
            let csp = csp.clone();
            async move { security_headers(response, csp) }
        }))
        .with_state(gateway)
}

/// The SPA loads only its own code and styles (Element Plus sets inline styles) and talks
/// only to this origin and to where uploads and forms are stored: this origin on embedded
/// storage, the emulator's (`AWS_ENDPOINT_URL`) or S3 on the AWS adapters; nothing may frame it.
pub fn content_security_policy(embedded: bool, endpoint: Option<&str>) -> HeaderValue {
    let blobs = match (embedded, endpoint) {
        (true, _) => String::new(),
        (false, Some(url)) => format!(" {}", origin(url)),
        (false, None) => " https://*.amazonaws.com".into(),
    };
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{blobs}; \
         connect-src 'self'{blobs}; frame-src 'self' blob:{blobs}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..].find('/').map_or(url, |end| &url[..after_scheme + end])
}

/// The headers on every answer: the router's (a layer) and the HTTP server's own
/// ([`crate::server_answers`]).
pub fn security_header_values(csp: HeaderValue) -> [(&'static str, HeaderValue); 4] {
    [
        ("x-content-type-options", HeaderValue::from_static("nosniff")),
        ("x-frame-options", HeaderValue::from_static("DENY")),
        ("referrer-policy", HeaderValue::from_static("same-origin")),
        // As template.yaml's CloudFront policy, with the blobs on this same origin.
        ("content-security-policy", csp),
    ]
}

fn security_headers(mut response: Response, csp: HeaderValue) -> Response {
    let headers = response.headers_mut();
    for (name, value) in security_header_values(csp) {
        headers.insert(name, value);
    }
    response
}

/// How long a browser keeps the SPA's files: the hashed assets (`/assets/…-<hash>.js`) never
/// change under their name, so for a year without asking; the page itself (and any other
/// file) is asked for again each time, so a new release is seen at once.
async fn spa_caching(request: Request, next: axum::middleware::Next) -> Response {
    let hashed = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

async fn spa_missing() -> Response {
    let body = "<!doctype html><meta charset=utf-8><title>Gongshi</title><p>前端尚未构建：请运行 <code>scripts/run</code>（它会构建 web/dist）。API 位于 <a href=/api/v1/openapi.json>/api/v1/openapi.json</a>。";
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn openapi_document(State(gw): State<Arc<Gateway>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], gw.openapi_json.clone()).into_response()
}

fn problem(status: u16, code: &str, title: &str, detail: &str) -> Response {
    // The gateway's own answers (413, 404) carry a request id like the functions' do.
    let body = json!({"type": format!("/problems/{code}"), "title": title, "status": status, "detail": detail, "code": code, "errors": [], "request_id": ulid_like()});
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

/// API Gateway v2's request event for a matched route.
fn event(
    route_key: &str,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    params: &BTreeMap<String, String>,
    body: &[u8],
) -> Value {
    let mut header_map = Map::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match header_map.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            _ => {
                header_map.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let raw_query = uri.query().unwrap_or_default();
    let mut query = Map::new();
    for (k, v) in serde_urlencoded::from_str::<Vec<(String, String)>>(raw_query).unwrap_or_default() {
        match query.get_mut(&k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            _ => {
                query.insert(k, Value::String(v));
            }
        }
    }
    let now = time::OffsetDateTime::now_utc();
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": uri.path(),
        "rawQueryString": raw_query,
        "headers": header_map,
        "queryStringParameters": if query.is_empty() { Value::Null } else { Value::Object(query) },
        "pathParameters": if params.is_empty() { Value::Null } else { json!(params) },
        "requestContext": {
            "accountId": "local",
            "apiId": "local",
            "domainName": "127.0.0.1",
            "domainPrefix": "local",
            "http": {"method": method.as_str(), "path": uri.path(), "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": user_agent},
            "requestId": ulid_like(),
            "routeKey": route_key,
            "stage": "$default",
            "time": now.format(&time::format_description::well_known::Rfc2822).unwrap_or_default(),
            "timeEpoch": now.unix_timestamp() * 1000,
        },
        "body": base64::engine::general_purpose::STANDARD.encode(body),
        "isBase64Encoded": true,
    })
}

fn ulid_like() -> String {
    use gongshi_platform::Ids;
    gongshi_platform::RandomIds.id()
}

async fn api(State(gw): State<Arc<Gateway>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_API_BODY).await else {
        return problem(413, "too_large", "内容过大", "请求内容过大");
    };
    let matched = gw
        .routes
        .get(parts.method.as_str())
        .and_then(|router| router.at(parts.uri.path()).ok());
    let Some(matched) = matched else {
        return problem(404, "route_not_found", "未找到", "未知接口");
    };
    let (route_key, handler) = matched.value.clone();
    let params: BTreeMap<String, String> = matched.params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    let event = event(&route_key, &parts.method, &parts.uri, &parts.headers, &params, &bytes);
    let lambda_request = match lambda_http::request::from_str(&event.to_string()) {
        Ok(request) => request,
        Err(error) => {
            tracing::error!(%error, "could not build the Lambda request");
            return problem(500, "internal_error", "系统繁忙", "系统暂时无法处理请求，请稍后再试");
        }
    };
    let response = handler(Arc::clone(&gw.platform), lambda_request).await;
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, axum::body::Body::from(body.as_ref().to_vec()))
}

fn blob_refusal(error: BlobError) -> Response {
    let (status, text) = match error {
        BlobError::Refused(reason) => (StatusCode::FORBIDDEN, format!("AccessDenied: {reason}")),
        BlobError::InvalidKey(_) => (StatusCode::BAD_REQUEST, "InvalidKey".to_owned()),
        BlobError::Unavailable(error) => {
            tracing::error!(%error, "blob store failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "InternalError".to_owned())
        }
    };
    (status, cors(), text).into_response()
}

/// Signed URLs may be used from a dev server on another port, as S3 CORS would allow.
fn cors() -> [(header::HeaderName, &'static str); 3] {
    [
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, PUT"),
        (header::ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
    ]
}

async fn blob_preflight() -> Response {
    (StatusCode::NO_CONTENT, cors()).into_response()
}

async fn blob_put(
    State(gw): State<Arc<Gateway>>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let access = SignedAccess {
        key: &key,
        query: query.as_deref().unwrap_or_default(),
    };
    let Some(embedded) = &gw.embedded else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match embedded.blobs.accept_put(access, content_type, body.to_vec()).await {
        Ok(()) => (StatusCode::OK, cors()).into_response(),
        Err(error) => blob_refusal(error),
    }
}

async fn blob_get(State(gw): State<Arc<Gateway>>, Path(key): Path<String>, RawQuery(query): RawQuery) -> Response {
    let access = SignedAccess {
        key: &key,
        query: query.as_deref().unwrap_or_default(),
    };
    let Some(embedded) = &gw.embedded else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match embedded.blobs.serve_get(access).await {
        Ok(Some((bytes, content_type, file_name))) => {
            let disposition = gongshi_platform::blobs::content_disposition(&file_name);
            let mut response = (StatusCode::OK, cors(), bytes).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Ok(None) => (StatusCode::NOT_FOUND, cors(), "NoSuchKey").into_response(),
        Err(error) => blob_refusal(error),
    }
}

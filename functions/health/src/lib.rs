//! Health checks for operators, load balancers and the test tools (docs/OPERATIONS.md):
//! liveness (`GET /api/v1/health`: the process answers, no dependency is called) and
//! readiness (`GET /api/v1/health/ready`: one read of the table and one look at the blob
//! store, each timed; 503 when either fails). Anonymous: they reveal no data, only whether
//! the dependencies answer. SMS and e-mail are not touched (a check would send a message).

use gongshi_http::{ApiError, Body, Request, Response, json};
use gongshi_platform::Platform;
use serde::Serialize;
use std::time::Instant;
use utoipa::ToSchema;

gongshi_http::routes!(live, ready);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3();

/// The process answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    pub status: String,
    /// The build's version.
    pub version: String,
}

/// One dependency's check.
#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyCheck {
    /// `table` or `blobs`.
    pub name: String,
    /// Whether it answered.
    pub ok: bool,
    /// How long it took, in milliseconds.
    pub ms: f64,
    /// Why not (the error's kind, no detail that names a resource).
    pub error: Option<String>,
}

/// Whether every dependency answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`, or `unavailable` (answered with 503).
    pub status: String,
    /// One per dependency.
    pub checks: Vec<DependencyCheck>,
}

/// Liveness: answers without calling any dependency.
#[utoipa::path(get, path = "/api/v1/health", tag = "operations",
    responses((status = 200, body = Liveness)))]
async fn live(_p: &Platform, _req: &Request) -> Result<Response<Body>, ApiError> {
    json(
        200,
        &Liveness {
            status: "ok".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
    )
}

/// Readiness: one read of the table (the migrations record) and one look at the blob store.
#[utoipa::path(get, path = "/api/v1/health/ready", tag = "operations",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness, description = "A dependency did not answer")))]
async fn ready(p: &Platform, _req: &Request) -> Result<Response<Body>, ApiError> {
    let started = Instant::now();
    let table = p.table.get(&gongshi_store::migrations::key()).await;
    let table = check("table", started, table.err().map(|e| kind_of(&e.to_string())));
    let started = Instant::now();
    let blobs = p.blobs.head("health/ready").await;
    let blobs = check("blobs", started, blobs.err().map(|e| kind_of(&e.to_string())));
    let checks = vec![table, blobs];
    let ok = checks.iter().all(|c| c.ok);
    if !ok {
        tracing::warn!(
            failed = ?checks.iter().filter(|c| !c.ok).map(|c| c.name.as_str()).collect::<Vec<_>>(),
            "not ready"
        );
    }
    let body = Readiness {
        status: if ok { "ready" } else { "unavailable" }.into(),
        checks,
    };
    let mut response = json(if ok { 200 } else { 503 }, &body)?;
    if !ok {
        response
            .headers_mut()
            .insert("retry-after", lambda_http::http::HeaderValue::from_static("5"));
    }
    Ok(response)
}

fn check(name: &str, started: Instant, error: Option<String>) -> DependencyCheck {
    DependencyCheck {
        name: name.into(),
        ok: error.is_none(),
        ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        error,
    }
}

/// The first words of an error (its kind), without what follows a colon (names, addresses).
fn kind_of(error: &str) -> String {
    error.split(':').next().unwrap_or("error").trim().to_owned()
}

//! Public verification (no login): whoever scans the QR code of a printed 申请表 sees whether
//! the application is genuine and where it stands. Only what the paper shows anyway is
//! answered, with the person's name and ID number masked; rate limited per caller.

use gongshi_core::practice::{ApplicationKind, ApplicationState};
use gongshi_http::publicity::mask_id;
use gongshi_http::request::source_ip;
use gongshi_http::{ApiError, Body, HandlerFuture, Problem, Request, Response, json, query_param, respond, route_key};
use gongshi_platform::Platform;
use gongshi_store::applications;
use gongshi_store::rate::{self, Limit};
use serde::Serialize;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use utoipa::{OpenApi, ToSchema};

/// The routes of this function.
#[derive(OpenApi)]
#[openapi(paths(verify_application))]
pub struct Api;

/// The Lambda handler.
pub fn handler(platform: Arc<Platform>, req: Request) -> HandlerFuture {
    Box::pin(async move {
        let p = platform.as_ref();
        respond(p, &req, async {
            match route_key(&req).as_str() {
                "GET /api/v1/public/applications" => verify_application(p, &req).await,
                other => Err(ApiError::NotFound("route_not_found", format!("未知接口 {other}"))),
            }
        })
        .await
    })
}

/// Look-ups per caller address and day.
const LOOKUP_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 500,
};

/// A genuine application as the public may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifiedApplication {
    /// 申报单号.
    pub number: String,
    /// 公示类型.
    pub kind: ApplicationKind,
    /// 初始/变更/续期/追加.
    pub kind_label: String,
    /// State now.
    pub state: ApplicationState,
    /// 审核中, 通过, 不通过（逾期）…
    pub state_label: String,
    /// The applying unit.
    pub unit_name: String,
    /// The person's name, all but the first character masked.
    pub person_name_masked: String,
    /// The ID number, masked.
    pub id_number_masked: String,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// `王*`, `欧**`: the surname stays.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    let first: String = chars.next().into_iter().collect();
    format!("{first}{}", "*".repeat(chars.count()))
}

/// Verifies a printed application form by its number (the QR code's link).
#[utoipa::path(get, path = "/api/v1/public/applications", tag = "public",
    params(("number" = String, Query, description = "申报单号, e.g. SB20261126-7K3Q9X2M")),
    responses((status = 200, body = VerifiedApplication), (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn verify_application(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let number = query_param(req, "number").map(|n| n.trim().to_uppercase()).unwrap_or_default();
    if !(10..=40).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(ApiError::field("number", "number_format", "申报单号格式不正确"));
    }
    if let Err(wait) = rate::hit(p.table.as_ref(), "LOOKUP-IP", &source_ip(req), LOOKUP_LIMIT, p.clock.now()).await? {
        return Err(ApiError::TooManyRequests(
            "rate_limited",
            format!("查询过于频繁，请 {wait} 秒后再试"),
            wait,
        ));
    }
    let app = applications::by_number(p.table.as_ref(), &number).await?.ok_or_else(|| {
        ApiError::NotFound(
            "application_not_found",
            "未查询到该申报单，请核对申报单号；如为伪造的申请表，请向协会举报".into(),
        )
    })?;
    let state = app.state_at(p.clock.now());
    json(
        200,
        &VerifiedApplication {
            number: app.number.clone(),
            kind: app.kind,
            kind_label: app.kind.label().into(),
            state,
            state_label: state.label().into(),
            unit_name: app.unit_name.clone(),
            person_name_masked: mask_name(&app.person.name),
            id_number_masked: mask_id(&app.person.id_number),
            created_at: app.created_at,
        },
    )
}

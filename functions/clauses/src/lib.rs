//! Commitment clauses (承诺条款, F11): every unit confirms the version in force when it
//! submits; the association admin publishes new versions (old ones stay as confirmed).

use gongshi_core::practice::{Periods, shown_period};
use gongshi_core::{Fields, Invalid};
use gongshi_http::auth::authenticate_with;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::clauses::{self, ClauseText};
use gongshi_workflow::OnConflict;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(current, publish);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// A version of the clauses.
#[derive(Debug, Serialize, ToSchema)]
pub struct Clauses {
    /// Version; submissions name it.
    pub version: u32,
    /// Heading.
    pub title: String,
    /// The clauses in order.
    pub clauses: Vec<String>,
    /// Published.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub published_at: OffsetDateTime,
    /// The configured periods the unit commits to, as the screens say them.
    pub periods: PeriodsView,
}

/// The configured periods of the workflow, as numbers and as text ("7天", "24小时").
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodsView {
    /// From creation until print, upload and confirmation must be done, in hours.
    pub application_deadline_hours: i64,
    /// The same, as shown (e.g. "7天").
    pub application_deadline: String,
    /// How long a practitioner's confirmation code is valid, in hours.
    pub confirmation_code_hours: i64,
    /// The same, as shown (e.g. "24小时").
    pub confirmation_code: String,
    /// How long before its end a publicity may be renewed, in days.
    pub renewal_window_days: i64,
}

impl From<&Periods> for PeriodsView {
    fn from(periods: &Periods) -> Self {
        Self {
            application_deadline_hours: periods.application_deadline.whole_hours(),
            application_deadline: shown_period(periods.application_deadline),
            confirmation_code_hours: periods.confirmation_code.whole_hours(),
            confirmation_code: shown_period(periods.confirmation_code),
            renewal_window_days: periods.renewal_window.whole_days(),
        }
    }
}

impl Clauses {
    fn of(t: ClauseText, periods: &Periods) -> Self {
        Self {
            version: t.version,
            title: t.title,
            clauses: t.clauses,
            published_at: t.published_at,
            periods: periods.into(),
        }
    }
}

/// A new version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClausesInput {
    /// Heading (2–50 characters).
    pub title: String,
    /// 1–20 clauses of 2–500 characters each.
    pub clauses: Vec<String>,
}

/// The clauses in force.
#[utoipa::path(get, path = "/api/v1/clauses", tag = "publicity", security(("bearer" = [])),
    responses((status = 200, body = Clauses), (status = 401, body = Problem)))]
async fn current(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, [current]) = authenticate_with(p, req, [clauses::current_key()]).await?;
    json(
        200,
        &Clauses::of(gongshi_workflow::clauses::current_of(current)?, &p.config.periods),
    )
}

/// Publishes a new version (association admin); units confirm it from now on.
#[utoipa::path(put, path = "/api/v1/admin/clauses", tag = "admin", security(("bearer" = [])), request_body = ClausesInput,
    responses((status = 201, body = Clauses), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn publish(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, [current]) = authenticate_with(p, req, [clauses::current_key()]).await?;
    caller.require_association_admin()?;
    let input: ClausesInput = json_body(req)?;
    let mut fields = Fields::default();
    let title = input.title.trim();
    if !(2..=50).contains(&title.chars().count()) {
        fields.refuse("title", Invalid::new("title_length", "标题应为2至50个字符"));
    }
    let texts: Vec<String> = input.clauses.iter().map(|c| c.trim().to_owned()).collect();
    if texts.is_empty() || texts.len() > 20 {
        fields.refuse("clauses", Invalid::new("clauses_count", "承诺条款应为1至20条"));
    }
    for (i, text) in texts.iter().enumerate() {
        if !(2..=500).contains(&text.chars().count()) {
            fields.refuse(
                &format!("clauses[{i}]"),
                Invalid::new("clause_length", "每条承诺条款应为2至500个字符"),
            );
        }
    }
    if !fields.is_ok() {
        return Err(ApiError::Invalid(fields.into_errors()));
    }
    let current = gongshi_workflow::clauses::current_of(current)?;
    let now = p.clock.now();
    let next = ClauseText {
        version: current.version + 1,
        title: title.into(),
        clauses: texts,
        published_at: now,
        published_by: caller.username().into(),
    };
    let entry = AuditEntry {
        entity: gongshi_store::entity::CLAUSES.into(),
        action: "clauses.published".into(),
        actor: caller.username().into(),
        from: Some(current.version.to_string()),
        to: Some(next.version.to_string()),
        reason: None,
        at: now,
    };
    p.table
        .transact(
            clauses::publish(&next)
                .into_iter()
                .chain([audit::record(&entry, &p.ids.id())])
                .collect(),
        )
        .await
        .on_conflict(|| ApiError::Conflict("clauses_changed", "承诺条款刚被他人更新，请刷新后再发布".into()))?;
    json(201, &Clauses::of(next, &p.config.periods))
}

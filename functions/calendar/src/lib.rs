//! The working-day calendar (association admin): statutory holidays and make-up workdays,
//! used for "within 3 working days" deadlines such as appeal replies (F5).

use gongshi_core::account::Role;
use gongshi_core::{FieldError, Invalid};
use gongshi_http::auth::authenticate_with;
use gongshi_http::auth::{CallerRole, forbidden};
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::calendar::{self, CalendarConfig};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

gongshi_http::routes!(read, replace);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// The calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkCalendarView {
    /// 法定节假日, sorted.
    #[schema(value_type = Vec<String>)]
    pub holidays: Vec<Date>,
    /// 调休上班日 (weekend days worked), sorted.
    #[schema(value_type = Vec<String>)]
    pub makeup_workdays: Vec<Date>,
}

/// The whole calendar, replacing the stored one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkCalendarInput {
    /// `YYYY-MM-DD` dates.
    pub holidays: Vec<String>,
    /// `YYYY-MM-DD` dates.
    pub makeup_workdays: Vec<String>,
}

/// The calendar, read in the same batch get as the caller (an association admin).
async fn admin_only(p: &Platform, req: &Request) -> Result<CalendarConfig, ApiError> {
    let (caller, [stored]) = authenticate_with(p, req, [calendar::key()]).await?;
    match caller.role {
        CallerRole::Account(Role::AssociationAdmin) => Ok(calendar::of(stored)?),
        _ => Err(forbidden()),
    }
}

fn view(config: &CalendarConfig) -> WorkCalendarView {
    WorkCalendarView {
        holidays: config.holidays.clone(),
        makeup_workdays: config.makeup_workdays.clone(),
    }
}

fn parse_dates(field: &str, raw: &[String], errors: &mut Vec<FieldError>) -> Vec<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let mut dates = Vec::new();
    for (i, text) in raw.iter().enumerate() {
        match Date::parse(text.trim(), &format) {
            Ok(date) => dates.push(date),
            Err(_) => {
                let invalid = Invalid::new("date_format", format!("第 {} 个日期“{text}”格式应为 YYYY-MM-DD", i + 1));
                errors.push(FieldError::new(field, invalid.code, invalid.message));
            }
        }
    }
    dates.sort();
    dates.dedup();
    dates
}

/// The calendar.
#[utoipa::path(get, path = "/api/v1/admin/calendar", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = WorkCalendarView), (status = 403, body = Problem)))]
async fn read(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    json(200, &view(&admin_only(p, req).await?))
}

/// Replaces the calendar.
#[utoipa::path(put, path = "/api/v1/admin/calendar", tag = "admin", security(("bearer" = [])), request_body = WorkCalendarInput,
    responses((status = 200, body = WorkCalendarView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn replace(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let current = admin_only(p, req).await?;
    let input: WorkCalendarInput = json_body(req)?;
    let mut errors = Vec::new();
    let holidays = parse_dates("holidays", &input.holidays, &mut errors);
    let makeup_workdays = parse_dates("makeup_workdays", &input.makeup_workdays, &mut errors);
    if let Some(both) = holidays.iter().find(|d| makeup_workdays.contains(d)) {
        errors.push(FieldError::new(
            "makeup_workdays",
            "date_conflict",
            format!("{both} 不能既是节假日又是调休上班日"),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let next = CalendarConfig {
        holidays,
        makeup_workdays,
        version: current.version + 1,
    };
    calendar::save(p.table.as_ref(), &next, current.version).await?;
    json(200, &view(&next))
}

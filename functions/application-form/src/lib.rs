//! The application form (F13, manual §3.3.1 第三步 打印申请表): a PDF 申请表 generated here in
//! Rust on first download, stored in the blob store (`forms/<id>.pdf`) and handed out by a
//! short-lived presigned GET. Its QR code leads to the public verification page of the
//! application number.

pub mod pdf;

use gongshi_core::practice::ApplicationKind;
use gongshi_http::applications;
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, path_param};
use gongshi_platform::Platform;
use gongshi_store::applications::Application;
use gongshi_store::units::{self, Unit};
use gongshi_workflow::applications::form_key;
use gongshi_workflow::clauses;
use pdf::FormData;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(form);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3();

/// The public page a form's QR code opens.
pub fn verification_url(base_url: &str, number: &str) -> String {
    format!("{}/verify?number={number}", base_url.trim_end_matches('/'))
}

/// A download link for the form.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormLink {
    /// Presigned GET, valid for minutes.
    pub url: String,
    /// `申请表-SB20261126-XXXXXXXX.pdf` (a cancellation: `注销申请表-ZX20261126-XXXXXXXX.pdf`).
    pub file_name: String,
    /// Until when the link works.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

fn china_time(at: OffsetDateTime) -> String {
    at.to_offset(time::macros::offset!(+8))
        .format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]"))
        .unwrap_or_default()
}

/// What the form shows for the application and its unit.
pub fn form_data(app: &Application, unit: &Unit, base_url: &str, periods: &gongshi_core::practice::Periods) -> FormData {
    let cancellation = app.kind == ApplicationKind::Cancellation;
    FormData {
        title: if cancellation {
            "特种设备检验检测人员执业公示注销申请表"
        } else {
            "特种设备检验检测人员执业公示申请表"
        }
        .into(),
        reason: app.reason.clone().filter(|_| cancellation),
        signatures: if cancellation {
            vec!["单位授权人签字", "单位公章"]
        } else {
            vec!["执业人本人签字", "单位授权人签字", "单位公章"]
        }
        .into_iter()
        .map(String::from)
        .collect(),
        number: app.number.clone(),
        kind_label: app.kind.label().into(),
        created: china_time(app.created_at),
        deadline: china_time(app.deadline),
        code_validity: gongshi_core::practice::shown_period(periods.confirmation_code),
        unit_name: unit.name.as_str().into(),
        uscc: unit.uscc.to_string(),
        address: unit.address.as_str().into(),
        contact: format!("{}（手机 {}）", unit.contact.name.as_str(), unit.contact.mobile.masked()),
        person_name: app.person.name.as_str().into(),
        id_number: app.person.id_number.as_str().into(),
        mobile: app
            .person
            .mobile
            .as_ref()
            .map_or_else(|| "未登记".into(), gongshi_core::Mobile::masked),
        items: app
            .items
            .iter()
            .map(|i| [i.code.clone(), i.name.clone(), i.level.clone(), i.valid_until.to_string()])
            .collect(),
        clause_title: format!("{}（第 {} 版）", app.clauses.title, app.clauses.version),
        clauses: Vec::new(),
        confirmed: format!(
            "以上承诺条款已由 {} 于 {} 在系统中确认。",
            app.clauses.confirmed_by,
            china_time(app.clauses.confirmed_at)
        ),
        qr_payload: verification_url(base_url, &app.number),
    }
}

/// The form of one of the unit's applications (generated once, then reused).
#[utoipa::path(get, path = "/api/v1/unit/applications/{id}/form", tag = "publicity", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = FormLink), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn form(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The unit and the clauses in force come with the application (one batch get): a form
    // not made yet needs them, and the clauses confirmed are almost always those in force.
    let id = path_param(req, "id")?;
    let (_, unit_id, [app, unit, current]) = authenticate_in_unit(p, req, |unit| {
        [
            gongshi_store::applications::key(&id),
            units::key(unit),
            gongshi_store::clauses::current_key(),
        ]
    })
    .await?;
    let app = applications::own_of(app, &unit_id)?;
    // Printable while the application counts down (its `actions.print`), never after: an
    // expired, withdrawn or decided application's form is not given out, made before or not.
    let state = app.state_at(p.clock.now());
    if !state.may_print() {
        return Err(ApiError::Conflict(
            "form_not_available",
            format!("该申报单当前状态为“{}”，不能打印申请表", state.label()),
        ));
    }
    let key = form_key(&app.id);
    if p.blobs.head(&key).await?.is_none() {
        let unit: Unit = unit
            .map(gongshi_store::decode)
            .transpose()?
            .ok_or_else(|| ApiError::Internal(format!("unit {unit_id} is missing")))?;
        let mut data = form_data(&app, &unit, &p.config.public_base_url, &p.config.periods);
        if app.kind != ApplicationKind::Cancellation {
            data.clauses = clause_texts(p, clauses::current_of(current)?, app.clauses.version).await?;
        }
        let bytes = pdf::render(&data).map_err(ApiError::Internal)?;
        p.blobs.put(&key, bytes, "application/pdf").await?;
        tracing::info!(application = %app.id, "application form generated");
    }
    let title = if app.kind == ApplicationKind::Cancellation {
        "注销申请表"
    } else {
        "申请表"
    };
    let file_name = format!("{title}-{}.pdf", app.number);
    let link = p.blobs.presign_get(&key, &file_name, p.config.presign_ttl).await?;
    json(
        200,
        &FormLink {
            url: link.url,
            file_name,
            expires_at: p.clock.now() + p.config.presign_ttl,
        },
    )
}

/// The texts of the clause version the unit confirmed: those in force (read beforehand), or
/// an earlier version read by key.
async fn clause_texts(p: &Platform, current: gongshi_store::clauses::ClauseText, version: u32) -> Result<Vec<String>, ApiError> {
    if current.version == version {
        return Ok(current.clauses);
    }
    Ok(gongshi_store::clauses::get(p.table.as_ref(), version)
        .await?
        .map_or_else(|| clauses::default_clauses().clauses, |c| c.clauses))
}

//! The practitioner's confirmation (F14: "经过短信验证后，方进入申报单审核流程"). Public: the
//! person enters their ID number and the 6-digit code from the SMS and is shown what they are
//! asked to confirm (the unit, the kind, the items, the application's number); they confirm,
//! and the application moves to review, or refuse ("如非本人意愿，请勿确认"), and it ends at
//! once, freeing them, and the unit is told. Wrong codes spend one of five tries; an expired
//! code or an application past its deadline is refused (409), and a second answer finds
//! nothing.

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationKind, ApplicationState, PublishedItem, Step};
use gongshi_core::review::Reason;
use gongshi_core::{Fields, IdNumber};
use gongshi_http::request::source_ip;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::codes;
use gongshi_store::practitioners;
use gongshi_store::rate::{self, Limit};
use gongshi_workflow::applications::{self as steps, CONFIRM_PURPOSE, changed_meanwhile};
use gongshi_workflow::{OnConflict, expiry, notify, otp};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

gongshi_http::routes!(confirm, preview);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// Attempts per caller address: guessing across many ID numbers is slowed down.
const ATTEMPT_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 100,
};

/// The person and the code.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewInput {
    /// 身份证号.
    pub id_number: String,
    /// The 6-digit code from the SMS.
    pub code: String,
}

/// The practitioner's answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// 确认: the application enters review.
    #[default]
    Confirm,
    /// 拒绝: the application ends at once and the person is free.
    Decline,
}

/// The person, the code and their answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmationInput {
    /// 身份证号.
    pub id_number: String,
    /// The 6-digit code from the SMS.
    pub code: String,
    /// `confirm` (the default) or `decline`.
    #[serde(default)]
    pub answer: Answer,
    /// Why they decline (optional, 2–500 characters; the unit is told).
    #[serde(default)]
    pub reason: Option<String>,
}

/// An item the unit applies for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingItem {
    /// 项目代号.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 级别.
    pub level: String,
    /// 有效期至 (YYYY-MM-DD).
    pub valid_until: String,
}

/// What the person is asked to confirm.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingConfirmation {
    /// 申报单号 (printed on the form).
    pub number: String,
    /// 初始/变更/续期.
    pub kind: ApplicationKind,
    /// Its label.
    pub kind_label: String,
    /// The applying unit.
    pub unit_name: String,
    /// The person's name.
    pub name: String,
    /// The items to be published.
    pub items: Vec<PendingItem>,
    /// The answer is due before this instant (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub deadline: OffsetDateTime,
}

/// What was answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmed {
    /// 申报单号.
    pub number: String,
    /// 初始/变更/续期.
    pub kind_label: String,
    /// The applying unit.
    pub unit_name: String,
    /// `under_review` once confirmed, `declined` once refused.
    pub state: ApplicationState,
    /// 审核中 / 执业人拒绝.
    pub state_label: String,
}

fn nothing_to_confirm() -> ApiError {
    ApiError::Conflict("nothing_to_confirm", "没有待您确认的执业公示申报单，或确认码已失效".into())
}

/// An application awaiting this person's answer, with the right code.
struct Asked {
    app: gongshi_store::applications::Application,
    pending: codes::PendingCode,
    /// The caller's attempt, counted in the transaction of the answer.
    counted: gongshi_platform::Write,
}

/// Reads the attempt counter, the person's open application and the code, and checks them:
/// the application asking `id_number` with the right `code`, or the refusal to answer (its
/// writes, the spent try and the counted attempt, already committed).
async fn asked(p: &Platform, req: &Request, id_number: &IdNumber, code: &str) -> Result<Asked, ApiError> {
    // The attempt counter, the person's open application and the code in one batch get; the
    // attempt is counted in the transaction that ends the request (the answer, or the
    // refusal's own writes).
    let address = source_ip(req);
    let [counter, lock, stored_code] = gongshi_platform::get_each(
        p.table.as_ref(),
        [
            rate::key("CONFIRM-IP", &address),
            practitioners::lock_key(id_number),
            codes::key(CONFIRM_PURPOSE, id_number.as_str()),
        ],
    )
    .await
    .map_err(gongshi_store::StoreError::from)?;
    let counted = match rate::plan(counter, "CONFIRM-IP", &address, ATTEMPT_LIMIT, p.clock.now())? {
        Ok(write) => write,
        Err(wait) => {
            return Err(ApiError::TooManyRequests(
                "rate_limited",
                format!("尝试次数过多，请 {wait} 秒后再试"),
                wait,
            ));
        }
    };
    // A refusal still counts the attempt (with what it writes itself).
    let refuse = |error: ApiError, mut writes: Vec<gongshi_platform::Write>| {
        writes.push(counted.clone());
        async move {
            p.table.transact(writes).await.map_err(gongshi_store::StoreError::from)?;
            Err::<Asked, ApiError>(error)
        }
    };
    let lock = lock.map(gongshi_store::decode::<practitioners::OpenLock>).transpose()?;
    let Some(lock) = lock else {
        return refuse(nothing_to_confirm(), Vec::new()).await;
    };
    let app = steps::load(p, &lock.application_id).await?;
    let current = app.state_at(p.clock.now());
    if current != ApplicationState::AwaitingConfirmation {
        // Past its deadline it is expired here (the person is freed at once), and answered
        // as after the sweep, when no lock leads here any more: one answer either way.
        if current == ApplicationState::Expired {
            expiry::expire_if_due(p, &app.id).await?;
        }
        return refuse(nothing_to_confirm(), Vec::new()).await;
    }
    match otp::check(p, stored_code, CONFIRM_PURPOSE, id_number.as_str(), code)? {
        otp::Checked::Right(pending) => Ok(Asked { app, pending, counted }),
        otp::Checked::Wrong(error, write) => refuse(error.into(), write.into_iter().collect()).await,
    }
}

fn parse_person(p: &Platform, id_number: &str, code: &str, fields: &mut Fields) -> Option<IdNumber> {
    let id_number = fields.check("id_number", IdNumber::parse(id_number, china_today(p.clock.now())));
    otp::check_format(fields, code);
    id_number
}

fn item(item: &PublishedItem) -> PendingItem {
    PendingItem {
        code: item.code.clone(),
        name: item.name.clone(),
        level: item.level.clone(),
        valid_until: item.valid_until.to_string(),
    }
}

/// Shows the person what they are asked to confirm; nothing is answered yet and the code
/// stays valid (a wrong code spends a try, as on confirming).
#[utoipa::path(post, path = "/api/v1/confirmations/preview", tag = "practitioner", request_body = PreviewInput,
    responses((status = 200, body = PendingConfirmation), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn preview(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: PreviewInput = json_body(req)?;
    let mut fields = Fields::default();
    let id_number = parse_person(p, &input.id_number, &input.code, &mut fields);
    let (Some(id_number), true) = (id_number, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    // A right code is no guess: the attempt is counted when the person answers.
    let Asked { app, .. } = asked(p, req, &id_number, &input.code).await?;
    json(
        200,
        &PendingConfirmation {
            number: app.number.clone(),
            kind: app.kind,
            kind_label: app.kind.label().into(),
            unit_name: app.unit_name.clone(),
            name: app.person.name.as_str().to_owned(),
            items: app.items.iter().map(item).collect(),
            deadline: app.deadline,
        },
    )
}

/// Confirms the application holding the person (it enters review), or declines it (it ends
/// at once, the person is free and the unit is told by SMS).
#[utoipa::path(post, path = "/api/v1/confirmations", tag = "practitioner", request_body = ConfirmationInput,
    responses((status = 200, body = Confirmed), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn confirm(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: ConfirmationInput = json_body(req)?;
    let mut fields = Fields::default();
    let id_number = parse_person(p, &input.id_number, &input.code, &mut fields);
    let raw_reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let reason = match (input.answer, raw_reason) {
        (Answer::Decline, Some(raw)) => fields.check("reason", Reason::parse(raw)),
        _ => None,
    };
    let (Some(id_number), true) = (id_number, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    let Asked { app, pending, counted } = asked(p, req, &id_number, &input.code).await?;
    let transition = match input.answer {
        Answer::Confirm => steps::advance(p, &app, Step::Confirm, "practitioner", Some("执业人短信确认".into()), |_| {})?,
        Answer::Decline => {
            let reason = reason.map(Reason::into_string);
            let end_reason = reason
                .as_ref()
                .map_or_else(|| "执业人拒绝确认".to_owned(), |r| format!("执业人拒绝确认：{r}"));
            steps::advance(p, &app, Step::Decline, "practitioner", reason, |next| {
                next.end_reason = Some(end_reason);
            })?
        }
    };
    let mut writes = transition.writes;
    writes.push(codes::consume(&pending));
    writes.push(counted);
    p.table.transact(writes).await.on_conflict(changed_meanwhile)?;
    let next = transition.next;
    if next.state == ApplicationState::Declined {
        tracing::info!(application = %next.id, "application declined by the practitioner");
        notify::outcome(p, &next).await;
    } else {
        tracing::info!(application = %next.id, "application confirmed by the practitioner");
    }
    json(
        200,
        &Confirmed {
            number: next.number.clone(),
            kind_label: next.kind.label().into(),
            unit_name: next.unit_name.clone(),
            state: next.state,
            state_label: next.state.label().into(),
        },
    )
}

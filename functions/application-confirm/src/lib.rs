//! The practitioner's confirmation (F14: "经过短信验证后，方进入申报单审核流程"). Public: the
//! person enters their ID number and the 6-digit code from the SMS; the application they
//! are held by moves to review. Wrong codes spend one of five tries; an expired code or an
//! application past its deadline is refused (409), and a second confirmation finds nothing.

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationState, Step};
use gongshi_core::{Fields, IdNumber};
use gongshi_http::request::source_ip;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body};
use gongshi_platform::Platform;
use gongshi_store::codes;
use gongshi_store::practitioners;
use gongshi_store::rate::{self, Limit};
use gongshi_workflow::applications::{self as steps, CONFIRM_PURPOSE, changed_meanwhile};
use gongshi_workflow::{OnConflict, expiry, otp};
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;

gongshi_http::routes!(confirm);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// Attempts per caller address: guessing across many ID numbers is slowed down.
const ATTEMPT_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 100,
};

/// The person and the code.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmationInput {
    /// 身份证号.
    pub id_number: String,
    /// The 6-digit code from the SMS.
    pub code: String,
}

/// What was confirmed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmed {
    /// 申报单号.
    pub number: String,
    /// 初始/变更/续期.
    pub kind_label: String,
    /// The applying unit.
    pub unit_name: String,
    /// Now `under_review`.
    pub state: ApplicationState,
    /// 审核中.
    pub state_label: String,
}

fn nothing_to_confirm() -> ApiError {
    ApiError::Conflict("nothing_to_confirm", "没有待您确认的执业公示申报单，或确认码已失效".into())
}

/// Confirms the application holding the person; it enters review.
#[utoipa::path(post, path = "/api/v1/confirmations", tag = "practitioner", request_body = ConfirmationInput,
    responses((status = 200, body = Confirmed), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn confirm(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let input: ConfirmationInput = json_body(req)?;
    let mut fields = Fields::default();
    let id_number = fields.check("id_number", IdNumber::parse(&input.id_number, china_today(p.clock.now())));
    otp::check_format(&mut fields, &input.code);
    let (Some(id_number), true) = (id_number, fields.is_ok()) else {
        return Err(ApiError::Invalid(fields.into_errors()));
    };
    // The attempt counter, the person's open application and the code in one batch get; the
    // attempt is counted in the transaction that ends the request (the confirmation, or the
    // refusal's own writes).
    let address = source_ip(req);
    let [counter, lock, code] = gongshi_platform::get_each(
        p.table.as_ref(),
        [
            rate::key("CONFIRM-IP", &address),
            practitioners::lock_key(&id_number),
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
            Err::<Response<Body>, ApiError>(error)
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
    let pending = match otp::check(p, code, CONFIRM_PURPOSE, id_number.as_str(), &input.code)? {
        otp::Checked::Right(pending) => pending,
        otp::Checked::Wrong(error, write) => return refuse(error.into(), write.into_iter().collect()).await,
    };
    let transition = steps::advance(p, &app, Step::Confirm, "practitioner", Some("执业人短信确认".into()), |_| {})?;
    let mut writes = transition.writes;
    writes.push(codes::consume(&pending));
    writes.push(counted);
    p.table.transact(writes).await.on_conflict(changed_meanwhile)?;
    let next = transition.next;
    tracing::info!(application = %next.id, "application confirmed by the practitioner");
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

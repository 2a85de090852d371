//! The public face (no login, rate limited per caller): the published practitioners, found by
//! name and certificate number or by unit (F19), with their items, unit, validity, state and
//! unit-change history; and the verification of a printed 申请表 by its number (the QR code's
//! link). ID numbers show only their first 3 and last 4 characters; nothing else personal
//! is answered.

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationKind, ApplicationState};
use gongshi_core::{Name, Uscc};
use gongshi_http::applications::PublishedItemView;
use gongshi_http::request::source_ip;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, query_param};
use gongshi_platform::Platform;
use gongshi_store::practitioners::{self, PublicityRecord};
use gongshi_store::rate::{self, Limit};
use gongshi_store::{applications, units};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

gongshi_http::routes!(verify_application, search_practitioners);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

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

fn too_many(wait: u64) -> ApiError {
    ApiError::TooManyRequests("rate_limited", format!("查询过于频繁，请 {wait} 秒后再试"), wait)
}

/// The caller's lookup counter and the item under `key`, in one batch get; 429 when the
/// caller's lookups are used up. The counter's write is returned, to [`count`] before the
/// answer.
async fn limited_with(
    p: &Platform,
    req: &Request,
    key: gongshi_platform::Key,
) -> Result<(gongshi_platform::Write, Option<gongshi_platform::Item>), ApiError> {
    let address = source_ip(req);
    let [counter, item] = gongshi_platform::get_each(p.table.as_ref(), [rate::key("LOOKUP-IP", &address), key])
        .await
        .map_err(gongshi_store::StoreError::from)?;
    match rate::plan(counter, "LOOKUP-IP", &address, LOOKUP_LIMIT, p.clock.now())? {
        Ok(write) => Ok((write, item)),
        Err(wait) => Err(too_many(wait)),
    }
}

/// Counts the lookup (its planned write). When another lookup from the address counted
/// meanwhile, counts it again from a fresh read: racing lookups are each counted, none is
/// answered 409.
async fn count(p: &Platform, req: &Request, write: gongshi_platform::Write) -> Result<(), ApiError> {
    match p.table.transact(vec![write]).await {
        Ok(()) => Ok(()),
        Err(gongshi_platform::TableError::ConditionFailed) => {
            match rate::hit(p.table.as_ref(), "LOOKUP-IP", &source_ip(req), LOOKUP_LIMIT, p.clock.now()).await? {
                Ok(()) => Ok(()),
                Err(wait) => Err(too_many(wait)),
            }
        }
        Err(other) => Err(gongshi_store::StoreError::from(other).into()),
    }
}

/// One stay of the person at a unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicStay {
    /// The unit.
    pub unit_name: String,
    /// From.
    #[schema(value_type = String, format = Date)]
    pub from: time::Date,
    /// Until, once it ended.
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<time::Date>,
    /// 注销, 变更至其他单位, 公示到期.
    pub end: Option<String>,
    /// The same as a code: `cancelled`, `moved`, `lapsed` (the SPA words it in its language).
    pub end_code: Option<String>,
}

/// A published practitioner as the public sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicPractitioner {
    /// 姓名.
    pub name: String,
    /// 身份证号: first 3 and last 4 characters only.
    pub id_number_masked: String,
    /// 公示证书编号.
    pub certificate_no: String,
    /// 执业单位.
    pub unit_name: String,
    /// Items and levels.
    pub items: Vec<PublishedItemView>,
    /// 有效期至.
    #[schema(value_type = String, format = Date)]
    pub valid_until: time::Date,
    /// The last day, once it ended (cancelled, or moved to another unit).
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<time::Date>,
    /// `active`, `cancelled`, `ended` (moved to another unit) or `lapsed`.
    pub state: String,
    /// 有效, 已注销, 已终止（变更至其他单位）, 已到期.
    pub state_label: String,
    /// Units practised at, oldest first.
    pub history: Vec<PublicStay>,
}

/// Found practitioners.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSearchResult {
    /// At most 200.
    pub items: Vec<PublicPractitioner>,
}

/// The public view of a publicity; `stays` when already read with the person (else read).
async fn public_view(
    p: &Platform,
    record: &PublicityRecord,
    end: Option<&str>,
    stays: Option<Vec<practitioners::Stay>>,
) -> Result<PublicPractitioner, ApiError> {
    let today = china_today(p.clock.now());
    let (state, label) = if record.publicity.cancelled {
        ("cancelled", "已注销".to_owned())
    } else if let Some(end) = end {
        ("ended", format!("已终止（{end}）"))
    } else if record.publicity.valid_until < today {
        ("lapsed", "已到期".to_owned())
    } else {
        ("active", "有效".to_owned())
    };
    let stays = match stays {
        Some(stays) => stays,
        None => practitioners::stays(p.table.as_ref(), &record.id_number).await?,
    };
    let history = stays
        .into_iter()
        .map(|s| {
            // The current stay of a publicity that ran out ends with it, though nothing wrote so.
            let lapsed = s.until.is_none() && s.certificate_no == record.publicity.certificate_no && record.publicity.valid_until < today;
            let end = if lapsed { Some("公示到期".to_owned()) } else { s.end };
            PublicStay {
                unit_name: s.unit_name,
                from: s.from,
                until: if lapsed { Some(record.publicity.valid_until) } else { s.until },
                end_code: end.as_deref().map(|e| practitioners::end_code(e).to_owned()),
                end,
            }
        })
        .collect();
    Ok(PublicPractitioner {
        name: record.name.as_str().into(),
        id_number_masked: record.id_number.masked(),
        certificate_no: record.publicity.certificate_no.clone(),
        unit_name: record.publicity.unit_name.clone(),
        items: record.publicity.items.iter().map(PublishedItemView::from).collect(),
        valid_until: record.publicity.valid_until,
        ended_on: record.publicity.ended_on,
        state: state.into(),
        state_label: label,
        history,
    })
}

/// Searches published practitioners: by certificate number (with the name, when known), or
/// by the unit's 统一社会信用代码.
#[utoipa::path(get, path = "/api/v1/public/practitioners", tag = "public",
    params(("certificate_no" = Option<String>, Query, description = "公示证书编号"), ("name" = Option<String>, Query, description = "姓名"),
        ("uscc" = Option<String>, Query, description = "执业单位统一社会信用代码")),
    responses((status = 200, body = PublicSearchResult), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn search_practitioners(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let certificate_no = query_param(req, "certificate_no")
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    let uscc = query_param(req, "uscc").map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
    let name = match query_param(req, "name").map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
        Some(raw) => Some(Name::parse(&raw).map_err(|e| ApiError::field("name", e.code, &e.message))?),
        None => None,
    };
    let records: Vec<(PublicityRecord, Option<String>, Option<Vec<practitioners::Stay>>)> = match (certificate_no, uscc) {
        (Some(no), _) => {
            if no.len() > 40 || !no.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(ApiError::field("certificate_no", "number_format", "公示证书编号格式不正确"));
            }
            let (counted, holder) = limited_with(p, req, practitioners::certificate_key(&no)).await?;
            count(p, req, counted).await?;
            let holder = practitioners::holder_of(holder);
            let mut found = Vec::new();
            if let Some(id) = holder.and_then(|id| gongshi_core::IdNumber::parse(&id, china_today(p.clock.now())).ok()) {
                let person = practitioners::person(p.table.as_ref(), &id).await?;
                match person.publicity.filter(|r| r.publicity.certificate_no == no) {
                    Some(current) => found.push((current, None, Some(person.stays))),
                    // A certificate the person no longer holds (moved to another unit, or
                    // cancelled and issued anew) stays verifiable, with how it ended.
                    None => {
                        let stay = person.stays.iter().find(|s| s.certificate_no == no);
                        if let Some(stay) = stay
                            && let Some(ended) = practitioners::ended(p.table.as_ref(), &stay.unit_id, &no).await?
                        {
                            found.push((ended.record, Some(ended.end), Some(person.stays.clone())));
                        }
                    }
                }
            }
            found
        }
        (None, Some(uscc)) => {
            let uscc = Uscc::parse(&uscc).map_err(|e| ApiError::field("uscc", e.code, &e.message))?;
            let (counted, claim) = limited_with(p, req, units::uscc_key(&uscc)).await?;
            count(p, req, counted).await?;
            match claim
                .map(gongshi_store::decode::<units::UsccClaim>)
                .transpose()?
                .and_then(|c| gongshi_store::entity::unit_of(&c.owner).map(str::to_owned))
            {
                Some(unit_id) => {
                    let today = china_today(p.clock.now());
                    practitioners::of_unit(p.table.as_ref(), &unit_id, None, 200)
                        .await?
                        .0
                        .into_iter()
                        .filter(|r| r.publicity.is_active_on(today))
                        .map(|r| (r, None, None))
                        .collect()
                }
                None => Vec::new(),
            }
        }
        (None, None) => {
            return Err(ApiError::field(
                "certificate_no",
                "search_required",
                "请输入公示证书编号，或执业单位的统一社会信用代码",
            ));
        }
    };
    let mut items = Vec::new();
    for (record, end, stays) in records.into_iter().filter(|(r, _, _)| name.as_ref().is_none_or(|n| &r.name == n)) {
        items.push(public_view(p, &record, end.as_deref(), stays).await?);
    }
    json(200, &PublicSearchResult { items })
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
    let (counted, claim) = limited_with(p, req, applications::number_claim_key(&number)).await?;
    count(p, req, counted).await?;
    let app = applications::by_number_claim(p.table.as_ref(), claim).await?.ok_or_else(|| {
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
            person_name_masked: mask_name(app.person.name.as_str()),
            id_number_masked: app.person.id_number.masked(),
            created_at: app.created_at,
        },
    )
}

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

gongshi_http::routes!(verify_application, search_practitioners, verify_roster);

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
    count_as(p, req, write, "LOOKUP-IP", LOOKUP_LIMIT).await
}

/// [`count`] on the counter `kind` with its `limit`.
async fn count_as(p: &Platform, req: &Request, write: gongshi_platform::Write, kind: &str, limit: Limit) -> Result<(), ApiError> {
    match p.table.transact(vec![write]).await {
        Ok(()) => Ok(()),
        Err(gongshi_platform::TableError::ConditionFailed) => {
            match rate::hit(p.table.as_ref(), kind, &source_ip(req), limit, p.clock.now()).await? {
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

/// Roster files per caller address and day (each up to [`ROSTER_ROWS`] rows).
const ROSTER_LIMIT: Limit = Limit {
    interval: Duration::ZERO,
    per_day: 20,
};

/// Rows a roster may hold.
pub const ROSTER_ROWS: usize = 5_000;

/// Bytes a roster file may hold.
pub const ROSTER_BYTES: usize = 2 * 1024 * 1024;

/// The columns a roster may name, in English or in Chinese: a certificate number, or an ID
/// number with the name (a name beside a certificate number must match too).
const ROSTER_COLUMNS: [(&str, &str); 3] = [("certificate_no", "公示证书编号"), ("id_number", "身份证号"), ("name", "姓名")];

/// One row of a verified roster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterRow {
    /// Its line in the file.
    pub line: u64,
    /// What was asked: the certificate number, or the ID number masked.
    pub query: String,
    /// `found`, `not_found` or `invalid` (the row is not a query: see `message`).
    pub result: String,
    /// 已公示 / 未找到 / 格式错误: the result as the clerk is told.
    pub result_label: String,
    /// Why an invalid row is not a query (Chinese).
    pub message: Option<String>,
    /// The same as a stable code (`id_number_format`, `certificate_format`, `name_required`,
    /// `query_required`, `cell_number_lost_digits`, …).
    pub code: Option<String>,
    /// The publicity found: the person, masked as the public lookup masks them.
    pub practitioner: Option<RosterPublicity>,
}

/// A publicity as a verified roster shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterPublicity {
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
    /// `active`, `cancelled` or `lapsed`.
    pub state: String,
    /// 有效, 已注销, 已到期.
    pub state_label: String,
}

/// A verified roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterResult {
    /// Rows read.
    pub rows: usize,
    /// Rows whose publicity is in force (有效).
    pub active: usize,
    /// Rows found but not in force (注销, 到期).
    pub inactive: usize,
    /// Rows with no publicity found.
    pub not_found: usize,
    /// Rows that are not a query.
    pub invalid: usize,
    /// What the file was read as (`xlsx`, `csv_gb18030`, …).
    pub source: String,
    /// The same, as the clerk is told (CSV（GBK/GB18030 编码）…).
    pub source_label: String,
    /// By line.
    pub items: Vec<RosterRow>,
}

/// What a roster row asks.
enum Ask {
    Certificate { no: String, name: Option<Name> },
    Person { id: gongshi_core::IdNumber, name: Name },
}

fn roster_column<'a>(header: &'a [String], code: &str) -> Option<&'a str> {
    let (_, chinese) = ROSTER_COLUMNS.iter().find(|(c, _)| *c == code)?;
    header
        .iter()
        .find(|h| h.eq_ignore_ascii_case(code) || h.as_str() == *chinese)
        .map(String::as_str)
}

/// Verifies a roster (bulk verification, F19): a unit, the association or anyone uploads a
/// file of certificate numbers, or ID numbers with names (.xlsx or CSV in any encoding the
/// imports read; columns `certificate_no`/公示证书编号, `id_number`/身份证号, `name`/姓名),
/// and gets each row's publicity: state, unit, items and validity, masked as the public
/// lookup masks them. `format=xlsx` answers the same as a workbook. Limited per address (20
/// files a day) and per file (2 MB, 5,000 rows); rows are read 100 at a time.
#[utoipa::path(post, path = "/api/v1/public/verifications", tag = "public",
    params(("format" = Option<String>, Query, description = "`xlsx` for a workbook"), ("sheet" = Option<String>, Query, description = "The workbook's sheet")),
    request_body(content = String, content_type = "application/octet-stream", description = "The roster file's bytes"),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((RosterResult = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 413, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn verify_roster(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let format = query_param(req, "format");
    if !matches!(format.as_deref(), None | Some("json" | "xlsx")) {
        return Err(ApiError::field("format", "invalid_value", "结果格式仅支持 json 或 xlsx"));
    }
    let bytes = gongshi_http::request::file_body(req, ROSTER_BYTES)?;
    let sheet = query_param(req, "sheet");
    let expected: Vec<&str> = ROSTER_COLUMNS.iter().flat_map(|(c, z)| [*c, *z]).collect();
    let mut file =
        gongshi_files::Sheet::read(bytes, &expected, sheet.as_deref()).map_err(|e| ApiError::field("file", e.code, &e.message))?;
    let header = file.header.clone();
    let (certificate_col, id_col, name_col) = (
        roster_column(&header, "certificate_no"),
        roster_column(&header, "id_number"),
        roster_column(&header, "name"),
    );
    if certificate_col.is_none() && (id_col.is_none() || name_col.is_none()) {
        return Err(ApiError::field(
            "file",
            "columns_missing",
            "名册应有“公示证书编号”列，或“身份证号”和“姓名”两列",
        ));
    }
    let today = china_today(p.clock.now());
    let mut rows: Vec<(RosterRow, Option<Ask>)> = Vec::new();
    while let Some(row) = file.next_row() {
        let row = row.map_err(|e| ApiError::field("file", e.code, &e.message))?;
        if rows.len() == ROSTER_ROWS {
            return Err(ApiError::field(
                "file",
                "too_many_rows",
                &format!("名册最多 {ROSTER_ROWS} 行，请分成几个文件核验"),
            ));
        }
        let cell = |column: Option<&str>| column.map(|c| row.get(&header, c)).unwrap_or_default();
        let (no, id, name) = (cell(certificate_col).to_uppercase(), cell(id_col), cell(name_col));
        let name = (!name.is_empty()).then(|| Name::parse(&name));
        let invalid = |code: &str, message: &str| Err((code.to_owned(), message.to_owned()));
        let ask = if let Some(problem) = row.problems.first() {
            invalid(problem.code, &problem.message)
        } else if !no.is_empty() {
            if no.len() > 40 || !no.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                invalid("certificate_format", "公示证书编号格式不正确")
            } else {
                match name {
                    Some(Err(e)) => invalid(e.code, &e.message),
                    name => Ok((
                        no.clone(),
                        Ask::Certificate {
                            no,
                            name: name.and_then(Result::ok),
                        },
                    )),
                }
            }
        } else if !id.is_empty() {
            match (gongshi_core::IdNumber::parse(&id, today), name) {
                (Ok(id), Some(Ok(name))) => Ok((id.masked(), Ask::Person { id, name })),
                (Err(e), _) | (_, Some(Err(e))) => invalid(e.code, &e.message),
                (_, None) => invalid("name_required", "按身份证号核验时须填写姓名"),
            }
        } else {
            invalid("query_required", "请填写公示证书编号，或身份证号和姓名")
        };
        rows.push(match ask {
            Ok((query, ask)) => (roster_row(row.line, query, "not_found", None), Some(ask)),
            Err(why) => (roster_row(row.line, String::new(), "invalid", Some(why)), None),
        });
    }
    // The address's counter first: a file over the limit reads nothing.
    let address = source_ip(req);
    let counter = p
        .table
        .get(&rate::key("ROSTER-IP", &address))
        .await
        .map_err(gongshi_store::StoreError::from)?;
    let counted = match rate::plan(counter, "ROSTER-IP", &address, ROSTER_LIMIT, p.clock.now())? {
        Ok(write) => write,
        Err(wait) => {
            return Err(ApiError::TooManyRequests(
                "rate_limited",
                format!(
                    "今日名册核验已达 {} 个文件，请明日再试（或使用执业公示查询逐个查询）",
                    ROSTER_LIMIT.per_day
                ),
                wait,
            ));
        }
    };
    count_as(p, req, counted, "ROSTER-IP", ROSTER_LIMIT).await?;
    // Certificate numbers name their holders; then every person's publicity, by key.
    let holder_keys: Vec<gongshi_platform::Key> = rows
        .iter()
        .filter_map(|(_, ask)| match ask {
            Some(Ask::Certificate { no, .. }) => Some(practitioners::certificate_key(no)),
            _ => None,
        })
        .collect();
    let holders = read_by_key(p, &holder_keys).await?;
    let mut holders = holders.into_iter();
    let people: Vec<Option<gongshi_core::IdNumber>> = rows
        .iter()
        .map(|(_, ask)| match ask {
            Some(Ask::Certificate { .. }) => {
                practitioners::holder_of(holders.next().flatten()).and_then(|id| gongshi_core::IdNumber::parse(&id, today).ok())
            }
            Some(Ask::Person { id, .. }) => Some(id.clone()),
            None => None,
        })
        .collect();
    let publicity_keys: Vec<gongshi_platform::Key> = people.iter().flatten().map(practitioners::publicity_key).collect();
    let mut publicities = read_by_key(p, &publicity_keys).await?.into_iter();
    let mut result = RosterResult {
        rows: rows.len(),
        active: 0,
        inactive: 0,
        not_found: 0,
        invalid: 0,
        source: file.source.as_str().into(),
        source_label: file.source.label().into(),
        items: Vec::with_capacity(rows.len()),
    };
    for ((mut row, ask), person) in rows.into_iter().zip(people) {
        let record = match person {
            Some(_) => practitioners::publicity_of(publicities.next().flatten())?,
            None => None,
        };
        let matches = |record: &PublicityRecord| match &ask {
            Some(Ask::Certificate { no, name }) => {
                record.publicity.certificate_no == *no && name.as_ref().is_none_or(|n| &record.name == n)
            }
            Some(Ask::Person { name, .. }) => &record.name == name,
            None => false,
        };
        if let Some(record) = record.filter(matches) {
            let (state, label) = if record.publicity.cancelled {
                ("cancelled", "已注销")
            } else if record.publicity.valid_until < today {
                ("lapsed", "已到期")
            } else {
                ("active", "有效")
            };
            row.result = "found".into();
            row.result_label = "已公示".into();
            row.practitioner = Some(RosterPublicity {
                name: record.name.as_str().into(),
                id_number_masked: record.id_number.masked(),
                certificate_no: record.publicity.certificate_no.clone(),
                unit_name: record.publicity.unit_name.clone(),
                items: record.publicity.items.iter().map(PublishedItemView::from).collect(),
                valid_until: record.publicity.valid_until,
                state: state.into(),
                state_label: label.into(),
            });
            if state == "active" {
                result.active += 1;
            } else {
                result.inactive += 1;
            }
        } else if row.result == "invalid" {
            result.invalid += 1;
        } else {
            result.not_found += 1;
        }
        result.items.push(row);
    }
    tracing::info!(rows = result.rows, active = result.active, "roster verified");
    if format.as_deref() == Some("xlsx") {
        return roster_workbook(&result);
    }
    json(200, &result)
}

fn roster_row(line: u64, query: String, result: &str, why: Option<(String, String)>) -> RosterRow {
    let (code, message) = why.map_or((None, None), |(code, message)| (Some(code), Some(message)));
    RosterRow {
        line,
        query,
        result: result.into(),
        result_label: match result {
            "invalid" => "格式错误",
            _ => "未找到",
        }
        .into(),
        message,
        code,
        practitioner: None,
    }
}

/// Items by key, in the order of `keys` (`None` where absent): each distinct key read once
/// (a roster may name one person twice; a batch read takes distinct keys), 100 to a batch
/// read, eight batches at a time.
async fn read_by_key(p: &Platform, keys: &[gongshi_platform::Key]) -> Result<Vec<Option<gongshi_platform::Item>>, ApiError> {
    let mut distinct: Vec<gongshi_platform::Key> = Vec::new();
    let mut at: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    let positions: Vec<usize> = keys
        .iter()
        .map(|key| {
            *at.entry((key.pk.as_str(), key.sk.as_str())).or_insert_with(|| {
                distinct.push(key.clone());
                distinct.len() - 1
            })
        })
        .collect();
    let mut found = Vec::with_capacity(distinct.len());
    let batches: Vec<&[gongshi_platform::Key]> = distinct.chunks(gongshi_platform::table::MAX_BATCH_GET).collect();
    for wave in batches.chunks(8) {
        for read in gongshi_platform::join_all(wave.iter().map(|batch| p.table.get_many(batch))).await {
            found.extend(read.map_err(gongshi_store::StoreError::from)?);
        }
    }
    Ok(positions.into_iter().map(|i| found[i].clone()).collect())
}

fn roster_workbook(result: &RosterResult) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let columns = [
        ("行号", 8.0),
        ("查询", 22.0),
        ("结果", 10.0),
        ("说明", 30.0),
        ("姓名", 10.0),
        ("身份证号", 22.0),
        ("公示证书编号", 22.0),
        ("执业单位", 30.0),
        ("公示项目", 40.0),
        ("有效期至", 12.0),
        ("状态", 10.0),
    ];
    let mut grid = Grid {
        name: "核验结果".into(),
        columns: columns.iter().map(|(h, w)| Column::text(h, *w)).collect(),
        ..Grid::default()
    };
    for (i, row) in result.items.iter().enumerate() {
        let p = row.practitioner.as_ref();
        let items: Vec<String> = p
            .map(|p| p.items.iter().map(|i| format!("{}（{}，{}）", i.name, i.code, i.level)).collect())
            .unwrap_or_default();
        grid.rows.push(vec![
            row.line.to_string(),
            row.query.clone(),
            row.result_label.clone(),
            row.message.clone().unwrap_or_default(),
            p.map(|p| p.name.clone()).unwrap_or_default(),
            p.map(|p| p.id_number_masked.clone()).unwrap_or_default(),
            p.map(|p| p.certificate_no.clone()).unwrap_or_default(),
            p.map(|p| p.unit_name.clone()).unwrap_or_default(),
            items.join("；"),
            p.map(|p| p.valid_until.to_string()).unwrap_or_default(),
            p.map(|p| p.state_label.clone()).unwrap_or_default(),
        ]);
        if p.is_none_or(|p| p.state != "active") {
            grid.marked.push((i, 2));
        }
    }
    gongshi_http::response::workbook(&grid, "名册核验结果.xlsx")
}

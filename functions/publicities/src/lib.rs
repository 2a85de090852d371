//! 公示证书管理 (F19): the unit's publicities, active and past (cancelled, moved to another
//! unit, lapsed), with filters and a CSV export; those ending within the renewal window are
//! marked, and each row says whether it may be cancelled (F18) or renewed (F17) now.

use gongshi_core::china_today;
use gongshi_files::write::csv_cell;
use gongshi_http::applications::PublishedItemView;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, query_param};
use gongshi_platform::Platform;
use gongshi_store::practitioners::{self, PublicityRecord};
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

gongshi_http::routes!(list);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// Where a publicity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicityState {
    /// 有效.
    Active,
    /// 已注销.
    Cancelled,
    /// 已变更至其他单位.
    Moved,
    /// 已到期.
    Lapsed,
}

impl PublicityState {
    fn label(self) -> &'static str {
        match self {
            Self::Active => "有效",
            Self::Cancelled => "已注销",
            Self::Moved => "已变更至其他单位",
            Self::Lapsed => "已到期",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [Self::Active, Self::Cancelled, Self::Moved, Self::Lapsed].into_iter().find(|s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(|t| t == raw))
                .unwrap_or(false)
        })
    }
}

/// One publicity certificate of the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicityRow {
    /// 公示证书编号.
    pub certificate_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// Published items.
    pub items: Vec<PublishedItemView>,
    /// First day.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last day.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// State.
    pub state: PublicityState,
    /// 有效/已注销/已变更至其他单位/已到期.
    pub state_label: String,
    /// When it ended, if it did.
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<Date>,
    /// Active and ending within the renewal window.
    pub ending_soon: bool,
    /// A cancellation may be requested now (active, and no application holds the person).
    pub may_cancel: bool,
    /// The unit's own application that holds the person now, if any (link to it instead).
    pub open_application_id: Option<String>,
}

/// The unit's publicities.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicityList {
    /// Active first (earliest end first), then past ones (latest end first).
    pub items: Vec<PublicityRow>,
    /// Active ones.
    pub active: usize,
    /// Active ones ending within the renewal window.
    pub ending_soon: usize,
}

fn row(record: &PublicityRecord, state: PublicityState, ended_on: Option<Date>, today: Date, window: time::Duration) -> PublicityRow {
    let p = &record.publicity;
    let active = state == PublicityState::Active;
    PublicityRow {
        certificate_no: p.certificate_no.clone(),
        name: record.name.as_str().into(),
        id_number_masked: record.id_number.masked(),
        items: p.items.iter().map(PublishedItemView::from).collect(),
        valid_from: p.valid_from,
        valid_until: p.valid_until,
        state,
        state_label: state.label().into(),
        ended_on,
        ending_soon: active && p.valid_until - today <= window,
        may_cancel: active,
        open_application_id: None,
    }
}

/// The unit's publicity certificates (`format=xlsx` or `format=csv` for a spreadsheet).
#[utoipa::path(get, path = "/api/v1/unit/publicities", tag = "publicity", security(("bearer" = [])),
    params(("state" = Option<PublicityState>, Query), ("q" = Option<String>, Query, description = "姓名或证书编号"),
        ("ending_soon" = Option<bool>, Query), ("format" = Option<String>, Query, description = "`xlsx` (Excel) or `csv` for a download")),
    responses((status = 200, description = "JSON; with `format=xlsx` or `format=csv` a download", content((PublicityList = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.unit_id()?;
    let state = match query_param(req, "state").filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(PublicityState::parse(&raw).ok_or_else(|| ApiError::field("state", "invalid_value", "状态无效"))?),
    };
    let q = query_param(req, "q").map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    let only_ending = query_param(req, "ending_soon").is_some_and(|v| v == "true");
    let today = china_today(p.clock.now());
    let window = p.config.periods.renewal_window;
    let (current, ended) = tokio::try_join!(
        practitioners::all_of_unit(p.table.as_ref(), &unit_id),
        practitioners::ended_of_unit(p.table.as_ref(), &unit_id)
    )?;
    let mut active: Vec<PublicityRow> = current
        .iter()
        // Cancelled ones are listed from the unit's ended records below.
        .filter(|r| !r.publicity.cancelled)
        .map(|r| {
            let state = if r.publicity.valid_until >= today {
                PublicityState::Active
            } else {
                PublicityState::Lapsed
            };
            row(r, state, None, today, window)
        })
        .collect();
    // Whom an application holds now: one batched read of the locks of the active rows.
    let held: Vec<&PublicityRecord> = current.iter().filter(|r| !r.publicity.cancelled).collect();
    for (rows, records) in active.chunks_mut(100).zip(held.chunks(100)) {
        let keys: Vec<_> = records.iter().map(|r| practitioners::lock_key(&r.id_number)).collect();
        let locks = p.table.get_many(&keys).await.map_err(gongshi_store::StoreError::from)?;
        for (row, lock) in rows.iter_mut().zip(locks) {
            if let Some(lock) = lock {
                row.may_cancel = false;
                // Another unit's application is not named (its id would say nothing it may see).
                let own = lock.get("unit_id").and_then(|v| v.as_str()) == Some(unit_id.as_str());
                row.open_application_id = lock
                    .get("application_id")
                    .and_then(|v| v.as_str())
                    .filter(|_| own)
                    .map(str::to_owned);
            }
        }
    }
    active.sort_by_key(|r| (r.state != PublicityState::Active, r.valid_until));
    let mut past: Vec<PublicityRow> = ended
        .iter()
        .filter(|e| {
            !current
                .iter()
                .any(|c| c.publicity.certificate_no == e.record.publicity.certificate_no && !c.publicity.cancelled)
        })
        .map(|e| {
            let state = match e.end.as_str() {
                "注销" => PublicityState::Cancelled,
                "公示到期" => PublicityState::Lapsed,
                _ => PublicityState::Moved,
            };
            row(&e.record, state, Some(e.ended_on), today, window)
        })
        .collect();
    past.sort_by_key(|r| std::cmp::Reverse(r.ended_on));
    let items: Vec<PublicityRow> = active
        .into_iter()
        .chain(past)
        .filter(|r| state.is_none_or(|s| r.state == s))
        .filter(|r| !only_ending || r.ending_soon)
        .filter(|r| q.as_deref().is_none_or(|q| r.name.contains(q) || r.certificate_no.contains(q)))
        .collect();
    match query_param(req, "format").as_deref() {
        Some("csv") => return csv(&items),
        Some("xlsx") => return xlsx(&items),
        None | Some("json") => {}
        Some(_) => return Err(ApiError::field("format", "invalid_value", "导出格式仅支持 csv 或 xlsx")),
    }
    let active = items.iter().filter(|r| r.state == PublicityState::Active).count();
    let ending_soon = items.iter().filter(|r| r.ending_soon).count();
    json(
        200,
        &PublicityList {
            items,
            active,
            ending_soon,
        },
    )
}

/// The export's columns and each row's cells (the CSV and the workbook alike).
const EXPORT_HEADER: [&str; 9] = [
    "公示证书编号",
    "姓名",
    "身份证号",
    "公示项目",
    "起始日期",
    "有效期至",
    "状态",
    "结束日期",
    "即将到期",
];

fn export_cells(r: &PublicityRow) -> Vec<String> {
    let items: Vec<String> = r.items.iter().map(|i| format!("{}（{}，{}）", i.name, i.code, i.level)).collect();
    vec![
        r.certificate_no.clone(),
        r.name.clone(),
        r.id_number_masked.clone(),
        items.join("；"),
        r.valid_from.to_string(),
        r.valid_until.to_string(),
        r.state_label.clone(),
        r.ended_on.map(|d| d.to_string()).unwrap_or_default(),
        if r.ending_soon { "是".into() } else { String::new() },
    ]
}

fn xlsx(rows: &[PublicityRow]) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let widths = [22.0, 10.0, 22.0, 48.0, 12.0, 12.0, 10.0, 12.0, 10.0];
    let grid = Grid {
        name: "公示证书".into(),
        columns: EXPORT_HEADER.iter().zip(widths).map(|(h, w)| Column::text(h, w)).collect(),
        rows: rows.iter().map(export_cells).collect(),
        ..Grid::default()
    };
    gongshi_http::response::workbook(&grid, "publicities.xlsx")
}

fn csv(rows: &[PublicityRow]) -> Result<Response<Body>, ApiError> {
    // A BOM so that spreadsheet programs read the Chinese as UTF-8.
    let mut text = format!("\u{feff}{}\n", EXPORT_HEADER.join(","));
    for r in rows {
        let line: Vec<String> = export_cells(r).iter().map(|c| csv_cell(c)).collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", "attachment; filename=\"publicities.csv\"")
        .body(Body::from(text))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

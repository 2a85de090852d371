//! The practitioner registry import (F22): people and their certificate items from the
//! personnel system, as an Excel workbook (.xlsx; the first sheet or `?sheet=` one), CSV in
//! UTF-8 (with or without BOM), GBK or GB18030 (one row per item; the encoding is detected
//! and named in the report), or JSON (an array of the same objects). An association admin
//! imports through the API (up to 6 MB) or, for whole registries, with
//! `gongshi-local --import-practitioners FILE` (rows are written in batches of 100 people).
//! Bad rows are reported by line and field; good rows go in.
//! Importing the same data again changes nothing; a person's verified mobile, publicity and
//! applications are never touched.
//!
//! Columns: `id_number, name, certificate_no, item_code, item_name, level, issuer,
//! issued_on, valid_until, status` (`status`: `valid`/有效 or `revoked`/注销; empty = valid).

use gongshi_core::practice::CertificateItem;
use gongshi_core::{FieldError, IdNumber, Name, registry};
use gongshi_files::{CellProblem, Sheet};
use gongshi_http::request::text_body;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::item_codes;
use gongshi_store::practitioners::{self, Profile};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use time::Date;
use utoipa::ToSchema;

gongshi_http::routes!(import, items, template, check);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// Largest body the API accepts (Lambda's synchronous payload limit); larger files go
/// through the CLI.
pub const MAX_BODY_BYTES: usize = 6 * 1024 * 1024;

/// The columns every file must have.
pub const COLUMNS: [&str; 10] = [
    "id_number",
    "name",
    "certificate_no",
    "item_code",
    "item_name",
    "level",
    "issuer",
    "issued_on",
    "valid_until",
    "status",
];

/// People written per transaction (DynamoDB allows 100 writes, and a batch read 100 keys).
const BATCH: usize = 100;

/// Row errors listed in a report; further ones are only counted.
const MAX_LISTED_ERRORS: usize = 1000;

/// One refused row field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRowError {
    /// Line in the file (CSV: the header is line 1) or position in the JSON array (from 1).
    pub row: u64,
    /// The column.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct PractitionerImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Rows written (new or unchanged).
    pub imported: u64,
    /// Distinct people among them.
    pub people: u64,
    /// Rows refused.
    pub failed: u64,
    /// The first 1,000 refused fields, by row.
    pub errors: Vec<ImportRowError>,
    /// What the file was read as: `xlsx`, `csv_utf8`, `csv_utf8_bom`, `csv_utf16`,
    /// `csv_gb18030` or `json`.
    pub source: String,
    /// The same, as the clerk is told (CSV（GBK/GB18030 编码）…).
    pub source_label: String,
}

/// Rows on their way to the table, gathered by person: each person's profile holds their
/// name and all their items. 100 people at a time, their stored profiles are read in one
/// batch, the imported items merged in (an item with the same certificate number and code
/// replaced, the others kept) and the profiles written in one transaction.
struct Batcher<'a> {
    platform: &'a Platform,
    pending: BTreeMap<String, Profile>,
}

impl Batcher<'_> {
    async fn add(&mut self, id_number: IdNumber, name: Name, item: CertificateItem) -> Result<(), ApiError> {
        if !self.pending.contains_key(id_number.as_str()) && self.pending.len() >= BATCH {
            self.flush().await?;
        }
        let profile = self.pending.entry(id_number.as_str().to_owned()).or_insert_with(|| Profile {
            id_number,
            name: name.clone(),
            items: None,
        });
        // The latest row names the person.
        profile.name = name;
        profile.merge([item]);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ApiError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let imported: Vec<Profile> = std::mem::take(&mut self.pending).into_values().collect();
        let table = self.platform.table.as_ref();
        let writes = practitioners::merged_profiles(table, imported).await?;
        table.transact(writes).await.map_err(ApiError::from)
    }
}

/// Accumulates a report while rows go in.
struct Importer<'a> {
    batcher: Batcher<'a>,
    report: PractitionerImportReport,
    people: HashSet<String>,
    /// The item codes the file carried, with their names, for the dictionary.
    codes: BTreeMap<String, String>,
    today: Date,
}

impl<'a> Importer<'a> {
    fn new(platform: &'a Platform) -> Self {
        Self {
            batcher: Batcher {
                platform,
                pending: BTreeMap::new(),
            },
            report: PractitionerImportReport::default(),
            people: HashSet::new(),
            codes: BTreeMap::new(),
            today: gongshi_core::china_today(platform.clock.now()),
        }
    }

    async fn row(&mut self, row: u64, get: &(dyn Fn(&str) -> String + Sync), problems: &[CellProblem]) -> Result<(), ApiError> {
        self.report.rows += 1;
        match checked_row(get, problems, self.today) {
            Ok(parsed) => {
                self.report.imported += 1;
                if self.people.insert(parsed.id_number.as_str().to_owned()) {
                    self.report.people += 1;
                }
                self.codes.insert(parsed.item.code.clone(), parsed.item.name.clone());
                self.batcher.add(parsed.id_number, parsed.name, parsed.item).await
            }
            Err(errors) => {
                self.report.failed += 1;
                for error in errors {
                    if self.report.errors.len() < MAX_LISTED_ERRORS {
                        self.report.errors.push(ImportRowError {
                            row,
                            field: error.field,
                            code: error.code,
                            message: error.message,
                        });
                    }
                }
                Ok(())
            }
        }
    }

    async fn finish(mut self, actor: &str) -> Result<PractitionerImportReport, ApiError> {
        self.batcher.flush().await?;
        let p = self.batcher.platform;
        let now = p.clock.now();
        let entry = AuditEntry {
            entity: gongshi_store::entity::PRACTITIONER_IMPORT.into(),
            action: "practitioners.imported".into(),
            actor: actor.into(),
            from: None,
            to: None,
            reason: Some(format!(
                "{} 行，导入 {} 行（{} 人），失败 {} 行",
                self.report.rows, self.report.imported, self.report.people, self.report.failed
            )),
            at: now,
        };
        // The dictionary's entries go with the audit entry (no read: an entry is rewritten).
        let mut writes = vec![audit::record(&entry, &p.ids.id())];
        writes.extend(self.codes.iter().map(|(code, name)| item_codes::put(code, name)));
        for chunk in writes.chunks(gongshi_platform::table::MAX_TRANSACTION_WRITES) {
            p.table.transact(chunk.to_vec()).await?;
        }
        Ok(self.report)
    }
}

/// A row as the import takes it, or every refused field: a cell a spreadsheet damaged is
/// refused for what happened to it, not as empty.
fn checked_row(get: &dyn Fn(&str) -> String, problems: &[CellProblem], today: Date) -> Result<registry::RegistryRow, Vec<FieldError>> {
    let parsed = registry::parse_row(get, today).and_then(|parsed| match problems {
        [] => Ok(parsed),
        _ => Err(Vec::new()),
    });
    parsed.map_err(|errors| {
        let mut errors: Vec<FieldError> = errors
            .into_iter()
            .filter(|e| !problems.iter().any(|p| p.column == e.field))
            .collect();
        errors.extend(
            problems
                .iter()
                .map(|p| FieldError::new(p.column.clone(), p.code, p.message.clone())),
        );
        errors
    })
}

fn file_error(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(vec![FieldError::new("file", code, message)])
}

/// The file's sheet with every column the import needs, or why not.
fn open_file(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet, ApiError> {
    let file = Sheet::read(bytes, &COLUMNS, sheet).map_err(|e| file_error(e.code, e.message))?;
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "status" && !file.header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(file_error("columns_missing", format!("缺少列：{}", missing.join("、"))));
    }
    Ok(file)
}

/// Imports a workbook or a CSV file (the CLI and the API share it): see [`Sheet::read`]
/// for the formats and encodings. `sheet` names the workbook's sheet (`None`: the first).
pub async fn import_file(p: &Platform, bytes: Vec<u8>, sheet: Option<&str>, actor: &str) -> Result<PractitionerImportReport, ApiError> {
    let mut file = open_file(bytes, sheet)?;
    let mut importer = Importer::new(p);
    importer.report.source = file.source.as_str().into();
    importer.report.source_label = file.source.label().into();
    while let Some(row) = file.next_row() {
        let row = row.map_err(|e| file_error(e.code, e.message))?;
        let header = &file.header;
        importer.row(row.line, &|name: &str| row.get(header, name), &row.problems).await?;
    }
    importer.finish(actor).await
}

/// Imports a JSON array of row objects (the same names as the CSV columns).
pub async fn import_json(p: &Platform, text: &str, actor: &str) -> Result<PractitionerImportReport, ApiError> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(text).map_err(|_| file_error("file_unreadable", "JSON 应为由对象组成的数组"))?;
    let mut importer = Importer::new(p);
    importer.report.source = "json".into();
    importer.report.source_label = "JSON".into();
    for (index, row) in rows.iter().enumerate() {
        let get = |name: &str| match row.get(name) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        importer.row(index as u64 + 1, &get, &[]).await?;
    }
    importer.finish(actor).await
}

/// Imports the registry (association admin): the file's bytes as they are on disk (an
/// .xlsx workbook, or CSV in UTF-8, GBK or GB18030: detected, never decoded by the
/// browser), or `application/json`. `?sheet=` names the workbook's sheet.
#[utoipa::path(post, path = "/api/v1/admin/practitioners/import", tag = "admin", security(("bearer" = [])),
    params(("sheet" = Option<String>, Query, description = "The workbook's sheet (default: the first)")),
    request_body(content = String, content_type = "application/octet-stream", description = "An .xlsx workbook or a CSV file with the columns of F22 (UTF-8, UTF-8 with BOM, GBK or GB18030), or a JSON array of the same objects (application/json)"),
    responses((status = 200, body = PractitionerImportReport), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn import(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    caller.require_association_admin()?;
    let is_json = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let report = if is_json {
        import_json(p, text_body(req, MAX_BODY_BYTES)?, caller.username()).await?
    } else {
        let bytes = gongshi_http::request::file_body(req, MAX_BODY_BYTES)?;
        let sheet = gongshi_http::request::query_param(req, "sheet");
        import_file(p, bytes, sheet.as_deref(), caller.username()).await?
    };
    tracing::info!(
        rows = report.rows,
        imported = report.imported,
        failed = report.failed,
        "practitioner registry imported"
    );
    json(200, &report)
}

/// One item the registry knows.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryItem {
    /// 项目代号, e.g. `RQ-1`.
    pub code: String,
    /// 项目名称.
    pub name: String,
}

/// The registry's item dictionary.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryItems {
    /// By code; empty before the first import.
    pub items: Vec<RegistryItem>,
}

/// The items the registry knows (项目代号 and 项目名称), from every import so far: what a
/// unit's qualification scope may name (public: the registration form asks before an account
/// is approved, and the codes are public).
#[utoipa::path(get, path = "/api/v1/registry/items", tag = "public",
    responses((status = 200, body = RegistryItems)))]
async fn items(p: &Platform, _req: &Request) -> Result<Response<Body>, ApiError> {
    let items = item_codes::all(p.table.as_ref())
        .await?
        .into_iter()
        .map(|entry| RegistryItem {
            code: entry.code,
            name: entry.name,
        })
        .collect();
    json(200, &RegistryItems { items })
}

/// What each column of the template says when a cell is selected, and its width.
const TEMPLATE_COLUMNS: [(&str, &str, f64); 10] = [
    ("id_number", "身份证号（18 位，文本格式）", 22.0),
    ("name", "姓名", 10.0),
    ("certificate_no", "资格证书编号（文本格式）", 20.0),
    ("item_code", "项目代号，从下拉列表选择（如 RQ-1）", 12.0),
    ("item_name", "项目名称", 20.0),
    ("level", "级别，如 检验员", 12.0),
    ("issuer", "发证机关", 24.0),
    ("issued_on", "发证日期，YYYY-MM-DD", 12.0),
    ("valid_until", "有效期至，YYYY-MM-DD", 12.0),
    ("status", "状态：有效 或 注销（空 = 有效）", 10.0),
];

/// The registry import's Excel template (association admin): the columns with a hint each,
/// an example row that never imports, text-formatted number columns, and drop-downs for the
/// item codes the registry knows, the usual levels and the statuses.
#[utoipa::path(get, path = "/api/v1/admin/practitioners/template", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "人员库导入模板.xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = Problem)))]
async fn template(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let caller = authenticate(p, req).await?;
    caller.require_association_admin()?;
    let known = item_codes::all(p.table.as_ref()).await?;
    let columns = TEMPLATE_COLUMNS
        .iter()
        .map(|(name, hint, width)| {
            let mut column = Column::text(name, *width);
            column.hint = (*hint).into();
            match *name {
                "item_code" => column.choices = known.iter().map(|e| e.code.clone()).collect(),
                "level" => {
                    column.choices = ["检验员", "检验师", "高级检验师", "I级", "II级", "III级"]
                        .map(String::from)
                        .to_vec()
                }
                "status" => {
                    column.choices = vec!["有效".into(), "注销".into()];
                    column.strict = true;
                }
                _ => {}
            }
            column
        })
        .collect();
    let example = [
        "110105194912310021",
        "张三（示例）",
        "TS7110236-2028",
        "RQ-1",
        "压力容器定期检验",
        "检验员",
        "国家市场监督管理总局",
        "2024-01-15",
        "2028-01-14",
        "有效",
    ];
    let grid = Grid {
        name: "人员库".into(),
        columns,
        rows: vec![example.map(String::from).to_vec()],
        marked: Vec::new(),
        blank_rows: 1000,
    };
    gongshi_http::response::workbook(&grid, "人员库导入模板.xlsx")
}

/// The error report of a registry file (association admin), without importing it: the
/// uploaded rows as an Excel workbook with a 错误 column and every refused cell filled red,
/// so the clerk mends the sheet and imports it again. The same file, formats and checks as
/// the import (`?sheet=` too).
#[utoipa::path(post, path = "/api/v1/admin/practitioners/import/check", tag = "admin", security(("bearer" = [])),
    params(("sheet" = Option<String>, Query, description = "The workbook's sheet (default: the first)")),
    request_body(content = String, content_type = "application/octet-stream", description = "The file, as for the import"),
    responses((status = 200, description = "导入错误报告.xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn check(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let caller = authenticate(p, req).await?;
    caller.require_association_admin()?;
    let bytes = gongshi_http::request::file_body(req, MAX_BODY_BYTES)?;
    let sheet = gongshi_http::request::query_param(req, "sheet");
    let mut file = open_file(bytes, sheet.as_deref())?;
    let today = gongshi_core::china_today(p.clock.now());
    let header = file.header.clone();
    let mut grid = Grid {
        name: "导入错误报告".into(),
        columns: std::iter::once(Column::general("行号", 8.0))
            .chain(header.iter().map(|h| Column::text(h, 16.0)))
            .chain(std::iter::once(Column::text("错误", 60.0)))
            .collect(),
        ..Grid::default()
    };
    while let Some(row) = file.next_row() {
        let row = row.map_err(|e| file_error(e.code, e.message))?;
        let errors = checked_row(&|name: &str| row.get(&header, name), &row.problems, today)
            .err()
            .unwrap_or_default();
        let at = grid.rows.len();
        for error in &errors {
            if let Some(column) = header.iter().position(|h| *h == error.field) {
                grid.marked.push((at, column + 1));
            }
        }
        let said: Vec<String> = errors.iter().map(|e| format!("{}：{}", e.field, e.message)).collect();
        grid.rows.push(
            std::iter::once(row.line.to_string())
                .chain(
                    row.cells()
                        .iter()
                        .cloned()
                        .chain(std::iter::repeat(String::new()))
                        .take(header.len()),
                )
                .chain(std::iter::once(said.join("；")))
                .collect(),
        );
    }
    let last = grid.columns.len() - 1;
    let failed: Vec<usize> = grid
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r[last].is_empty())
        .map(|(i, _)| i)
        .collect();
    for at in failed {
        grid.marked.push((at, last));
    }
    gongshi_http::response::workbook(&grid, "导入错误报告.xlsx")
}

//! Import of the old system's unit accounts (F2, manual §2: "执业单位若已在原系统中取得帐号，
//! 可凭借原帐号的用户名及密码登录，无须重新注册"). An association admin uploads the file as it is (an .xlsx
//! workbook, or CSV in UTF-8, GBK or GB18030: the encoding is detected and named in the report);
//! each good row becomes an active unit with its admin account carrying the old password
//! hash (replaced by argon2id at the first login); each bad row is reported by line and
//! field, and the good rows still go in. Importing the same file again changes nothing.
//!
//! Columns (header row required, any order): `username, password_hash, hash_format, salt,
//! unit_name, uscc, legal_representative, address, postcode, contact_name,
//! contact_id_number, contact_mobile, contact_email`; `hash_format` is one of `md5`,
//! `md5_salted`, `sha1`, `sha1_salted`, `bcrypt` (salted = salt before the password).

use gongshi_core::account::{AccountStatus, Role};
use gongshi_core::legacy::{LegacyFormat, LegacyHash};
use gongshi_core::registration::Contact;
use gongshi_core::{Address, Email, FieldError, Fields, IdNumber, Invalid, Mobile, Name, Postcode, Uscc, Username};
use gongshi_files::Sheet;
use gongshi_http::auth::{CallerRole, forbidden};
use gongshi_http::request::file_body;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, query_param};
use gongshi_platform::{Item, Key, Platform, TableError, Write};
use gongshi_store::accounts::{self, Account};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::units::{self, Unit, UsccClaim};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(import, template);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// Largest import file.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The columns every file must have.
pub const COLUMNS: [&str; 13] = [
    "username",
    "password_hash",
    "hash_format",
    "salt",
    "unit_name",
    "uscc",
    "legal_representative",
    "address",
    "postcode",
    "contact_name",
    "contact_id_number",
    "contact_mobile",
    "contact_email",
];

/// One refused row field.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The column.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub message: String,
}

/// What the import did.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Units and accounts created.
    pub created: u64,
    /// Accounts whose old hash was replaced by a newer one from the file.
    pub updated: u64,
    /// Rows already imported as they are.
    pub unchanged: u64,
    /// Rows refused (see `errors`).
    pub failed: u64,
    /// Every refused field, by line.
    pub errors: Vec<RowError>,
    /// Imported rows the association should check by hand, by line: a USCC whose check
    /// character fails (`uscc_checksum`, as registrations are flagged to reviewers).
    pub warnings: Vec<RowError>,
    /// What the file was read as: `xlsx`, `csv_utf8`, `csv_utf8_bom`, `csv_utf16` or `csv_gb18030`.
    pub source: String,
    /// The same, as the clerk is told (CSV（GBK/GB18030 编码）…).
    pub source_label: String,
}

/// A row that parsed.
struct Row {
    line: u64,
    username: Username,
    legacy: LegacyHash,
    unit_name: Name,
    uscc: Uscc,
    legal_representative: Name,
    address: Address,
    postcode: Postcode,
    contact: Contact,
}

/// Whether a row is the template's example (web/src/utils/legacyImport.ts), as it is marked
/// now (示例 in the unit name) or as an earlier template had it: it must never import.
fn is_example(get: &dyn Fn(&str) -> String) -> bool {
    let unit_name = get("unit_name");
    unit_name.contains("示例") || (get("username").trim() == "xmjc2015" && get("uscc").trim() == "91350200MA00000000")
}

fn parse_row(line: u64, get: &dyn Fn(&str) -> String, today: time::Date) -> Result<Row, Vec<FieldError>> {
    if is_example(get) {
        return Err(vec![FieldError::new(
            "unit_name",
            "example_row",
            "这是模板中的示例行，请删除后填写真实帐号再导入",
        )]);
    }
    let mut fields = Fields::default();
    let username = fields.check("username", Username::parse(&get("username")));
    let format = fields.check("hash_format", LegacyFormat::parse(&get("hash_format")));
    let legacy = format.and_then(|f| fields.check("password_hash", LegacyHash::parse(f, &get("password_hash"), get("salt").trim())));
    let unit_name = fields.check("unit_name", Name::parse(&get("unit_name")));
    let uscc = fields.check("uscc", Uscc::parse(&get("uscc")));
    let legal_representative = fields.check("legal_representative", Name::parse(&get("legal_representative")));
    let address = fields.check("address", Address::parse(&get("address")));
    let postcode = fields.check("postcode", Postcode::parse(&get("postcode")));
    let contact_name = fields.check("contact_name", Name::parse(&get("contact_name")));
    let id_number = fields.check("contact_id_number", IdNumber::parse(&get("contact_id_number"), today));
    let mobile = fields.check("contact_mobile", Mobile::parse(&get("contact_mobile")));
    let email = fields.check("contact_email", Email::parse(&get("contact_email")));
    match (
        username,
        legacy,
        unit_name,
        uscc,
        legal_representative,
        address,
        postcode,
        contact_name,
        id_number,
        mobile,
        email,
    ) {
        (
            Some(username),
            Some(legacy),
            Some(unit_name),
            Some(uscc),
            Some(legal_representative),
            Some(address),
            Some(postcode),
            Some(name),
            Some(id_number),
            Some(mobile),
            Some(email),
        ) if fields.is_ok() => Ok(Row {
            line,
            username,
            legacy,
            unit_name,
            uscc,
            legal_representative,
            address,
            postcode,
            contact: Contact {
                name,
                id_number,
                mobile,
                email,
            },
        }),
        _ => Err(fields.into_errors()),
    }
}

fn refuse(report: &mut ImportReport, line: u64, errors: Vec<FieldError>) {
    report.failed += 1;
    report.errors.extend(errors.into_iter().map(|e| RowError {
        line,
        field: e.field,
        code: e.code,
        message: e.message,
    }));
}

fn row_error(field: &str, invalid: Invalid) -> Vec<FieldError> {
    vec![FieldError::new(field, invalid.code, invalid.message)]
}

/// Rows checked together: each row's account and USCC claim in one batch read (DynamoDB's
/// 100 keys).
const ROWS_PER_BATCH: usize = 50;

/// What a row will do, decided from what its batch read found.
enum Plan {
    /// Nothing to write (already imported as it is).
    Unchanged,
    /// A newer old hash for an account imported before (one write).
    Update(Write),
    /// A new unit with its admin account, USCC claim and audit entry.
    Create(Vec<Write>),
}

impl Plan {
    fn writes(&self) -> &[Write] {
        match self {
            Plan::Unchanged => &[],
            Plan::Update(write) => std::slice::from_ref(write),
            Plan::Create(writes) => writes,
        }
    }

    fn done(&self) -> Outcome {
        match self {
            Plan::Unchanged => Outcome::Unchanged,
            Plan::Update(_) => Outcome::Updated,
            Plan::Create(_) => Outcome::Created,
        }
    }

    /// Why the row was refused when its write lost a race.
    fn conflict(&self) -> Vec<FieldError> {
        match self {
            Plan::Update(_) => row_error("username", Invalid::new("conflict", "该帐号刚被修改，请重试")),
            _ => row_error("username", Invalid::new("conflict", "用户名或统一社会信用代码刚被占用，请重试")),
        }
    }
}

/// Decides one row from its account and USCC claim as read; `planned` holds the USCCs of
/// the file's rows already to be created (a second row with one of them is refused, as it
/// would find the first one's claim).
fn plan_row(
    p: &Platform,
    row: Row,
    existing: Option<Account>,
    claim: Option<UsccClaim>,
    planned: &mut HashSet<String>,
    actor: &str,
    now: OffsetDateTime,
) -> Result<Plan, Vec<FieldError>> {
    let existing = existing.filter(|a| !a.is_expired_reservation(now));
    let claim = claim.filter(|c| c.expires_at.is_none_or(|at| at >= now.unix_timestamp()));
    if let Some(mut account) = existing {
        let same_unit = account
            .unit_id
            .as_ref()
            .is_some_and(|unit| claim.as_ref().is_some_and(|c| c.owner == gongshi_store::entity::unit(unit)));
        if !same_unit {
            return Err(row_error(
                "username",
                Invalid::new("username_taken", "该用户名已被其他单位或注册申请使用"),
            ));
        }
        // Already imported: only a still-unused old hash may be replaced by a newer one.
        return Ok(match &account.legacy_hash {
            Some(old) if *old != row.legacy => {
                let expected = account.version;
                account.legacy_hash = Some(row.legacy);
                account.version += 1;
                Plan::Update(accounts::replace(&account, expected))
            }
            _ => Plan::Unchanged,
        });
    }
    if claim.is_some() || !planned.insert(row.uscc.to_string()) {
        return Err(row_error(
            "uscc",
            Invalid::new("uscc_taken", "该统一社会信用代码已有单位帐号或正在注册"),
        ));
    }
    // The admin is the person who uses it: the unit's contact (联系人), not the unit.
    let admin_name = row.contact.name.as_str().to_owned();
    let unit = Unit {
        id: p.ids.id(),
        name: row.unit_name.clone(),
        uscc: row.uscc.clone(),
        legal_representative: row.legal_representative,
        address: row.address,
        postcode: row.postcode,
        contact: row.contact,
        licence: None,
        registration_id: None,
        approved_at: now,
        // Imported without certificates: the unit adds them (reviewed) after its first login.
        scopes: Some(Vec::new()),
        version: 1,
    };
    let account = Account {
        username: row.username.as_str().into(),
        role: Role::UnitAdmin,
        status: AccountStatus::Active,
        password_hash: String::new(),
        display_name: admin_name,
        unit_id: Some(unit.id.clone()),
        registration_id: None,
        token_version: 1,
        failed_logins: 0,
        locked_until: None,
        created_at: now,
        version: 1,
        expires_at: None,
        branch_id: None,
        legacy_hash: Some(row.legacy),
        password_change: None,
        ended_sessions: Vec::new(),
    };
    let entry = AuditEntry {
        entity: gongshi_store::entity::unit(&unit.id),
        action: "unit.imported".into(),
        actor: actor.into(),
        from: None,
        to: Some("active".into()),
        reason: Some(format!("原系统帐号 {} 导入", account.username)),
        at: now,
    };
    Ok(Plan::Create(vec![
        units::create(&unit),
        accounts::create(&account, now),
        units::claim_uscc(&unit.uscc, &gongshi_store::entity::unit(&unit.id), None, now),
        audit::record(&entry, &p.ids.id()),
    ]))
}

/// Imports up to [`ROWS_PER_BATCH`] parsed rows: one batch read of their accounts and USCC
/// claims, then their writes in transactions of up to 100 (a failed condition in one is a
/// row that lost a race: its rows are then written one by one, so the others still go in).
/// A table that fails fails the whole import (503 when unavailable): rows imported before
/// it are unchanged when the file is sent again.
async fn import_rows(
    p: &Platform,
    rows: Vec<Row>,
    planned: &mut HashSet<String>,
    actor: &str,
    now: OffsetDateTime,
) -> Result<Vec<RowOutcome>, ApiError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut keys: Vec<Key> = Vec::with_capacity(2 * rows.len());
    for row in &rows {
        for key in [accounts::key(row.username.as_str()), units::uscc_key(&row.uscc)] {
            // Two rows of the file may name one USCC: a batch read names each key once.
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let found: HashMap<Key, Item> = keys
        .iter()
        .cloned()
        .zip(p.table.get_many(&keys).await?)
        .filter_map(|(key, item)| item.map(|item| (key, item)))
        .collect();
    let mut plans = Vec::with_capacity(rows.len());
    for row in rows {
        let (line, warning) = (row.line, row.uscc.checksum_warning());
        let account: Option<Account> = decoded(&found, &accounts::key(row.username.as_str()))?;
        let claim: Option<UsccClaim> = decoded(&found, &units::uscc_key(&row.uscc))?;
        plans.push((line, warning, plan_row(p, row, account, claim, planned, actor, now)));
    }
    // Transactions of whole rows, up to 100 writes each.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new()];
    let mut size = 0;
    for (i, (_, _, plan)) in plans.iter().enumerate() {
        let writes = plan.as_ref().map_or(0, |p| p.writes().len());
        if writes == 0 {
            continue;
        }
        if size + writes > gongshi_platform::table::MAX_TRANSACTION_WRITES {
            groups.push(Vec::new());
            size = 0;
        }
        size += writes;
        groups.last_mut().expect("a group").push(i);
    }
    let mut lost: HashSet<usize> = HashSet::new();
    for group in groups.into_iter().filter(|g| !g.is_empty()) {
        let writes_of = |i: usize| plans[i].2.as_ref().map_or(&[][..], Plan::writes).to_vec();
        match p.table.transact(group.iter().flat_map(|&i| writes_of(i)).collect()).await {
            Ok(()) => continue,
            Err(TableError::ConditionFailed) => {}
            Err(other) => return Err(other.into()),
        }
        for &i in &group {
            match p.table.transact(writes_of(i)).await {
                Ok(()) => {}
                Err(TableError::ConditionFailed) => {
                    lost.insert(i);
                }
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(plans
        .into_iter()
        .enumerate()
        .map(|(i, (line, warning, plan))| {
            let outcome = match plan {
                Ok(plan) if lost.contains(&i) => Err(plan.conflict()),
                Ok(plan) => Ok(plan.done()),
                Err(errors) => Err(errors),
            };
            (line, warning, outcome)
        })
        .collect())
}

/// The record under `key` in a batch read's answer.
fn decoded<T: serde::de::DeserializeOwned>(found: &HashMap<Key, Item>, key: &Key) -> Result<Option<T>, gongshi_store::StoreError> {
    found.get(key).cloned().map(gongshi_store::decode).transpose()
}

/// Adds a batch's outcomes to the report.
fn tally(report: &mut ImportReport, outcomes: Vec<RowOutcome>) {
    for (line, warning, outcome) in outcomes {
        if let (Some(warning), Ok(Outcome::Created | Outcome::Updated)) = (warning, &outcome) {
            report.warnings.push(RowError {
                line,
                field: "uscc".into(),
                code: warning.code.into(),
                message: format!("{}，请核对该单位的营业执照", warning.message),
            });
        }
        match outcome {
            Ok(Outcome::Created) => report.created += 1,
            Ok(Outcome::Updated) => report.updated += 1,
            Ok(Outcome::Unchanged) => report.unchanged += 1,
            Err(errors) => refuse(report, line, errors),
        }
    }
}

/// A row's line, its USCC warning, and what became of it.
type RowOutcome = (u64, Option<Invalid>, Result<Outcome, Vec<FieldError>>);

enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Imports a CSV of old-system accounts (association admin).
#[utoipa::path(post, path = "/api/v1/admin/legacy-accounts/import", tag = "admin", security(("bearer" = [])),
    params(("sheet" = Option<String>, Query, description = "The workbook's sheet (default: the first)"),
        ("format" = Option<String>, Query, description = "`xlsx`: the report as the uploaded rows with an error column (an .xlsx workbook)")),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes: an .xlsx workbook, or CSV with a header row in UTF-8 (with or without BOM), GBK or GB18030"),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((ImportReport = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn import(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    if caller.role != CallerRole::Account(Role::AssociationAdmin) {
        return Err(forbidden());
    }
    let bytes = file_body(req, MAX_FILE_BYTES)?;
    let sheet = gongshi_http::request::query_param(req, "sheet");
    let mut file = Sheet::read(bytes, &COLUMNS, sheet.as_deref()).map_err(|e| ApiError::field("body", e.code, &e.message))?;
    let index: HashMap<String, usize> = file.header.iter().enumerate().map(|(i, h)| (h.to_ascii_lowercase(), i)).collect();
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !index.contains_key(*c)).collect();
    if !missing.is_empty() {
        return Err(ApiError::field(
            "body",
            "csv_columns",
            &format!("文件缺少列：{}", missing.join("、")),
        ));
    }
    let header: Vec<String> = file.header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let now = p.clock.now();
    let mut report = ImportReport {
        source: file.source.as_str().into(),
        source_label: file.source.label().into(),
        ..ImportReport::default()
    };
    let mut seen = HashSet::new();
    let (mut pending, mut planned) = (Vec::with_capacity(ROWS_PER_BATCH), HashSet::new());
    // `format=xlsx`: the rows as uploaded, for the workbook report.
    let workbook = match query_param(req, "format").as_deref() {
        None | Some("json") => false,
        Some("xlsx") => true,
        Some(_) => return Err(ApiError::field("format", "invalid_value", "报告格式仅支持 json 或 xlsx")),
    };
    let mut uploaded: Vec<(u64, Vec<String>)> = Vec::new();
    while let Some(record) = file.next_row() {
        let record = record.map_err(|e| ApiError::field("body", e.code, &e.message))?;
        let line = record.line;
        if workbook {
            uploaded.push((line, record.cells().to_vec()));
        }
        report.rows += 1;
        if !record.problems.is_empty() {
            let errors = record
                .problems
                .iter()
                .map(|p| FieldError::new(p.column.to_ascii_lowercase(), p.code, p.message.clone()))
                .collect();
            refuse(&mut report, line, errors);
            continue;
        }
        let get = |column: &str| record.get(&header, column);
        let row = match parse_row(line, &get, gongshi_core::china_today(now)) {
            Ok(row) => row,
            Err(errors) => {
                refuse(&mut report, line, errors);
                continue;
            }
        };
        if !seen.insert(row.username.as_str().to_owned()) {
            refuse(
                &mut report,
                line,
                row_error("username", Invalid::new("duplicate_in_file", "文件中该用户名重复出现")),
            );
            continue;
        }
        pending.push(row);
        if pending.len() == ROWS_PER_BATCH {
            let outcomes = import_rows(p, std::mem::take(&mut pending), &mut planned, caller.username(), now).await?;
            tally(&mut report, outcomes);
        }
    }
    let outcomes = import_rows(p, pending, &mut planned, caller.username(), now).await?;
    tally(&mut report, outcomes);
    // Rows refused as they were read and rows refused by their batch: by line.
    report.errors.sort_by_key(|e| e.line);
    tracing::info!(
        rows = report.rows,
        created = report.created,
        failed = report.failed,
        "legacy accounts imported"
    );
    if workbook {
        return report_workbook(&file.header, &uploaded, &report);
    }
    json(200, &report)
}

/// The import's report as the uploaded rows with 行号 and 错误 columns, the refused cells
/// filled red: the clerk mends the sheet and imports it again (what went in is unchanged).
fn report_workbook(header: &[String], rows: &[(u64, Vec<String>)], report: &ImportReport) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let mut grid = Grid {
        name: "导入报告".into(),
        columns: std::iter::once(Column::general("行号", 8.0))
            .chain(header.iter().map(|h| Column::text(h, 16.0)))
            .chain(std::iter::once(Column::text("错误", 60.0)))
            .collect(),
        ..Grid::default()
    };
    let last = header.len() + 1;
    for (at, (line, cells)) in rows.iter().enumerate() {
        let errors: Vec<&RowError> = report.errors.iter().filter(|e| e.line == *line).collect();
        for error in &errors {
            if let Some(column) = header.iter().position(|h| h.eq_ignore_ascii_case(&error.field)) {
                grid.marked.push((at, column + 1));
            }
        }
        if !errors.is_empty() {
            grid.marked.push((at, last));
        }
        let said: Vec<String> = errors.iter().map(|e| format!("{}：{}", e.field, e.message)).collect();
        grid.rows.push(
            std::iter::once(line.to_string())
                .chain(cells.iter().cloned().chain(std::iter::repeat(String::new())).take(header.len()))
                .chain(std::iter::once(said.join("；")))
                .collect(),
        );
    }
    gongshi_http::response::workbook(&grid, "原系统帐号导入报告.xlsx")
}

/// The import's Excel template (association admin): the columns with a hint each, text
/// formats, the hash formats as a drop-down, and an example row (示例) that never imports.
#[utoipa::path(get, path = "/api/v1/admin/legacy-accounts/template", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "原系统帐号导入模板.xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = Problem)))]
async fn template(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let caller = authenticate(p, req).await?;
    if caller.role != CallerRole::Account(Role::AssociationAdmin) {
        return Err(forbidden());
    }
    let hints: [(&str, &str, f64); 13] = [
        ("username", "原系统用户名（字母开头，字母、数字或下划线）", 16.0),
        ("password_hash", "原系统密码的哈希值（十六进制或 bcrypt）", 36.0),
        ("hash_format", "哈希算法，从下拉列表选择", 14.0),
        ("salt", "盐值（无则留空）", 12.0),
        ("unit_name", "单位名称", 28.0),
        ("uscc", "统一社会信用代码（18 位，文本格式）", 22.0),
        ("legal_representative", "法定代表人", 12.0),
        ("address", "单位地址", 30.0),
        ("postcode", "邮政编码（6 位，文本格式）", 10.0),
        ("contact_name", "联系人姓名", 12.0),
        ("contact_id_number", "联系人身份证号（18 位，文本格式）", 22.0),
        ("contact_mobile", "联系人手机号（文本格式）", 14.0),
        ("contact_email", "联系人电子邮箱", 22.0),
    ];
    let columns = hints
        .iter()
        .map(|(name, hint, width)| {
            let mut column = Column::text(name, *width);
            column.hint = (*hint).into();
            if *name == "hash_format" {
                column.choices = ["md5", "md5_salted", "sha1", "sha1_salted", "bcrypt"].map(String::from).to_vec();
                column.strict = true;
            }
            column
        })
        .collect();
    let example = [
        "example_unit",
        "e10adc3949ba59abbe56e057f20f883e",
        "md5",
        "",
        "示例单位（导入前请删除本行）",
        "91350200MA00000000",
        "张三",
        "福建省厦门市思明区湖滨南路200号",
        "361001",
        "李四",
        "11010519491231002X",
        "13800138000",
        "lisi@example.com",
    ];
    let grid = Grid {
        name: "原系统帐号".into(),
        columns,
        rows: vec![example.map(String::from).to_vec()],
        marked: Vec::new(),
        blank_rows: 1000,
    };
    gongshi_http::response::workbook(&grid, "原系统帐号导入模板.xlsx")
}

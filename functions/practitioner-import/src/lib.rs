//! The practitioner registry import (F22): people and their certificate items from the
//! personnel system, as CSV (one row per item) or JSON (an array of the same objects). An
//! association admin imports through the API (up to 6 MB) or, for whole registries, with
//! `gongshi-local --import-practitioners FILE` (any size: rows are streamed and written in
//! batches, memory stays bounded). Bad rows are reported by line and field; good rows go in.
//! Importing the same data again changes nothing; a person's verified mobile, publicity and
//! applications are never touched.
//!
//! Columns: `id_number, name, certificate_no, item_code, item_name, level, issuer,
//! issued_on, valid_until, status` (`status`: `valid`/有效 or `revoked`/注销; empty = valid).

use gongshi_core::practice::CertificateItem;
use gongshi_core::{FieldError, IdNumber, Name, registry};
use gongshi_http::request::text_body;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::item_codes;
use gongshi_store::practitioners::{self, Profile};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use time::Date;
use utoipa::ToSchema;

gongshi_http::routes!(import, items);

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

    async fn row(&mut self, row: u64, get: &(dyn Fn(&str) -> String + Sync)) -> Result<(), ApiError> {
        self.report.rows += 1;
        match registry::parse_row(get, self.today) {
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

fn file_error(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(vec![FieldError::new("file", code, message)])
}

/// Imports CSV read from `reader`, streaming (the CLI and the API share it).
pub async fn import_csv(p: &Platform, reader: impl Read, actor: &str) -> Result<PractitionerImportReport, ApiError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(reader);
    let header: Vec<String> = csv
        .headers()
        .map_err(|_| file_error("file_unreadable", "文件无法读取，请使用 UTF-8 编码的 CSV"))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "status" && !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(file_error("columns_missing", format!("缺少列：{}", missing.join("、"))));
    }
    let mut importer = Importer::new(p);
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                return Err(file_error(
                    "file_unreadable",
                    format!("第 {line} 行无法读取，请使用 UTF-8 编码的 CSV"),
                ));
            }
        }
        let get = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_owned()
        };
        importer.row(line, &get).await?;
    }
    importer.finish(actor).await
}

/// Imports a JSON array of row objects (the same names as the CSV columns).
pub async fn import_json(p: &Platform, text: &str, actor: &str) -> Result<PractitionerImportReport, ApiError> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(text).map_err(|_| file_error("file_unreadable", "JSON 应为由对象组成的数组"))?;
    let mut importer = Importer::new(p);
    for (index, row) in rows.iter().enumerate() {
        let get = |name: &str| match row.get(name) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        importer.row(index as u64 + 1, &get).await?;
    }
    importer.finish(actor).await
}

/// Imports the registry (association admin): `text/csv` or `application/json` body.
#[utoipa::path(post, path = "/api/v1/admin/practitioners/import", tag = "admin", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "CSV with the columns of F22, or a JSON array of the same objects"),
    responses((status = 200, body = PractitionerImportReport), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn import(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    caller.require_association_admin()?;
    let body = text_body(req, MAX_BODY_BYTES)?;
    let is_json = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let report = if is_json {
        import_json(p, body, caller.username()).await?
    } else {
        import_csv(p, body.as_bytes(), caller.username()).await?
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

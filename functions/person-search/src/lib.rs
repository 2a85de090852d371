//! Person search (F10, manual §3.3.1 第一步 人员检索): by ID number and name, or by the
//! certificate number of one of the unit's own publicities (renewals). Not eligible → the
//! reason; eligible → the person with the type the system decides. Also the unit's
//! published people with their mobile registration (F20) and those due for renewal (F17).

use gongshi_core::china_today;
use gongshi_core::practice::{ApplicationKind, CertificateItem, ItemStatus, Refusal};
use gongshi_core::{Fields, IdNumber, Name};
use gongshi_http::applications::PublishedItemView;
use gongshi_http::auth::authenticate_in_unit;
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, query_param};
use gongshi_platform::Platform;
use gongshi_store::{practitioners, units};
use gongshi_workflow::eligibility;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

gongshi_http::routes!(search, people, renewals);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// A certificate item as the unit sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateItemView {
    /// 证书编号.
    pub certificate_no: String,
    /// 项目代号.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 级别.
    pub level: String,
    /// 发证机关.
    pub issuer: String,
    /// 发证日期.
    #[schema(value_type = String, format = Date)]
    pub issued_on: Date,
    /// 有效期至.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// `valid` or `revoked` in the registry.
    pub status: ItemStatus,
    /// Whether it may be practised today.
    pub valid: bool,
}

impl CertificateItemView {
    fn of(item: &CertificateItem, today: Date) -> Self {
        Self {
            certificate_no: item.certificate_no.clone(),
            code: item.code.clone(),
            name: item.name.clone(),
            level: item.level.clone(),
            issuer: item.issuer.clone(),
            issued_on: item.issued_on,
            valid_until: item.valid_until,
            status: item.status,
            valid: item.is_valid_on(today),
        }
    }
}

/// The person found.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundPerson {
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// The registered mobile, masked; `null` when none is registered (F20).
    pub mobile_masked: Option<String>,
    /// All certificate items.
    pub items: Vec<CertificateItemView>,
}

/// Why the person cannot be applied for.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusalView {
    /// Stable code: `person_not_found`, `no_valid_item`, `mobile_not_registered`,
    /// `application_open`, `qualification_not_covering`, `qualification_expired`,
    /// `already_published`.
    pub code: String,
    /// The reason, in Chinese.
    pub message: String,
}

impl From<Refusal> for RefusalView {
    fn from(r: Refusal) -> Self {
        Self {
            code: r.code.into(),
            message: r.message,
        }
    }
}

/// The answer of a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSearchResult {
    /// Whether the unit may apply.
    pub eligible: bool,
    /// The type the system decides.
    pub kind: Option<ApplicationKind>,
    /// 初始/变更/续期/追加.
    pub kind_label: Option<String>,
    /// The person (absent when not found: nothing is revealed).
    pub person: Option<FoundPerson>,
    /// Why not eligible.
    pub refusal: Option<RefusalView>,
    /// A change while the other unit has not cancelled needs a resignation proof.
    pub resignation_proof_required: bool,
    /// What the application would publish.
    pub items_to_publish: Vec<PublishedItemView>,
}

fn search_params(p: &Platform, req: &Request, unit_id: &str) -> Result<SearchBy, ApiError> {
    if let Some(certificate_no) = query_param(req, "certificate_no").filter(|c| !c.trim().is_empty()) {
        return Ok(SearchBy::Certificate(certificate_no.trim().to_owned(), unit_id.to_owned()));
    }
    let mut fields = Fields::default();
    let id_number = fields.check(
        "id_number",
        IdNumber::parse(&query_param(req, "id_number").unwrap_or_default(), china_today(p.clock.now())),
    );
    let name = fields.check("name", Name::parse(&query_param(req, "name").unwrap_or_default()));
    match (id_number, name) {
        (Some(id_number), Some(name)) => Ok(SearchBy::Person(id_number, name)),
        _ => Err(ApiError::Invalid(fields.into_errors())),
    }
}

enum SearchBy {
    Person(IdNumber, Name),
    Certificate(String, String),
}

/// Searches a person and decides eligibility and type (docs/DOMAIN.md, Eligibility).
#[utoipa::path(get, path = "/api/v1/unit/practitioners/search", tag = "publicity", security(("bearer" = [])),
    params(("id_number" = Option<String>, Query, description = "身份证号"), ("name" = Option<String>, Query, description = "姓名"),
        ("certificate_no" = Option<String>, Query, description = "本单位公示证书编号（续期）")),
    responses((status = 200, body = PersonSearchResult), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn search(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // By certificate number: its holder is read with the caller, and the publicity (at this
    // unit?) comes with the person's partition.
    let certificate_no = query_param(req, "certificate_no")
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let (_, unit_id, [holder, unit]) = authenticate_in_unit(p, req, |unit| {
        [
            practitioners::certificate_key(certificate_no.as_deref().unwrap_or("-")),
            units::key(unit),
        ]
    })
    .await?;
    let unit: Option<units::Unit> = unit.map(gongshi_store::decode).transpose()?;
    let not_here = || ApiError::NotFound("publicity_not_found", "本单位没有该编号的公示证书".into());
    let (id_number, name, person, scopes) = match search_params(p, req, &unit_id)? {
        SearchBy::Person(id_number, name) => {
            let (person, scopes) = eligibility::read_with_unit(p, &unit_id, unit.as_ref(), &id_number).await?;
            (id_number, name, person, scopes)
        }
        SearchBy::Certificate(certificate_no, unit_id) => {
            let id_number = practitioners::holder_of(holder)
                .and_then(|id| IdNumber::parse(&id, china_today(p.clock.now())).ok())
                .ok_or_else(not_here)?;
            let (person, scopes) = eligibility::read_with_unit(p, &unit_id, unit.as_ref(), &id_number).await?;
            let name = person
                .publicity
                .as_ref()
                .filter(|r| r.publicity.unit_id == unit_id && r.publicity.certificate_no == certificate_no)
                .map(|r| r.name.clone())
                .ok_or_else(not_here)?;
            (id_number, name, person, scopes)
        }
    };
    let lookup = eligibility::Lookup {
        decision: eligibility::assess_person(p, &unit_id, &person, &name, &scopes),
        person,
    };
    let today = china_today(p.clock.now());
    let known = lookup.person.profile.as_ref().is_some_and(|profile| profile.name == name);
    let person = known.then(|| FoundPerson {
        name: name.as_str().into(),
        id_number_masked: id_number.masked(),
        mobile_masked: lookup.person.mobile.as_ref().map(|m| m.mobile.masked()),
        items: lookup.person.items.iter().map(|i| CertificateItemView::of(i, today)).collect(),
    });
    let result = match lookup.decision {
        Ok(assessment) => PersonSearchResult {
            eligible: true,
            kind: Some(assessment.kind),
            kind_label: Some(assessment.kind.label().into()),
            person,
            refusal: None,
            resignation_proof_required: assessment.resignation_proof_required,
            items_to_publish: assessment.items.iter().map(PublishedItemView::from).collect(),
        },
        Err(refusal) => PersonSearchResult {
            eligible: false,
            kind: None,
            kind_label: None,
            person,
            refusal: Some(refusal.into()),
            resignation_proof_required: false,
            items_to_publish: Vec::new(),
        },
    };
    json(200, &result)
}

/// One of the unit's published people.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitPractitioner {
    /// 公示证书编号.
    pub certificate_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// Whether the person has a verified mobile (F20: remind those without).
    pub mobile_registered: bool,
    /// Whether the publicity binds today (not cancelled, not lapsed).
    pub active: bool,
    /// Publicity valid until.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// Published items.
    pub items: Vec<PublishedItemView>,
}

/// The unit's people.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitPractitionerList {
    /// By certificate number.
    pub items: Vec<UnitPractitioner>,
    /// How many have no registered mobile.
    pub without_mobile: usize,
}

/// The people published at the unit, with their mobile registration (F20).
#[utoipa::path(get, path = "/api/v1/unit/practitioners", tag = "publicity", security(("bearer" = [])),
    params(("format" = Option<String>, Query, description = "`xlsx`: the list as an Excel download")),
    responses((status = 200, description = "JSON; with `format=xlsx` an Excel workbook", content((UnitPractitionerList = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn people(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let unit_id = caller.unit_id()?;
    let workbook = gongshi_http::applications::wants_workbook(req)?;
    let records = practitioners::all_of_unit(p.table.as_ref(), &unit_id).await?;
    let today = china_today(p.clock.now());
    let mut items = Vec::with_capacity(records.len());
    for chunk in records.chunks(100) {
        let keys: Vec<_> = chunk.iter().map(|r| practitioners::mobile_key(&r.id_number)).collect();
        let mobiles = p.table.get_many(&keys).await.map_err(gongshi_store::StoreError::from)?;
        for (record, mobile) in chunk.iter().zip(mobiles) {
            items.push(UnitPractitioner {
                certificate_no: record.publicity.certificate_no.clone(),
                name: record.name.as_str().into(),
                id_number_masked: record.id_number.masked(),
                mobile_registered: mobile.is_some(),
                active: record.publicity.is_active_on(today),
                valid_until: record.publicity.valid_until,
                items: record.publicity.items.iter().map(PublishedItemView::from).collect(),
            });
        }
    }
    let without_mobile = items.iter().filter(|i| !i.mobile_registered).count();
    if workbook {
        return people_workbook(&items);
    }
    json(200, &UnitPractitionerList { items, without_mobile })
}

/// The unit's practitioners as an .xlsx download (F20: whose mobile is still to register).
fn people_workbook(items: &[UnitPractitioner]) -> Result<Response<Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let columns = [
        ("公示证书编号", 22.0),
        ("姓名", 10.0),
        ("身份证号", 22.0),
        ("手机号", 10.0),
        ("公示项目", 40.0),
        ("有效期至", 12.0),
        ("状态", 8.0),
    ];
    let mut grid = Grid {
        name: "执业人员".into(),
        columns: columns.iter().map(|(h, w)| Column::text(h, *w)).collect(),
        ..Grid::default()
    };
    for (at, i) in items.iter().enumerate() {
        let published: Vec<String> = i.items.iter().map(|i| format!("{}（{}，{}）", i.name, i.code, i.level)).collect();
        grid.rows.push(vec![
            i.certificate_no.clone(),
            i.name.clone(),
            i.id_number_masked.clone(),
            if i.mobile_registered { "已登记" } else { "未登记" }.into(),
            published.join("；"),
            i.valid_until.to_string(),
            if i.active { "有效" } else { "已到期" }.into(),
        ]);
        if !i.mobile_registered {
            grid.marked.push((at, 3));
        }
    }
    gongshi_http::response::workbook(&grid, "执业人员.xlsx")
}

/// A person due for renewal.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalCandidate {
    /// 公示证书编号 (search with it to apply).
    pub certificate_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// Publicity valid until.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// Why it is due.
    pub reason: String,
}

/// A person whose publicity ends soon but whom a renewal would not help yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalWaiting {
    /// 公示证书编号.
    pub certificate_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号, masked.
    pub id_number_masked: String,
    /// Publicity valid until.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// Why not yet (`renewal_not_extended`: no certificate item was renewed).
    pub code: String,
    /// The same in Chinese, naming the items.
    pub reason: String,
}

/// People due for renewal.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalList {
    /// Earliest end first.
    pub items: Vec<RenewalCandidate>,
    /// Publicities ending within the renewal window that a renewal would not extend yet
    /// (the certificate has not been renewed), earliest end first.
    pub waiting: Vec<RenewalWaiting>,
}

/// The unit's people for whom a renewal application is possible now (F17): a renewed
/// certificate item would extend the publicity and nothing is to append; and those whose
/// publicity ends within the renewal window but whom a renewal would not extend yet, with why.
#[utoipa::path(get, path = "/api/v1/unit/renewals", tag = "publicity", security(("bearer" = [])),
    responses((status = 200, body = RenewalList), (status = 403, body = Problem)))]
async fn renewals(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, unit_id, [unit]) = authenticate_in_unit(p, req, |unit| [units::key(unit)]).await?;
    let (people, scopes) = tokio::try_join!(
        eligibility::unit_people(p, &unit_id),
        eligibility::unit_scopes_with(p, &unit_id, unit)
    )?;
    let today = china_today(p.clock.now());
    let mut items = Vec::new();
    let mut waiting = Vec::new();
    for (record, person) in &people {
        let ends = record.publicity.valid_until;
        match eligibility::assess_person(p, &unit_id, person, &record.name, &scopes) {
            Ok(a) if a.kind == ApplicationKind::Renewal => items.push(RenewalCandidate {
                certificate_no: record.publicity.certificate_no.clone(),
                name: record.name.as_str().into(),
                id_number_masked: record.id_number.masked(),
                valid_until: ends,
                reason: if ends - today <= p.config.periods.renewal_window {
                    format!("公示有效期至 {ends}，已进入续期期限，续期后有效期将延长")
                } else {
                    "资格证书已换发，可申报续期".into()
                },
            }),
            Err(refusal) if refusal.code == "renewal_not_extended" => waiting.push(RenewalWaiting {
                certificate_no: record.publicity.certificate_no.clone(),
                name: record.name.as_str().into(),
                id_number_masked: record.id_number.masked(),
                valid_until: ends,
                code: refusal.code.into(),
                reason: refusal.message,
            }),
            _ => {}
        }
    }
    items.sort_by_key(|i| i.valid_until);
    waiting.sort_by_key(|i| i.valid_until);
    json(200, &RenewalList { items, waiting })
}

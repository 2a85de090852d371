//! Practice publicity (执业公示, manual §3.3): practitioners' certificate items, the one
//! publicity a person may hold, applications and their states, and the eligibility rules
//! that decide whether and how a unit may apply for a person (F10).
//!
//! ```text
//! created ──signed scan──▶ awaiting_confirmation ──SMS code──▶ under_review ──▶ approved | rejected
//!    │                              │
//!    └──── deadline passes ─────────┴──▶ expired (不通过，逾期)     created/awaiting ──withdraw──▶ withdrawn
//! ```
//! Append applications (追加) are approved as they are created. Cancellation applications
//! (注销) have no practitioner confirmation: the stamped scan sends them to review.

use crate::Name;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;

/// Whether an imported certificate item may be practised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// 有效.
    Valid,
    /// 已注销/撤销 in the personnel system.
    Revoked,
}

/// One item (项目) of a practitioner's personnel certificate (检验检测人员证).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateItem {
    /// 证书编号.
    pub certificate_no: String,
    /// 项目代号, e.g. `RQ-1`.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 级别.
    pub level: String,
    /// 发证机关.
    pub issuer: String,
    /// 发证日期.
    pub issued_on: Date,
    /// 有效期至 (last valid day).
    pub valid_until: Date,
    /// Status in the personnel system.
    pub status: ItemStatus,
}

impl CertificateItem {
    /// Whether the item may be practised on `today`.
    pub fn is_valid_on(&self, today: Date) -> bool {
        self.status == ItemStatus::Valid && self.valid_until >= today
    }

    /// The item as it appears in a publicity.
    pub fn published(&self) -> PublishedItem {
        PublishedItem {
            code: self.code.clone(),
            name: self.name.clone(),
            level: self.level.clone(),
            valid_until: self.valid_until,
        }
    }
}

/// An item as published: what the person practises and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedItem {
    /// 项目代号.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 级别.
    pub level: String,
    /// 有效期至.
    pub valid_until: Date,
}

/// The validity of a publicity: it ends with the earliest expiry of its items.
pub fn publicity_valid_until(items: &[PublishedItem]) -> Option<Date> {
    items.iter().map(|i| i.valid_until).min()
}

/// A person's publicity (公示证书): "P practises items S at unit U".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publicity {
    /// 公示证书编号.
    pub certificate_no: String,
    /// The practice unit.
    pub unit_id: String,
    /// Its name when published.
    pub unit_name: String,
    /// The published items.
    pub items: Vec<PublishedItem>,
    /// First day.
    pub valid_from: Date,
    /// Last day (the earliest item expiry).
    pub valid_until: Date,
    /// Whether the unit has completed its cancellation (注销); a cancelled publicity no
    /// longer binds the person, but stays on record.
    #[serde(default)]
    pub cancelled: bool,
    /// The day it ended (cancellation approved), if it did.
    #[serde(default)]
    pub ended_on: Option<Date>,
    /// The application that last issued or updated it.
    pub application_id: String,
}

impl Publicity {
    /// Whether it still binds the person on `today`.
    pub fn is_active_on(&self, today: Date) -> bool {
        !self.cancelled && self.valid_until >= today
    }
}

/// The type of an application (公示类型), decided by the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// 初始: the person has no publicity.
    Initial,
    /// 变更: the person moves from another unit.
    Change,
    /// 续期: the publicity at this unit is renewed.
    Renewal,
    /// 追加: newly obtained items are added to the publicity at this unit.
    Append,
    /// 注销: the unit ends the publicity (the person left or stops practising).
    Cancellation,
}

impl ApplicationKind {
    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initial => "initial",
            Self::Change => "change",
            Self::Renewal => "renewal",
            Self::Append => "append",
            Self::Cancellation => "cancellation",
        }
    }

    /// All kinds, for filters.
    pub const ALL: [Self; 5] = [Self::Initial, Self::Change, Self::Renewal, Self::Append, Self::Cancellation];

    /// Parses an API name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The Chinese label of the manual.
    pub fn label(self) -> &'static str {
        match self {
            Self::Initial => "初始",
            Self::Change => "变更",
            Self::Renewal => "续期",
            Self::Append => "追加",
            Self::Cancellation => "注销",
        }
    }
}

/// Where an application is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// Created; the form is to be printed, signed, stamped and uploaded.
    Created,
    /// The signed scan is uploaded; the practitioner is to confirm by SMS code.
    AwaitingConfirmation,
    /// Confirmed; waiting for a reviewer.
    UnderReview,
    /// Returned by a reviewer for correction (退回补正): the unit uploads a corrected scan
    /// before the correction period ends (the application's `deadline`), and it goes back
    /// to review without a new confirmation; otherwise it expires.
    Returned,
    /// Approved: the publicity is issued or updated.
    Approved,
    /// Refused by a reviewer.
    Rejected,
    /// Not finished within the deadline (不通过，逾期).
    Expired,
    /// Withdrawn by the unit.
    Withdrawn,
    /// Refused by the practitioner when asked to confirm (执业人拒绝): the person did not
    /// want it, so it ends at once and frees them.
    Declined,
}

impl ApplicationState {
    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::AwaitingConfirmation => "awaiting_confirmation",
            Self::UnderReview => "under_review",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
            Self::Declined => "declined",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Created => "待上传申请表",
            Self::AwaitingConfirmation => "待执业人确认",
            Self::UnderReview => "审核中",
            Self::Returned => "退回补正",
            Self::Approved => "通过",
            Self::Rejected => "不通过",
            Self::Expired => "不通过（逾期）",
            Self::Withdrawn => "已撤回",
            Self::Declined => "执业人拒绝",
        }
    }

    /// All states, for queues and filters.
    pub const ALL: [Self; 9] = [
        Self::Created,
        Self::AwaitingConfirmation,
        Self::UnderReview,
        Self::Returned,
        Self::Approved,
        Self::Rejected,
        Self::Expired,
        Self::Withdrawn,
        Self::Declined,
    ];

    /// Parses an API name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the deadline runs (printing, upload and confirmation are due; for a returned
    /// application, the correction).
    pub fn counts_down(self) -> bool {
        matches!(self, Self::Created | Self::AwaitingConfirmation | Self::Returned)
    }

    /// Whether the unit may print the application form (F13): while the application counts
    /// down; the view's `actions.print` and the form route both ask this.
    pub fn may_print(self) -> bool {
        self.counts_down()
    }

    /// Whether the application still holds the person (no other application may start).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Created | Self::AwaitingConfirmation | Self::UnderReview | Self::Returned
        )
    }

    /// The state as it is at `now`: a counting-down application past its deadline is
    /// expired even before any sweeper has written so.
    pub fn at(self, deadline: OffsetDateTime, now: OffsetDateTime) -> Self {
        if self.counts_down() && now >= deadline {
            Self::Expired
        } else {
            self
        }
    }

    /// The state after `step` for an application of `kind`, or `None` when the step is not
    /// allowed from here.
    pub fn after(self, kind: ApplicationKind, step: Step) -> Option<Self> {
        use ApplicationState::*;
        match (self, step) {
            // A cancellation needs no practitioner confirmation.
            (Created, Step::UploadScan) if kind == ApplicationKind::Cancellation => Some(UnderReview),
            (Created, Step::UploadScan) => Some(AwaitingConfirmation),
            // A new scan replaces the old one and sends a new code.
            (AwaitingConfirmation, Step::UploadScan) => Some(AwaitingConfirmation),
            (AwaitingConfirmation, Step::Confirm) => Some(UnderReview),
            (UnderReview, Step::Approve) => Some(Approved),
            (UnderReview, Step::Reject) => Some(Rejected),
            (UnderReview, Step::Return) => Some(Returned),
            // The corrected scan goes back to review: what the practitioner confirmed (the
            // person, the items, the unit) cannot change, so the confirmation stands.
            (Returned, Step::UploadScan) => Some(UnderReview),
            (Created | AwaitingConfirmation | Returned, Step::Expire) => Some(Expired),
            (Created | AwaitingConfirmation | Returned, Step::Withdraw) => Some(Withdrawn),
            (AwaitingConfirmation, Step::Decline) => Some(Declined),
            _ => None,
        }
    }
}

crate::api_names!(ApplicationState);

/// What happens to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The unit uploads the signed, stamped form.
    UploadScan,
    /// The practitioner confirms with the SMS code.
    Confirm,
    /// A reviewer approves.
    Approve,
    /// A reviewer refuses.
    Reject,
    /// A reviewer returns it for correction (退回补正).
    Return,
    /// The deadline passed.
    Expire,
    /// The unit withdraws.
    Withdraw,
    /// The practitioner refuses to confirm.
    Decline,
}

/// Configurable periods (docs/DOMAIN.md, Periods and limits).
#[derive(Debug, Clone, Copy)]
pub struct Periods {
    /// From creation until printing, upload and confirmation must be done (7 days).
    pub application_deadline: Duration,
    /// How long a confirmation code is valid (24 hours).
    pub confirmation_code: Duration,
    /// How long before its end a publicity may be renewed (90 days).
    pub renewal_window: Duration,
    /// Working days a unit has to correct a returned item (5).
    pub correction_working_days: u32,
}

impl Default for Periods {
    fn default() -> Self {
        Self {
            application_deadline: Duration::days(7),
            confirmation_code: Duration::hours(24),
            renewal_window: Duration::days(90),
            correction_working_days: crate::correction::CORRECTION_WORKING_DAYS,
        }
    }
}

/// A period as the messages say it: two or more whole days as "7天", else whole hours as
/// "24小时", else minutes ("10分钟").
pub fn shown_period(period: Duration) -> String {
    if period.whole_hours() % 24 == 0 && period.whole_days() >= 2 {
        format!("{}天", period.whole_days())
    } else if period.whole_minutes() % 60 == 0 && period.whole_hours() > 0 {
        format!("{}小时", period.whole_hours())
    } else {
        format!("{}分钟", period.whole_minutes())
    }
}

impl Periods {
    /// The defaults with overrides read through `var`: `GONGSHI_APPLICATION_DEADLINE_DAYS`,
    /// `GONGSHI_CONFIRMATION_CODE_HOURS`, `GONGSHI_RENEWAL_WINDOW_DAYS`,
    /// `GONGSHI_CORRECTION_WORKING_DAYS` (at most 60) (positive integers;
    /// anything else keeps the default).
    pub fn with_overrides(self, var: impl Fn(&str) -> Option<String>) -> Self {
        let number = |name: &str| {
            var(name)
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|n| (1..=3650).contains(n))
        };
        Self {
            application_deadline: number("GONGSHI_APPLICATION_DEADLINE_DAYS").map_or(self.application_deadline, Duration::days),
            confirmation_code: number("GONGSHI_CONFIRMATION_CODE_HOURS").map_or(self.confirmation_code, Duration::hours),
            renewal_window: number("GONGSHI_RENEWAL_WINDOW_DAYS").map_or(self.renewal_window, Duration::days),
            correction_working_days: number("GONGSHI_CORRECTION_WORKING_DAYS")
                .filter(|n| *n <= 60)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(self.correction_working_days),
        }
    }
}

/// What is known about a person and the applying unit when deciding eligibility.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The registered name, if the person is known.
    pub registered_name: Option<&'a Name>,
    /// The person's certificate items.
    pub items: &'a [CertificateItem],
    /// Whether the person has a verified mobile number.
    pub mobile_verified: bool,
    /// The state of the person's open application anywhere, if any.
    pub open_application: Option<ApplicationState>,
    /// The person's publicity, if any.
    pub publicity: Option<&'a Publicity>,
}

/// The applying unit: its id and qualification certificates (scope and validity).
#[derive(Debug, Clone, Copy)]
pub struct ApplyingUnit<'a> {
    /// The unit.
    pub unit_id: &'a str,
    /// Its qualifications: approved items (code or name) and last valid day.
    pub qualifications: &'a [(Vec<String>, Date)],
}

/// Why a person cannot be applied for: a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Stable code.
    pub code: &'static str,
    /// Message for the user.
    pub message: String,
}

impl Refusal {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// An eligible person: the type the system decides and what would be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// 公示类型.
    pub kind: ApplicationKind,
    /// The items the application publishes (for an append: the new ones only).
    pub items: Vec<PublishedItem>,
    /// Whether a resignation proof must be uploaded (a change while the other unit's
    /// publicity is not cancelled).
    pub resignation_proof_required: bool,
}

/// Decides whether `unit` may apply for the person named `given_name` (docs/DOMAIN.md,
/// Eligibility and type), and if so with which type.
pub fn assess(given_name: &Name, person: &Candidate, unit: &ApplyingUnit, today: Date, periods: &Periods) -> Result<Assessment, Refusal> {
    let known = person.registered_name.filter(|n| n.as_str() == given_name.as_str());
    if known.is_none() || person.items.is_empty() {
        return Err(Refusal::new("person_not_found", "未查询到该人员的资格证书信息"));
    }
    let valid: Vec<&CertificateItem> = person.items.iter().filter(|i| i.is_valid_on(today)).collect();
    if valid.is_empty() {
        let why: Vec<String> = person
            .items
            .iter()
            .map(|i| match i.status {
                ItemStatus::Revoked => format!("{}（{}）已注销", i.name, i.code),
                ItemStatus::Valid => format!("{}（{}）已于 {} 过期", i.name, i.code, i.valid_until),
            })
            .collect();
        return Err(Refusal::new(
            "no_valid_item",
            format!("该人员没有有效的资格证书项目：{}", why.join("；")),
        ));
    }
    if !person.mobile_verified {
        return Err(Refusal::new(
            "mobile_not_registered",
            "该人员尚未登记手机号码，请提醒其本人先完成手机号码登记",
        ));
    }
    if let Some(state) = person.open_application {
        return Err(Refusal::new(
            "application_open",
            format!(
                "该人员已有一份{}的执业公示申报单（本单位或另一单位），请待其结束后再申报",
                state.label()
            ),
        ));
    }
    let covered = covered_items(&valid, unit, today)?;
    let publicity = person.publicity.filter(|p| p.valid_until >= today);
    let Some(publicity) = publicity.filter(|p| !(p.cancelled && p.unit_id == unit.unit_id)) else {
        return Ok(Assessment {
            kind: ApplicationKind::Initial,
            items: covered,
            resignation_proof_required: false,
        });
    };
    if publicity.unit_id != unit.unit_id {
        return Ok(Assessment {
            kind: ApplicationKind::Change,
            items: covered,
            resignation_proof_required: !publicity.cancelled,
        });
    }
    let new: Vec<PublishedItem> = covered
        .iter()
        .filter(|i| !publicity.items.iter().any(|p| p.code == i.code))
        .cloned()
        .collect();
    if !new.is_empty() {
        return Ok(Assessment {
            kind: ApplicationKind::Append,
            items: new,
            resignation_proof_required: false,
        });
    }
    // A renewal (续期) publishes the covered items again; the publicity is valid until its
    // earliest item ends (`publicity_valid_until`), so it is offered only when that day moves
    // later — a renewal that extends nothing is refused, never created.
    let extends = publicity_valid_until(&covered).is_some_and(|until| until > publicity.valid_until);
    if extends {
        return Ok(Assessment {
            kind: ApplicationKind::Renewal,
            items: covered,
            resignation_proof_required: false,
        });
    }
    let outside: Vec<String> = valid
        .iter()
        .filter(|i| !publicity.items.iter().any(|p| p.code == i.code) && !covered.iter().any(|c| c.code == i.code))
        .map(|i| format!("{}（{}）", i.name, i.code))
        .collect();
    if !outside.is_empty() {
        return Err(Refusal::new(
            "item_outside_scope",
            format!(
                "该人员已在本单位执业公示；其资格项目 {} 不在本单位核准/许可的项目范围内，无法追加。如本单位已取得该项目资质，请先在资质管理中申请变更",
                outside.join("、")
            ),
        ));
    }
    let ends_soon = publicity.valid_until - today <= periods.renewal_window;
    if ends_soon {
        let not_renewed: Vec<String> = covered
            .iter()
            .filter(|i| i.valid_until <= publicity.valid_until)
            .map(|i| format!("{}（{}）有效期至 {}", i.name, i.code, i.valid_until))
            .collect();
        return Err(Refusal::new(
            "renewal_not_extended",
            format!(
                "公示有效期至 {}，该人员的资格证书项目尚未换证（{}），续期不会延长公示有效期；请在证书换发、人员库更新后再申报续期",
                publicity.valid_until,
                not_renewed.join("；")
            ),
        ));
    }
    Err(Refusal::new("already_published", "已在本单位执业公示，无需申报"))
}

/// The valid items the unit's qualification covers (all of them when the unit has not
/// uploaded its scope).
fn covered_items(valid: &[&CertificateItem], unit: &ApplyingUnit, today: Date) -> Result<Vec<PublishedItem>, Refusal> {
    if unit.qualifications.is_empty() {
        return Ok(valid.iter().map(|i| i.published()).collect());
    }
    let current: Vec<&Vec<String>> = unit
        .qualifications
        .iter()
        .filter(|(_, until)| *until >= today)
        .map(|(scope, _)| scope)
        .collect();
    if current.is_empty() {
        return Err(Refusal::new(
            "qualification_expired",
            "本单位的核准/许可证书已过期，请先在单位资质管理中更新",
        ));
    }
    let covered: Vec<PublishedItem> = valid
        .iter()
        .filter(|i| current.iter().any(|scope| scope.iter().any(|s| s == &i.code || s == &i.name)))
        .map(|i| i.published())
        .collect();
    if covered.is_empty() {
        return Err(Refusal::new(
            "qualification_not_covering",
            "本单位核准/许可的项目不包含该人员的任何有效资格项目",
        ));
    }
    Ok(covered)
}

/// A human-readable number: `prefix`, the date as `YYYYMMDD` and the last 8 characters of
/// a ULID (its random part), e.g. `SB20261126-7K3Q9X2M`.
pub fn document_number(prefix: &str, date: Date, ulid: &str) -> String {
    let tail: String = ulid.chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{prefix}{:04}{:02}{:02}-{tail}", date.year(), u8::from(date.month()), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const TODAY: Date = date!(2026 - 11 - 26);

    #[test]
    fn periods_are_shown_in_the_largest_whole_unit() {
        assert_eq!(shown_period(Duration::days(7)), "7天");
        assert_eq!(shown_period(Duration::hours(24)), "24小时");
        assert_eq!(shown_period(Duration::hours(48)), "2天");
        assert_eq!(shown_period(Duration::hours(36)), "36小时");
        assert_eq!(shown_period(Duration::minutes(10)), "10分钟");
    }

    fn item(code: &str, valid_until: Date) -> CertificateItem {
        CertificateItem {
            certificate_no: "TS-001".into(),
            code: code.into(),
            name: format!("{code}项目"),
            level: "检验员".into(),
            issuer: "国家市场监督管理总局".into(),
            issued_on: date!(2022 - 01 - 01),
            valid_until,
            status: ItemStatus::Valid,
        }
    }

    fn publicity(unit: &str, codes: &[&str], valid_until: Date) -> Publicity {
        Publicity {
            certificate_no: "GS2025-1".into(),
            unit_id: unit.into(),
            unit_name: "某单位".into(),
            items: codes.iter().map(|c| item(c, valid_until).published()).collect(),
            valid_from: date!(2025 - 01 - 01),
            valid_until,
            cancelled: false,
            ended_on: None,
            application_id: "A".into(),
        }
    }

    fn name() -> Name {
        Name::parse("张三").expect("present")
    }

    fn check(
        items: &[CertificateItem],
        publicity: Option<&Publicity>,
        open: Option<ApplicationState>,
        mobile: bool,
    ) -> Result<Assessment, Refusal> {
        let n = name();
        let candidate = Candidate {
            registered_name: Some(&n),
            items,
            mobile_verified: mobile,
            open_application: open,
            publicity,
        };
        let unit = ApplyingUnit {
            unit_id: "U",
            qualifications: &[],
        };
        assess(&name(), &candidate, &unit, TODAY, &Periods::default())
    }

    #[test]
    fn f10_unknown_person_or_other_name_is_not_found() {
        let items = [item("RQ-1", date!(2028 - 01 - 01))];
        let other = Name::parse("李四").expect("present");
        let candidate = Candidate {
            registered_name: Some(&other),
            items: &items,
            mobile_verified: true,
            open_application: None,
            publicity: None,
        };
        let unit = ApplyingUnit {
            unit_id: "U",
            qualifications: &[],
        };
        let refusal = assess(&name(), &candidate, &unit, TODAY, &Periods::default()).expect_err("refused");
        assert_eq!(refusal.code, "person_not_found");
        assert_eq!(refusal.message, "未查询到该人员的资格证书信息");
    }

    #[test]
    fn f10_each_refusal_has_its_own_code() {
        let expired = [item("RQ-1", date!(2026 - 01 - 01))];
        assert_eq!(check(&expired, None, None, true).expect_err("refused").code, "no_valid_item");
        assert!(
            check(&expired, None, None, true)
                .expect_err("refused")
                .message
                .contains("2026-01-01")
        );
        let valid = [item("RQ-1", date!(2028 - 01 - 01))];
        assert_eq!(check(&valid, None, None, false).expect_err("refused").code, "mobile_not_registered");
        let open = check(&valid, None, Some(ApplicationState::UnderReview), true).expect_err("refused");
        assert_eq!(open.code, "application_open");
        assert!(open.message.contains("审核中"));
        let here = publicity("U", &["RQ-1"], date!(2028 - 01 - 01));
        let done = check(&valid, Some(&here), None, true).expect_err("refused");
        assert_eq!(
            (done.code, done.message.as_str()),
            ("already_published", "已在本单位执业公示，无需申报")
        );
    }

    #[test]
    fn f10_type_is_decided_by_the_publicity() {
        let valid = [item("RQ-1", date!(2028 - 01 - 01)), item("RQ-2", date!(2029 - 01 - 01))];
        assert_eq!(check(&valid, None, None, true).expect("present").kind, ApplicationKind::Initial);
        let elsewhere = publicity("OTHER", &["RQ-1"], date!(2028 - 01 - 01));
        let change = check(&valid, Some(&elsewhere), None, true).expect("present");
        assert_eq!((change.kind, change.resignation_proof_required), (ApplicationKind::Change, true));
        let cancelled = Publicity {
            cancelled: true,
            ..elsewhere.clone()
        };
        assert!(
            !check(&valid, Some(&cancelled), None, true)
                .expect("present")
                .resignation_proof_required
        );
        let here = publicity("U", &["RQ-1"], date!(2028 - 01 - 01));
        let append = check(&valid, Some(&here), None, true).expect("present");
        assert_eq!(append.kind, ApplicationKind::Append);
        assert_eq!(append.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["RQ-2"]);
        let ending = publicity("U", &["RQ-1", "RQ-2"], date!(2027 - 01 - 31));
        assert_eq!(
            check(&valid, Some(&ending), None, true).expect("present").kind,
            ApplicationKind::Renewal
        );
        let lapsed = publicity("OTHER", &["RQ-1"], date!(2026 - 01 - 01));
        assert_eq!(
            check(&valid, Some(&lapsed), None, true).expect("present").kind,
            ApplicationKind::Initial
        );
    }

    #[test]
    fn f17_a_renewal_is_offered_only_when_it_extends_the_publicity() {
        let ending = publicity("U", &["RQ-1"], date!(2027 - 01 - 20));
        // The certificate item still ends with the publicity: nothing to extend.
        let same = [item("RQ-1", date!(2027 - 01 - 20))];
        let refused = check(&same, Some(&ending), None, true).expect_err("refused");
        assert_eq!(refused.code, "renewal_not_extended");
        assert!(refused.message.contains("2027-01-20"), "{}", refused.message);
        // Renewed: the renewal's publicity lasts until its earliest item ends.
        let renewed = [item("RQ-1", date!(2031 - 06 - 30))];
        let renewal = check(&renewed, Some(&ending), None, true).expect("renewal");
        assert_eq!(renewal.kind, ApplicationKind::Renewal);
        assert_eq!(publicity_valid_until(&renewal.items), Some(date!(2031 - 06 - 30)));
        // One of two items renewed: the earliest still ends with the publicity.
        let both = publicity("U", &["RQ-1", "RQ-2"], date!(2027 - 01 - 20));
        let half = [item("RQ-1", date!(2031 - 06 - 30)), item("RQ-2", date!(2027 - 01 - 20))];
        assert_eq!(
            check(&half, Some(&both), None, true).expect_err("refused").code,
            "renewal_not_extended"
        );
        // Far from its end and nothing renewed: already published.
        let long = publicity("U", &["RQ-1"], date!(2028 - 01 - 01));
        let still = [item("RQ-1", date!(2028 - 01 - 01))];
        assert_eq!(
            check(&still, Some(&long), None, true).expect_err("refused").code,
            "already_published"
        );
    }

    #[test]
    fn f16_an_item_outside_the_units_scope_is_named() {
        let n = name();
        let items = [item("RQ-1", date!(2028 - 01 - 01)), item("GL-1", date!(2028 - 01 - 01))];
        let here = publicity("U", &["RQ-1"], date!(2028 - 01 - 01));
        let candidate = Candidate {
            registered_name: Some(&n),
            items: &items,
            mobile_verified: true,
            open_application: None,
            publicity: Some(&here),
        };
        let scope = [(vec!["RQ-1".to_owned()], date!(2029 - 01 - 01))];
        let unit = ApplyingUnit {
            unit_id: "U",
            qualifications: &scope,
        };
        let refused = assess(&n, &candidate, &unit, TODAY, &Periods::default()).expect_err("refused");
        assert_eq!(refused.code, "item_outside_scope");
        assert!(refused.message.contains("GL-1"), "{}", refused.message);
    }

    #[test]
    fn f10_unit_scope_must_cover_an_item() {
        let n = name();
        let items = [item("RQ-1", date!(2028 - 01 - 01))];
        let candidate = Candidate {
            registered_name: Some(&n),
            items: &items,
            mobile_verified: true,
            open_application: None,
            publicity: None,
        };
        let narrow = [(vec!["锅炉定期检验".to_owned()], date!(2028 - 01 - 01))];
        let unit = ApplyingUnit {
            unit_id: "U",
            qualifications: &narrow,
        };
        assert_eq!(
            assess(&n, &candidate, &unit, TODAY, &Periods::default()).expect_err("refused").code,
            "qualification_not_covering"
        );
        let lapsed = [(vec!["RQ-1".to_owned()], date!(2026 - 01 - 01))];
        let unit = ApplyingUnit {
            unit_id: "U",
            qualifications: &lapsed,
        };
        assert_eq!(
            assess(&n, &candidate, &unit, TODAY, &Periods::default()).expect_err("refused").code,
            "qualification_expired"
        );
    }

    #[test]
    fn f13_deadline_decides_the_state_shown() {
        let deadline = datetime!(2026-12-03 09:00 UTC);
        let created = ApplicationState::Created;
        assert_eq!(created.at(deadline, datetime!(2026-12-03 08:59 UTC)), ApplicationState::Created);
        assert_eq!(created.at(deadline, deadline), ApplicationState::Expired);
        assert_eq!(
            ApplicationState::UnderReview.at(deadline, datetime!(2027-01-01 0:00 UTC)),
            ApplicationState::UnderReview
        );
    }

    #[test]
    fn f23_only_listed_transitions_exist() {
        use ApplicationState::*;
        let initial = ApplicationKind::Initial;
        assert_eq!(Created.after(initial, Step::UploadScan), Some(AwaitingConfirmation));
        assert_eq!(Created.after(ApplicationKind::Cancellation, Step::UploadScan), Some(UnderReview));
        assert_eq!(Created.after(initial, Step::Confirm), None);
        assert_eq!(UnderReview.after(initial, Step::Expire), None);
        assert_eq!(Expired.after(initial, Step::UploadScan), None);
        assert_eq!(Approved.after(initial, Step::Reject), None);
        assert_eq!(AwaitingConfirmation.after(initial, Step::Withdraw), Some(Withdrawn));
        assert_eq!(AwaitingConfirmation.after(initial, Step::Decline), Some(Declined));
        assert_eq!(Created.after(initial, Step::Decline), None);
        assert_eq!(UnderReview.after(initial, Step::Decline), None);
    }

    #[test]
    fn numbers_are_dated_and_short() {
        assert_eq!(document_number("SB", TODAY, "01JDQ3V4Z8ABCDEFGH12345678"), "SB20261126-12345678");
    }
}

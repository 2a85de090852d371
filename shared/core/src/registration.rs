//! The unit registration (F1, manual §2.1): a draft filled in four steps, submitted, and
//! decided by a reviewer.
//!
//! ```text
//! draft ──submit──▶ submitted ──approve──▶ approved
//!   ▲                   │
//!   └──edit── rejected ◀┘ reject (with reason; the applicant may fix and submit again)
//! ```

use crate::fields::{FieldError, Invalid};
use crate::{Address, Email, IdNumber, Mobile, Name, Postcode, Uscc, Username};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Where a registration is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    /// Being filled in; resumable until it expires.
    Draft,
    /// Waiting for a reviewer.
    Submitted,
    /// The unit and its admin account exist and are active.
    Approved,
    /// Refused with a reason; the applicant may edit and submit again.
    Rejected,
}

impl RegistrationState {
    /// Every state.
    pub const ALL: [Self; 4] = [Self::Draft, Self::Submitted, Self::Approved, Self::Rejected];

    /// The state's API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }
}

crate::api_names!(RegistrationState);

/// Step 1: the unit's basic information (the username is fixed once the draft exists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicInfo {
    /// Login name of the unit's future admin account.
    pub username: Username,
    /// 单位名称.
    pub unit_name: Name,
    /// 统一社会信用代码.
    pub uscc: Uscc,
    /// 法定代表人.
    pub legal_representative: Name,
    /// 单位地址.
    pub address: Address,
    /// 邮政编码.
    pub postcode: Postcode,
}

/// A verified upload referenced by a registration step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRef {
    /// The upload's id.
    pub upload_id: String,
    /// The file name the user chose.
    pub file_name: String,
    /// The verified content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
}

/// 核准证 or 许可证.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualificationKind {
    /// 核准证.
    Approval,
    /// 许可证.
    Licence,
}

/// Step 3: the unit's qualification certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    /// 核准证 or 许可证.
    pub kind: QualificationKind,
    /// 证书编号.
    pub certificate_no: String,
    /// 发证机关.
    pub authority: Name,
    /// 核准/许可项目: the approved scope.
    pub items: Vec<String>,
    /// First day of validity.
    pub valid_from: Date,
    /// Last day of validity.
    pub valid_until: Date,
    /// The certificate scan.
    pub scan: UploadRef,
}

/// Where a certificate stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Valid, and not within the warning window.
    Valid,
    /// Valid for this many more days (≤ the warning window): to be renewed.
    Expiring(i64),
    /// Past its last valid day.
    Expired,
}

impl Qualification {
    /// The validity on `today`, warning `window_days` before the end (docs/DOMAIN.md: 90).
    pub fn validity(&self, today: Date, window_days: i64) -> Validity {
        let left = (self.valid_until - today).whole_days();
        if left < 0 {
            Validity::Expired
        } else if left <= window_days {
            Validity::Expiring(left)
        } else {
            Validity::Valid
        }
    }

    /// Checks the parts that are not single-value parses: certificate number, items, dates.
    /// Returns the normalised number and items.
    pub fn check_details(
        certificate_no: &str,
        items: &[String],
        valid_from: Date,
        valid_until: Date,
        today: Date,
    ) -> Result<(String, Vec<String>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let number = certificate_no.trim();
        if !(2..=50).contains(&number.chars().count()) || number.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "certificate_no",
                "certificate_no_length",
                "证书编号长度应为2至50个字符",
            ));
        }
        let mut cleaned: Vec<String> = Vec::new();
        for item in items.iter().map(|i| i.trim()) {
            if item.is_empty() || item.chars().count() > 50 || item.chars().any(char::is_control) {
                errors.push(FieldError::new("items", "item_invalid", "每个项目应为1至50个字符"));
                break;
            }
            if !cleaned.iter().any(|c| c == item) {
                cleaned.push(item.to_owned());
            }
        }
        if cleaned.is_empty() && errors.iter().all(|e| e.field != "items") {
            errors.push(FieldError::new("items", "items_required", "请至少填写一个核准/许可项目"));
        }
        if cleaned.len() > 100 {
            errors.push(FieldError::new("items", "items_too_many", "核准/许可项目不能超过100项"));
        }
        if valid_until <= valid_from {
            errors.push(FieldError::new("valid_until", "validity_order", "有效期截止日期应晚于起始日期"));
        } else if valid_until < today {
            errors.push(FieldError::new("valid_until", "qualification_expired", "资质证书已过有效期"));
        }
        if errors.is_empty() {
            Ok((number.to_owned(), cleaned))
        } else {
            Err(errors)
        }
    }
}

/// Step 4: the unit's authorised contact (授权联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// 姓名.
    pub name: Name,
    /// 身份证号.
    pub id_number: IdNumber,
    /// 手机号: receives result and reset SMS.
    pub mobile: Mobile,
    /// 电子邮箱: receives result and appeal e-mails.
    pub email: Email,
}

/// Approve or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 通过.
    Approved,
    /// 驳回.
    Rejected,
}

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Approved or rejected.
    pub outcome: Outcome,
    /// Required when rejecting.
    pub reason: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    /// The reviewer's username.
    pub decided_by: String,
}

/// A transition that the current state does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("注册申请当前状态为“{}”，不能执行此操作", .current.label())]
pub struct StateConflict {
    /// The state the registration is in.
    pub current: RegistrationState,
}

impl RegistrationState {
    /// The Chinese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "待审核",
            Self::Approved => "已通过",
            Self::Rejected => "已驳回",
        }
    }
}

/// Why a submit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// The state does not allow submitting.
    State(StateConflict),
    /// Steps are missing; one field error per missing step.
    Incomplete(Vec<FieldError>),
}

/// A unit registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// ULID.
    pub id: String,
    /// Current state.
    pub state: RegistrationState,
    /// Step 1.
    pub basic: BasicInfo,
    /// Step 2: 营业执照.
    pub licence: Option<UploadRef>,
    /// Step 3.
    pub qualification: Option<Qualification>,
    /// Step 4.
    pub contact: Option<Contact>,
    /// The latest decision.
    pub decision: Option<Decision>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Last submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    /// An unsubmitted draft is deleted after this instant.
    #[serde(with = "time::serde::rfc3339")]
    pub draft_expires_at: OffsetDateTime,
    /// Optimistic concurrency: every write is conditional on the version it read.
    pub version: u64,
}

impl Registration {
    /// A new draft from step 1.
    pub fn new(id: String, basic: BasicInfo, now: OffsetDateTime, draft_lifetime: time::Duration) -> Self {
        Self {
            id,
            state: RegistrationState::Draft,
            basic,
            licence: None,
            qualification: None,
            contact: None,
            decision: None,
            created_at: now,
            updated_at: now,
            submitted_at: None,
            draft_expires_at: now + draft_lifetime,
            version: 1,
        }
    }

    /// Whether an unsubmitted draft has passed its lifetime (TTL deletion may be late).
    pub fn is_expired_draft(&self, now: OffsetDateTime) -> bool {
        self.state == RegistrationState::Draft && self.draft_expires_at <= now
    }

    /// Whether the applicant may still change the steps.
    pub fn ensure_editable(&self) -> Result<(), StateConflict> {
        match self.state {
            RegistrationState::Draft | RegistrationState::Rejected => Ok(()),
            current => Err(StateConflict { current }),
        }
    }

    /// The first step still to fill in (1–4), or `None` when all are done.
    pub fn next_step(&self) -> Option<u8> {
        if self.licence.is_none() {
            Some(2)
        } else if self.qualification.is_none() {
            Some(3)
        } else if self.contact.is_none() {
            Some(4)
        } else {
            None
        }
    }

    /// Warnings for the reviewer that do not block submission.
    pub fn warnings(&self) -> Vec<FieldError> {
        self.basic
            .uscc
            .checksum_warning()
            .map(|Invalid { code, message }| FieldError::new("uscc", code, message))
            .into_iter()
            .collect()
    }

    /// Records an edit.
    pub fn touch(&mut self, now: OffsetDateTime) {
        self.updated_at = now;
        self.version += 1;
    }

    /// Submits a complete draft (or a corrected rejected registration) for review.
    pub fn submit(&mut self, now: OffsetDateTime) -> Result<(), SubmitError> {
        self.ensure_editable().map_err(SubmitError::State)?;
        let mut missing = Vec::new();
        if self.licence.is_none() {
            missing.push(FieldError::new("licence", "step_incomplete", "请上传单位营业执照（第二步）"));
        }
        if self.qualification.is_none() {
            missing.push(FieldError::new("qualification", "step_incomplete", "请填写单位资质信息（第三步）"));
        }
        if self.contact.is_none() {
            missing.push(FieldError::new("contact", "step_incomplete", "请设置授权联系人（第四步）"));
        }
        if !missing.is_empty() {
            return Err(SubmitError::Incomplete(missing));
        }
        self.state = RegistrationState::Submitted;
        self.submitted_at = Some(now);
        self.touch(now);
        Ok(())
    }

    /// A reviewer's decision on a submitted registration.
    pub fn decide(&mut self, outcome: Outcome, reason: Option<String>, by: &str, now: OffsetDateTime) -> Result<(), StateConflict> {
        if self.state != RegistrationState::Submitted {
            return Err(StateConflict { current: self.state });
        }
        self.state = match outcome {
            Outcome::Approved => RegistrationState::Approved,
            Outcome::Rejected => RegistrationState::Rejected,
        };
        self.decision = Some(Decision {
            outcome,
            reason,
            decided_at: now,
            decided_by: by.to_owned(),
        });
        self.touch(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn upload() -> UploadRef {
        UploadRef {
            upload_id: "u1".into(),
            file_name: "licence.pdf".into(),
            content_type: "application/pdf".into(),
            size: 10,
        }
    }

    fn draft() -> Registration {
        let basic = BasicInfo {
            username: Username::parse("xmtest").expect("valid"),
            unit_name: Name::parse("厦门市特种设备检验检测院").expect("valid"),
            uscc: Uscc::parse("91350100M000100Y43").expect("valid"),
            legal_representative: Name::parse("张三").expect("valid"),
            address: Address::parse("厦门市湖里区").expect("valid"),
            postcode: Postcode::parse("361000").expect("valid"),
        };
        Registration::new("r1".into(), basic, datetime!(2026-11-26 10:00 UTC), time::Duration::days(30))
    }

    fn complete(mut r: Registration) -> Registration {
        r.licence = Some(upload());
        r.qualification = Some(Qualification {
            kind: QualificationKind::Approval,
            certificate_no: "TS7110001-2028".into(),
            authority: Name::parse("国家市场监督管理总局").expect("valid"),
            items: vec!["锅炉定期检验".into()],
            valid_from: date!(2024 - 01 - 01),
            valid_until: date!(2028 - 01 - 01),
            scan: upload(),
        });
        r.contact = Some(Contact {
            name: Name::parse("李四").expect("valid"),
            id_number: IdNumber::parse("11010519491231002X", date!(2026 - 11 - 26)).expect("valid"),
            mobile: Mobile::parse("13800138000").expect("valid"),
            email: Email::parse("lisi@example.com").expect("valid"),
        });
        r
    }

    #[test]
    fn f01_incomplete_draft_cannot_be_submitted_and_names_missing_steps() {
        let mut r = draft();
        assert_eq!(r.next_step(), Some(2));
        let Err(SubmitError::Incomplete(missing)) = r.submit(datetime!(2026-11-26 11:00 UTC)) else {
            panic!("must refuse")
        };
        let fields: Vec<_> = missing.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["licence", "qualification", "contact"]);
        assert_eq!(r.state, RegistrationState::Draft);
    }

    #[test]
    fn f01_complete_draft_is_submitted_once() {
        let mut r = complete(draft());
        assert_eq!(r.next_step(), None);
        r.submit(datetime!(2026-11-26 11:00 UTC)).expect("submits");
        assert_eq!(r.state, RegistrationState::Submitted);
        assert_eq!(r.version, 2);
        assert!(matches!(r.submit(datetime!(2026-11-26 11:01 UTC)), Err(SubmitError::State(_))));
        assert!(r.ensure_editable().is_err());
    }

    #[test]
    fn f21_decision_only_on_submitted_and_only_once() {
        let mut r = complete(draft());
        assert!(
            r.decide(Outcome::Approved, None, "reviewer", datetime!(2026-11-26 12:00 UTC))
                .is_err()
        );
        r.submit(datetime!(2026-11-26 11:00 UTC)).expect("submits");
        r.decide(
            Outcome::Rejected,
            Some("营业执照不清晰".into()),
            "reviewer",
            datetime!(2026-11-26 12:00 UTC),
        )
        .expect("decides");
        assert_eq!(r.state, RegistrationState::Rejected);
        assert!(
            r.decide(Outcome::Approved, None, "reviewer", datetime!(2026-11-26 12:01 UTC))
                .is_err()
        );
        r.submit(datetime!(2026-11-26 13:00 UTC))
            .expect("a rejected registration can be corrected and resubmitted");
    }

    #[test]
    fn f01_draft_expires_after_its_lifetime() {
        let r = draft();
        assert!(!r.is_expired_draft(datetime!(2026-12-26 09:59 UTC)));
        assert!(r.is_expired_draft(datetime!(2026-12-26 10:00 UTC)));
    }

    #[test]
    fn f01_pilot_uscc_gives_a_reviewer_warning() {
        let mut r = draft();
        assert!(r.warnings().is_empty());
        r.basic.uscc = Uscc::parse("91350203M0001QAY9B").expect("well-formed");
        assert_eq!(r.warnings()[0].code, "uscc_checksum");
    }

    #[test]
    fn f09_validity_warns_within_the_window() {
        let q = complete(draft()).qualification.expect("qualification");
        assert_eq!(q.validity(date!(2027 - 01 - 01), 90), Validity::Valid);
        assert_eq!(q.validity(date!(2027 - 12 - 02), 90), Validity::Expiring(30));
        assert_eq!(q.validity(date!(2028 - 01 - 01), 90), Validity::Expiring(0));
        assert_eq!(q.validity(date!(2028 - 01 - 02), 90), Validity::Expired);
    }

    #[test]
    fn f01_qualification_details_are_checked() {
        let today = date!(2026 - 11 - 26);
        let ok = Qualification::check_details(
            " TS-1 ",
            &[" 锅炉 ".into(), "锅炉".into()],
            date!(2024 - 01 - 01),
            date!(2028 - 01 - 01),
            today,
        );
        assert_eq!(ok, Ok(("TS-1".into(), vec!["锅炉".into()])));
        let bad = Qualification::check_details("", &[], date!(2028 - 01 - 01), date!(2024 - 01 - 01), today).expect_err("refused");
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["certificate_no", "items", "valid_until"]);
        let expired = Qualification::check_details("TS-1", &["锅炉".into()], date!(2020 - 01 - 01), date!(2025 - 01 - 01), today)
            .expect_err("expired");
        assert_eq!(expired[0].code, "qualification_expired");
    }
}

//! API shapes returned by more than one function. Each is built from domain records by an
//! `of` function that decides what the audience may see (ID numbers are masked except for
//! reviewers).

use gongshi_core::FieldError;
use gongshi_core::account::{AccountStatus, Role};
use gongshi_core::registration::{self as reg, Outcome, QualificationKind, RegistrationState};
use gongshi_store::accounts::Account as AccountRecord;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// The role as the SPA sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiRole {
    /// Working on a registration draft.
    Registrant,
    /// 单位管理员.
    UnitAdmin,
    /// 单位子帐号.
    UnitStaff,
    /// 协会审核员.
    Reviewer,
    /// 协会管理员.
    AssociationAdmin,
}

/// The logged-in account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Account {
    /// Username.
    pub username: String,
    /// Role.
    pub role: ApiRole,
    /// The name of the person who uses it (a unit admin's: the unit's authorised contact),
    /// shown in the header.
    pub display_name: String,
    /// The unit of a unit account (its name and details: `GET /api/v1/me`'s `unit`).
    pub unit_id: Option<String>,
    /// The registration of a registrant.
    pub registration_id: Option<String>,
    /// Whether a new password must be set (`PUT /api/v1/auth/password`) before anything
    /// else: every other call answers 403 `password_change_required` until then.
    pub password_change_required: bool,
    /// Why (`set_by_admin`, `appeal`, `weak_legacy`), while required.
    pub password_change_reason: Option<String>,
    /// What the user is told, while required.
    pub password_change_message: Option<String>,
}

/// The SPA's name for [`Account`] built from a record.
pub type AccountView = Account;

impl Account {
    /// The view of an account record.
    pub fn of(account: &AccountRecord) -> Self {
        let role = match (account.status, account.role) {
            (AccountStatus::Pending, _) => ApiRole::Registrant,
            (_, Role::UnitAdmin) => ApiRole::UnitAdmin,
            (_, Role::UnitStaff) => ApiRole::UnitStaff,
            (_, Role::Reviewer) => ApiRole::Reviewer,
            (_, Role::AssociationAdmin) => ApiRole::AssociationAdmin,
        };
        Self {
            username: account.username.clone(),
            role,
            display_name: account.display_name.clone(),
            unit_id: account.unit_id.clone(),
            registration_id: account.registration_id.clone(),
            password_change_required: account.password_change.is_some(),
            password_change_reason: account.password_change.as_ref().map(|c| c.reason.as_str().to_owned()),
            password_change_message: account.password_change.as_ref().map(|c| c.reason.message().to_owned()),
        }
    }
}

/// Tokens of a login: a short-lived access token and a rotating refresh token.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    /// `Authorization: Bearer …` for API calls.
    pub access_token: String,
    /// Exchanged for new tokens at `/auth/refresh`; single use.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Who is logged in.
    pub account: Account,
}

/// A verified upload as attached to a record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UploadRef {
    /// Upload id.
    pub upload_id: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
}

impl From<&reg::UploadRef> for UploadRef {
    fn from(u: &reg::UploadRef) -> Self {
        Self {
            upload_id: u.upload_id.clone(),
            file_name: u.file_name.clone(),
            content_type: u.content_type.clone(),
            size: u.size,
        }
    }
}

/// Step 1 as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BasicInfoView {
    /// Username of the future admin account.
    pub username: String,
    /// 单位名称.
    pub unit_name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 法定代表人.
    pub legal_representative: String,
    /// 单位地址.
    pub address: String,
    /// 邮政编码.
    pub postcode: String,
}

/// 核准证 / 许可证.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QualificationKindView {
    /// 核准证.
    Approval,
    /// 许可证.
    Licence,
}

impl From<QualificationKind> for QualificationKindView {
    fn from(kind: QualificationKind) -> Self {
        match kind {
            QualificationKind::Approval => Self::Approval,
            QualificationKind::Licence => Self::Licence,
        }
    }
}

impl From<QualificationKindView> for QualificationKind {
    fn from(kind: QualificationKindView) -> Self {
        match kind {
            QualificationKindView::Approval => Self::Approval,
            QualificationKindView::Licence => Self::Licence,
        }
    }
}

/// Step 3 as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QualificationView {
    /// 核准证 or 许可证.
    pub kind: QualificationKindView,
    /// 证书编号.
    pub certificate_no: String,
    /// 发证机关.
    pub authority: String,
    /// 核准/许可项目.
    pub items: Vec<String>,
    /// First valid day.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last valid day.
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// The scan.
    pub scan: UploadRef,
}

impl From<&reg::Qualification> for QualificationView {
    fn from(q: &reg::Qualification) -> Self {
        Self {
            kind: q.kind.into(),
            certificate_no: q.certificate_no.clone(),
            authority: q.authority.as_str().into(),
            items: q.items.clone(),
            valid_from: q.valid_from,
            valid_until: q.valid_until,
            scan: UploadRef::from(&q.scan),
        }
    }
}

/// Step 4 as stored; the full ID number only for reviewers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    /// 姓名.
    pub name: String,
    /// `110***********002X`.
    pub id_number_masked: String,
    /// The full number (reviewers only).
    pub id_number: Option<String>,
    /// 手机号.
    pub mobile: String,
    /// 电子邮箱.
    pub email: String,
}

/// Registration state.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStateView {
    /// 草稿.
    Draft,
    /// 待审核.
    Submitted,
    /// 已通过.
    Approved,
    /// 已驳回.
    Rejected,
}

/// A reviewer's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    /// `approved` or `rejected`.
    pub outcome: RegistrationStateView,
    /// Reason (always given for a rejection).
    pub reason: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub decided_at: OffsetDateTime,
    /// Reviewer's username.
    pub decided_by: String,
}

impl From<&reg::Decision> for Decision {
    fn from(d: &reg::Decision) -> Self {
        Self {
            outcome: match d.outcome {
                Outcome::Approved => RegistrationStateView::Approved,
                Outcome::Rejected => RegistrationStateView::Rejected,
            },
            reason: d.reason.clone(),
            decided_at: d.decided_at,
            decided_by: d.decided_by.clone(),
        }
    }
}

/// A unit registration (F1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Registration)]
pub struct RegistrationView {
    /// Id.
    pub id: String,
    /// State.
    pub state: RegistrationStateView,
    /// Step 1.
    pub basic: Option<BasicInfoView>,
    /// Step 2: 营业执照.
    pub licence: Option<UploadRef>,
    /// Step 3.
    pub qualification: Option<QualificationView>,
    /// Step 4.
    pub contact: Option<ContactView>,
    /// Non-blocking warnings for the reviewer (e.g. USCC checksum).
    pub warnings: Vec<FieldError>,
    /// The first step still to fill in (1–4), null when complete.
    pub next_step: Option<u8>,
    /// The latest decision.
    pub decision: Option<Decision>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    /// Last submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<OffsetDateTime>,
    /// A draft is deleted after this instant unless submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub draft_expires_at: Option<OffsetDateTime>,
}

/// Who is looking at a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The registrant: ID number masked.
    Applicant,
    /// A reviewer: ID number in full.
    Reviewer,
}

fn state_view(state: RegistrationState) -> RegistrationStateView {
    match state {
        RegistrationState::Draft => RegistrationStateView::Draft,
        RegistrationState::Submitted => RegistrationStateView::Submitted,
        RegistrationState::Approved => RegistrationStateView::Approved,
        RegistrationState::Rejected => RegistrationStateView::Rejected,
    }
}

impl RegistrationView {
    /// The view of a registration for an audience.
    pub fn of(r: &reg::Registration, audience: Audience) -> Self {
        let b = &r.basic;
        Self {
            id: r.id.clone(),
            state: state_view(r.state),
            basic: Some(BasicInfoView {
                username: b.username.as_str().into(),
                unit_name: b.unit_name.as_str().into(),
                uscc: b.uscc.as_str().into(),
                legal_representative: b.legal_representative.as_str().into(),
                address: b.address.as_str().into(),
                postcode: b.postcode.as_str().into(),
            }),
            licence: r.licence.as_ref().map(UploadRef::from),
            qualification: r.qualification.as_ref().map(QualificationView::from),
            contact: r.contact.as_ref().map(|c| ContactView {
                name: c.name.as_str().into(),
                id_number_masked: c.id_number.masked(),
                id_number: (audience == Audience::Reviewer).then(|| c.id_number.as_str().to_owned()),
                mobile: c.mobile.as_str().into(),
                email: c.email.as_str().into(),
            }),
            warnings: r.warnings(),
            next_step: r.next_step(),
            decision: r.decision.as_ref().map(Decision::from),
            created_at: r.created_at,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at,
            draft_expires_at: (r.state == RegistrationState::Draft).then_some(r.draft_expires_at),
        }
    }
}

/// One changed field of a change request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeItem {
    /// The field (`unit_name`, `legal_representative`, `uscc`, `address`, `postcode`, `contact`).
    pub field: String,
    /// Its Chinese label.
    pub label: String,
    /// Before (personal data masked).
    pub before: String,
    /// After (personal data masked).
    pub after: String,
}

/// State of a change request.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStateView {
    /// 待审核.
    Pending,
    /// 已通过.
    Approved,
    /// 已驳回.
    Rejected,
}

/// An information change request (F8).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ChangeRequest)]
pub struct ChangeRequestView {
    /// Id.
    pub id: String,
    /// State.
    pub state: ChangeStateView,
    /// What changes, old and new.
    pub changes: Vec<ChangeItem>,
    /// 变更原因.
    pub reason: String,
    /// 证明材料.
    pub proofs: Vec<UploadRef>,
    /// Submitted.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: OffsetDateTime,
    /// Who submitted.
    pub submitted_by: String,
    /// The decision.
    pub decision: Option<Decision>,
}

impl ChangeRequestView {
    /// The view of a stored request.
    pub fn of(request: &gongshi_store::change_requests::ChangeRequest) -> Self {
        use gongshi_store::change_requests::ChangeState;
        Self {
            id: request.id.clone(),
            state: match request.state {
                ChangeState::Pending => ChangeStateView::Pending,
                ChangeState::Approved => ChangeStateView::Approved,
                ChangeState::Rejected => ChangeStateView::Rejected,
            },
            changes: request
                .items
                .iter()
                .map(|i| ChangeItem {
                    field: i.field.clone(),
                    label: i.label.clone(),
                    before: i.before.clone(),
                    after: i.after.clone(),
                })
                .collect(),
            reason: request.reason.clone(),
            proofs: request.proofs.iter().map(UploadRef::from).collect(),
            submitted_at: request.submitted_at,
            submitted_by: request.submitted_by.clone(),
            decision: request.decision.as_ref().map(Decision::from),
        }
    }
}

/// An account appeal (F5), as the appellant and reviewers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Appeal)]
pub struct AppealView {
    /// Id.
    pub id: String,
    /// `draft`, `submitted`, `approved` or `rejected`.
    pub state: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 单位名称.
    pub unit_name: String,
    /// 申诉人.
    pub applicant_name: String,
    /// 申诉人手机 (masked): the new authorised contact's.
    pub applicant_mobile_masked: String,
    /// 申诉人身份证号 (masked), the new authorised contact's.
    pub applicant_id_number_masked: Option<String>,
    /// Whether the appellant proved the mobile with an SMS code.
    pub mobile_verified: bool,
    /// Where the result is e-mailed.
    pub contact_email: String,
    /// 申诉原因.
    pub reason: String,
    /// 营业执照.
    pub licence: Option<UploadRef>,
    /// 授权委托书.
    pub authorisation: Option<UploadRef>,
    /// Submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<OffsetDateTime>,
    /// The reply is due by the end of this day (3 working days).
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// Still waiting after the due date.
    pub overdue: bool,
    /// The decision.
    pub decision: Option<Decision>,
}

impl AppealView {
    /// The view of a stored appeal on `today` (China time).
    pub fn of(a: &gongshi_store::appeals::Appeal, today: Date) -> Self {
        use gongshi_store::appeals::AppealState;
        Self {
            id: a.id.clone(),
            state: a.state.as_str().into(),
            uscc: a.uscc.to_string(),
            unit_name: a.unit_name.as_str().into(),
            applicant_name: a.applicant_name.as_str().into(),
            applicant_mobile_masked: a.applicant_mobile.masked(),
            applicant_id_number_masked: a.applicant_id_number.as_ref().map(|i| i.masked()),
            mobile_verified: a.mobile_verified_at.is_some(),
            contact_email: a.contact_email.as_str().into(),
            reason: a.reason.clone(),
            licence: a.licence.as_ref().map(UploadRef::from),
            authorisation: a.authorisation.as_ref().map(UploadRef::from),
            submitted_at: a.submitted_at,
            due_date: a.due_date,
            overdue: a.state == AppealState::Submitted && a.due_date.is_some_and(|due| today > due),
            decision: a.decision.as_ref().map(Decision::from),
        }
    }
}

/// One entry of a record's history (F23): a state change or decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// What happened.
    pub action: String,
    /// Who.
    pub actor: String,
    /// State before.
    pub from: Option<String>,
    /// State after.
    pub to: Option<String>,
    /// Reason given.
    pub reason: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
}

impl From<gongshi_store::audit::AuditEntry> for HistoryEntry {
    fn from(e: gongshi_store::audit::AuditEntry) -> Self {
        Self {
            action: e.action,
            actor: e.actor,
            from: e.from,
            to: e.to,
            reason: e.reason,
            at: e.at,
        }
    }
}

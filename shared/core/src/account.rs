//! Accounts and roles (docs/DOMAIN.md, Actors and roles).

use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 单位管理员: everything of its unit, incl. sub-accounts and branches.
    UnitAdmin,
    /// 子帐号: unit work, not accounts, branches or information changes.
    UnitStaff,
    /// 协会审核员: the review queues.
    Reviewer,
    /// Association administrator: reviewers, imports, clauses, calendar; may also review.
    AssociationAdmin,
}

impl Role {
    /// The role's API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnitAdmin => "unit_admin",
            Self::UnitStaff => "unit_staff",
            Self::Reviewer => "reviewer",
            Self::AssociationAdmin => "association_admin",
        }
    }

    /// Whether the role belongs to a unit (单位用户) rather than the association (协会用户).
    pub fn is_unit(self) -> bool {
        matches!(self, Self::UnitAdmin | Self::UnitStaff)
    }

    /// Whether the role may decide review queues.
    pub fn may_review(self) -> bool {
        matches!(self, Self::Reviewer | Self::AssociationAdmin)
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::UnitAdmin => "单位管理员",
            Self::UnitStaff => "单位子帐号",
            Self::Reviewer => "协会审核员",
            Self::AssociationAdmin => "协会管理员",
        }
    }
}

/// Whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Reserved by a registration that is not yet approved: may only work on its draft.
    Pending,
    /// May log in.
    Active,
    /// Disabled by an administrator.
    Disabled,
}

/// Why an account must set a new password before it may do anything else (ASVS 2.3: a
/// temporary or initial password is changed at first use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordChangeReason {
    /// A unit admin set it for a sub-account (a temporary password).
    SetByAdmin,
    /// The association approved an account appeal and sent a temporary password.
    Appeal,
    /// The old system's password does not meet today's password rule.
    WeakLegacy,
}

impl PasswordChangeReason {
    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SetByAdmin => "set_by_admin",
            Self::Appeal => "appeal",
            Self::WeakLegacy => "weak_legacy",
        }
    }

    /// What the user is told at login.
    pub fn message(self) -> &'static str {
        match self {
            Self::SetByAdmin => "您正在使用单位管理员设置的临时密码，请先设置新密码",
            Self::Appeal => "您正在使用帐号申诉后发送的临时密码，请先设置新密码",
            Self::WeakLegacy => "原系统密码不符合现行密码规则（至少8位，含字母和数字），请先设置新密码",
        }
    }
}

/// How long a temporary password may be used for its first login (3 days).
pub const TEMPORARY_PASSWORD_LIFETIME: time::Duration = time::Duration::days(3);

//! What every review shares (F21): the reason a reviewer gives, and the state machines of
//! the records a reviewer decides beside the registration's (`registration`) and the
//! application's (`practice`): information change requests and account appeals. Every
//! state enum has `as_str`, `FromStr` and `Display` through [`api_names!`], so a query
//! parameter or a stored name is read one way.

use crate::fields::Invalid;
use crate::registration::Outcome;
use serde::{Deserialize, Serialize};

/// Implements `FromStr` and `Display` from a state enum's `ALL` and `as_str`.
#[macro_export]
macro_rules! api_names {
    ($state:ty) => {
        impl ::std::str::FromStr for $state {
            type Err = $crate::review::UnknownName;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|s| s.as_str() == raw)
                    .ok_or($crate::review::UnknownName)
            }
        }
        impl ::std::fmt::Display for $state {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A name that is no state of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownName;

/// The reason of a decision (驳回原因, 审核意见, 答复意见): trimmed, 2–500 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reason(String);

impl Reason {
    /// Shortest reason.
    pub const MIN: usize = 2;
    /// Longest reason.
    pub const MAX: usize = 500;

    /// The one rule, with the one error code `reason_length`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let reason = raw.trim();
        if !(Self::MIN..=Self::MAX).contains(&reason.chars().count()) {
            return Err(Self::refused());
        }
        Ok(Self(reason.to_owned()))
    }

    /// The reason given for `outcome`, if any: required to reject (and always when
    /// `always_required`), optional otherwise; an empty one counts as none.
    pub fn for_outcome(outcome: Outcome, raw: Option<&str>, always_required: bool) -> Result<Option<Self>, Invalid> {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            Some(reason) => Self::parse(reason).map(Some),
            None if always_required || outcome == Outcome::Rejected => Err(Self::refused()),
            None => Ok(None),
        }
    }

    fn refused() -> Invalid {
        Invalid::new("reason_length", "请填写2至500个字符的原因或意见")
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Where an information change request (单位信息变更) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    /// Waiting for a reviewer.
    Pending,
    /// Applied to the unit.
    Approved,
    /// Refused; nothing changed.
    Rejected,
}

impl ChangeState {
    /// Every state.
    pub const ALL: [Self; 3] = [Self::Pending, Self::Approved, Self::Rejected];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// The state a decision leads to; `None` when the request is no longer pending.
    pub fn decided(self, outcome: Outcome) -> Option<Self> {
        match (self, outcome) {
            (Self::Pending, Outcome::Approved) => Some(Self::Approved),
            (Self::Pending, Outcome::Rejected) => Some(Self::Rejected),
            _ => None,
        }
    }
}

api_names!(ChangeState);

/// Where an account appeal (帐号申诉) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealState {
    /// Proofs being uploaded.
    Draft,
    /// Waiting for a reviewer (reply due within 3 working days).
    Submitted,
    /// Granted.
    Approved,
    /// Refused.
    Rejected,
}

impl AppealState {
    /// Every state.
    pub const ALL: [Self; 4] = [Self::Draft, Self::Submitted, Self::Approved, Self::Rejected];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// The state submission leads to; `None` unless a draft.
    pub fn submitted(self) -> Option<Self> {
        (self == Self::Draft).then_some(Self::Submitted)
    }

    /// The state a decision leads to; `None` unless submitted.
    pub fn decided(self, outcome: Outcome) -> Option<Self> {
        match (self, outcome) {
            (Self::Submitted, Outcome::Approved) => Some(Self::Approved),
            (Self::Submitted, Outcome::Rejected) => Some(Self::Rejected),
            _ => None,
        }
    }
}

api_names!(AppealState);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f21_a_reason_is_2_to_500_characters_and_required_to_reject() {
        assert_eq!(
            Reason::parse("  扫描件模糊  ").map(Reason::into_string),
            Ok("扫描件模糊".to_owned())
        );
        assert_eq!(Reason::parse("短").map_err(|e| e.code), Err("reason_length"));
        assert_eq!(Reason::parse(&"长".repeat(501)).map_err(|e| e.code), Err("reason_length"));
        assert!(Reason::parse(&"长".repeat(500)).is_ok());
        assert_eq!(
            Reason::for_outcome(Outcome::Rejected, None, false).map_err(|e| e.code),
            Err("reason_length")
        );
        assert_eq!(
            Reason::for_outcome(Outcome::Rejected, Some("  "), false).map_err(|e| e.code),
            Err("reason_length")
        );
        assert_eq!(Reason::for_outcome(Outcome::Approved, None, false), Ok(None));
        assert_eq!(
            Reason::for_outcome(Outcome::Approved, None, true).map_err(|e| e.code),
            Err("reason_length")
        );
    }

    #[test]
    fn f08_f05_only_a_waiting_request_or_appeal_is_decided() {
        assert_eq!(ChangeState::Pending.decided(Outcome::Approved), Some(ChangeState::Approved));
        assert_eq!(ChangeState::Approved.decided(Outcome::Rejected), None);
        assert_eq!(AppealState::Draft.decided(Outcome::Approved), None);
        assert_eq!(AppealState::Draft.submitted(), Some(AppealState::Submitted));
        assert_eq!(AppealState::Submitted.submitted(), None);
        assert_eq!(AppealState::Submitted.decided(Outcome::Rejected), Some(AppealState::Rejected));
    }

    #[test]
    fn state_names_read_back() {
        for state in ChangeState::ALL {
            assert_eq!(state.to_string().parse::<ChangeState>(), Ok(state));
        }
        for state in AppealState::ALL {
            assert_eq!(state.to_string().parse::<AppealState>(), Ok(state));
        }
        assert_eq!("approve".parse::<AppealState>(), Err(UnknownName));
    }
}

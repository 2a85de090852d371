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

/// How long a reviewer's claim holds an item before it lapses (others may then take it).
pub const CLAIM_LIFETIME: time::Duration = time::Duration::minutes(30);

/// A reviewer's claim on an item in a review queue (认领): others see who holds it and until
/// when, and may not decide it meanwhile; it lapses after [`CLAIM_LIFETIME`], and claiming
/// again renews it. A decision ends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The reviewer's username.
    pub by: String,
    /// Their name, as others see it.
    pub by_name: String,
    /// When it lapses.
    #[serde(with = "time::serde::rfc3339")]
    pub until: time::OffsetDateTime,
}

impl Claim {
    /// A claim by `reviewer` from `now`.
    pub fn new(by: &str, by_name: &str, now: time::OffsetDateTime) -> Self {
        Self {
            by: by.to_owned(),
            by_name: by_name.to_owned(),
            until: now + CLAIM_LIFETIME,
        }
    }

    /// The claim that still holds at `now`, if any.
    pub fn live(claim: Option<&Self>, now: time::OffsetDateTime) -> Option<&Self> {
        claim.filter(|c| c.until > now)
    }

    /// Another reviewer's claim that holds at `now`: what keeps `reviewer` from claiming or
    /// deciding. A lapsed claim and one's own hold nobody back.
    pub fn held_by_other<'a>(claim: Option<&'a Self>, reviewer: &str, now: time::OffsetDateTime) -> Option<&'a Self> {
        Self::live(claim, now).filter(|c| c.by != reviewer)
    }
}

#[cfg(test)]
mod claim_tests {
    use super::Claim;
    use time::macros::datetime;

    #[test]
    fn a_claim_holds_others_back_until_it_lapses_and_never_its_holder() {
        let now = datetime!(2026-12-02 09:00 UTC);
        let claim = Claim::new("reviewer1", "王审核", now);
        assert_eq!(claim.until, datetime!(2026-12-02 09:30 UTC));
        assert!(Claim::held_by_other(Some(&claim), "reviewer2", now).is_some());
        assert!(Claim::held_by_other(Some(&claim), "reviewer1", now).is_none(), "not its holder");
        let later = datetime!(2026-12-02 09:30 UTC);
        assert!(
            Claim::held_by_other(Some(&claim), "reviewer2", later).is_none(),
            "lapsed at its end"
        );
        assert!(Claim::live(None, now).is_none());
    }
}

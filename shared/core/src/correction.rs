//! Return for correction (退回补正): a reviewer sends an item back to its unit with one or
//! more structured reasons instead of refusing it, and the unit corrects it within a
//! correction period of working days. The reasons, the request's one rule and the period's
//! end are here; each kind's state machine says where a return leads (for a publicity
//! application: `practice::ApplicationState::Returned`).

use crate::FieldError;
use crate::calendar::{CHINA, WorkCalendar};
use crate::review::Reason;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time};
use utoipa::ToSchema;

/// Why an item is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionReason {
    /// 扫描件不清晰: the scan cannot be read.
    ScanUnreadable,
    /// 缺少签字或盖章: a signature or the unit's seal is missing.
    SignatureOrSealMissing,
    /// 人员不符: the document shows another person than the application.
    WrongPerson,
    /// 信息不一致: the document and the application disagree.
    DataMismatch,
    /// 其他: explained in the note.
    Other,
}

impl CorrectionReason {
    /// Every reason, in the order the reviewer sees them.
    pub const ALL: [Self; 5] = [
        Self::ScanUnreadable,
        Self::SignatureOrSealMissing,
        Self::WrongPerson,
        Self::DataMismatch,
        Self::Other,
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScanUnreadable => "scan_unreadable",
            Self::SignatureOrSealMissing => "signature_or_seal_missing",
            Self::WrongPerson => "wrong_person",
            Self::DataMismatch => "data_mismatch",
            Self::Other => "other",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::ScanUnreadable => "扫描件不清晰",
            Self::SignatureOrSealMissing => "缺少签字或盖章",
            Self::WrongPerson => "人员不符",
            Self::DataMismatch => "信息不一致",
            Self::Other => "其他",
        }
    }
}

crate::api_names!(CorrectionReason);

/// What the unit is asked to correct: at least one reason, each once, and a note (2–500
/// characters) that "other" requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    /// The reasons, in the order of [`CorrectionReason::ALL`].
    pub reasons: Vec<CorrectionReason>,
    /// The reviewer's explanation.
    pub note: Option<String>,
}

impl CorrectionRequest {
    /// The one rule: `reasons_required` on `reasons` when none is given, `reason_length` on
    /// `note` when "other" has no note or a note is too short or too long.
    pub fn parse(reasons: &[CorrectionReason], note: Option<&str>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if reasons.is_empty() {
            errors.push(FieldError::new("reasons", "reasons_required", "请至少选择一项退回补正的原因"));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let note = match note {
            Some(text) => match Reason::parse(text) {
                Ok(reason) => Some(reason.as_str().to_owned()),
                Err(refused) => {
                    errors.push(FieldError::new("note", refused.code, "补正说明须为2至500个字符"));
                    None
                }
            },
            None if reasons.contains(&CorrectionReason::Other) => {
                errors.push(FieldError::new("note", "reason_length", "选择“其他”时请填写2至500个字符的补正说明"));
                None
            }
            None => None,
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let reasons = CorrectionReason::ALL.into_iter().filter(|r| reasons.contains(r)).collect();
        Ok(Self { reasons, note })
    }

    /// The request as one line for texts, audit entries and lists:
    /// `扫描件不清晰；其他：公章模糊`.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = self
            .reasons
            .iter()
            .filter(|r| **r != CorrectionReason::Other)
            .map(|r| r.label().to_owned())
            .collect();
        match (&self.note, self.reasons.contains(&CorrectionReason::Other)) {
            (Some(note), true) => parts.push(format!("其他：{note}")),
            (Some(note), false) => parts.push(format!("说明：{note}")),
            (None, _) => {}
        }
        parts.join("；")
    }
}

/// A return as the item records it: what was asked, by whom, until when, and when it was
/// corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// What the unit is asked to correct.
    #[serde(flatten)]
    pub request: CorrectionRequest,
    /// The reviewer.
    pub returned_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub returned_at: OffsetDateTime,
    /// The last day to correct (the period ends at its midnight, China time).
    pub due: Date,
    /// When the corrected item went back to review.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub corrected_at: Option<OffsetDateTime>,
}

/// The correction period's default length: 5 working days (`GONGSHI_CORRECTION_WORKING_DAYS`).
pub const CORRECTION_WORKING_DAYS: u32 = 5;

/// The last day to correct an item returned on `today`: the `working_days`th working day
/// after it.
pub fn correction_due(calendar: &WorkCalendar, today: Date, working_days: u32) -> Date {
    calendar.add_working_days(today, working_days)
}

/// The instant the correction period ends: the end of its last day in China (the next
/// day's 00:00 China time).
pub fn correction_deadline(due: Date) -> OffsetDateTime {
    (due + Duration::days(1))
        .with_time(Time::MIDNIGHT)
        .assume_offset(CHINA)
        .to_offset(time::UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn f21_a_return_needs_a_reason_and_other_needs_its_note() {
        let none = CorrectionRequest::parse(&[], None).expect_err("no reason");
        assert_eq!(
            none.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(),
            [("reasons", "reasons_required")]
        );
        let other = CorrectionRequest::parse(&[CorrectionReason::Other], Some(" ")).expect_err("other without a note");
        assert_eq!((other[0].field.as_str(), other[0].code.as_str()), ("note", "reason_length"));
        let short = CorrectionRequest::parse(&[CorrectionReason::ScanUnreadable], Some("糊")).expect_err("too short");
        assert_eq!(short[0].field, "note");
        let both = CorrectionRequest::parse(&[], Some("x")).expect_err("both");
        assert_eq!(both.len(), 2, "every field at once");
    }

    #[test]
    fn f21_a_returns_reasons_are_kept_once_in_their_order_and_said_in_one_line() {
        let request = CorrectionRequest::parse(
            &[
                CorrectionReason::Other,
                CorrectionReason::ScanUnreadable,
                CorrectionReason::ScanUnreadable,
            ],
            Some("公章模糊，请重新盖章后扫描"),
        )
        .expect("valid");
        assert_eq!(request.reasons, [CorrectionReason::ScanUnreadable, CorrectionReason::Other]);
        assert_eq!(request.text(), "扫描件不清晰；其他：公章模糊，请重新盖章后扫描");
        let plain = CorrectionRequest::parse(&[CorrectionReason::SignatureOrSealMissing], None).expect("valid");
        assert_eq!(plain.text(), "缺少签字或盖章");
    }

    #[test]
    fn f21_the_correction_period_is_five_working_days_ending_at_midnight_china_time() {
        // Returned on Thursday 2026-12-03: Fri, Mon, Tue, Wed, Thu → due Thursday 12-10.
        let due = correction_due(&WorkCalendar::default(), date!(2026 - 12 - 03), CORRECTION_WORKING_DAYS);
        assert_eq!(due, date!(2026 - 12 - 10));
        assert_eq!(correction_deadline(due), datetime!(2026-12-10 16:00 UTC));
    }
}

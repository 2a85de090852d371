//! The review kit (F21) the four review functions share: one decision body, the state of a
//! queue from its query parameter, and one document link with its presigned URL. Each
//! review function keeps only what its decision does.

use crate::{ApiError, Request, query_param};
use gongshi_core::FieldError;
use gongshi_core::correction::{Correction, CorrectionReason, CorrectionRequest};
use gongshi_core::registration::{Outcome, UploadRef};
use gongshi_core::review::Reason;
use gongshi_core::upload::UploadPurpose;
use gongshi_platform::Platform;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use utoipa::ToSchema;

/// Approve or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// 通过.
    Approve,
    /// 驳回.
    Reject,
}

impl From<DecisionOutcome> for Outcome {
    fn from(outcome: DecisionOutcome) -> Self {
        match outcome {
            DecisionOutcome::Approve => Outcome::Approved,
            DecisionOutcome::Reject => Outcome::Rejected,
        }
    }
}

/// A reviewer's decision, the same for every queue.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Approve or reject.
    pub outcome: DecisionOutcome,
    /// 2–500 characters; required to reject (appeals: always, it is the reply).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A decision that passed the reason rule.
#[derive(Debug, Clone)]
pub struct Decided {
    /// Approved or rejected.
    pub outcome: Outcome,
    /// The reason, when given (always when required).
    pub reason: Option<Reason>,
}

impl Decided {
    /// Whether it approves.
    pub fn approved(&self) -> bool {
        self.outcome == Outcome::Approved
    }

    /// The reason's text, owned.
    pub fn reason_text(&self) -> Option<String> {
        self.reason.as_ref().map(|r| r.as_str().to_owned())
    }
}

impl DecisionInput {
    /// The decision with its reason checked (`reason_length` on field `reason`).
    pub fn check(&self, reason_always_required: bool) -> Result<Decided, ApiError> {
        let outcome = Outcome::from(self.outcome);
        let reason = Reason::for_outcome(outcome, self.reason.as_deref(), reason_always_required)
            .map_err(|e| ApiError::Invalid(vec![FieldError::new("reason", e.code, e.message)]))?;
        Ok(Decided { outcome, reason })
    }
}

/// A return for correction (退回补正): the reasons by their API names, and a note that
/// "other" requires.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    /// One or more of `scan_unreadable`, `signature_or_seal_missing`, `wrong_person`,
    /// `data_mismatch`, `other`.
    #[serde(default)]
    #[schema(value_type = Vec<CorrectionReason>)]
    pub reasons: Vec<String>,
    /// 补正说明, 2–500 characters; required with `other`.
    #[serde(default)]
    pub note: Option<String>,
}

impl ReturnInput {
    /// The request with its rule checked: an unknown reason is `invalid_value` on
    /// `reasons[i]`, the rest as [`CorrectionRequest::parse`] says.
    pub fn check(&self) -> Result<CorrectionRequest, ApiError> {
        let mut errors = Vec::new();
        let mut reasons = Vec::new();
        for (i, raw) in self.reasons.iter().enumerate() {
            match raw.parse::<CorrectionReason>() {
                Ok(reason) => reasons.push(reason),
                Err(_) => errors.push(FieldError::new(
                    format!("reasons[{i}]"),
                    "invalid_value",
                    format!("退回原因只能是 {}", CorrectionReason::ALL.map(|r| r.as_str()).join("、")),
                )),
            }
        }
        let checked = CorrectionRequest::parse(&reasons, self.note.as_deref());
        match checked {
            Ok(request) if errors.is_empty() => Ok(request),
            Ok(_) => Err(ApiError::Invalid(errors)),
            Err(more) => {
                // An unknown reason already names `reasons`: "none given" would mislead.
                let named = !errors.is_empty();
                errors.extend(more.into_iter().filter(|e| !(named && e.field == "reasons")));
                Err(ApiError::Invalid(errors))
            }
        }
    }
}

/// A reason of a return, as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionReasonView {
    /// The reason.
    pub code: CorrectionReason,
    /// Its Chinese label.
    pub label: String,
}

/// A return for correction as the reviewer and the unit see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionView {
    /// What to correct.
    pub reasons: Vec<CorrectionReasonView>,
    /// The reviewer's note.
    pub note: Option<String>,
    /// Reasons and note in one line (as texted).
    pub text: String,
    /// The reviewer's username.
    pub returned_by: String,
    /// When it was returned.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub returned_at: time::OffsetDateTime,
    /// The last day to correct (the period ends at its midnight, China time).
    #[schema(value_type = String, format = Date)]
    pub due: time::Date,
    /// When the corrected item went back to review; `null` while the return is open.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub corrected_at: Option<time::OffsetDateTime>,
}

impl From<&Correction> for CorrectionView {
    fn from(c: &Correction) -> Self {
        Self {
            reasons: c
                .request
                .reasons
                .iter()
                .map(|r| CorrectionReasonView {
                    code: *r,
                    label: r.label().into(),
                })
                .collect(),
            note: c.request.note.clone(),
            text: c.request.text(),
            returned_by: c.returned_by.clone(),
            returned_at: c.returned_at,
            due: c.due,
            corrected_at: c.corrected_at,
        }
    }
}

/// The state a queue shows: the `state` query parameter, or `default` when absent.
pub fn queue_state<S: FromStr + std::fmt::Display + Copy>(req: &Request, default: S, all: &[S]) -> Result<S, ApiError> {
    match query_param(req, "state").filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|_| {
            let names: Vec<String> = all.iter().map(ToString::to_string).collect();
            ApiError::field("state", "invalid_value", &format!("状态只能是 {}", names.join("、")))
        }),
    }
}

/// A document a reviewer looks at, through a short-lived link.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentLink {
    /// What it is.
    pub purpose: UploadPurpose,
    /// Its Chinese label (营业执照, 授权委托书, …).
    pub label: String,
    /// File name.
    pub file_name: String,
    /// Content type (an image or a PDF).
    pub content_type: String,
    /// Presigned download URL (valid for minutes).
    pub url: String,
}

/// The link to an attached upload.
pub async fn document_link(p: &Platform, purpose: UploadPurpose, upload: &UploadRef) -> Result<DocumentLink, ApiError> {
    Ok(DocumentLink {
        purpose,
        label: purpose.label().into(),
        file_name: upload.file_name.clone(),
        content_type: upload.content_type.clone(),
        url: gongshi_workflow::uploads::download_url(p, upload).await?,
    })
}

/// The links of the attached uploads among `attached`, in that order.
pub async fn document_links(p: &Platform, attached: &[(UploadPurpose, Option<&UploadRef>)]) -> Result<Vec<DocumentLink>, ApiError> {
    let mut links = Vec::new();
    for (purpose, upload) in attached {
        if let Some(upload) = upload {
            links.push(document_link(p, *purpose, upload).await?);
        }
    }
    Ok(links)
}

/// Rows an export holds at most (the rest: narrow the filter).
pub const EXPORT_ROWS: usize = 5_000;

/// Every item of a paged read (a queue in one state, a unit's list), 100 to a page and at
/// most [`EXPORT_ROWS`]: what an export downloads.
pub async fn all_pages<T, Fut>(mut page: impl FnMut(Option<gongshi_platform::Cursor>) -> Fut) -> Result<Vec<T>, ApiError>
where
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<gongshi_platform::Cursor>), gongshi_store::StoreError>>,
{
    let limit = EXPORT_ROWS;
    let (mut rows, mut after) = (Vec::new(), None);
    loop {
        let (found, next) = page(after).await?;
        rows.extend(found);
        match next {
            Some(next) if rows.len() < limit => after = Some(next),
            _ => break,
        }
    }
    rows.truncate(limit);
    Ok(rows)
}

/// A queue's state as the reviewer reads it in an export (待审核, 已通过, 已驳回).
pub fn queue_state_label(code: &str) -> &'static str {
    match code {
        "submitted" | "pending" => "待审核",
        "approved" => "已通过",
        "rejected" => "已驳回",
        _ => "其他",
    }
}

/// A queue as an .xlsx download: `columns` (header, width) over `rows`.
pub fn queue_workbook(
    sheet: &str,
    file_name: &str,
    columns: &[(&str, f64)],
    rows: Vec<Vec<String>>,
) -> Result<lambda_http::Response<lambda_http::Body>, ApiError> {
    use gongshi_files::write::{Column, Grid};
    let grid = Grid {
        name: sheet.into(),
        columns: columns.iter().map(|(h, w)| Column::text(h, *w)).collect(),
        rows,
        ..Grid::default()
    };
    crate::response::workbook(&grid, file_name)
}

/// Who holds an item in a review queue (认领), as every reviewer sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimView {
    /// The reviewer's username.
    pub by: String,
    /// Their name.
    pub by_name: String,
    /// When the claim lapses (then anyone may take the item).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub until: time::OffsetDateTime,
    /// Whether the caller holds it.
    pub mine: bool,
}

impl ClaimView {
    /// The claim that holds at `now`, as `caller` sees it; `None` when nobody holds the item.
    pub fn of(claim: Option<&gongshi_core::review::Claim>, caller: &str, now: time::OffsetDateTime) -> Option<Self> {
        gongshi_core::review::Claim::live(claim, now).map(|c| Self {
            by: c.by.clone(),
            by_name: c.by_name.clone(),
            until: c.until,
            mine: c.by == caller,
        })
    }
}

/// The one claim rule of every step a reviewer takes on a queued item (claim, release,
/// decide, return): 409 `claimed_by_other` while another reviewer's claim holds at `now`.
pub fn require_unclaimed(
    claim: Option<&gongshi_core::review::Claim>,
    reviewer: &str,
    now: time::OffsetDateTime,
    what: &str,
) -> Result<(), ApiError> {
    match gongshi_core::review::Claim::held_by_other(claim, reviewer, now) {
        Some(other) => Err(claimed_by_other(other, what)),
        None => Ok(()),
    }
}

/// 409 for a reviewer who claims or decides what another holds.
pub fn claimed_by_other(claim: &gongshi_core::review::Claim, what: &str) -> ApiError {
    ApiError::Conflict(
        "claimed_by_other",
        format!(
            "该{what}已由{}认领（至 {}），认领失效或被释放后方可处理",
            claim.by_name,
            gongshi_core::china_time(claim.until)
        ),
    )
}

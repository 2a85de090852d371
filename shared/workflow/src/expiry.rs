//! Where and how an application expires: the one answer.
//!
//! An application that is not printed, uploaded and confirmed within the deadline
//! (`Periods::application_deadline`, 7 days by default), or one returned for correction and
//! not corrected within the correction period (`Periods::correction_working_days`, 5 working
//! days by default), ends as 不通过（逾期）: the person is freed and the unit's contact and
//! the practitioner are texted once. Three layers see
//! to it, and every one of them goes through [`expire_if_due`], so whichever comes first
//! wins and the others find nothing to do:
//!
//! | layer | where | when |
//! |---|---|---|
//! | read time | `Application::state_at` (gongshi-store): every view, list and step sees an overdue application as expired at once; a person found with an overdue lock is expired by [`crate::eligibility::look_up`] | every request |
//! | sweeper | [`sweep`], run by functions/application-expiry (EventBridge every 5 minutes) over the deadline markers' index | within 5 minutes |
//! | TTL stream | functions/ttl-stream, when DynamoDB deletes the deadline marker by TTL (locally the gateway's TTL sweeper) | within DynamoDB's TTL delay |

use crate::applications::{SYSTEM, advance};
use crate::{Result, notify};
use gongshi_core::practice::{ApplicationState, Periods, Step};
use gongshi_platform::{Platform, TableError};
use gongshi_store::applications::{self, Application};

/// Why an expired application ended: the configured deadline, or the correction period of
/// one returned for correction (退回补正) and not corrected.
pub fn reason(app: &Application, periods: &Periods) -> String {
    if app.state == ApplicationState::Returned || app.corrections.last().is_some_and(|c| c.corrected_at.is_none()) {
        return format!(
            "申报单退回补正后{}个工作日内未重新上传，已自动结束，如需公示请重新申报",
            periods.correction_working_days
        );
    }
    format!(
        "申报单创建后{}天内未完成打印、上传和执业人确认，已自动结束，如需公示请重新申报",
        periods.application_deadline.whole_days()
    )
}

/// Expires the application if its deadline has passed and it still counts down. Idempotent:
/// `Ok(false)` when there is nothing (more) to do, e.g. another layer was first.
pub async fn expire_if_due(p: &Platform, id: &str) -> Result<bool> {
    let Some(app) = applications::get(p.table.as_ref(), id).await? else {
        return Ok(false);
    };
    let now = p.clock.now();
    if !app.state.counts_down() || now < app.deadline {
        return Ok(false);
    }
    let why = reason(&app, &p.config.periods);
    let transition = advance(p, &app, Step::Expire, SYSTEM, Some(why.clone()), |next| {
        next.end_reason = Some(why);
    })?;
    match p.table.transact(transition.writes).await {
        Ok(()) => {
            tracing::info!(application = %app.id, "application expired");
            notify::outcome(p, &transition.next).await;
            Ok(true)
        }
        Err(TableError::ConditionFailed) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Markers read per round of [`sweep`].
const PAGE: usize = 100;

/// Most rounds per run of [`sweep`]; the next run continues.
const ROUNDS: usize = 50;

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SweepReport {
    /// Applications expired by this run.
    pub expired: usize,
    /// Markers of applications another layer had already ended (removed).
    pub stale: usize,
}

/// Expires every application due at the clock's now, found through the deadline markers'
/// index (gsi1 `DEADLINE`); a marker of an application that moved on is removed.
pub async fn sweep(p: &Platform) -> Result<SweepReport> {
    let mut report = SweepReport::default();
    for _ in 0..ROUNDS {
        let due = applications::due(p.table.as_ref(), p.clock.now(), PAGE).await?;
        for id in &due {
            if expire_if_due(p, id).await? {
                report.expired += 1;
            } else {
                // Ended meanwhile by another layer or step: the marker has no use left.
                p.table.transact(vec![applications::clear_deadline(id)]).await?;
                report.stale += 1;
            }
        }
        if due.len() < PAGE {
            break;
        }
    }
    if report.expired > 0 || report.stale > 0 {
        tracing::info!(expired = report.expired, stale = report.stale, "overdue applications swept");
    }
    Ok(report)
}

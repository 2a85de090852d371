//! The scheduled sweeper (EventBridge, every 5 minutes): expires applications whose 7-day
//! deadline has passed, found through the deadline markers' index (gsi1 `DEADLINE`). One of
//! the three expiry layers of DESIGN.md; all of them go through the same idempotent
//! transition (`gongshi_http::publicity::expire_if_due`), so whichever comes first wins and
//! the others find nothing to do.

use gongshi_http::publicity::expire_if_due;
use gongshi_platform::Platform;
use gongshi_store::applications;

/// Markers read per round.
const PAGE: usize = 100;

/// Most rounds per run; the next run continues.
const ROUNDS: usize = 50;

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SweepReport {
    /// Applications expired by this run.
    pub expired: usize,
    /// Markers of applications another layer had already ended (removed).
    pub stale: usize,
}

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// Expires every application due at the clock's now.
pub async fn expire_overdue_applications(p: &Platform) -> Result<SweepReport, String> {
    let mut report = SweepReport::default();
    for _ in 0..ROUNDS {
        let due = applications::due(p.table.as_ref(), p.clock.now(), PAGE)
            .await
            .map_err(|e| e.to_string())?;
        for id in &due {
            if expire_if_due(p, id).await.map_err(|e| format!("{e:?}"))? {
                report.expired += 1;
            } else {
                // Ended meanwhile by another layer or step: the marker has no use left.
                p.table
                    .transact(vec![applications::clear_deadline(id)])
                    .await
                    .map_err(|e| e.to_string())?;
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

//! The scheduled sweeper (EventBridge, every 5 minutes): expires applications whose 7-day
//! deadline has passed, found through the deadline markers' index (gsi1 `DEADLINE`). One of
//! the three expiry layers of `gongshi_workflow::expiry`; all of them go through the same idempotent
//! transition (`gongshi_workflow::expiry::expire_if_due`), so whichever comes first wins and
//! the others find nothing to do.

use gongshi_platform::Platform;
pub use gongshi_workflow::expiry::SweepReport;

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns();

/// Expires every application due at the clock's now (`gongshi_workflow::expiry::sweep`).
pub async fn expire_overdue_applications(p: &Platform) -> Result<SweepReport, gongshi_workflow::Error> {
    gongshi_workflow::expiry::sweep(p).await
}

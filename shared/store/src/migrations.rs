//! Migrations of stored data to the current layout, run by `gongshi-local` at start and by
//! `gongshi-provision` after it creates the table (docs/OPERATIONS.md). Every step is
//! idempotent: it may be run again, or interrupted and run again, and leaves the same data.
//! The steps applied are recorded under `CONFIG#MIGRATIONS` / `APPLIED`, so that a start
//! does not repeat a finished step's reads.

use crate::{StoreError, clauses, from_item, to_item};
use gongshi_platform::{Condition, Key, Table};
use serde::{Deserialize, Serialize};

/// One step: its name and what it does.
struct Step {
    name: &'static str,
}

/// Every step, oldest first.
const STEPS: &[Step] = &[
    // The clauses in force as one item read by key (issue #15): `CONFIG#CLAUSES` / `CURRENT`.
    Step { name: "clauses-current" },
    // Each application keeps a copy of its history (issue #15): a view needs no second read.
    Step {
        name: "application-history",
    },
    // The unit's latest information change in its partition (the home reads it there).
    Step { name: "unit-last-change" },
    // A person's certificate items in their profile (one read by key brings name and items).
    Step { name: "registry-items" },
    // The unit's approved qualification scopes with the unit (read by key with the caller).
    Step { name: "unit-scopes" },
    // The registry's item dictionary (项目代号 and 项目名称) from the people imported before it.
    Step { name: "item-dictionary" },
    // A unit admin is named after its authorised contact, not after the unit (#17 bug 19).
    Step { name: "unit-admin-names" },
    // A unit's branches in its accounts index: one query lists both (issue #15).
    Step { name: "branch-index" },
    // A unit's profile in its accounts index too: the appeal review reads both at once (#15).
    Step { name: "unit-index" },
    // A registration's history beside it: the review and its decision read no audit trail (#15).
    Step {
        name: "registration-history",
    },
    // A unit's open applications marked in its partition: the unit home lists them (#19).
    Step {
        name: "unit-open-applications",
    },
    // A unit's publicities marked in its partition: the unit home counts them (#19).
    Step { name: "unit-publicities" },
];

#[derive(Debug, Default, Serialize, Deserialize)]
struct Applied {
    steps: Vec<String>,
}

/// The record of the steps applied (also what the readiness check reads: a key that
/// always exists once the store was started, read by key).
pub fn key() -> Key {
    Key::new("CONFIG#MIGRATIONS", "APPLIED")
}

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Steps run now.
    pub ran: Vec<&'static str>,
    /// Items written by them.
    pub written: usize,
}

async fn run_step(table: &dyn Table, step: &Step) -> Result<usize, StoreError> {
    match step.name {
        "clauses-current" => Ok(usize::from(clauses::copy_latest_as_current(table).await?)),
        "application-history" => crate::applications::copy_history_into_records(table).await,
        "unit-last-change" => crate::change_requests::copy_last_changes(table).await,
        "registry-items" => crate::practitioners::move_items_into_profiles(table).await,
        "unit-scopes" => crate::units::copy_scopes_into_units(table).await,
        "item-dictionary" => crate::item_codes::fill_from_profiles(table).await,
        "unit-admin-names" => crate::unit_accounts::name_unit_admins_after_their_contact(table).await,
        "branch-index" => crate::branches::index_with_accounts(table).await,
        "unit-index" => crate::units::index_with_accounts(table).await,
        "registration-history" => crate::registrations::copy_history_beside_records(table).await,
        "unit-open-applications" => crate::applications::mark_open_applications(table).await,
        "unit-publicities" => crate::practitioners::mark_unit_publicities(table).await,
        other => Err(StoreError::Table(gongshi_platform::TableError::Invalid(format!(
            "unknown migration step {other}"
        )))),
    }
}

/// Runs the steps not yet applied, in order, recording each once it finished.
pub async fn run(table: &dyn Table) -> Result<Report, StoreError> {
    let mut applied: Applied = table.get(&key()).await?.map(from_item).transpose()?.unwrap_or_default();
    let mut report = Report::default();
    for step in STEPS {
        if applied.steps.iter().any(|s| s == step.name) {
            continue;
        }
        report.written += run_step(table, step).await?;
        report.ran.push(step.name);
        applied.steps.push(step.name.into());
        // Two starts racing both run the (idempotent) step; the record keeps the union.
        table.put(to_item(&key(), &applied, &[]), Condition::Always).await?;
    }
    Ok(report)
}

/// Forgets that the steps ran (tests: to run them again over the same data).
pub async fn forget(table: &dyn Table) -> Result<(), StoreError> {
    table.delete(&key(), Condition::Always).await.map_err(Into::into)
}

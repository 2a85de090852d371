//! A unit with the accounts and branches that work for it: one query of the unit's accounts
//! index (gsi1 `UNITACCT#<unit>`), which holds the unit's profile, its accounts and its
//! branches.

use crate::accounts::Account;
use crate::branches::Branch;
use crate::units::Unit;
use crate::{StoreError, from_item};
use gongshi_core::account::{AccountStatus, Role};
use gongshi_platform::{Index, Query, Table, TableError};

/// A unit with the accounts and branches that work for it, from one query of its accounts
/// index (eventually consistent, as every index read: a decision's conditional writes catch a
/// stale copy).
#[derive(Debug, Clone, Default)]
pub struct UnitAccounts {
    /// The profile (absent for an unknown unit, or one the migration `unit-index` has not
    /// written yet: read it by key then).
    pub unit: Option<Unit>,
    /// Its accounts, by username.
    pub accounts: Vec<Account>,
    /// Its branches, oldest first.
    pub branches: Vec<Branch>,
}

/// The unit, its accounts and its branches in one query.
pub async fn read(table: &dyn Table, unit_id: &str) -> Result<UnitAccounts, StoreError> {
    let query = Query::partition(Index::Gsi1, crate::entity::unit_accounts(unit_id)).limit(1000);
    let mut found = UnitAccounts::default();
    for item in table.query(&query).await?.items {
        let sort = item.get("sk").and_then(serde_json::Value::as_str).unwrap_or_default();
        if sort == "PROFILE" {
            found.unit = Some(from_item(item)?);
        } else if sort.starts_with("BRANCH#") {
            found.branches.push(from_item(item)?);
        } else if sort == "ACCT" {
            found.accounts.push(from_item(item)?);
        }
    }
    Ok(found)
}

/// Migration `unit-admin-names`: a unit admin activated or imported before the account was
/// named after its person carries the unit's name as its 姓名; it is given the unit's
/// authorised contact's name. Only an admin whose name equals its unit's current name is
/// changed (a name its user chose stays); run again, it writes nothing.
pub async fn name_unit_admins_after_their_contact(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut pages = crate::ScanPages::new(table, "ACCT", "ACCT#");
    while let Some(items) = pages.next().await? {
        for item in items {
            let mut account: Account = from_item(item)?;
            let (Role::UnitAdmin, AccountStatus::Active, None, Some(unit_id)) =
                (account.role, account.status, &account.branch_id, &account.unit_id)
            else {
                continue;
            };
            let Some(unit) = crate::units::get(table, unit_id).await? else {
                continue;
            };
            if account.display_name != unit.name.as_str() || unit.contact.name.as_str() == unit.name.as_str() {
                continue;
            }
            account.display_name = unit.contact.name.as_str().into();
            let version = account.version;
            account.version += 1;
            match table.transact(vec![crate::accounts::replace(&account, version)]).await {
                Ok(()) => written += 1,
                // Changed meanwhile (a login, a new password): its next run sees it again.
                Err(TableError::ConditionFailed) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(written)
}

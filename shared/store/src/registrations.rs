//! Registrations: `REG#<id>` / `REG`. Submitted and decided registrations are in the review
//! queue index (gsi1 `REGQ#<state>`, sorted by submission time); drafts expire by TTL. Each
//! registration's history is kept beside it (`REG#<id>` / `HISTORY`), so the review reads
//! both in one batch get and a decision answers with it without reading the audit trail.

use crate::audit::AuditEntry;
use crate::{StoreError, from_item, to_item};
use gongshi_core::registration::{Registration, RegistrationState};
use gongshi_platform::{Condition, Cursor, Index, Item, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;

/// The registration's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("REG#{id}"), "REG")
}

/// The entity name used for its audit trail and as an upload owner.
pub fn entity(id: &str) -> String {
    format!("REG#{id}")
}

fn item(registration: &Registration) -> Item {
    let mut extra: Vec<(&str, Value)> = Vec::new();
    match (registration.state, registration.submitted_at) {
        (RegistrationState::Draft, _) => extra.push(("expires_at", registration.draft_expires_at.unix_timestamp().into())),
        (state, Some(at)) => {
            let at = at.format(&Rfc3339).unwrap_or_default();
            extra.push(("gsi1pk", format!("REGQ#{}", state.as_str()).into()));
            extra.push(("gsi1sk", format!("{at}#{}", registration.id).into()));
        }
        (_, None) => {}
    }
    to_item(&key(&registration.id), registration, &extra)
}

/// The registration, if any (an expired draft is returned too; check it).
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<Registration>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// Creates a new registration.
pub fn create(registration: &Registration) -> Write {
    Write::Put {
        item: item(registration),
        condition: Condition::NotExists,
    }
}

/// Replaces the registration if it is still at `expected_version`.
pub fn replace(registration: &Registration, expected_version: u64) -> Write {
    Write::Put {
        item: item(registration),
        condition: Condition::equals("version", expected_version),
    }
}

/// A registration's transitions, oldest first: a copy of its audit entries kept in its own
/// partition. Absent for registrations made before the copy existed (the review then reads
/// the audit trail; the migration `registration-history` writes it for those in review or
/// decided) and for a draft whose copy expired before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Every entry, oldest first.
    pub entries: Vec<AuditEntry>,
}

/// The key of the registration's history.
pub fn history_key(id: &str) -> Key {
    Key::new(format!("REG#{id}"), "HISTORY")
}

/// Writes the history of `registration` (expiring with it while it is a draft). Only with
/// the registration's own conditional write in one transaction: that condition keeps two
/// writers from losing each other's entries.
pub fn put_history(registration: &Registration, history: &History) -> Write {
    let extra: Vec<(&str, Value)> = match registration.state {
        RegistrationState::Draft => vec![("expires_at", registration.draft_expires_at.unix_timestamp().into())],
        _ => Vec::new(),
    };
    Write::Put {
        item: to_item(&history_key(&registration.id), history, &extra),
        condition: Condition::Always,
    }
}

/// Records `entry` for `registration`: the audit trail's write, and the history's with the
/// entry appended when the registration keeps one (`history` as read with it; `None`: an
/// older registration, whose review reads the audit trail).
pub fn record(registration: &Registration, history: Option<&mut History>, entry: AuditEntry, id: &str) -> Vec<Write> {
    let mut writes = vec![crate::audit::record(&entry, id)];
    if let Some(history) = history {
        history.entries.push(entry);
        writes.push(put_history(registration, history));
    }
    writes
}

/// Migration `registration-history`: every registration in review or decided whose history
/// is not kept beside it gets a copy of its audit trail (found through the review queues);
/// run again, it writes nothing. Drafts older than the copy keep being reviewed from the
/// audit trail once submitted.
pub async fn copy_history_beside_records(table: &dyn Table) -> Result<usize, StoreError> {
    let mut written = 0;
    for state in RegistrationState::ALL {
        if state == RegistrationState::Draft {
            continue;
        }
        let mut after = None;
        loop {
            let (page, next) = queue(table, state, after, 100).await?;
            for registration in page {
                if table.get(&history_key(&registration.id)).await?.is_some() {
                    continue;
                }
                let entries = crate::audit::history(table, &entity(&registration.id)).await?;
                let history = History { entries };
                let writes = vec![
                    Write::Put {
                        item: to_item(&history_key(&registration.id), &history, &[]),
                        condition: Condition::NotExists,
                    },
                    // Unchanged since its trail was read: no entry is left out.
                    Write::Check {
                        key: key(&registration.id),
                        condition: Condition::equals("version", registration.version),
                    },
                ];
                match table.transact(writes).await {
                    Ok(()) => written += 1,
                    // Changed meanwhile (that step wrote its audit entry only): the review
                    // keeps reading its trail.
                    Err(gongshi_platform::TableError::ConditionFailed) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    }
    Ok(written)
}

/// One page of the review queue of a state, oldest submission first.
pub async fn queue(
    table: &dyn Table,
    state: RegistrationState,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<Registration>, Option<Cursor>), StoreError> {
    let query = Query::partition(Index::Gsi1, format!("REGQ#{}", state.as_str()))
        .limit(limit)
        .after(after);
    let page = table.query(&query).await?;
    let items = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok((items, page.next))
}

//! Registrations: `REG#<id>` / `REG`. Submitted and decided registrations are in the review
//! queue index (gsi1 `REGQ#<state>`, sorted by submission time); drafts expire by TTL.

use crate::{StoreError, from_item, to_item};
use gongshi_core::registration::{Registration, RegistrationState};
use gongshi_platform::{Condition, Cursor, Index, Item, Key, Query, Table, Write};
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

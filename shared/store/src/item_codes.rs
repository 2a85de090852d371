//! The registry's item dictionary (项目代号 with its 项目名称): `CONFIG#ITEMS` / `ITEM#<code>`.
//! Every registry import writes the items it carried (in its last transaction, with its audit
//! entry: no read), so the qualification forms can offer the items the registry knows and name
//! a scope entry that matches none of them.

use crate::{ScanPages, StoreError, from_item, to_item};
use gongshi_platform::{Condition, Index, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const PARTITION: &str = "CONFIG#ITEMS";

/// One item of the dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCode {
    /// 项目代号, e.g. `RQ-1`.
    pub code: String,
    /// 项目名称 (the latest import's).
    pub name: String,
}

fn key(code: &str) -> Key {
    Key::new(PARTITION, format!("ITEM#{code}"))
}

/// The entry for `code` named `name`, as a write (a repeated import rewrites it unchanged).
pub fn put(code: &str, name: &str) -> Write {
    let entry = ItemCode {
        code: code.to_owned(),
        name: name.to_owned(),
    };
    Write::Put {
        item: to_item(&key(code), &entry, &[]),
        condition: Condition::Always,
    }
}

/// The whole dictionary, by code (one page: the registry has tens of item kinds, not
/// thousands; later pages are read if it ever grows past 1,000).
pub async fn all(table: &dyn Table) -> Result<Vec<ItemCode>, StoreError> {
    let mut entries = Vec::new();
    let mut after = None;
    loop {
        let page = table
            .query(&Query::partition(Index::Primary, PARTITION).limit(1000).after(after))
            .await?;
        for item in page.items {
            entries.push(from_item(item)?);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(entries),
        }
    }
}

/// Migration `item-dictionary`: the items of every person imported before the dictionary
/// was kept (their profiles' items), each code not in the dictionary yet written once; run
/// again, it writes nothing.
pub async fn fill_from_profiles(table: &dyn Table) -> Result<usize, StoreError> {
    let known: std::collections::BTreeSet<String> = all(table).await?.into_iter().map(|entry| entry.code).collect();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut pages = ScanPages::new(table, "PROFILE", "PRAC#");
    while let Some(items) = pages.next().await? {
        for item in items {
            let profile: crate::practitioners::Profile = from_item(item)?;
            for item in profile.items.unwrap_or_default() {
                if !known.contains(&item.code) {
                    seen.insert(item.code, item.name);
                }
            }
        }
    }
    let writes: Vec<Write> = seen.iter().map(|(code, name)| put(code, name)).collect();
    for chunk in writes.chunks(gongshi_platform::table::MAX_TRANSACTION_WRITES) {
        table.transact(chunk.to_vec()).await?;
    }
    Ok(writes.len())
}

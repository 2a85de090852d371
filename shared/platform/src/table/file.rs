//! `FileTable`: the `Table` port on an embedded redb file, for local runs and tests.
//!
//! Layout: `items` maps `pk \0 sk` to the item's JSON; `gsi1`/`gsi2` map
//! `gpk \0 gsk \0 pk \0 sk` to the primary key; `ttl` maps `expires_at \0 pk \0 sk` so that
//! the sweeper finds due items without a scan. Every write runs in one redb write
//! transaction (serialised and durable on commit), so conditions are checked atomically.

use super::{Condition, Cursor, EXPIRES_AT, Index, Item, Key, Page, Query, SortKey, Table, TableError, Write, check_transaction};
use async_trait::async_trait;
use redb::{Database, ReadableTable, TableDefinition, WriteTransaction};
use serde_json::Value;
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

const ITEMS: TableDefinition<&str, &[u8]> = TableDefinition::new("items");
const GSI1: TableDefinition<&str, &str> = TableDefinition::new("gsi1");
const GSI2: TableDefinition<&str, &str> = TableDefinition::new("gsi2");
const TTL: TableDefinition<&str, &str> = TableDefinition::new("ttl");
/// DynamoDB's item size limit.
const MAX_ITEM_BYTES: usize = 400 * 1024;
const SEP: char = '\0';

/// The embedded table: one redb file.
#[derive(Clone)]
pub struct FileTable {
    db: Arc<Database>,
}

impl std::fmt::Debug for FileTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileTable")
    }
}

fn unavailable(error: impl std::fmt::Display) -> TableError {
    TableError::Unavailable(error.to_string())
}

fn primary(pk: &str, sk: &str) -> String {
    format!("{pk}{SEP}{sk}")
}

fn index_definition(index: Index) -> Option<TableDefinition<'static, &'static str, &'static str>> {
    match index {
        Index::Primary => None,
        Index::Gsi1 => Some(GSI1),
        Index::Gsi2 => Some(GSI2),
    }
}

/// The index entry of an item, when the item carries both index attributes.
fn index_entry(item: &Item, index: Index) -> Option<String> {
    let (p, s) = index.attributes();
    let (gpk, gsk) = (item.get(p)?.as_str()?, item.get(s)?.as_str()?);
    let key = Key::of(item).ok()?;
    Some(format!("{gpk}{SEP}{gsk}{SEP}{}{SEP}{}", key.pk, key.sk))
}

fn ttl_entry(item: &Item) -> Option<String> {
    let at = item.get(EXPIRES_AT)?.as_i64().filter(|at| *at >= 0)?;
    let key = Key::of(item).ok()?;
    Some(format!("{at:020}{SEP}{}{SEP}{}", key.pk, key.sk))
}

fn validate(item: &Item) -> Result<Key, TableError> {
    let key = Key::of(item)?;
    let has_sep = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| s.contains(SEP));
    for name in ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"] {
        if has_sep(item.get(name)) {
            return Err(TableError::Invalid(format!("{name} may not contain NUL")));
        }
    }
    if serde_json::to_vec(item).map_err(unavailable)?.len() > MAX_ITEM_BYTES {
        return Err(TableError::Invalid("item larger than 400 KB".into()));
    }
    Ok(key)
}

/// The tables of one write transaction.
struct Writer<'t> {
    items: redb::Table<'t, &'static str, &'static [u8]>,
    gsi1: redb::Table<'t, &'static str, &'static str>,
    gsi2: redb::Table<'t, &'static str, &'static str>,
    ttl: redb::Table<'t, &'static str, &'static str>,
}

impl<'t> Writer<'t> {
    fn open(tx: &'t WriteTransaction) -> Result<Self, TableError> {
        Ok(Self {
            items: tx.open_table(ITEMS).map_err(unavailable)?,
            gsi1: tx.open_table(GSI1).map_err(unavailable)?,
            gsi2: tx.open_table(GSI2).map_err(unavailable)?,
            ttl: tx.open_table(TTL).map_err(unavailable)?,
        })
    }

    fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let stored = self.items.get(primary(&key.pk, &key.sk).as_str()).map_err(unavailable)?;
        stored
            .map(|bytes| serde_json::from_slice(bytes.value()).map_err(unavailable))
            .transpose()
    }

    fn remove(&mut self, item: &Item) -> Result<(), TableError> {
        let key = Key::of(item)?;
        self.items.remove(primary(&key.pk, &key.sk).as_str()).map_err(unavailable)?;
        if let Some(entry) = index_entry(item, Index::Gsi1) {
            self.gsi1.remove(entry.as_str()).map_err(unavailable)?;
        }
        if let Some(entry) = index_entry(item, Index::Gsi2) {
            self.gsi2.remove(entry.as_str()).map_err(unavailable)?;
        }
        if let Some(entry) = ttl_entry(item) {
            self.ttl.remove(entry.as_str()).map_err(unavailable)?;
        }
        Ok(())
    }

    fn insert(&mut self, item: &Item) -> Result<(), TableError> {
        let key = Key::of(item)?;
        let base = primary(&key.pk, &key.sk);
        let bytes = serde_json::to_vec(item).map_err(unavailable)?;
        self.items.insert(base.as_str(), bytes.as_slice()).map_err(unavailable)?;
        if let Some(entry) = index_entry(item, Index::Gsi1) {
            self.gsi1.insert(entry.as_str(), base.as_str()).map_err(unavailable)?;
        }
        if let Some(entry) = index_entry(item, Index::Gsi2) {
            self.gsi2.insert(entry.as_str(), base.as_str()).map_err(unavailable)?;
        }
        if let Some(entry) = ttl_entry(item) {
            self.ttl.insert(entry.as_str(), base.as_str()).map_err(unavailable)?;
        }
        Ok(())
    }
}

impl FileTable {
    /// Opens (or creates) the table file.
    pub fn open(path: &Path) -> Result<Self, TableError> {
        let db = Database::create(path).map_err(unavailable)?;
        let tx = db.begin_write().map_err(unavailable)?;
        Writer::open(&tx)?;
        tx.commit().map_err(unavailable)?;
        Ok(Self { db: Arc::new(db) })
    }

    /// Runs a read on the calling thread: redb's read transactions do not wait for writers and
    /// take microseconds from the page cache, so handing them to the blocking pool (a thread
    /// switch each) cost more than the read itself (see docs/BENCHMARKS.md, throughput).
    fn reading<T>(&self, work: impl FnOnce(&Database) -> Result<T, TableError>) -> Result<T, TableError> {
        work(&self.db)
    }

    /// Runs a write (which waits for the one writer and syncs the file) on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T, TableError> + Send + 'static,
    ) -> Result<T, TableError> {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || work(&db)).await.map_err(unavailable)?
    }

    fn write(db: &Database, writes: Vec<Write>) -> Result<(), TableError> {
        let tx = db.begin_write().map_err(unavailable)?;
        {
            let mut writer = Writer::open(&tx)?;
            let mut current = Vec::with_capacity(writes.len());
            for write in &writes {
                let key = match write {
                    Write::Put { item, .. } => validate(item)?,
                    other => other.key()?,
                };
                let stored = writer.get(&key)?;
                if !write.condition().holds(stored.as_ref()) {
                    // Dropping the transaction without commit aborts it: nothing is written.
                    return Err(TableError::ConditionFailed);
                }
                current.push(stored);
            }
            for (write, stored) in writes.iter().zip(current) {
                if matches!(write, Write::Check { .. }) {
                    continue;
                }
                let next = write.apply(stored.as_ref());
                if let Some(item) = &next {
                    validate(item)?;
                }
                if let Some(old) = stored {
                    writer.remove(&old)?;
                }
                if let Some(item) = next {
                    writer.insert(&item)?;
                }
            }
        }
        tx.commit().map_err(unavailable)
    }

    fn read_query(db: &Database, query: &Query) -> Result<Page, TableError> {
        let tx = db.begin_read().map_err(unavailable)?;
        let items = tx.open_table(ITEMS).map_err(unavailable)?;
        let load = |base: &str| -> Result<Option<Item>, TableError> {
            items
                .get(base)
                .map_err(unavailable)?
                .map(|b| serde_json::from_slice(b.value()).map_err(unavailable))
                .transpose()
        };
        let prefix = format!("{}{SEP}", query.partition);
        let end = format!("{}\u{1}", query.partition);
        let cursor = match (&query.after, query.index) {
            (None, _) => None,
            (Some(Cursor(c)), Index::Primary) => Some(primary(&c["pk"], &c["sk"])),
            (Some(Cursor(c)), index) => {
                let (p, s) = index.attributes();
                let part = |n: &str| {
                    c.get(n)
                        .cloned()
                        .ok_or_else(|| TableError::Invalid("cursor of another index".into()))
                };
                Some(format!("{}{SEP}{}{SEP}{}{SEP}{}", part(p)?, part(s)?, part("pk")?, part("sk")?))
            }
        };
        let lower = match &query.sort {
            SortKey::BeginsWith(p) | SortKey::Between(p, _) => format!("{prefix}{p}"),
            SortKey::Any => prefix.clone(),
        };
        let (mut low, mut high) = (Bound::Included(lower), Bound::Excluded(end));
        match cursor {
            Some(c) if query.forward => low = Bound::Excluded(c),
            Some(c) => high = Bound::Excluded(c),
            None => {}
        }
        let sort_of = |composite: &str| -> String { composite[prefix.len()..].split(SEP).next().unwrap_or_default().to_owned() };
        let wanted = query.limit.clamp(1, 1000);
        let mut found: Vec<Item> = Vec::with_capacity(wanted + 1);
        let mut push = |composite: &str, base: &str| -> Result<bool, TableError> {
            if !composite.starts_with(&prefix) || !query.sort.matches(&sort_of(composite)) {
                return Ok(true);
            }
            if let Some(item) = load(base)? {
                found.push(item);
            }
            Ok(found.len() <= wanted)
        };
        let bounds = (low.as_ref().map(String::as_str), high.as_ref().map(String::as_str));
        match index_definition(query.index) {
            None => {
                let range = items.range::<&str>(bounds).map_err(unavailable)?;
                let keys: Box<dyn Iterator<Item = _>> = if query.forward { Box::new(range) } else { Box::new(range.rev()) };
                for entry in keys {
                    let (k, _) = entry.map_err(unavailable)?;
                    if !push(k.value(), k.value())? {
                        break;
                    }
                }
            }
            Some(definition) => {
                let index = tx.open_table(definition).map_err(unavailable)?;
                let range = index.range::<&str>(bounds).map_err(unavailable)?;
                let entries: Box<dyn Iterator<Item = _>> = if query.forward { Box::new(range) } else { Box::new(range.rev()) };
                for entry in entries {
                    let (k, v) = entry.map_err(unavailable)?;
                    if !push(k.value(), v.value())? {
                        break;
                    }
                }
            }
        }
        Ok(Page::of(found, wanted, query.index))
    }

    /// Deletes up to `batch` items whose `expires_at` is before `now` (epoch seconds) and
    /// returns them, as DynamoDB's TTL process would, for the stream handler.
    pub async fn sweep_expired(&self, now: i64, batch: usize) -> Result<Vec<Item>, TableError> {
        self.blocking(move |db| {
            let tx = db.begin_write().map_err(unavailable)?;
            let mut removed = Vec::new();
            {
                let mut writer = Writer::open(&tx)?;
                let bound = format!("{:020}", now.max(0));
                let due: Vec<String> = writer
                    .ttl
                    .range::<&str>(..bound.as_str())
                    .map_err(unavailable)?
                    .take(batch)
                    .map(|entry| entry.map(|(_, base)| base.value().to_owned()).map_err(unavailable))
                    .collect::<Result<_, _>>()?;
                for base in due {
                    let (pk, sk) = base.split_once(SEP).unwrap_or((&base, ""));
                    if let Some(item) = writer.get(&Key::new(pk, sk))? {
                        writer.remove(&item)?;
                        removed.push(item);
                    }
                }
            }
            tx.commit().map_err(unavailable)?;
            Ok(removed)
        })
        .await
    }
}

#[async_trait]
impl Table for FileTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.reading(|db| {
            let tx = db.begin_read().map_err(unavailable)?;
            let items = tx.open_table(ITEMS).map_err(unavailable)?;
            let stored = items.get(primary(&key.pk, &key.sk).as_str()).map_err(unavailable)?;
            stored
                .map(|bytes| serde_json::from_slice(bytes.value()).map_err(unavailable))
                .transpose()
        })
    }

    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError> {
        super::check_batch(keys)?;
        self.reading(|db| {
            let tx = db.begin_read().map_err(unavailable)?;
            let items = tx.open_table(ITEMS).map_err(unavailable)?;
            keys.iter()
                .map(|key| {
                    let stored = items.get(primary(&key.pk, &key.sk).as_str()).map_err(unavailable)?;
                    stored
                        .map(|bytes| serde_json::from_slice(bytes.value()).map_err(unavailable))
                        .transpose()
                })
                .collect()
        })
    }

    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError> {
        self.blocking(move |db| Self::write(db, vec![Write::Put { item, condition }])).await
    }

    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError> {
        let key = key.clone();
        self.blocking(move |db| Self::write(db, vec![Write::Delete { key, condition }]))
            .await
    }

    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.reading(|db| Self::read_query(db, query))
    }

    async fn scan(&self, sk: &str, after: Option<&Cursor>, limit: usize) -> Result<Page, TableError> {
        let wanted = limit.clamp(1, 1000);
        self.reading(|db| {
            let tx = db.begin_read().map_err(unavailable)?;
            let items = tx.open_table(ITEMS).map_err(unavailable)?;
            let low = match after {
                Some(Cursor(c)) => {
                    let part = |n: &str| {
                        c.get(n)
                            .cloned()
                            .ok_or_else(|| TableError::Invalid("cursor of a query, not a scan".into()))
                    };
                    Bound::Excluded(primary(&part("pk")?, &part("sk")?))
                }
                None => Bound::Unbounded,
            };
            let suffix = format!("{SEP}{sk}");
            let mut found: Vec<Item> = Vec::with_capacity(wanted + 1);
            for entry in items
                .range::<&str>((low.as_ref().map(String::as_str), Bound::Unbounded))
                .map_err(unavailable)?
            {
                let (k, v) = entry.map_err(unavailable)?;
                // A partition key never holds the separator, so the first one splits pk and sk.
                if k.value().find(SEP).is_some_and(|at| k.value()[at..] == suffix) {
                    found.push(serde_json::from_slice(v.value()).map_err(unavailable)?);
                    if found.len() > wanted {
                        break;
                    }
                }
            }
            Ok(Page::of(found, wanted, Index::Primary))
        })
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        check_transaction(&writes)?;
        self.blocking(move |db| Self::write(db, writes)).await
    }
}

//! The `Table` port: DynamoDB semantics, nothing more.
//!
//! Items are JSON objects with string attributes `pk` and `sk`; the optional `gsi1pk`/`gsi1sk`
//! and `gsi2pk`/`gsi2sk` put an item into a (sparse) secondary index; a numeric `expires_at`
//! (epoch seconds) lets the store delete the item some time after that instant. Like
//! DynamoDB's TTL, that deletion is late: readers must check `expires_at` themselves.

mod file;

pub use file::FileTable;

use async_trait::async_trait;
use base64::Engine;
use serde_json::Value;

/// One stored item.
pub type Item = serde_json::Map<String, Value>;

/// Partition key attribute.
pub const PK: &str = "pk";
/// Sort key attribute.
pub const SK: &str = "sk";
/// TTL attribute (epoch seconds).
pub const EXPIRES_AT: &str = "expires_at";
/// Most writes in one transaction (DynamoDB's limit).
pub const MAX_TRANSACTION_WRITES: usize = 100;

/// The primary key of an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Partition key.
    pub pk: String,
    /// Sort key.
    pub sk: String,
}

impl Key {
    /// A key from its parts.
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    /// The key of an item, which must have string `pk` and `sk`.
    pub fn of(item: &Item) -> Result<Self, TableError> {
        match (item.get(PK), item.get(SK)) {
            (Some(Value::String(pk)), Some(Value::String(sk))) if !pk.is_empty() && !sk.is_empty() => Ok(Self::new(pk, sk)),
            _ => Err(TableError::Invalid("item needs non-empty string pk and sk".into())),
        }
    }
}

/// A condition on the item currently stored under a key, checked atomically with the write.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// No condition.
    Always,
    /// No item exists (`attribute_not_exists(pk)`).
    NotExists,
    /// An item exists (`attribute_exists(pk)`).
    Exists,
    /// No item exists, or the one there has `expires_at` before `now` (TTL deletion is late).
    NotExistsOrExpired {
        /// The current instant, epoch seconds.
        now: i64,
    },
    /// The item exists and its attribute equals the value (e.g. `version`).
    Equals {
        /// Top-level attribute name.
        attribute: String,
        /// Expected value.
        value: Value,
    },
    /// All of these hold.
    And(Vec<Condition>),
}

impl Condition {
    /// `attribute == value` on an existing item.
    pub fn equals(attribute: &str, value: impl Into<Value>) -> Self {
        Self::Equals {
            attribute: attribute.into(),
            value: value.into(),
        }
    }

    /// Whether the condition holds for the stored item (`None`: no item). The reference
    /// semantics that every adapter must match.
    pub fn holds(&self, current: Option<&Item>) -> bool {
        match self {
            Self::Always => true,
            Self::NotExists => current.is_none(),
            Self::Exists => current.is_some(),
            Self::NotExistsOrExpired { now } => {
                current.is_none_or(|item| item.get(EXPIRES_AT).and_then(Value::as_i64).is_some_and(|at| at < *now))
            }
            Self::Equals { attribute, value } => current.and_then(|item| item.get(attribute)).is_some_and(|v| json_eq(v, value)),
            Self::And(all) => all.iter().all(|c| c.holds(current)),
        }
    }
}

/// Numbers compare by value (DynamoDB's N type), everything else structurally.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// One write of a transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Create or replace the item.
    Put {
        /// The whole new item.
        item: Item,
        /// Checked against the item it replaces.
        condition: Condition,
    },
    /// Set and remove top-level attributes (DynamoDB `UpdateItem`: an absent item is
    /// created from the key and the set attributes, unless the condition refuses).
    Update {
        /// Which item.
        key: Key,
        /// Attributes to set.
        set: Item,
        /// Attributes to remove.
        remove: Vec<String>,
        /// Checked against the current item.
        condition: Condition,
    },
    /// Delete the item (no error when absent, unless the condition says so).
    Delete {
        /// Which item.
        key: Key,
        /// Checked against the item it deletes.
        condition: Condition,
    },
    /// Only check a condition on another item.
    Check {
        /// Which item.
        key: Key,
        /// What must hold.
        condition: Condition,
    },
}

impl Write {
    /// The condition of the write.
    pub fn condition(&self) -> &Condition {
        match self {
            Self::Put { condition, .. }
            | Self::Update { condition, .. }
            | Self::Delete { condition, .. }
            | Self::Check { condition, .. } => condition,
        }
    }

    /// The item after the write, given the current one (`None`: deleted or unchanged).
    pub fn apply(&self, current: Option<&Item>) -> Option<Item> {
        match self {
            Self::Put { item, .. } => Some(item.clone()),
            Self::Update { key, set, remove, .. } => {
                let mut next = current.cloned().unwrap_or_else(|| {
                    Item::from_iter([
                        (PK.to_owned(), Value::from(key.pk.clone())),
                        (SK.to_owned(), Value::from(key.sk.clone())),
                    ])
                });
                next.extend(
                    set.iter()
                        .filter(|(k, _)| k.as_str() != PK && k.as_str() != SK)
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
                for name in remove {
                    next.remove(name);
                }
                Some(next)
            }
            Self::Delete { .. } | Self::Check { .. } => None,
        }
    }

    /// The key the write touches.
    pub fn key(&self) -> Result<Key, TableError> {
        match self {
            Self::Put { item, .. } => Key::of(item),
            Self::Update { key, .. } | Self::Delete { key, .. } | Self::Check { key, .. } => Ok(key.clone()),
        }
    }
}

/// Which index a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// The table itself: `pk`/`sk`.
    Primary,
    /// `gsi1pk`/`gsi1sk`.
    Gsi1,
    /// `gsi2pk`/`gsi2sk`.
    Gsi2,
}

impl Index {
    /// The partition and sort key attribute names of the index.
    pub fn attributes(self) -> (&'static str, &'static str) {
        match self {
            Self::Primary => (PK, SK),
            Self::Gsi1 => ("gsi1pk", "gsi1sk"),
            Self::Gsi2 => ("gsi2pk", "gsi2sk"),
        }
    }

    /// The index name in the deployed table.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Self::Primary => None,
            Self::Gsi1 => Some("gsi1"),
            Self::Gsi2 => Some("gsi2"),
        }
    }
}

/// A condition on the sort key of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    /// Every item of the partition.
    Any,
    /// `begins_with(sk, prefix)`.
    BeginsWith(String),
    /// `sk BETWEEN low AND high` (inclusive).
    Between(String, String),
}

impl SortKey {
    /// Whether a sort key value matches.
    pub fn matches(&self, sk: &str) -> bool {
        match self {
            Self::Any => true,
            Self::BeginsWith(prefix) => sk.starts_with(prefix.as_str()),
            Self::Between(low, high) => low.as_str() <= sk && sk <= high.as_str(),
        }
    }
}

/// Where the previous page stopped: the last item's key attributes (DynamoDB's
/// `LastEvaluatedKey`). Opaque to API clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub std::collections::BTreeMap<String, String>);

impl Cursor {
    /// The key attributes of `item` for `index`.
    pub fn after(item: &Item, index: Index) -> Self {
        let mut names = vec![PK, SK];
        if index != Index::Primary {
            let (p, s) = index.attributes();
            names.extend([p, s]);
        }
        Self(
            names
                .into_iter()
                .filter_map(|n| item.get(n).and_then(Value::as_str).map(|v| (n.to_owned(), v.to_owned())))
                .collect(),
        )
    }

    /// URL-safe text for an API response.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(&self.0).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor from a client; anything malformed is `Invalid`.
    pub fn decode(text: &str) -> Result<Self, TableError> {
        let bad = || TableError::Invalid("malformed cursor".into());
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
        let map: std::collections::BTreeMap<String, String> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if !map.contains_key(PK) || !map.contains_key(SK) || map.len() > 4 {
            return Err(bad());
        }
        Ok(Self(map))
    }
}

/// A query of one partition of an index, in sort-key order.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Which index.
    pub index: Index,
    /// Partition key value.
    pub partition: String,
    /// Sort key condition.
    pub sort: SortKey,
    /// Ascending (true) or descending sort key order.
    pub forward: bool,
    /// Most items in the page (1–1000).
    pub limit: usize,
    /// Continue after this cursor.
    pub after: Option<Cursor>,
}

impl Query {
    /// All items of a partition, ascending, 100 at a time.
    pub fn partition(index: Index, partition: impl Into<String>) -> Self {
        Self {
            index,
            partition: partition.into(),
            sort: SortKey::Any,
            forward: true,
            limit: 100,
            after: None,
        }
    }

    /// With a sort key condition.
    pub fn sort(mut self, sort: SortKey) -> Self {
        self.sort = sort;
        self
    }

    /// Newest first (descending sort key).
    pub fn backward(mut self) -> Self {
        self.forward = false;
        self
    }

    /// With a page size.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit.clamp(1, 1000);
        self
    }

    /// Continuing after a cursor.
    pub fn after(mut self, cursor: Option<Cursor>) -> Self {
        self.after = cursor;
        self
    }
}

/// One page of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The items, in order.
    pub items: Vec<Item>,
    /// Present when more items follow.
    pub next: Option<Cursor>,
}

impl Page {
    /// The page of `wanted` items from `read`, which holds one more when more follow (the
    /// adapters read one beyond the page to know): the cursor is after the page's last.
    pub fn of(mut read: Vec<Item>, wanted: usize, index: Index) -> Self {
        let next = if read.len() > wanted {
            read.truncate(wanted);
            read.last().map(|item| Cursor::after(item, index))
        } else {
            None
        };
        Self { items: read, next }
    }
}

/// Why a table call failed.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A condition did not hold (DynamoDB `ConditionalCheckFailed`, or a transaction cancelled
    /// for a condition). Nothing was written. The caller lost a race or is late: HTTP 409.
    #[error("condition failed")]
    ConditionFailed,
    /// The request itself is wrong (a bug, or a malformed client cursor).
    #[error("invalid table request: {0}")]
    Invalid(String),
    /// The store could not be reached or failed.
    #[error("table unavailable: {0}")]
    Unavailable(String),
}

/// DynamoDB semantics: single-item reads and conditional writes, all-or-nothing transactions
/// of up to 100 writes, queries of one partition of the table or a GSI.
#[async_trait]
pub trait Table: Send + Sync {
    /// The item under `key` (also when its `expires_at` has passed but it is not yet deleted).
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError>;
    /// Creates or replaces an item if the condition holds on the current one.
    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError>;
    /// Deletes an item if the condition holds; deleting nothing is not an error.
    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError>;
    /// One page of a query.
    async fn query(&self, query: &Query) -> Result<Page, TableError>;
    /// All writes, or none. At most 100, each on a different item.
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError>;

    /// One page (up to `limit`, 1–1000) of the items whose sort key is `sk`, across every
    /// partition, after `after` (a DynamoDB `Scan` filtered on the sort key). It reads the
    /// whole table: for data migrations over all people or units, never on a request path.
    async fn scan(&self, sk: &str, after: Option<&Cursor>, limit: usize) -> Result<Page, TableError>;

    /// Up to 100 items in one round trip (DynamoDB `BatchGetItem`), in the order of `keys`;
    /// `None` where absent. Lets a handler read the caller's account and its record together.
    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError>;

    /// Sets and removes attributes of one item if the condition holds.
    async fn update(&self, key: &Key, set: Item, remove: Vec<String>, condition: Condition) -> Result<(), TableError> {
        self.transact(vec![Write::Update {
            key: key.clone(),
            set,
            remove,
            condition,
        }])
        .await
    }
}

/// The items under `N` distinct keys in one round trip (a batch get), `None` where absent.
pub async fn get_each<const N: usize>(table: &dyn Table, keys: [Key; N]) -> Result<[Option<Item>; N], TableError> {
    let found = table.get_many(&keys).await?;
    <[Option<Item>; N]>::try_from(found)
        .map_err(|found| TableError::Unavailable(format!("a batch read of {N} keys answered {} items", found.len())))
}

/// Most keys in one batch read (DynamoDB's limit).
pub const MAX_BATCH_GET: usize = 100;

/// Checks a batch read the way DynamoDB does: 1 to 100 distinct keys.
pub fn check_batch(keys: &[Key]) -> Result<(), TableError> {
    if keys.is_empty() || keys.len() > MAX_BATCH_GET {
        return Err(TableError::Invalid(format!(
            "a batch read takes 1 to {MAX_BATCH_GET} keys, got {}",
            keys.len()
        )));
    }
    let distinct: std::collections::HashSet<&Key> = keys.iter().collect();
    if distinct.len() != keys.len() {
        return Err(TableError::Invalid("a batch read may name each key only once".into()));
    }
    Ok(())
}

/// Checks a transaction the way DynamoDB does before running it.
pub fn check_transaction(writes: &[Write]) -> Result<(), TableError> {
    if writes.is_empty() || writes.len() > MAX_TRANSACTION_WRITES {
        return Err(TableError::Invalid(format!(
            "a transaction takes 1 to {MAX_TRANSACTION_WRITES} writes, got {}",
            writes.len()
        )));
    }
    let mut keys = std::collections::HashSet::new();
    for write in writes {
        if !keys.insert(write.key()?) {
            return Err(TableError::Invalid("a transaction may touch each item only once".into()));
        }
    }
    Ok(())
}

//! DynamoDB round trips per API request (issue #7): every request sent through [`TestApp`]
//! runs with a counting [`Table`] in front of the storage, and a request that costs more
//! round trips than its route's [`budget`] fails the test that sent it. So every API test
//! is also a round-trip test; `scripts/bench` collects the counts per route
//! (`GONGSHI_ROUND_TRIPS_LOG=FILE`) for docs/BENCHMARKS.md.
//!
//! A round trip is one call of the port: a get, a batch get, a query page, a put, a delete
//! or a transaction (which counts once, whatever it writes). Calls after a write whose
//! condition failed (a lost race: the retry, or the reads that explain a 409) are listed
//! but not counted against the budget.
//!
//! [`TestApp`]: crate::TestApp

use async_trait::async_trait;
use gongshi_platform::{Condition, Cursor, Item, Key, Page, Query, Table, TableError, Write};
use std::cell::RefCell;
use std::future::Future;
use std::io::Write as _;
use std::sync::Arc;

tokio::task_local! {
    static TRIPS: RefCell<Vec<&'static str>>;
}

/// The budget of every API request: one read and one write.
pub const BUDGET: usize = 2;

/// Routes whose cost grows with what they carry, so they have no fixed budget but a bound
/// in the rows (people, or lines of a file) they carry: `fixed` round trips plus `per_100`
/// for every 100 rows or part of them ([`linear_bound`]). Never a call per person: the
/// imports and the append write in transactions of up to 100 items and read in batches of
/// up to 100 keys. The tests that send many rows check it ([`check_linear`]).
pub const LINEAR: &[(&str, usize, usize)] = &[
    // The account; per 100 rows a batch read of the profiles and a transaction; the audit.
    ("POST /api/v1/admin/practitioners/import", 2, 2),
    // The account; per 50 rows a batch read of their accounts and USCC claims, and their
    // writes in transactions of up to 100 (25 new units of 4 writes).
    ("POST /api/v1/admin/legacy-accounts/import", 2, 6),
    // The account, the unit's publicities and its qualifications; per 100 people three
    // batch reads (profile, mobile, lock: 33 people to a batch) and a page of publicities.
    ("GET /api/v1/unit/appends", 4, 4),
    // The list's reads, the clauses and the unit; per 100 people seven transactions (16
    // people of 6 writes: the publicity's unit marker is the sixth).
    ("POST /api/v1/unit/appends", 6, 11),
    // The address's counter and its write; per 100 rows a batch read of the certificate
    // numbers' holders and one of the publicities (read eight batches at a time).
    ("POST /api/v1/public/verifications", 2, 2),
];

/// The most round trips a request on a [`LINEAR`] route may cost for `rows` rows.
pub fn linear_bound(route: &str, rows: usize) -> Option<usize> {
    LINEAR
        .iter()
        .find(|(r, _, _)| *r == route)
        .map(|(_, fixed, per_100)| fixed + per_100 * rows.div_ceil(100))
}

/// Fails the calling test when a request on a [`LINEAR`] route carrying `rows` rows cost
/// more than its bound.
pub fn check_linear(route: &str, rows: usize, trips: usize) {
    let bound = linear_bound(route, rows).unwrap_or_else(|| panic!("{route} is not a linear route"));
    assert!(
        trips <= bound,
        "{route} with {rows} rows cost {trips} DynamoDB round trips; its bound is {bound}"
    );
}

/// Routes that do not meet [`BUDGET`] yet, with the most they cost today: a ceiling, so that
/// they get no worse while they are brought down (docs/BENCHMARKS.md lists each route's
/// calls). A route left off this list is held to [`BUDGET`].
pub const OVER_BUDGET: &[(&str, usize)] = &[
    ("GET /api/v1/public/applications", 3),
    ("GET /api/v1/public/practitioners", 4),
    ("GET /api/v1/review/appeals/{id}", 3),
    ("GET /api/v1/unit/applications/{id}", 5),
    ("GET /api/v1/unit/practitioners", 4),
    ("GET /api/v1/unit/publicities", 4),
    ("GET /api/v1/unit/renewals", 3),
    ("POST /api/v1/appeals/{id}/code", 3),
    ("POST /api/v1/auth/login", 3),
    ("POST /api/v1/confirmations", 6),
    ("POST /api/v1/confirmations/preview", 3),
    ("POST /api/v1/password-recovery/code", 3),
    ("POST /api/v1/review/appeals/{id}/decision", 4),
    ("POST /api/v1/review/applications/{id}/decision", 3),
    // The reviewer, the application and the calendar; the return; the unit's contact to text.
    ("POST /api/v1/review/applications/{id}/return", 3),
    ("POST /api/v1/review/change-requests/{id}/decision", 3),
    ("POST /api/v1/unit/applications", 3),
    ("POST /api/v1/unit/applications/{id}/confirmation-code", 3),
    ("POST /api/v1/unit/applications/{id}/scan", 4),
    ("POST /api/v1/unit/cancellations", 3),
    ("PUT /api/v1/unit/branches/{id}/status", 3),
];

/// The most round trips a request on `route` may cost; `None` for the linear routes.
pub fn budget(route: &str) -> Option<usize> {
    if LINEAR.iter().any(|(r, _, _)| *r == route) {
        return None;
    }
    Some(
        OVER_BUDGET
            .iter()
            .find(|(r, _)| *r == route)
            .map_or(BUDGET, |(_, ceiling)| *ceiling),
    )
}

/// A table that counts the calls made while a request is [`counted`].
pub struct Counting {
    inner: Arc<dyn Table>,
}

impl Counting {
    /// Counts the calls made to `inner`.
    pub fn new(inner: Arc<dyn Table>) -> Self {
        Self { inner }
    }

    fn tick(call: &'static str) {
        // Outside a counted request (test set-up, sweepers, assertions) nothing is counted.
        let _ = TRIPS.try_with(|trips| trips.borrow_mut().push(call));
    }

    /// Marks a write whose condition failed: the request lost a race (or is late).
    fn lost_if(result: Result<(), TableError>) -> Result<(), TableError> {
        if matches!(result, Err(TableError::ConditionFailed)) {
            Self::tick(LOST_RACE);
        }
        result
    }
}

#[async_trait]
impl Table for Counting {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        Self::tick("get");
        crate::clients::used("dynamodb:GetItem");
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError> {
        Self::tick("put");
        crate::clients::used("dynamodb:PutItem");
        Self::lost_if(self.inner.put(item, condition).await)
    }
    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError> {
        Self::tick("delete");
        crate::clients::used("dynamodb:DeleteItem");
        Self::lost_if(self.inner.delete(key, condition).await)
    }
    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        Self::tick("query");
        crate::clients::used("dynamodb:Query");
        self.inner.query(query).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        Self::tick("transact");
        // IAM governs each write of a transaction by its own action.
        for write in &writes {
            crate::clients::used(match write {
                Write::Put { .. } => "dynamodb:PutItem",
                Write::Update { .. } => "dynamodb:UpdateItem",
                Write::Delete { .. } => "dynamodb:DeleteItem",
                Write::Check { .. } => "dynamodb:ConditionCheckItem",
            });
        }
        Self::lost_if(self.inner.transact(writes).await)
    }
    async fn scan(&self, sk: &str, after: Option<&Cursor>, limit: usize) -> Result<Page, TableError> {
        Self::tick("scan");
        crate::clients::used("dynamodb:Scan");
        self.inner.scan(sk, after, limit).await
    }
    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError> {
        Self::tick("get_many");
        crate::clients::used("dynamodb:BatchGetItem");
        self.inner.get_many(keys).await
    }
}

/// Runs `request` and lists the table calls it makes, in order.
pub async fn counted<F: Future>(request: F) -> (F::Output, Vec<&'static str>) {
    TRIPS
        .scope(RefCell::new(Vec::new()), async {
            let output = request.await;
            (output, TRIPS.with(|trips| trips.take()))
        })
        .await
}

/// The mark in a request's calls after a write whose condition failed. What the request
/// does after it (the loser of a race reading again and retrying, or explaining its 409) is
/// listed but not held to the budget: the budget is that of a request that meets no race.
pub const LOST_RACE: &str = "(condition failed)";

/// Records the count (when `GONGSHI_ROUND_TRIPS_LOG` names a file) and fails the calling
/// test when the route's budget is exceeded by the calls made up to the first lost race.
pub fn check(route: &str, status: u16, calls: &[&str]) {
    check_timed(route, status, calls, None);
}

/// [`check`], logging also how long the request took (the handler latency the latency
/// benchmark reports; `scripts/bench`).
pub fn check_timed(route: &str, status: u16, calls: &[&str], elapsed: Option<std::time::Duration>) {
    let trips = calls.iter().position(|c| *c == LOST_RACE).unwrap_or(calls.len());
    // Only requests really sent are logged (the tests of this check call it with made-up calls).
    if let (Ok(path), Some(elapsed)) = (std::env::var("GONGSHI_ROUND_TRIPS_LOG"), elapsed) {
        let ms = format!("{:.3}", elapsed.as_secs_f64() * 1000.0);
        let line = format!("{route}\t{status}\t{trips}\t{}\t{ms}\n", calls.join(","));
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(error) = appended {
            panic!("cannot append to {path}: {error}");
        }
    }
    if let Some(budget) = budget(route) {
        assert!(
            trips <= budget,
            "{route} cost {trips} DynamoDB round trips ({}; answered {status}); its budget is {budget}",
            calls.join(", ")
        );
    }
}

//! DynamoDB-like latency for the benchmarks (issue #15): a [`Table`] that waits before every
//! call for a time drawn from a log-normal distribution given by its median and its 99th
//! percentile (`GONGSHI_TABLE_LATENCY=4,15`: median 4 ms, p99 15 ms, DynamoDB's single-digit
//! median and tens-of-milliseconds tail in one region). `scripts/bench` runs the API tests
//! with it and reports each route's handler latency (docs/BENCHMARKS.md); tests never do.

use async_trait::async_trait;
use gongshi_platform::{Condition, Cursor, Item, Key, Page, Query, Table, TableError, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The environment variable: `<median ms>,<p99 ms>`.
pub const VAR: &str = "GONGSHI_TABLE_LATENCY";

/// z of the 99th percentile of the standard normal distribution.
const Z99: f64 = 2.326_347_874;

/// A table whose every call waits first.
pub struct Delayed {
    inner: Arc<dyn Table>,
    /// ln of the median.
    mu: f64,
    /// Spread: ln(p99 / median) / z99.
    sigma: f64,
    state: AtomicU64,
}

impl Delayed {
    /// The latency named by [`VAR`], if set (and well-formed: a malformed value panics, so a
    /// benchmark never runs without the delay it asked for).
    pub fn from_env(inner: Arc<dyn Table>) -> Arc<dyn Table> {
        let Ok(spec) = std::env::var(VAR) else { return inner };
        let parsed = spec
            .split_once(',')
            .and_then(|(median, p99)| Some((median.trim().parse::<f64>().ok()?, p99.trim().parse::<f64>().ok()?)))
            .filter(|(median, p99)| *median > 0.0 && p99 >= median);
        let Some((median, p99)) = parsed else {
            panic!("{VAR} must be `<median ms>,<p99 ms>` with 0 < median <= p99, got {spec:?}");
        };
        Arc::new(Self::new(inner, median, p99))
    }

    /// Latency with this median and 99th percentile, in milliseconds.
    pub fn new(inner: Arc<dyn Table>, median_ms: f64, p99_ms: f64) -> Self {
        Self {
            inner,
            mu: median_ms.ln(),
            sigma: (p99_ms / median_ms).ln() / Z99,
            state: AtomicU64::new(0x9E37_79B9_7F4A_7C15),
        }
    }

    /// A uniform number in (0, 1) (xorshift64*: reproducible, no dependency).
    fn uniform(&self) -> f64 {
        let mut x = self.state.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let bits = x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// One call's latency: exp(mu + sigma · z), z standard normal (Box–Muller).
    pub fn sample(&self) -> Duration {
        let (u1, u2) = (self.uniform(), self.uniform());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        Duration::from_secs_f64((self.mu + self.sigma * z).exp() / 1000.0)
    }

    async fn wait(&self) {
        tokio::time::sleep(self.sample()).await;
    }
}

#[async_trait]
impl Table for Delayed {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.wait().await;
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError> {
        self.wait().await;
        self.inner.put(item, condition).await
    }
    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError> {
        self.wait().await;
        self.inner.delete(key, condition).await
    }
    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.wait().await;
        self.inner.query(query).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.wait().await;
        self.inner.transact(writes).await
    }
    async fn scan(&self, sk: &str, after: Option<&Cursor>, limit: usize) -> Result<Page, TableError> {
        self.wait().await;
        self.inner.scan(sk, after, limit).await
    }
    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError> {
        self.wait().await;
        self.inner.get_many(keys).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_samples_have_the_asked_median_and_99th_percentile() {
        let dir = tempfile::tempdir().expect("dir");
        let inner = gongshi_platform::table::FileTable::open(&dir.path().join("t.redb")).expect("table");
        let table = Delayed::new(Arc::new(inner), 4.0, 15.0);
        let mut ms: Vec<f64> = (0..100_000).map(|_| table.sample().as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let (median, p99) = (ms[50_000], ms[99_000]);
        assert!((median - 4.0).abs() < 0.15, "median {median}");
        assert!((p99 - 15.0).abs() < 1.0, "p99 {p99}");
    }
}

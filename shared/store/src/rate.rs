//! Rate limits on sending: `RATE#<scope>#<subject>` / `RATE`, one item per limited subject
//! (a phone number, a caller address), holding the last send and today's count. Expires by
//! TTL at the end of the day it counts.

use crate::{StoreError, from_item, to_item};
use gongshi_platform::{Condition, Key, Table};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, UtcOffset};

/// China Standard Time: days for daily limits begin at local midnight.
const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// A limit: at most one per `interval`, at most `per_day` per local day.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Shortest time between two.
    pub interval: Duration,
    /// Most per local day.
    pub per_day: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Counter {
    last_at: i64,
    day: String,
    count: u32,
    version: u64,
    expires_at: i64,
}

/// The counter's key (to read it in a request's batch get; see [`plan`]).
pub fn key(scope: &str, subject: &str) -> Key {
    Key::new(format!("RATE#{scope}#{subject}"), "RATE")
}

/// How often a use that lost a race for the counter reads it again before it is told to
/// wait a second: racing uses are counted one by one, never answered with a conflict. Each
/// round of a race has a winner, so this many covers as many uses at the same instant.
const ATTEMPTS: usize = 64;

/// Whether `subject` has used up its day's `limit` (seconds to wait), from its counter item
/// read beforehand, without counting a use: for limits counted only on failures.
pub fn exhausted_of(stored: Option<gongshi_platform::Item>, limit: Limit, now: OffsetDateTime) -> Result<Option<u64>, StoreError> {
    let local = now.to_offset(CST);
    let today = local.date().to_string();
    let midnight = local.date().next_day().map(|d| d.midnight().assume_offset(CST)).unwrap_or(local);
    let stored = stored.map(from_item::<Counter>).transpose()?;
    Ok(stored
        .filter(|c| c.expires_at > now.unix_timestamp() && c.day == today && c.count >= limit.per_day)
        .map(|_| (midnight - now).whole_seconds().max(1) as u64))
}

/// Counts one more use of `subject` if the limit allows it; otherwise says how many seconds
/// to wait (`Ok(Err(seconds))`). Racing uses are serialised by a version condition: the
/// loser reads the counter again and is counted (or refused) against the new count.
pub async fn hit(table: &dyn Table, scope: &str, subject: &str, limit: Limit, now: OffsetDateTime) -> Result<Result<(), u64>, StoreError> {
    for _ in 0..ATTEMPTS {
        match try_hit(table, scope, subject, limit, now).await {
            Err(StoreError::Conflict) => continue,
            answer => return answer,
        }
    }
    Ok(Err(1))
}

async fn try_hit(table: &dyn Table, scope: &str, subject: &str, limit: Limit, now: OffsetDateTime) -> Result<Result<(), u64>, StoreError> {
    let stored = table.get(&key(scope, subject)).await?;
    match plan(stored, scope, subject, limit, now)? {
        Ok(write) => {
            table.transact(vec![write]).await?;
            Ok(Ok(()))
        }
        Err(wait) => Ok(Err(wait)),
    }
}

/// One more use of `subject` counted against the counter item read beforehand (`stored`):
/// the write that counts it, to commit in the same transaction as the use itself (it fails
/// that transaction when another use counted meanwhile: read again and retry), or the
/// seconds to wait when the limit is reached.
pub fn plan(
    stored: Option<gongshi_platform::Item>,
    scope: &str,
    subject: &str,
    limit: Limit,
    now: OffsetDateTime,
) -> Result<Result<gongshi_platform::Write, u64>, StoreError> {
    let local = now.to_offset(CST);
    let today = local.date().to_string();
    let midnight = local.date().next_day().map(|d| d.midnight().assume_offset(CST)).unwrap_or(local);
    let stored = stored.map(from_item::<Counter>).transpose()?;
    let (count, version, condition) = match &stored {
        Some(c) if c.expires_at > now.unix_timestamp() => {
            let wait = c.last_at + limit.interval.whole_seconds() - now.unix_timestamp();
            if wait > 0 {
                return Ok(Err(wait as u64));
            }
            let count = if c.day == today { c.count } else { 0 };
            if count >= limit.per_day {
                return Ok(Err((midnight - now).whole_seconds().max(1) as u64));
            }
            (count, c.version, Condition::equals("version", c.version))
        }
        _ => (0, 0, Condition::NotExistsOrExpired { now: now.unix_timestamp() }),
    };
    let next = Counter {
        last_at: now.unix_timestamp(),
        day: today,
        count: count + 1,
        version: version + 1,
        expires_at: midnight.unix_timestamp(),
    };
    Ok(Ok(gongshi_platform::Write::Put {
        item: to_item(&key(scope, subject), &next, &[]),
        condition,
    }))
}

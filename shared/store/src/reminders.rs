//! Reminder markers (`REMIND#<what>#<id>#<threshold>` / `REMIND`, TTL): one per item and
//! threshold, put with a not-exists condition before the item is listed, so reruns and
//! overlapping runs remind of nothing twice.

use crate::StoreError;
use gongshi_platform::{Condition, Key, Table};
use time::Date;

/// What is reminded of.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A publicity ending on its `valid_until`.
    PublicityEnding {
        /// 公示证书编号.
        certificate_no: &'a str,
        /// Its last valid day (a renewal moves it, and so reminds again).
        valid_until: Date,
    },
    /// An application whose deadline is near (the 7-day deadline, or a return's correction
    /// period: each is reminded once).
    ApplicationDue {
        /// The application.
        id: &'a str,
        /// That deadline (epoch seconds).
        deadline: i64,
    },
}

fn key(subject: Subject<'_>) -> Key {
    let pk = match subject {
        Subject::PublicityEnding {
            certificate_no,
            valid_until,
        } => format!("REMIND#PUBEND#{certificate_no}#{valid_until}"),
        Subject::ApplicationDue { id, deadline } => format!("REMIND#APPDUE#{id}#{deadline}"),
    };
    Key::new(pk, "REMIND")
}

/// Claims the right to remind of `subject` once, keeping the marker until `keep_until`
/// (epoch seconds); `false` when it was reminded already.
pub async fn first_time(table: &dyn Table, subject: Subject<'_>, keep_until: i64) -> Result<bool, StoreError> {
    let key = key(subject);
    let mut item = gongshi_platform::Item::new();
    item.insert("pk".into(), key.pk.into());
    item.insert("sk".into(), key.sk.into());
    item.insert("expires_at".into(), keep_until.into());
    match table.put(item, Condition::NotExists).await {
        Ok(()) => Ok(true),
        Err(gongshi_platform::TableError::ConditionFailed) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

//! Ports and adapters: everything Gongshi needs from the outside world, behind narrow traits
//! whose semantics are those of the AWS services they stand for.
//!
//! | port | AWS | embedded (local, tests) |
//! |---|---|---|
//! | [`Table`] | DynamoDB | [`table::FileTable`] (redb file, TTL sweeper) |
//! | [`Blobs`] | S3 presigned URLs | [`blobs::DirBlobs`] (directory, HMAC-signed URLs) |
//! | [`Sms`], [`Mail`] | SNS, SES | [`notify::Outbox`] (a file a developer can read) |
//! | [`Clock`], [`Ids`] | system time, ULIDs | [`clock::FakeClock`] for tests |

pub mod aws;
pub mod blobs;
pub mod clock;
pub mod config;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod embedded;
pub mod ids;
pub mod notify;
pub mod runtime;
pub mod table;

pub use blobs::{BlobError, BlobInfo, Blobs, PresignedRequest};
pub use clock::{Clock, FakeClock, SystemClock};
pub use config::Config;
pub use ids::{Ids, RandomIds};
pub use notify::{Mail, NotifyError, Sms};
pub use table::{Condition, Cursor, Index, Item, Key, Page, Query, SortKey, Table, TableError, Write, get_each};

use std::sync::Arc;

/// Everything a function needs, built once per process (per Lambda cold start).
#[derive(Clone)]
pub struct Platform {
    /// The single table.
    pub table: Arc<dyn Table>,
    /// Uploaded documents and generated forms.
    pub blobs: Arc<dyn Blobs>,
    /// Text messages.
    pub sms: Arc<dyn Sms>,
    /// E-mail.
    pub mail: Arc<dyn Mail>,
    /// The one clock.
    pub clock: Arc<dyn Clock>,
    /// The one source of ids, secrets and codes.
    pub ids: Arc<dyn Ids>,
    /// Settings read once.
    pub config: Arc<Config>,
}

/// Polls all futures concurrently on the current task (no extra dependency); also used by
/// the workspace tests' race cases.
pub async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = handles.iter().map(|_| None).collect();
    let mut handles: Vec<Option<_>> = handles.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, out) in handles.iter_mut().zip(outputs.iter_mut()) {
            if let Some(fut) = slot {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        *out = Some(value);
                        *slot = None;
                    }
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

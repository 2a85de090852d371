//! Reacts to items the table deleted by TTL (DynamoDB stream `REMOVE` records whose
//! `userIdentity` is the DynamoDB service; deletes made by users are ignored). Locally the
//! gateway's TTL sweeper hands its deletions to [`on_expired`], the same code.
//!
//! | expired item | what follows |
//! |---|---|
//! | an upload never attached (`UPLOAD#…`) | its file is deleted from the blob store |
//! | an unsubmitted registration draft (`REG#…`) | its attached uploads (records and files) are deleted |
//! | an application's deadline marker (`APP#…` / `DEADLINE`) | the application expires (不通过，逾期) unless it moved on |

use gongshi_platform::aws::from_stream_image;
use gongshi_platform::{Condition, Item, Platform};
use gongshi_store::expired::{self, Expired};
use gongshi_store::uploads;
use serde_json::{Value, json};

/// The principal DynamoDB's TTL process deletes as.
pub const TTL_PRINCIPAL: &str = "dynamodb.amazonaws.com";

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3().sns();

/// Whether a stream record is a deletion by TTL (not by a user).
pub fn is_ttl_deletion(record: &Value) -> bool {
    record["eventName"] == "REMOVE" && record["userIdentity"]["type"] == "Service" && record["userIdentity"]["principalId"] == TTL_PRINCIPAL
}

/// Handles one batch; answers the records to retry (`batchItemFailures`).
pub async fn handle_stream(platform: &Platform, event: &Value) -> Value {
    let mut failures = Vec::new();
    for record in event["Records"].as_array().into_iter().flatten() {
        if !is_ttl_deletion(record) {
            continue;
        }
        let Some(old) = record["dynamodb"]["OldImage"].as_object().map(from_stream_image) else {
            continue;
        };
        if let Err(error) = on_expired(platform, &old).await {
            tracing::error!(%error, "handling a TTL deletion failed; it will be retried");
            failures.push(json!({"itemIdentifier": record["dynamodb"]["SequenceNumber"]}));
        }
    }
    json!({"batchItemFailures": failures})
}

/// What follows from one item's expiry. Idempotent: a retry finds nothing left to do.
pub async fn on_expired(platform: &Platform, item: &Item) -> Result<(), String> {
    match expired::classify(item) {
        Expired::ApplicationDeadline { application_id } => {
            let expired = gongshi_workflow::expiry::expire_if_due(platform, &application_id)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(application = %application_id, expired, "deadline marker expired");
        }
        Expired::Upload { upload_id } => {
            for key in [uploads::blob_key(&upload_id), uploads::verified_key(&upload_id)] {
                platform.blobs.delete(&key).await.map_err(|e| e.to_string())?;
            }
            tracing::info!(upload = %upload_id, "expired upload's file deleted");
        }
        Expired::RegistrationDraft { upload_ids } => {
            for upload_id in &upload_ids {
                platform
                    .table
                    .delete(&uploads::key(upload_id), Condition::Always)
                    .await
                    .map_err(|e| e.to_string())?;
                for key in [uploads::blob_key(upload_id), uploads::verified_key(upload_id)] {
                    platform.blobs.delete(&key).await.map_err(|e| e.to_string())?;
                }
            }
            tracing::info!(uploads = upload_ids.len(), "expired draft's uploads deleted");
        }
        Expired::Nothing => {}
    }
    Ok(())
}

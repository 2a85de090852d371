//! The embedded adapters: `FileTable`, `DirBlobs`, `Outbox`.

use async_trait::async_trait;
use gongshi_platform::blobs::DirBlobs;
use gongshi_platform::blobs::dir::SignedAccess;
use gongshi_platform::conformance::blobs::{BlobsFixture, Transport};
use gongshi_platform::notify::Outbox;
use gongshi_platform::table::FileTable;
use gongshi_platform::{Blobs, Clock, Condition, FakeClock, Key, PresignedRequest, Sms, Table};
use serde_json::json;
use std::sync::Arc;

/// A fresh table in a temporary directory. The directory is unlinked when the guard drops,
/// while the open file stays usable (Linux semantics), so each case is isolated.
fn table() -> Arc<dyn Table> {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = FileTable::open(&dir.path().join("table.redb")).expect("open");
    Arc::new(table)
}

mod table_conformance {
    gongshi_platform::table_conformance!(super::table());
}

/// Performs presigned requests against `DirBlobs` the way the gateway does.
struct DirTransport(DirBlobs);

#[async_trait]
impl Transport for DirTransport {
    async fn send(&self, request: &PresignedRequest, content_type: Option<&str>, body: Vec<u8>) -> (u16, Vec<u8>) {
        let rest = request.url.split_once("/_blobs/").map(|(_, rest)| rest).unwrap_or_default();
        let (key, query) = rest.split_once('?').unwrap_or((rest, ""));
        let access = SignedAccess { key, query };
        match request.method {
            "PUT" => match self.0.accept_put(access, content_type, body).await {
                Ok(()) => (200, Vec::new()),
                Err(_) => (403, Vec::new()),
            },
            _ => match self.0.serve_get(access).await {
                Ok(Some((bytes, _, _))) => (200, bytes),
                Ok(None) => (404, Vec::new()),
                Err(_) => (403, Vec::new()),
            },
        }
    }
}

fn dir_blobs(clock: Arc<FakeClock>) -> DirBlobs {
    let dir = tempfile::tempdir().expect("temp dir").keep();
    DirBlobs::new(dir, "http://blobs.test", b"test-secret".to_vec(), clock)
}

fn blobs_fixture() -> BlobsFixture {
    let blobs = dir_blobs(Arc::new(FakeClock::at(time::macros::datetime!(2026-11-26 09:00 UTC))));
    BlobsFixture {
        blobs: Arc::new(blobs.clone()),
        transport: Arc::new(DirTransport(blobs)),
    }
}

mod blobs_conformance {
    gongshi_platform::blobs_conformance!(super::blobs_fixture());
}

#[tokio::test]
async fn ttl_sweep_deletes_only_items_past_expiry_and_returns_them_for_the_stream() {
    let table = FileTable::open(&tempfile::tempdir().expect("dir").keep().join("t.redb")).expect("open");
    for (sk, at) in [("A", 100), ("B", 200), ("C", 300)] {
        table
            .put(
                json!({"pk": "P", "sk": sk, "expires_at": at, "gsi1pk": "Q", "gsi1sk": sk})
                    .as_object()
                    .cloned()
                    .expect("object"),
                Condition::Always,
            )
            .await
            .expect("put");
    }
    table
        .put(
            json!({"pk": "P", "sk": "FOREVER"}).as_object().cloned().expect("object"),
            Condition::Always,
        )
        .await
        .expect("put");
    let removed = table.sweep_expired(201, 10).await.expect("sweep");
    let keys: Vec<_> = removed.iter().map(|i| i["sk"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(keys, ["A", "B"]);
    assert!(table.get(&Key::new("P", "A")).await.expect("get").is_none());
    assert!(table.get(&Key::new("P", "C")).await.expect("get").is_some());
    let index = table
        .query(&gongshi_platform::Query::partition(gongshi_platform::Index::Gsi1, "Q"))
        .await
        .expect("query");
    assert_eq!(index.items.len(), 1, "swept items leave the index too");
    // Replacing an item moves its TTL entry: the old expiry no longer deletes it.
    table
        .put(
            json!({"pk": "P", "sk": "C", "expires_at": 1_000})
                .as_object()
                .cloned()
                .expect("object"),
            Condition::Always,
        )
        .await
        .expect("put");
    assert!(table.sweep_expired(500, 10).await.expect("sweep").is_empty());
}

#[tokio::test]
async fn file_table_keeps_committed_writes_across_reopen() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("t.redb");
    {
        let table = FileTable::open(&path).expect("open");
        table
            .put(
                json!({"pk": "P", "sk": "S", "v": 1}).as_object().cloned().expect("object"),
                Condition::NotExists,
            )
            .await
            .expect("put");
    }
    let reopened = FileTable::open(&path).expect("reopen");
    let item = reopened.get(&Key::new("P", "S")).await.expect("get").expect("still there");
    assert_eq!(item["v"], 1);
}

#[tokio::test]
async fn dir_blobs_refuse_tampered_expired_and_mismatched_uploads() {
    let clock = Arc::new(FakeClock::at(time::macros::datetime!(2026-11-26 09:00 UTC)));
    let blobs = dir_blobs(Arc::clone(&clock));
    let transport = DirTransport(blobs.clone());
    let put = blobs
        .presign_put("uploads/x", "application/pdf", 8, time::Duration::minutes(10))
        .await
        .expect("presign");
    assert_eq!(transport.send(&put, Some("application/pdf"), b"%PDF-1.7".to_vec()).await.0, 200);
    assert_eq!(
        transport.send(&put, Some("image/jpeg"), b"%PDF-1.7".to_vec()).await.0,
        403,
        "content type pinned"
    );
    assert_eq!(
        transport.send(&put, Some("application/pdf"), b"%PDF-1.70".to_vec()).await.0,
        403,
        "length pinned"
    );
    let mut other_key = put.clone();
    other_key.url = other_key.url.replace("uploads/x", "uploads/y");
    assert_eq!(
        transport.send(&other_key, Some("application/pdf"), b"%PDF-1.7".to_vec()).await.0,
        403,
        "key pinned"
    );
    clock.advance(time::Duration::minutes(11));
    assert_eq!(
        transport.send(&put, Some("application/pdf"), b"%PDF-1.7".to_vec()).await.0,
        403,
        "expired"
    );
    let get = blobs
        .presign_get("uploads/x", "f.pdf", time::Duration::minutes(1))
        .await
        .expect("presign");
    let mut forged = get.clone();
    forged.url = forged.url.replace("X-File-Name=f.pdf", "X-File-Name=g.pdf");
    assert_eq!(transport.send(&forged, None, vec![]).await.0, 403);
    assert_eq!(transport.send(&get, None, vec![]).await, (200, b"%PDF-1.7".to_vec()));
}

#[tokio::test]
async fn outbox_keeps_messages_in_order() {
    let dir = tempfile::tempdir().expect("dir");
    let clock: Arc<dyn Clock> = Arc::new(FakeClock::at(time::macros::datetime!(2026-11-26 09:00 UTC)));
    let outbox = Outbox::new(dir.path().join("outbox.jsonl"), Arc::clone(&clock));
    let mobile = gongshi_core::Mobile::parse("13800138000").expect("mobile");
    outbox.send(&mobile, "验证码 123456").await.expect("sms");
    outbox.send(&mobile, "第二条").await.expect("sms");
    let reopened = Outbox::new(dir.path().join("outbox.jsonl"), clock);
    let bodies: Vec<_> = reopened.messages().into_iter().map(|m| m.body).collect();
    assert_eq!(bodies, ["验证码 123456", "第二条"]);
}

#[tokio::test]
async fn migration_clauses_published_before_the_copy_are_in_force_after_it() {
    gongshi_tests::migrations::clauses_published_before_the_copy_are_in_force_after_the_migration(table().as_ref()).await;
}

#[tokio::test]
async fn migration_of_a_table_without_clauses_writes_nothing() {
    gongshi_tests::migrations::a_table_without_clauses_migrates_to_nothing(table().as_ref()).await;
}

#[tokio::test]
async fn migration_moves_a_persons_item_rows_into_the_profile() {
    gongshi_tests::migrations::a_person_imported_before_the_items_moved_has_them_in_the_profile_after_the_migration(table().as_ref()).await;
}

#[tokio::test]
async fn migration_gives_a_unit_its_approved_scopes() {
    gongshi_tests::migrations::a_unit_older_than_its_scopes_gets_them_from_its_approved_certificates(table().as_ref()).await;
}

#[tokio::test]
async fn migration_names_a_unit_admin_after_its_contact() {
    gongshi_tests::migrations::a_unit_admin_named_after_its_unit_is_named_after_its_contact(table().as_ref()).await;
}

#[tokio::test]
async fn migration_lists_an_older_branch_with_the_units_accounts() {
    gongshi_tests::migrations::a_branch_older_than_the_accounts_index_is_listed_after_the_migration(table().as_ref()).await;
}

#[tokio::test]
async fn migration_reads_an_older_unit_with_its_accounts() {
    gongshi_tests::migrations::a_unit_older_than_the_accounts_index_is_read_with_its_accounts_after_the_migration(table().as_ref()).await;
}

#[tokio::test]
async fn migration_marks_older_open_applications_in_their_units_partition() {
    gongshi_tests::migrations::open_applications_older_than_the_units_markers_are_on_the_unit_home_after_the_migration(table().as_ref())
        .await;
}

#[tokio::test]
async fn migration_marks_older_publicities_in_their_units_partition() {
    gongshi_tests::migrations::publicities_older_than_the_units_markers_are_counted_after_the_migration(table().as_ref()).await;
}

#[tokio::test]
async fn migration_copies_an_older_registrations_history_beside_it() {
    gongshi_tests::migrations::a_registration_older_than_its_history_copy_gets_it_from_the_audit_trail(table().as_ref()).await;
}

#[tokio::test]
async fn migration_gives_an_application_older_than_its_history_copy_its_audit_trail() {
    gongshi_tests::migrations::an_application_older_than_its_history_copy_gets_it_from_the_audit_trail(table().as_ref()).await;
}

//! The TTL stream handler: TTL deletions (real stream record shape) clean up after
//! themselves; deletions by users are ignored.

use gongshi_platform::Clock;
use gongshi_tests::{basic, pdf, spawn_app};
use serde_json::json;

fn stream_record(upload_id: &str, by_ttl: bool) -> serde_json::Value {
    let mut record = json!({
        "eventID": "c4ca4238a0b923820dcc509a6f75849b",
        "eventName": "REMOVE",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "cn-north-1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1795700000,
            "Keys": {"pk": {"S": format!("UPLOAD#{upload_id}")}, "sk": {"S": "UPLOAD"}},
            "OldImage": {"pk": {"S": format!("UPLOAD#{upload_id}")}, "sk": {"S": "UPLOAD"}, "state": {"S": "verified"},
                "expires_at": {"N": "1795700000"}, "size": {"N": "52"}},
            "SequenceNumber": "111100000000000000000001",
            "SizeBytes": 120,
            "StreamViewType": "NEW_AND_OLD_IMAGES"
        },
        "eventSourceARN": "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/gongshi/stream/2026-11-26T00:00:00.000"
    });
    if by_ttl {
        record["userIdentity"] = json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"});
    }
    record
}

async fn uploaded(app: &gongshi_tests::TestApp) -> String {
    let created = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let token = created.body["session"]["access_token"].as_str().expect("token").to_owned();
    app.upload(&token, "business_licence", "营业执照.pdf", "application/pdf", pdf())
        .await
}

#[tokio::test]
async fn ttl_deletion_of_an_unattached_upload_deletes_its_file() {
    let app = spawn_app().await;
    let id = uploaded(&app).await;
    // A verified upload's bytes are kept under verified/ (the received copy is gone).
    assert!(gongshi_tests::exists(app.dir.path(), &format!("blobs/verified/{id}")));
    assert!(!gongshi_tests::exists(app.dir.path(), &format!("blobs/uploads/{id}")));
    let answer = gongshi_tests::clients::checked(
        "ttl-stream",
        fn_ttl_stream::CLIENTS,
        fn_ttl_stream::handle_stream(&app.gateway.platform, &json!({"Records": [stream_record(&id, true)]})),
    )
    .await;
    assert_eq!(answer, json!({"batchItemFailures": []}));
    assert!(
        !gongshi_tests::exists(app.dir.path(), &format!("blobs/verified/{id}")),
        "the file of the expired upload is gone"
    );
}

#[tokio::test]
async fn deletions_by_users_are_ignored_by_the_stream_handler() {
    let app = spawn_app().await;
    let id = uploaded(&app).await;
    gongshi_tests::clients::checked(
        "ttl-stream",
        fn_ttl_stream::CLIENTS,
        fn_ttl_stream::handle_stream(&app.gateway.platform, &json!({"Records": [stream_record(&id, false)]})),
    )
    .await;
    assert!(
        gongshi_tests::exists(app.dir.path(), &format!("blobs/verified/{id}")),
        "a user delete is not an expiry"
    );
}

#[tokio::test]
async fn f01_expired_draft_takes_its_uploads_with_it_through_the_local_sweeper() {
    let app = spawn_app().await;
    let created = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let reg = created.body["registration"]["id"].as_str().expect("id").to_owned();
    let token = created.body["session"]["access_token"].as_str().expect("token").to_owned();
    let licence = app
        .upload(&token, "business_licence", "营业执照.pdf", "application/pdf", pdf())
        .await;
    let step = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{reg}/licence"),
            Some(&token),
            Some(json!({"upload_id": licence})),
        )
        .await;
    assert_eq!(step.status, 200);
    assert_eq!(
        app.gateway.sweep_expired(app.clock.now().unix_timestamp()).await,
        Ok(0),
        "nothing is due yet"
    );
    assert!(gongshi_tests::exists(app.dir.path(), &format!("blobs/verified/{licence}")));
    app.clock.advance(time::Duration::days(31));
    let swept = app.gateway.sweep_expired(app.clock.now().unix_timestamp()).await.expect("sweep");
    assert!(swept >= 3, "draft, account and USCC reservations and the session expire: {swept}");
    assert!(
        !gongshi_tests::exists(app.dir.path(), &format!("blobs/verified/{licence}")),
        "the draft's licence file is gone"
    );
    assert!(
        gongshi_store::uploads::get(&app.embedded.table, &licence)
            .await
            .expect("get")
            .is_none(),
        "and its record"
    );
}

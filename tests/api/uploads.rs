//! F1 uploads: presigned PUT, verification of the stored bytes.

use gongshi_tests::{basic, pdf, png, spawn_app};
use serde_json::json;

async fn registrant(app: &gongshi_tests::TestApp) -> String {
    let created = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    created.body["session"]["access_token"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn f01_upload_type_and_size_are_checked_before_a_url_is_issued() {
    let app = spawn_app().await;
    let token = registrant(&app).await;
    let exe = app
        .call(
            "POST",
            "/api/v1/uploads",
            Some(&token),
            Some(json!({"purpose": "business_licence", "file_name": "x.exe", "content_type": "application/x-msdownload", "size": 10})),
        )
        .await;
    assert_eq!((exe.status, exe.error_fields()), (422, vec!["content_type".to_owned()]));
    let huge = app
        .call(
            "POST",
            "/api/v1/uploads",
            Some(&token),
            Some(
                json!({"purpose": "business_licence", "file_name": "big.pdf", "content_type": "application/pdf", "size": 11 * 1024 * 1024}),
            ),
        )
        .await;
    assert_eq!(huge.status, 413);
    let anonymous = app
        .call(
            "POST",
            "/api/v1/uploads",
            None,
            Some(json!({"purpose": "business_licence", "file_name": "a.pdf", "content_type": "application/pdf", "size": 10})),
        )
        .await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn f01_bytes_that_are_not_the_declared_type_are_refused_and_deleted() {
    let app = spawn_app().await;
    let token = registrant(&app).await;
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let presign = app
        .call(
            "POST",
            "/api/v1/uploads",
            Some(&token),
            Some(json!({"purpose": "business_licence", "file_name": "licence.png", "content_type": "image/png", "size": html.len()})),
        )
        .await;
    let id = presign.body["upload_id"].as_str().expect("id");
    assert_eq!(
        app.put_presigned(presign.body["url"].as_str().expect("url"), "image/png", html)
            .await,
        200
    );
    let complete = app
        .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(&token), None)
        .await;
    assert_eq!(
        (complete.status, complete.body["errors"][0]["code"].as_str()),
        (422, Some("content_mismatch"))
    );
    assert!(
        !gongshi_tests::exists(app.dir.path(), &format!("blobs/uploads/{id}")),
        "the refused file is deleted"
    );
}

#[tokio::test]
async fn f01_presigned_url_refuses_another_type_another_length_or_a_late_upload() {
    let app = spawn_app().await;
    let token = registrant(&app).await;
    let bytes = pdf();
    let presign = app
        .call(
            "POST",
            "/api/v1/uploads",
            Some(&token),
            Some(json!({"purpose": "business_licence", "file_name": "l.pdf", "content_type": "application/pdf", "size": bytes.len()})),
        )
        .await;
    let url = presign.body["url"].as_str().expect("url").to_owned();
    assert_eq!(
        app.put_presigned(&url, "image/png", bytes.clone()).await,
        403,
        "another content type"
    );
    assert_eq!(app.put_presigned(&url, "application/pdf", png()).await, 403, "another length");
    let tampered = url.replace("X-Content-Length=", "X-Content-Length=9");
    assert_eq!(
        app.put_presigned(&tampered, "application/pdf", bytes.clone()).await,
        403,
        "tampered signature"
    );
    app.clock.advance(time::Duration::minutes(11));
    assert_eq!(app.put_presigned(&url, "application/pdf", bytes).await, 403, "expired");
    let id = presign.body["upload_id"].as_str().expect("id");
    let complete = app
        .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(&token), None)
        .await;
    assert_eq!(
        (complete.status, complete.body["errors"][0]["code"].as_str()),
        (422, Some("upload_missing"))
    );
}

#[tokio::test]
async fn f01_completing_twice_answers_the_same_and_others_cannot_use_the_upload() {
    let app = spawn_app().await;
    let token = registrant(&app).await;
    let id = app
        .upload(&token, "business_licence", "营业执照.pdf", "application/pdf", pdf())
        .await;
    let again = app
        .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(&token), None)
        .await;
    assert_eq!((again.status, again.body["state"].as_str()), (200, Some("verified")));
    let other = app
        .call("POST", "/api/v1/registrations", None, Some(basic("second", "91350200776049653A")))
        .await;
    let other_token = other.body["session"]["access_token"].as_str().expect("token");
    let other_id = other.body["registration"]["id"].as_str().expect("id");
    let steal = app
        .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(other_token), None)
        .await;
    assert_eq!(steal.status, 404);
    let attach = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{other_id}/licence"),
            Some(other_token),
            Some(json!({"upload_id": id})),
        )
        .await;
    assert_eq!((attach.status, attach.error_fields()), (422, vec!["upload_id".to_owned()]));
}

#[tokio::test]
async fn f01_bytes_put_again_after_the_check_are_never_stored_or_served() {
    let app = spawn_app().await;
    let token = registrant(&app).await;
    let original = pdf();
    let asked =
        json!({"purpose": "business_licence", "file_name": "营业执照.pdf", "content_type": "application/pdf", "size": original.len()});
    let presigned = app.call("POST", "/api/v1/uploads", Some(&token), Some(asked)).await;
    assert_eq!(presigned.status, 201, "{:?}", presigned.body);
    let id = presigned.body["upload_id"].as_str().expect("id").to_owned();
    let url = presigned.body["url"].as_str().expect("url").to_owned();
    assert_eq!(app.put_presigned(&url, "application/pdf", original.clone()).await, 200);
    let done = app
        .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(&token), None)
        .await;
    assert_eq!((done.status, done.body["state"].as_str()), (200, Some("verified")));
    // The URL is still valid for its 10 minutes: other bytes of the same length go up.
    let mut evil = b"MZ\x90\x00".to_vec();
    evil.resize(original.len(), b'A');
    let replaced = app.put_presigned(&url, "application/pdf", evil.clone()).await;
    assert!(replaced < 300 || replaced == 403, "{replaced}");
    let again = app
        .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(&token), None)
        .await;
    assert_eq!(again.body["state"], "verified");
    // What a reviewer downloads is what was checked.
    let upload = gongshi_core::registration::UploadRef {
        upload_id: id.clone(),
        file_name: "营业执照.pdf".into(),
        content_type: "application/pdf".into(),
        size: original.len() as u64,
    };
    let link = gongshi_workflow::uploads::download_url(&app.gateway.platform, &upload)
        .await
        .expect("a download link");
    let (status, served) = app.get_presigned(&link).await;
    assert_eq!(status.as_u16(), 200);
    assert_eq!(served, original, "the checked PDF, not the bytes put after the check");
}

//! F5: account appeals with a 3-working-day reply, reviewed in the F21 appeal queue.

use gongshi_tests::{SEED_PASSWORD, TestApp, approved_unit, pdf, png, spawn_app};
use serde_json::{Value, json};

pub(crate) async fn with_token(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> gongshi_tests::Reply {
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("x-appeal-token", token);
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            axum::body::Body::from(json.to_string())
        }
        None => axum::body::Body::empty(),
    };
    app.send(request.body(body).expect("request")).await
}

pub(crate) async fn upload(app: &TestApp, id: &str, token: &str, purpose: &str, bytes: Vec<u8>, content_type: &str) -> String {
    let asked = json!({"purpose": purpose, "file_name": "证明材料", "content_type": content_type, "size": bytes.len()});
    let presigned = with_token(app, "POST", &format!("/api/v1/appeals/{id}/uploads"), token, Some(asked)).await;
    assert_eq!(presigned.status, 201, "{:?}", presigned.body);
    let upload_id = presigned.body["upload_id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.put_presigned(presigned.body["url"].as_str().expect("url"), content_type, bytes)
            .await,
        200
    );
    let done = with_token(
        app,
        "POST",
        &format!("/api/v1/appeals/{id}/uploads/{upload_id}/complete"),
        token,
        None,
    )
    .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    upload_id
}

/// An appeal submitted on Thursday 2026-11-26: (id, token).
async fn submitted_appeal(app: &TestApp) -> (String, String) {
    let form = json!({"uscc": "91350100M000100Y43", "unit_name": "厦门市特种设备检验检测院", "applicant_name": "李四",
        "applicant_mobile": "13900139000", "contact_email": "appeal@example.com", "reason": "原授权联系人已离职，手机号无法接收验证码，申请重置密码"});
    let created = app.call("POST", "/api/v1/appeals", None, Some(form)).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["appeal"]["id"].as_str().expect("id").to_owned();
    let token = created.body["token"].as_str().expect("token").to_owned();
    let licence = upload(app, &id, &token, "business_licence", pdf(), "application/pdf").await;
    let letter = upload(app, &id, &token, "authorisation_letter", png(), "image/png").await;
    let submitted = with_token(
        app,
        "POST",
        &format!("/api/v1/appeals/{id}/submit"),
        &token,
        Some(json!({"licence_upload_id": licence, "authorisation_upload_id": letter})),
    )
    .await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    (id, token)
}

#[tokio::test]
async fn f05_reply_is_due_in_three_working_days_skipping_configured_holidays() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    // Monday 30 November declared a holiday; Saturday 5 December a make-up workday.
    let set = app
        .call(
            "PUT",
            "/api/v1/admin/calendar",
            Some(&admin),
            Some(json!({"holidays": ["2026-11-30"], "makeup_workdays": ["2026-12-05"]})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let (id, token) = submitted_appeal(&app).await;
    let mine = with_token(&app, "GET", &format!("/api/v1/appeals/{id}"), &token, None).await;
    // Thursday 26 Nov + 3 working days: Fri 27, (Sat, Sun, holiday Mon 30), Tue 1, Wed 2 December.
    assert_eq!(
        (mine.body["state"].as_str(), mine.body["due_date"].as_str()),
        (Some("submitted"), Some("2026-12-02"))
    );
    let reviewer = app.reviewer().await;
    let queue = app.call("GET", "/api/v1/review/appeals", Some(&reviewer), None).await;
    assert_eq!(
        (
            queue.body["items"][0]["due_date"].as_str(),
            queue.body["items"][0]["overdue"].as_bool()
        ),
        (Some("2026-12-02"), Some(false))
    );
    app.clock.advance(time::Duration::days(7));
    let reviewer = app.reviewer().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let later = app.call("GET", "/api/v1/review/appeals", Some(&reviewer), None).await;
    assert_eq!(
        (later.body["items"][0]["overdue"].as_bool(), later.body["overdue_count"].as_u64()),
        (Some(true), Some(1)),
        "overdue appeals are flagged"
    );
    let bad = app
        .call(
            "PUT",
            "/api/v1/admin/calendar",
            Some(&admin),
            Some(json!({"holidays": ["2026-13-01", "2026-12-05"], "makeup_workdays": ["2026-12-05"]})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.error_fields()),
        (422, vec!["holidays".to_owned(), "makeup_workdays".to_owned()])
    );
    assert_eq!(
        app.call("GET", "/api/v1/admin/calendar", Some(&reviewer), None).await.status,
        403,
        "the calendar is the admin's"
    );
}

#[tokio::test]
async fn f05_approval_resets_the_admin_password_which_only_the_contact_receives() {
    let app = spawn_app().await;
    let old_token = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let (id, _) = submitted_appeal(&app).await;
    let reviewer = app.reviewer().await;
    let detail = app
        .call("GET", &format!("/api/v1/review/appeals/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!(
        (
            detail.body["unit"]["name_matches"].as_bool(),
            detail.body["unit"]["admin_usernames"].clone()
        ),
        (Some(true), json!(["xmtjy"]))
    );
    assert_eq!(detail.body["documents"].as_array().map(Vec::len), Some(2));
    let sent_before = app.outbox().len();
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve", "reason": "材料齐全，已重置密码", "reset_password_for": "xmtjy"})),
        )
        .await;
    assert_eq!(
        (decided.status, decided.body["appeal"]["state"].as_str()),
        (200, Some("approved")),
        "{:?}",
        decided.body
    );
    assert!(!decided.body.to_string().contains("Gs"), "the temporary password is not in the API");
    let sent: Vec<_> = app.outbox().into_iter().skip(sent_before).collect();
    let mail = sent.iter().find(|m| m.channel == "email").expect("e-mail");
    assert_eq!(mail.to, "appeal@example.com");
    assert!(
        mail.body.contains("已通过") && mail.body.contains("138****8000") && !mail.body.contains("临时密码为"),
        "{}",
        mail.body
    );
    let sms = sent.iter().find(|m| m.channel == "sms").expect("sms");
    assert_eq!(sms.to, "13800138000", "only the registered contact");
    let temporary = sms
        .body
        .split("临时密码为 ")
        .nth(1)
        .and_then(|rest| rest.split('，').next())
        .expect("password in the SMS")
        .to_owned();
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&old_token), None).await.status,
        401,
        "old sessions end"
    );
    app.login("xmtjy", &temporary, "unit").await;
    let again = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "重复处理"})),
        )
        .await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn f05_rejection_is_emailed_with_the_reason_and_changes_no_account() {
    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let (id, _) = submitted_appeal(&app).await;
    let reviewer = app.reviewer().await;
    let with_reset = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "授权委托书未盖公章", "reset_password_for": "xmtjy"})),
        )
        .await;
    assert_eq!(
        (with_reset.status, with_reset.error_fields()),
        (422, vec!["reset_password_for".to_owned()])
    );
    let rejected = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "授权委托书未盖公章"})),
        )
        .await;
    assert_eq!(rejected.body["appeal"]["state"], "rejected");
    let mail = app.outbox().into_iter().rev().find(|m| m.channel == "email").expect("e-mail");
    assert!(
        mail.body.contains("未通过") && mail.body.contains("授权委托书未盖公章"),
        "{}",
        mail.body
    );
    app.login("xmtjy", "Gongshi2026", "unit").await;
}

#[tokio::test]
async fn f05_the_token_guards_the_draft_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let bad = app.call("POST", "/api/v1/appeals", None, Some(json!({"uscc": "X", "unit_name": "某", "applicant_name": "李四", "applicant_mobile": "1", "contact_email": "x@", "reason": "短"}))).await;
    assert_eq!(
        (bad.status, bad.error_fields()),
        (
            422,
            vec![
                "uscc".to_owned(),
                "unit_name".to_owned(),
                "applicant_mobile".to_owned(),
                "contact_email".to_owned(),
                "reason".to_owned()
            ]
        )
    );
    let (id, token) = submitted_appeal(&app).await;
    let wrong = with_token(&app, "GET", &format!("/api/v1/appeals/{id}"), "not-the-token", None).await;
    assert_eq!((wrong.status, wrong.body["code"].as_str()), (404, Some("appeal_not_found")));
    let late = with_token(
        &app,
        "POST",
        &format!("/api/v1/appeals/{id}/uploads"),
        &token,
        Some(json!({"purpose": "business_licence", "file_name": "a.pdf", "content_type": "application/pdf", "size": 10})),
    )
    .await;
    assert_eq!(late.status, 409, "no uploads after submission");
    let other_purpose = app.call("POST", "/api/v1/appeals", None, Some(json!({"uscc": "91350100M000100Y43", "unit_name": "厦门市特种设备检验检测院", "applicant_name": "李四", "applicant_mobile": "13900139000", "contact_email": "appeal@example.com", "reason": "手机号已停用，无法接收验证码"}))).await;
    let (id2, token2) = (
        other_purpose.body["appeal"]["id"].as_str().expect("id").to_owned(),
        other_purpose.body["token"].as_str().expect("token").to_owned(),
    );
    let scan = with_token(
        &app,
        "POST",
        &format!("/api/v1/appeals/{id2}/uploads"),
        &token2,
        Some(json!({"purpose": "qualification_scan", "file_name": "a.pdf", "content_type": "application/pdf", "size": 10})),
    )
    .await;
    assert_eq!((scan.status, scan.error_fields()), (422, vec!["purpose".to_owned()]));
    let missing = with_token(
        &app,
        "POST",
        &format!("/api/v1/appeals/{id2}/submit"),
        &token2,
        Some(json!({"licence_upload_id": "x", "authorisation_upload_id": "y"})),
    )
    .await;
    assert_eq!(
        (missing.status, missing.error_fields()),
        (422, vec!["licence_upload_id".to_owned()])
    );
    let reviewer = app.reviewer().await;
    let draft = app
        .call("GET", &format!("/api/v1/review/appeals/{id2}"), Some(&reviewer), None)
        .await;
    assert_eq!(draft.status, 404, "drafts are not in review");
}

//! F5: account appeals with a 3-working-day reply, reviewed in the F21 appeal queue.

use gongshi_tests::{SEED_PASSWORD, TestApp, approved_unit, latest_code, pdf, png, spawn_app};
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

/// The new authorised contact's mobile, proven while appealing.
pub const APPELLANT_MOBILE: &str = "13900139000";

/// The appeal form of the unit's new authorised contact 王小明.
pub fn appeal_form(uscc: &str, mobile: &str) -> Value {
    json!({"uscc": uscc, "unit_name": "厦门市特种设备检验检测院", "applicant_name": "王小明",
        "applicant_id_number": gongshi_tests::id_number("35020319900101003"), "applicant_mobile": mobile,
        "contact_email": "appeal@example.com", "reason": "原授权联系人已离职，手机号无法接收验证码，申请变更授权联系人并重置密码"})
}

/// A draft appeal with both proofs uploaded: (id, token, licence upload, letter upload).
async fn draft_appeal(app: &TestApp, uscc: &str) -> (String, String, String, String) {
    let created = app
        .call("POST", "/api/v1/appeals", None, Some(appeal_form(uscc, APPELLANT_MOBILE)))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(
        (created.body["code_sent_to"].as_str(), created.body["resend_after"].as_i64()),
        (Some("139****9000"), Some(60))
    );
    let id = created.body["appeal"]["id"].as_str().expect("id").to_owned();
    let token = created.body["token"].as_str().expect("token").to_owned();
    let licence = upload(app, &id, &token, "business_licence", pdf(), "application/pdf").await;
    let letter = upload(app, &id, &token, "authorisation_letter", png(), "image/png").await;
    (id, token, licence, letter)
}

async fn submit(app: &TestApp, id: &str, token: &str, licence: &str, letter: &str, code: &str) -> gongshi_tests::Reply {
    with_token(
        app,
        "POST",
        &format!("/api/v1/appeals/{id}/submit"),
        token,
        Some(json!({"licence_upload_id": licence, "authorisation_upload_id": letter, "code": code})),
    )
    .await
}

/// An appeal for UNIT_A submitted on Thursday 2026-11-26 with the code sent to the
/// appellant's mobile: (id, token).
async fn submitted_appeal(app: &TestApp) -> (String, String) {
    let (id, token, licence, letter) = draft_appeal(app, "91350100M000100Y43").await;
    let code = latest_code(app, APPELLANT_MOBILE);
    let submitted = submit(app, &id, &token, &licence, &letter, &code).await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    assert_eq!(submitted.body["mobile_verified"], true);
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
async fn f05_approval_makes_the_appellant_the_contact_and_sends_the_temporary_password_to_their_proven_mobile() {
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
            detail.body["unit"]["admin_usernames"].clone(),
            detail.body["unit"]["contact"].as_str(),
        ),
        (Some(true), json!(["xmtjy"]), Some("李四 138****8000"))
    );
    assert_eq!(
        (
            detail.body["appeal"]["applicant_name"].as_str(),
            detail.body["appeal"]["applicant_mobile_masked"].as_str(),
            detail.body["appeal"]["mobile_verified"].as_bool()
        ),
        (Some("王小明"), Some("139****9000"), Some(true))
    );
    assert_eq!(detail.body["documents"].as_array().map(Vec::len), Some(2));
    let sent_before = app.outbox().len();
    // The unit has one admin account: the reviewer need not name it.
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve", "reason": "材料齐全，同意变更授权联系人并重置密码"})),
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
    let mail = sent
        .iter()
        .find(|m| m.channel == "email" && m.to == "appeal@example.com")
        .expect("the result e-mailed to the appellant");
    assert!(
        mail.body.contains("已通过") && mail.body.contains("139****9000") && !mail.body.contains("临时密码为"),
        "the e-mail carries the result and where the password went, never the password: {}",
        mail.body
    );
    let to_appellant: Vec<_> = sent.iter().filter(|m| m.channel == "sms" && m.to == APPELLANT_MOBILE).collect();
    assert_eq!(to_appellant.len(), 1, "the temporary password goes to the proven mobile");
    let to_old: Vec<_> = sent.iter().filter(|m| m.to == "13800138000").collect();
    assert_eq!(to_old.len(), 1, "the old contact is told by SMS");
    assert!(
        to_old[0].body.contains("授权联系人已变更为王小明") && !to_old[0].body.contains("临时密码"),
        "{}",
        to_old[0].body
    );
    assert!(
        sent.iter().any(|m| m.channel == "email" && m.to == "lisi@example.com"),
        "and by e-mail"
    );
    let temporary = to_appellant[0]
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
    // The temporary password logs in, but only to set a new one.
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": temporary, "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_eq!(
        (
            login.body["account"]["password_change_required"].as_bool(),
            login.body["account"]["password_change_reason"].as_str()
        ),
        (Some(true), Some("appeal"))
    );
    let restricted = login.body["access_token"].as_str().expect("token").to_owned();
    let refused = app.call("GET", "/api/v1/unit", Some(&restricted), None).await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (403, Some("password_change_required"))
    );
    let changed = app
        .call(
            "PUT",
            "/api/v1/auth/password",
            Some(&restricted),
            Some(json!({"current_password": temporary, "new_password": "Xinmima2026"})),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["account"]["password_change_required"], false);
    let token = changed.body["access_token"].as_str().expect("token").to_owned();
    let unit = app.call("GET", "/api/v1/unit", Some(&token), None).await;
    assert_eq!(
        (
            unit.body["contact"]["name"].as_str(),
            unit.body["contact"]["mobile_masked"].as_str(),
            unit.body["contact"]["email"].as_str()
        ),
        (Some("王小明"), Some("139****9000"), Some("appeal@example.com")),
        "the appellant is the unit's authorised contact: {:?}",
        unit.body
    );
    // What the unit does next time it forgets (a while later): SMS recovery reaches the new contact.
    app.clock.advance(time::Duration::minutes(5));
    let recovery = app
        .call(
            "POST",
            "/api/v1/password-recovery/code",
            None,
            Some(json!({"username": "xmtjy", "uscc": "91350100M000100Y43", "mobile": APPELLANT_MOBILE})),
        )
        .await;
    assert_eq!(recovery.status, 202, "{:?}", recovery.body);
    assert!(
        app.outbox()
            .last()
            .is_some_and(|m| m.to == APPELLANT_MOBILE && m.body.contains("找回")),
        "the recovery code goes to the new contact"
    );
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
async fn f05_the_appellants_mobile_is_proven_by_a_code_before_submission() {
    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let (id, token, licence, letter) = draft_appeal(&app, "91350100M000100Y43").await;
    let code = latest_code(&app, APPELLANT_MOBILE);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = submit(&app, &id, &token, &licence, &letter, wrong).await;
    assert_eq!(
        (refused.status, refused.error_fields(), refused.body["errors"][0]["code"].as_str()),
        (422, vec!["code".to_owned()], Some("code_invalid"))
    );
    let malformed = submit(&app, &id, &token, &licence, &letter, "12ab").await;
    assert_eq!(malformed.error_fields(), ["code"]);
    let mine = with_token(&app, "GET", &format!("/api/v1/appeals/{id}"), &token, None).await;
    assert_eq!(mine.body["state"], "draft", "nothing is submitted without the code");
    let soon = with_token(&app, "POST", &format!("/api/v1/appeals/{id}/code"), &token, None).await;
    assert_eq!((soon.status, soon.body["code"].as_str()), (429, Some("rate_limited")));
    app.clock.advance(time::Duration::seconds(61));
    let resent = with_token(&app, "POST", &format!("/api/v1/appeals/{id}/code"), &token, None).await;
    assert_eq!(resent.status, 202, "{:?}", resent.body);
    let old = submit(&app, &id, &token, &licence, &letter, &code).await;
    assert_eq!(old.error_fields(), ["code"], "a resent code replaces the old one");
    let fresh = latest_code(&app, APPELLANT_MOBILE);
    let done = submit(&app, &id, &token, &licence, &letter, &fresh).await;
    assert_eq!((done.status, done.body["mobile_verified"].as_bool()), (200, Some(true)));
    let twice = submit(&app, &id, &token, &licence, &letter, &fresh).await;
    assert_eq!(twice.status, 409);
}

#[tokio::test]
async fn f05_an_appeal_for_an_unregistered_unit_can_only_be_rejected() {
    let app = spawn_app().await;
    let (id, token, licence, letter) = draft_appeal(&app, "91350203MA2Y0K7X11").await;
    let code = latest_code(&app, APPELLANT_MOBILE);
    assert_eq!(submit(&app, &id, &token, &licence, &letter, &code).await.status, 200);
    let reviewer = app.reviewer().await;
    let approve = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve", "reason": "同意"})),
        )
        .await;
    assert_eq!((approve.status, approve.body["code"].as_str()), (422, Some("unit_not_registered")));
    let detail = app
        .call("GET", &format!("/api/v1/review/appeals/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!(detail.body["appeal"]["state"], "submitted", "nothing changed");
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
    let bad = app.call("POST", "/api/v1/appeals", None, Some(json!({"uscc": "X", "unit_name": "某", "applicant_name": "李四", "applicant_id_number": "123", "applicant_mobile": "1", "contact_email": "x@", "reason": "短"}))).await;
    assert_eq!(
        (bad.status, bad.error_fields()),
        (
            422,
            vec![
                "uscc".to_owned(),
                "unit_name".to_owned(),
                "applicant_id_number".to_owned(),
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
    let other_purpose = app
        .call(
            "POST",
            "/api/v1/appeals",
            None,
            Some(appeal_form("91350100M000100Y43", "13900139001")),
        )
        .await;
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
        Some(json!({"licence_upload_id": "x", "authorisation_upload_id": "y", "code": "123456"})),
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

#[tokio::test]
async fn f05_appeals_for_one_uscc_are_limited_each_day_so_a_flood_cannot_fill_the_queue() {
    let app = spawn_app().await;
    let uscc = "91350100M000100Y43";
    // From three different mobiles (each number's own limit is not what stops them).
    for (n, mobile) in ["13900139001", "13900139002", "13900139003"].iter().enumerate() {
        let created = app.call("POST", "/api/v1/appeals", None, Some(appeal_form(uscc, mobile))).await;
        assert_eq!(created.status, 201, "{n}: {:?}", created.body);
    }
    let fourth = app
        .call("POST", "/api/v1/appeals", None, Some(appeal_form(uscc, "13900139004")))
        .await;
    assert_eq!(
        (fourth.status, fourth.body["code"].as_str()),
        (429, Some("rate_limited")),
        "{:?}",
        fourth.body
    );
    assert!(
        crate::publicity::sms_to(&app, "13900139004").is_empty(),
        "no code is sent for a refused appeal"
    );
    let other_unit = app
        .call(
            "POST",
            "/api/v1/appeals",
            None,
            Some(appeal_form("91350200776049653A", "13900139004")),
        )
        .await;
    assert_eq!(
        other_unit.status, 201,
        "another unit's appeal is not held back: {:?}",
        other_unit.body
    );
}

#[tokio::test]
async fn f05_an_appeal_made_while_the_units_registration_was_in_review_finds_the_unit_once_approved() {
    let app = spawn_app().await;
    // The registration is still in review when the appeal is made: no unit holds the USCC yet.
    let (registration, _) = gongshi_tests::submitted(&app, "xmtjy", "91350100M000100Y43").await;
    let (id, _) = submitted_appeal(&app).await;
    let reviewer = app.reviewer().await;
    let before = app
        .call("GET", &format!("/api/v1/review/appeals/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!((before.status, before.body["unit"].clone()), (200, Value::Null), "no unit yet");
    gongshi_tests::approve_registration(&app, &registration).await;
    // Now the review finds it by the USCC, and the appeal can restore access through it.
    let after = app
        .call("GET", &format!("/api/v1/review/appeals/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!(
        (
            after.body["unit"]["admin_usernames"].clone(),
            after.body["unit"]["contact"].as_str()
        ),
        (json!(["xmtjy"]), Some("李四 138****8000"))
    );
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/appeals/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve", "reason": "材料齐全，同意"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    assert_eq!(
        (decided.body["appeal"]["state"].as_str(), decided.body["unit"]["contact"].as_str()),
        (Some("approved"), Some("王小明 139****9000")),
        "the answer shows the unit with its new contact"
    );
}

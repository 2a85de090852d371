//! F4: password recovery by SMS.

use gongshi_tests::{approved_unit, latest_code, spawn_app};
use serde_json::json;

fn details(mobile: &str) -> serde_json::Value {
    json!({"username": "xmtjy", "uscc": "91350100M000100Y43", "mobile": mobile})
}

#[tokio::test]
async fn f04_matching_details_get_a_code_that_resets_the_password_and_ends_sessions() {
    let app = spawn_app().await;
    let old_token = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let sent = app
        .call("POST", "/api/v1/password-recovery/code", None, Some(details("+86 138 0013 8000")))
        .await;
    assert_eq!(sent.status, 202, "{:?}", sent.body);
    assert_eq!(
        sent.body,
        json!({"mobile_masked": "138****8000", "expires_in": 600, "resend_after": 60})
    );
    let code = latest_code(&app, "13800138000");
    let sms = app.outbox().into_iter().rev().find(|m| m.channel == "sms").expect("sms");
    assert!(sms.body.contains("找回") && sms.body.contains("10分钟"), "{}", sms.body);

    let weak = app
        .call(
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": code, "new_password": "short"})),
        )
        .await;
    assert_eq!((weak.status, weak.error_fields()), (422, vec!["new_password".to_owned()]));
    let reset = app
        .call(
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": code, "new_password": "NewPass2026"})),
        )
        .await;
    assert_eq!(reset.status, 204, "{:?}", reset.body);
    let again = app
        .call(
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": code, "new_password": "Other2026x"})),
        )
        .await;
    assert_eq!(
        (again.status, again.body["errors"][0]["code"].as_str()),
        (422, Some("code_expired")),
        "a code works once"
    );

    let revoked = app.call("GET", "/api/v1/me", Some(&old_token), None).await;
    assert_eq!(
        (revoked.status, revoked.body["code"].as_str()),
        (401, Some("token_revoked")),
        "sessions from before end"
    );
    let old_password = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"})),
        )
        .await;
    assert_eq!(old_password.status, 401);
    app.login("xmtjy", "NewPass2026", "unit").await;
}

#[tokio::test]
async fn f04_mismatching_details_get_one_neutral_answer_and_no_sms() {
    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let sent_before = app.outbox().len();
    let wrong_mobile = app
        .call("POST", "/api/v1/password-recovery/code", None, Some(details("13900139000")))
        .await;
    app.clock.advance(time::Duration::minutes(2));
    let mut wrong_uscc = details("13800138000");
    wrong_uscc["uscc"] = json!("91350200776049653A");
    let wrong_uscc = app.call("POST", "/api/v1/password-recovery/code", None, Some(wrong_uscc)).await;
    app.clock.advance(time::Duration::minutes(2));
    let mut unknown = details("13800138000");
    unknown["username"] = json!("nobody");
    let unknown = app.call("POST", "/api/v1/password-recovery/code", None, Some(unknown)).await;
    for reply in [&wrong_mobile, &wrong_uscc, &unknown] {
        assert_eq!(
            (reply.status, reply.body["code"].as_str()),
            (422, Some("recovery_mismatch")),
            "{:?}",
            reply.body
        );
        assert!(reply.error_fields().is_empty(), "no field is named");
        assert_eq!(reply.body["detail"], wrong_mobile.body["detail"]);
    }
    assert_eq!(app.outbox().len(), sent_before, "nothing was sent");
    let malformed = app
        .call(
            "POST",
            "/api/v1/password-recovery/code",
            None,
            Some(json!({"username": "x", "uscc": "1", "mobile": "2"})),
        )
        .await;
    assert_eq!(
        (malformed.status, malformed.error_fields()),
        (422, vec!["username".to_owned(), "uscc".to_owned(), "mobile".to_owned()])
    );
}

#[tokio::test]
async fn f04_sending_is_limited_to_one_a_minute_and_ten_a_day() {
    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    assert_eq!(
        app.call("POST", "/api/v1/password-recovery/code", None, Some(details("13800138000")))
            .await
            .status,
        202
    );
    let soon = app
        .call("POST", "/api/v1/password-recovery/code", None, Some(details("13800138000")))
        .await;
    assert_eq!((soon.status, soon.body["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(soon.headers["retry-after"], "60");
    for _ in 0..9 {
        app.clock.advance(time::Duration::seconds(61));
        assert_eq!(
            app.call("POST", "/api/v1/password-recovery/code", None, Some(details("13800138000")))
                .await
                .status,
            202
        );
    }
    app.clock.advance(time::Duration::seconds(61));
    let eleventh = app
        .call("POST", "/api/v1/password-recovery/code", None, Some(details("13800138000")))
        .await;
    assert_eq!(eleventh.status, 429, "ten a day");
    let wait: u64 = eleventh.headers["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!(wait > 60, "until the next day: {wait}");
}

#[tokio::test]
async fn f04_wrong_code_five_times_voids_it_and_an_old_code_expires() {
    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    app.call("POST", "/api/v1/password-recovery/code", None, Some(details("13800138000")))
        .await;
    let code = latest_code(&app, "13800138000");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let reply = app
            .call(
                "POST",
                "/api/v1/password-recovery/reset",
                None,
                Some(json!({"username": "xmtjy", "code": wrong, "new_password": "NewPass2026"})),
            )
            .await;
        assert_eq!(reply.body["errors"][0]["code"], "code_invalid");
        assert!(
            reply.body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("还可尝试 {left} 次"))),
            "{:?}",
            reply.body
        );
    }
    let fifth = app
        .call(
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": wrong, "new_password": "NewPass2026"})),
        )
        .await;
    assert_eq!(fifth.body["errors"][0]["code"], "code_exhausted");
    let right_too_late = app
        .call(
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": code, "new_password": "NewPass2026"})),
        )
        .await;
    assert_eq!(
        right_too_late.body["errors"][0]["code"], "code_expired",
        "the voided code no longer works"
    );

    app.clock.advance(time::Duration::minutes(2));
    app.call("POST", "/api/v1/password-recovery/code", None, Some(details("13800138000")))
        .await;
    let fresh = latest_code(&app, "13800138000");
    app.clock.advance(time::Duration::minutes(10) + time::Duration::seconds(1));
    let expired = app
        .call(
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": fresh, "new_password": "NewPass2026"})),
        )
        .await;
    assert_eq!(expired.body["errors"][0]["code"], "code_expired");
}

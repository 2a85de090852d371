//! Return for correction (退回补正, issue #19): a reviewer sends a publicity application back
//! with structured reasons; the unit uploads a corrected scan within 5 working days and it
//! goes back to review on the confirmation already given, or it expires.

use crate::publicity::{UNIT_A, confirm, detail, ready_person, search, sms_to, stored_state, upload_scan};
use gongshi_core::practice::ApplicationState;
use gongshi_tests::{TestApp, approved_unit, latest_code, spawn_app};
use serde_json::{Value, json};
use time::Duration;

/// An application of UNIT_A in review: (unit token, person's ID, application id).
async fn in_review(app: &TestApp, n: u32, mobile: &str) -> (String, String, String) {
    let unit = approved_unit(app, "xmtjy", UNIT_A).await;
    let (id, app_id) = another_in_review(app, &unit, n, mobile).await;
    (unit, id, app_id)
}

/// Another application of the unit `unit` in review: (person's ID, application id).
async fn another_in_review(app: &TestApp, unit: &str, n: u32, mobile: &str) -> (String, String) {
    let id = ready_person(app, n, "王五", mobile).await;
    let app_id = crate::publicity::created(app, unit, &id, "王五", "initial").await;
    assert_eq!(upload_scan(app, unit, &app_id).await.status, 200);
    let confirmed = confirm(app, &id, &latest_code(app, mobile)).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    (id, app_id)
}

/// From the test clock's start (Thursday 2026-11-26 17:00 China time) to the end of a
/// correction period begun then: Thursday 12-03 at midnight China time.
const TO_PERIOD_END: Duration = Duration::hours(7 * 24 + 7);

async fn send_back(app: &TestApp, token: &str, app_id: &str, body: Value) -> gongshi_tests::Reply {
    app.call(
        "POST",
        &format!("/api/v1/review/applications/{app_id}/return"),
        Some(token),
        Some(body),
    )
    .await
}

fn mails_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    app.outbox()
        .into_iter()
        .filter(|m| m.channel == "email" && m.to == to)
        .map(|m| (m.subject.unwrap_or_default(), m.body))
        .collect()
}

#[tokio::test]
async fn f21_a_returned_application_is_corrected_with_a_new_scan_and_approved_without_a_second_confirmation() {
    let app = spawn_app().await;
    let (unit, _, app_id) = in_review(&app, 1, "13900000001").await;
    let reviewer = app.reviewer().await;
    let texts_before = sms_to(&app, "13900000001").len();

    // Thursday 2026-11-26, 17:00 China time: five working days end on Thursday 12-03.
    let returned = send_back(
        &app,
        &reviewer,
        &app_id,
        json!({"reasons": ["signature_or_seal_missing", "scan_unreadable"], "note": "单位公章模糊，请重新盖章后扫描"}),
    )
    .await;
    assert_eq!(returned.status, 200, "{:?}", returned.body);
    let shown = &returned.body["application"];
    assert_eq!(
        (shown["state"].as_str(), shown["state_label"].as_str()),
        (Some("returned"), Some("退回补正"))
    );
    assert_eq!(shown["correction"]["due"], "2026-12-03");
    assert_eq!(
        shown["correction"]["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| r["label"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["扫描件不清晰", "缺少签字或盖章"],
        "in the reviewers' order"
    );
    assert_eq!(shown["deadline"], "2026-12-03T16:00:00Z", "midnight China time");

    // The unit sees what to correct, with the countdown, and is texted and e-mailed.
    let seen = detail(&app, &unit, &app_id).await;
    assert_eq!(seen["state"], "returned");
    assert_eq!(seen["correction"]["note"], "单位公章模糊，请重新盖章后扫描");
    assert_eq!(seen["seconds_left"], TO_PERIOD_END.whole_seconds(), "to Thursday's midnight");
    assert_eq!(
        (
            seen["actions"]["upload"].as_bool(),
            seen["actions"]["print"].as_bool(),
            seen["actions"]["resend_code"].as_bool()
        ),
        (Some(true), Some(true), Some(false))
    );
    let text = sms_to(&app, "13800138000").pop().expect("the unit's contact is texted");
    assert!(
        text.contains("被退回补正：扫描件不清晰；缺少签字或盖章；说明：单位公章模糊"),
        "{text}"
    );
    assert!(text.contains("12月3日前"), "{text}");
    let (subject, body) = mails_to(&app, "lisi@example.com").pop().expect("and e-mailed");
    assert!(subject.contains("退回补正"), "{subject}");
    assert!(
        body.contains("无需执业人再次确认") && body.contains(&format!("/publicity/applications/{app_id}")),
        "{body}"
    );
    let history: Vec<&str> = seen["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["to"].as_str())
        .collect();
    assert_eq!(history.last(), Some(&"returned"));

    // A returned application leaves the review queue and is not decided meanwhile.
    let queue = app.call("GET", "/api/v1/review/applications", Some(&reviewer), None).await;
    assert!(queue.body["items"].as_array().expect("items").is_empty(), "{:?}", queue.body);
    let returned_queue = app
        .call("GET", "/api/v1/review/applications?state=returned", Some(&reviewer), None)
        .await;
    assert_eq!(returned_queue.body["items"][0]["id"], app_id.as_str());
    let early = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{app_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!((early.status, early.body["code"].as_str()), (409, Some("application_state")));

    // The corrected scan sends it back to review; the practitioner is not asked again.
    app.clock.advance(Duration::days(2));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let corrected = upload_scan(&app, &unit, &app_id).await;
    assert_eq!(corrected.status, 200, "{:?}", corrected.body);
    assert_eq!(corrected.body["state"], "under_review");
    assert!(corrected.body["correction"]["corrected_at"].is_string());
    assert_eq!(sms_to(&app, "13900000001").len(), texts_before, "no new confirmation code");
    let reviewer = app.reviewer().await;
    let approved = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{app_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(approved.status, 200, "{:?}", approved.body);
    assert_eq!(approved.body["application"]["state"], "approved");
    assert_eq!(approved.body["application"]["returns"], 1);
    assert!(approved.body["application"]["publicity_certificate_no"].is_string());
}

#[tokio::test]
async fn f21_a_return_refuses_bad_reasons_field_by_field_and_stores_nothing() {
    let app = spawn_app().await;
    let (unit, _, app_id) = in_review(&app, 2, "13900000002").await;
    let reviewer = app.reviewer().await;
    for (body, fields) in [
        (json!({}), vec!["reasons"]),
        (json!({"reasons": []}), vec!["reasons"]),
        (json!({"reasons": ["other"]}), vec!["note"]),
        (json!({"reasons": ["blurry"]}), vec!["reasons[0]"]),
        (json!({"reasons": ["scan_unreadable"], "note": "糊"}), vec!["note"]),
        (json!({"reasons": ["scan_unreadable"], "note": "长".repeat(501)}), vec!["note"]),
    ] {
        let refused = send_back(&app, &reviewer, &app_id, body.clone()).await;
        assert_eq!(
            (refused.status, refused.error_fields()),
            (422, fields.iter().map(|f| (*f).to_owned()).collect()),
            "{body}"
        );
        assert!(
            refused.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_ascii()),
            "a Chinese message"
        );
    }
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::UnderReview);
    // Only reviewers return; only an application in review is returned.
    let by_unit = send_back(&app, &unit, &app_id, json!({"reasons": ["scan_unreadable"]})).await;
    assert_eq!(by_unit.status, 403);
    let ok = send_back(&app, &reviewer, &app_id, json!({"reasons": ["wrong_person"]})).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    let twice = send_back(&app, &reviewer, &app_id, json!({"reasons": ["wrong_person"]})).await;
    assert_eq!((twice.status, twice.body["code"].as_str()), (409, Some("application_state")));
    let unknown = send_back(&app, &reviewer, "01NOSUCHAPPLICATION", json!({"reasons": ["wrong_person"]})).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn f21_a_returned_application_not_corrected_within_the_period_expires_and_frees_the_person() {
    let app = spawn_app().await;
    let (_, id, app_id) = in_review(&app, 3, "13900000003").await;
    let reviewer = app.reviewer().await;
    assert_eq!(
        send_back(&app, &reviewer, &app_id, json!({"reasons": ["data_mismatch"]}))
            .await
            .status,
        200
    );
    // Thursday 12-03 at 23:59 China time it still waits; at midnight it has ended.
    app.clock.advance(TO_PERIOD_END - Duration::minutes(1));
    let unit_again = app.login("xmtjy", "Gongshi2026", "unit").await;
    assert_eq!(detail(&app, &unit_again, &app_id).await["state"], "returned");
    app.clock.advance(Duration::minutes(1));
    let report = fn_application_expiry::expire_overdue_applications(&app.gateway.platform)
        .await
        .expect("sweep");
    assert_eq!(report.expired, 1);
    let ended = detail(&app, &unit_again, &app_id).await;
    assert_eq!(ended["state"], "expired");
    assert!(
        ended["end_reason"]
            .as_str()
            .is_some_and(|r| r.contains("退回补正后5个工作日内未重新上传")),
        "{ended}"
    );
    assert!(
        sms_to(&app, "13800138000")
            .last()
            .is_some_and(|t| t.contains("退回补正后5个工作日内未重新上传"))
    );
    assert_eq!(
        search(&app, &unit_again, &id, "王五").await["kind"],
        "initial",
        "the person is free to apply again"
    );
}

#[tokio::test]
async fn f21_a_correction_racing_the_end_of_the_period_either_lands_or_expires_never_both() {
    let app = spawn_app().await;
    let (unit, _, in_time) = in_review(&app, 4, "13900000004").await;
    let (_, too_late) = another_in_review(&app, &unit, 6, "13900000006").await;
    let reviewer = app.reviewer().await;
    for id in [&in_time, &too_late] {
        assert_eq!(
            send_back(&app, &reviewer, id, json!({"reasons": ["scan_unreadable"]})).await.status,
            200
        );
    }
    let platform = &app.gateway.platform;
    // One second before the period ends, the corrected scan and the sweeper run at once: the
    // scan lands, the sweeper finds nothing due.
    app.clock.advance(TO_PERIOD_END - Duration::seconds(1));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let (landed, swept) = tokio::join!(
        upload_scan(&app, &unit, &in_time),
        fn_application_expiry::expire_overdue_applications(platform)
    );
    assert_eq!(landed.status, 200, "{:?}", landed.body);
    assert_eq!(swept.expect("sweep").expired, 0);
    assert_eq!(stored_state(&app, &in_time).await, ApplicationState::UnderReview);
    // At the end, the other's scan and the sweeper race: the scan is refused (409, naming the
    // correction period) and the application ends once, with one text.
    app.clock.advance(Duration::seconds(1));
    let (late, swept) = tokio::join!(
        upload_scan(&app, &unit, &too_late),
        fn_application_expiry::expire_overdue_applications(platform)
    );
    swept.expect("sweep");
    assert_eq!(
        (late.status, late.body["code"].as_str()),
        (409, Some("application_expired")),
        "{:?}",
        late.body
    );
    assert!(
        late.body["detail"].as_str().is_some_and(|d| d.contains("退回补正后5个工作日")),
        "{:?}",
        late.body
    );
    assert_eq!(stored_state(&app, &too_late).await, ApplicationState::Expired);
    assert_eq!(
        stored_state(&app, &in_time).await,
        ApplicationState::UnderReview,
        "the corrected one stays in review"
    );
    let expiry_texts = sms_to(&app, "13800138000").iter().filter(|t| t.contains("已自动结束")).count();
    assert_eq!(expiry_texts, 1, "one ending, one text");
}

#[tokio::test]
async fn f21_two_reviewers_returning_and_approving_at_once_leave_one_outcome() {
    let app = spawn_app().await;
    let (_, _, app_id) = in_review(&app, 5, "13900000005").await;
    let (reviewer, admin) = (app.reviewer().await, crate::publicity::admin(&app).await);
    let decide = format!("/api/v1/review/applications/{app_id}/decision");
    let (returned, approved) = tokio::join!(
        send_back(&app, &reviewer, &app_id, json!({"reasons": ["scan_unreadable"]})),
        app.call("POST", &decide, Some(&admin), Some(json!({"outcome": "approve"})),),
    );
    let mut statuses = [returned.status, approved.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{:?} {:?}", returned.body, approved.body);
    let stored = stored_state(&app, &app_id).await;
    let expected = if returned.status == 200 {
        ApplicationState::Returned
    } else {
        ApplicationState::Approved
    };
    assert_eq!(stored, expected);
    let unit_texts = sms_to(&app, "13800138000")
        .iter()
        .filter(|t| t.contains("申报单") && (t.contains("退回补正") || t.contains("审核通过")))
        .count();
    assert_eq!(unit_texts, 1, "one outcome, one text");
}

#[tokio::test]
async fn f21_a_returned_application_near_the_end_of_its_correction_period_is_reminded_once() {
    let app = spawn_app().await;
    let (_, _, app_id) = in_review(&app, 7, "13900000007").await;
    let reviewer = app.reviewer().await;
    assert_eq!(
        send_back(&app, &reviewer, &app_id, json!({"reasons": ["scan_unreadable"]}))
            .await
            .status,
        200
    );
    let platform = &app.gateway.platform;
    let remind = || gongshi_tests::clients::checked("reminders", fn_reminders::CLIENTS, fn_reminders::send_reminders(platform));
    assert_eq!(remind().await.expect("run").applications, 0, "five working days left");
    // A day and a half before the period's end: one reminder, worded for the correction.
    app.clock.advance(TO_PERIOD_END - Duration::hours(36));
    assert_eq!(remind().await.expect("run").applications, 1);
    assert!(
        sms_to(&app, "13800138000").pop().is_some_and(|t| t.contains("1 项")),
        "the contact is texted"
    );
    let (_, body) = mails_to(&app, "lisi@example.com").pop().expect("and e-mailed the details");
    assert!(
        body.contains("请尽快重新上传补正后的申请表扫描件") && body.contains("退回补正"),
        "{body}"
    );
    assert_eq!(remind().await.expect("again").applications, 0, "once");
}

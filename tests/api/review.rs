//! F21: the registration review queue and decisions; F3 for the unit that results.

use gongshi_tests::{SEED_PASSWORD, approved_unit, basic, complete_draft, spawn_app, submitted};
use serde_json::{Value, json};

#[tokio::test]
async fn f21_reviewer_approves_then_f03_unit_admin_logs_in_and_sees_the_unit() {
    let app = spawn_app().await;
    let (id, _) = submitted(&app, "xmtjy", "91350100M000100Y43").await;
    let reviewer = app.reviewer().await;
    let queue = app.call("GET", "/api/v1/review/registrations", Some(&reviewer), None).await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.body["items"][0]["id"], id.as_str());
    assert_eq!(queue.body["items"][0]["unit_name"], "厦门市特种设备检验检测院");

    let detail = app
        .call("GET", &format!("/api/v1/review/registrations/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!(detail.status, 200);
    assert_eq!(
        detail.body["registration"]["contact"]["id_number"], "11010519491231002X",
        "reviewers see the full ID number"
    );
    let documents = detail.body["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 2);
    let (status, bytes) = app.get_presigned(documents[0]["url"].as_str().expect("url")).await;
    assert_eq!(
        (status.as_u16(), &bytes[..5]),
        (200, &b"%PDF-"[..]),
        "the licence downloads through its presigned URL"
    );

    let approved = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(approved.status, 200, "{:?}", approved.body);
    assert_eq!(approved.body["registration"]["state"], "approved");
    let history: Vec<_> = approved.body["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(history, ["registration.created", "registration.submitted", "registration.approved"]);

    let sent = app.outbox();
    let sms: Vec<_> = sent.iter().filter(|m| m.channel == "sms").collect();
    let mail: Vec<_> = sent.iter().filter(|m| m.channel == "email").collect();
    assert_eq!((sms.len(), mail.len()), (1, 1));
    assert_eq!(sms[0].to, "13800138000");
    assert!(sms[0].body.contains("审核通过") && sms[0].body.contains("xmtjy"), "{}", sms[0].body);
    assert_eq!(mail[0].to, "lisi@example.com");
    assert_eq!(mail[0].subject.as_deref(), Some("执业公示系统：单位注册申请已通过"));

    let wrong_type = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "association"})),
        )
        .await;
    assert_eq!(wrong_type.status, 401, "a unit account is not an association user");
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 200);
    assert_eq!(login.body["account"]["role"], "unit_admin");
    // The admin account is its user's, the authorised contact (#17 bug 19); the unit is named apart.
    assert_eq!(login.body["account"]["display_name"], "李四");
    let token = login.body["access_token"].as_str().expect("token");
    let me = app.call("GET", "/api/v1/me", Some(token), None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["unit"]["name"], "厦门市特种设备检验检测院");
    assert_eq!(me.body["unit"]["uscc"], "91350100M000100Y43");
    assert_eq!(me.body["unit"]["contact_mobile_masked"], "138****8000");

    let again = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "重复"})),
        )
        .await;
    assert_eq!((again.status, again.body["code"].as_str()), (409, Some("state_conflict")));
    assert_eq!(app.outbox().len(), 2, "no second notification");
    let taken = app
        .call("POST", "/api/v1/registrations", None, Some(basic("another", "91350100M000100Y43")))
        .await;
    assert_eq!(taken.status, 409, "the approved unit keeps its USCC");
}

#[tokio::test]
async fn f21_rejection_needs_a_reason_and_the_applicant_can_fix_and_resubmit() {
    let app = spawn_app().await;
    let (id, _) = submitted(&app, "xmtjy", "91350100M000100Y43").await;
    let reviewer = app.reviewer().await;
    let no_reason = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject"})),
        )
        .await;
    assert_eq!((no_reason.status, no_reason.error_fields()), (422, vec!["reason".to_owned()]));
    let rejected = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "营业执照扫描件不清晰"})),
        )
        .await;
    assert_eq!(rejected.status, 200);
    assert_eq!(rejected.body["registration"]["decision"]["reason"], "营业执照扫描件不清晰");
    let sms = app.outbox().into_iter().find(|m| m.channel == "sms").expect("sms");
    assert!(
        sms.body.contains("未通过") && sms.body.contains("营业执照扫描件不清晰"),
        "{}",
        sms.body
    );

    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"})),
        )
        .await;
    assert_eq!(
        login.body["account"]["role"], "registrant",
        "a rejected applicant continues as registrant"
    );
    let token = login.body["access_token"].as_str().expect("token");
    let licence = app
        .upload(
            token,
            "business_licence",
            "营业执照-清晰版.pdf",
            "application/pdf",
            gongshi_tests::pdf(),
        )
        .await;
    let fixed = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{id}/licence"),
            Some(token),
            Some(json!({"upload_id": licence})),
        )
        .await;
    assert_eq!(fixed.status, 200, "{:?}", fixed.body);
    let resubmitted = app
        .call("POST", &format!("/api/v1/registrations/{id}/submit"), Some(token), None)
        .await;
    assert_eq!((resubmitted.status, resubmitted.body["state"].as_str()), (200, Some("submitted")));
    let queue = app
        .call("GET", "/api/v1/review/registrations?state=submitted", Some(&reviewer), None)
        .await;
    assert_eq!(queue.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn f21_review_routes_refuse_everyone_but_reviewers() {
    let app = spawn_app().await;
    let (id, registrant) = complete_draft(&app, "xmtjy", "91350100M000100Y43").await;
    let anonymous = app.call("GET", "/api/v1/review/registrations", None, None).await;
    assert_eq!(anonymous.status, 401);
    let as_registrant = app.call("GET", "/api/v1/review/registrations", Some(&registrant), None).await;
    assert_eq!(
        (as_registrant.status, as_registrant.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    let decide = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{id}/decision"),
            Some(&registrant),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decide.status, 403);

    let (other, _) = submitted(&app, "approved_unit", "91350200776049653A").await;
    let reviewer = app.reviewer().await;
    app.call(
        "POST",
        &format!("/api/v1/review/registrations/{other}/decision"),
        Some(&reviewer),
        Some(json!({"outcome": "approve"})),
    )
    .await;
    let unit_admin = app.login("approved_unit", "Gongshi2026", "unit").await;
    let as_unit = app
        .call("GET", &format!("/api/v1/review/registrations/{other}"), Some(&unit_admin), None)
        .await;
    assert_eq!(as_unit.status, 403, "unit tokens are refused on reviewer routes");
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let as_admin = app
        .call("GET", "/api/v1/review/registrations?state=approved", Some(&admin), None)
        .await;
    assert_eq!(
        (as_admin.status, as_admin.body["items"].as_array().map(Vec::len)),
        (200, Some(1)),
        "the association admin may review"
    );
    let draft_hidden = app
        .call("GET", &format!("/api/v1/review/registrations/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!(draft_hidden.status, 404, "drafts are not shown to reviewers");
}

#[tokio::test]
async fn f21_queue_pages_with_a_cursor_and_refuses_bad_parameters() {
    let app = spawn_app().await;
    for (name, uscc) in [
        ("unit_a", "91350100M000100Y43"),
        ("unit_b", "91350200776049653A"),
        ("unit_c", "913502000728319549"),
    ] {
        submitted(&app, name, uscc).await;
        app.clock.advance(time::Duration::minutes(1));
    }
    let reviewer = app.reviewer().await;
    let first = app.call("GET", "/api/v1/review/registrations?limit=2", Some(&reviewer), None).await;
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(2));
    let cursor = first.body["next_cursor"].as_str().expect("more pages");
    let second = app
        .call(
            "GET",
            &format!("/api/v1/review/registrations?limit=2&cursor={cursor}"),
            Some(&reviewer),
            None,
        )
        .await;
    let names: Vec<_> = second.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["uscc"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["913502000728319549"], "oldest submission first, nothing lost or repeated");
    assert!(second.body["next_cursor"].is_null());
    let bad = app
        .call("GET", "/api/v1/review/registrations?cursor=garbage", Some(&reviewer), None)
        .await;
    assert_eq!((bad.status, bad.error_fields()), (422, vec!["cursor".to_owned()]));
    let bad_state = app
        .call("GET", "/api/v1/review/registrations?state=lost", Some(&reviewer), None)
        .await;
    assert_eq!((bad_state.status, bad_state.error_fields()), (422, vec!["state".to_owned()]));
}

#[tokio::test]
async fn f21_concurrent_decisions_have_exactly_one_outcome() {
    let app = spawn_app().await;
    let (id, _) = submitted(&app, "xmtjy", "91350100M000100Y43").await;
    let reviewer = app.reviewer().await;
    let path = format!("/api/v1/review/registrations/{id}/decision");
    let (a, b) = tokio::join!(
        app.call("POST", &path, Some(&reviewer), Some(json!({"outcome": "approve"}))),
        app.call(
            "POST",
            &path,
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "资料不全"}))
        ),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(
        app.outbox().iter().filter(|m| m.channel == "sms").count(),
        1,
        "one decision, one notification"
    );
}

/// An application of UNIT_A waiting in the review queue: (application id).
async fn waiting_for_review(app: &gongshi_tests::TestApp) -> String {
    let unit = approved_unit(app, "xmtjy", crate::publicity::UNIT_A).await;
    let id = crate::publicity::ready_person(app, 1, "王五", "13900000001").await;
    let app_id = crate::publicity::created(app, &unit, &id, "王五", "initial").await;
    let scanned = crate::publicity::upload_scan(app, &unit, &app_id).await;
    assert_eq!(scanned.status, 200, "{:?}", scanned.body);
    let confirmed = crate::publicity::confirm(app, &id, &gongshi_tests::latest_code(app, "13900000001")).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    app_id
}

#[tokio::test]
async fn f21_a_claimed_application_is_decided_only_by_its_holder_until_the_claim_lapses() {
    let app = spawn_app().await;
    let app_id = waiting_for_review(&app).await;
    let (reviewer, admin) = (app.reviewer().await, crate::publicity::admin(&app).await);
    let claim_path = format!("/api/v1/review/applications/{app_id}/claim");
    let decide_path = format!("/api/v1/review/applications/{app_id}/decision");

    let claimed = app.call("POST", &claim_path, Some(&reviewer), None).await;
    assert_eq!(claimed.status, 200, "{:?}", claimed.body);
    assert_eq!(
        (claimed.body["by"].as_str(), claimed.body["mine"].as_bool()),
        (Some("reviewer"), Some(true))
    );
    // The other reviewer sees who holds it, in the queue and on the detail.
    let queue = app.call("GET", "/api/v1/review/applications", Some(&admin), None).await;
    let listed = &queue.body["items"][0];
    assert_eq!(
        (
            listed["id"].as_str(),
            listed["claim"]["by"].as_str(),
            listed["claim"]["mine"].as_bool()
        ),
        (Some(app_id.as_str()), Some("reviewer"), Some(false))
    );
    let seen = app
        .call("GET", &format!("/api/v1/review/applications/{app_id}"), Some(&admin), None)
        .await;
    assert_eq!(seen.body["claim"]["by"], "reviewer");
    // And may neither take it nor decide it: 409, nothing changes.
    let taken = app.call("POST", &claim_path, Some(&admin), None).await;
    assert_eq!((taken.status, taken.body["code"].as_str()), (409, Some("claimed_by_other")));
    let released = app.call("DELETE", &claim_path, Some(&admin), None).await;
    assert_eq!((released.status, released.body["code"].as_str()), (409, Some("claimed_by_other")));
    let refused = app
        .call("POST", &decide_path, Some(&admin), Some(json!({"outcome": "approve"})))
        .await;
    assert_eq!((refused.status, refused.body["code"].as_str()), (409, Some("claimed_by_other")));
    assert!(
        refused.body["detail"].as_str().unwrap_or_default().contains("认领"),
        "{:?}",
        refused.body
    );
    assert_eq!(
        crate::publicity::stored_state(&app, &app_id).await,
        gongshi_core::practice::ApplicationState::UnderReview
    );

    // Released by its holder, it is anyone's again; a claim lapses after 30 minutes.
    assert_eq!(app.call("DELETE", &claim_path, Some(&reviewer), None).await.status, 204);
    assert_eq!(
        app.call("DELETE", &claim_path, Some(&reviewer), None).await.status,
        204,
        "nothing to release"
    );
    assert_eq!(app.call("POST", &claim_path, Some(&admin), None).await.status, 200);
    app.clock.advance(time::Duration::minutes(31));
    // (Past the access tokens' lifetime too: both sign in again.)
    let (reviewer, admin) = (app.reviewer().await, crate::publicity::admin(&app).await);
    let queue = app.call("GET", "/api/v1/review/applications", Some(&reviewer), None).await;
    assert_eq!(queue.body["items"][0]["claim"], Value::Null, "lapsed");
    assert_eq!(app.call("POST", &claim_path, Some(&reviewer), None).await.status, 200);

    // Its holder decides; the decision ends the claim.
    let decided = app
        .call("POST", &decide_path, Some(&reviewer), Some(json!({"outcome": "approve"})))
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    assert_eq!(decided.body["claim"], Value::Null);
    let after = app.call("POST", &claim_path, Some(&admin), None).await;
    assert_eq!(
        (after.status, after.body["code"].as_str()),
        (409, Some("state_conflict")),
        "decided: nothing to claim"
    );
}

#[tokio::test]
async fn f21_two_reviewers_claiming_at_once_leave_one_holder() {
    let app = spawn_app().await;
    let app_id = waiting_for_review(&app).await;
    let (reviewer, admin) = (app.reviewer().await, crate::publicity::admin(&app).await);
    let claim_path = format!("/api/v1/review/applications/{app_id}/claim");
    let (a, b) = tokio::join!(
        app.call("POST", &claim_path, Some(&reviewer), None),
        app.call("POST", &claim_path, Some(&admin), None),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{:?} / {:?}", a.body, b.body);
    let holder = if a.status == 200 { "reviewer" } else { "admin" };
    let seen = app
        .call("GET", &format!("/api/v1/review/applications/{app_id}"), Some(&reviewer), None)
        .await;
    assert_eq!(
        seen.body["claim"]["by"].as_str(),
        Some(holder),
        "the one that answered 200 holds it"
    );
}

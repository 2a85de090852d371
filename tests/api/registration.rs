//! F1: the four-step registration wizard.

use gongshi_platform::{Clock, Table};
use gongshi_tests::{basic, complete_draft, contact, spawn_app};
use serde_json::json;

#[tokio::test]
async fn f01_unit_registers_through_four_steps_and_submits() {
    let app = spawn_app().await;
    let (id, token) = complete_draft(&app, "xmtjy", "91350100M000100Y43").await;
    let draft = app.call("GET", &format!("/api/v1/registrations/{id}"), Some(&token), None).await;
    assert_eq!(draft.status, 200);
    assert_eq!(draft.body["state"], "draft");
    assert_eq!(draft.body["next_step"], serde_json::Value::Null, "all four steps are filled in");
    assert_eq!(
        draft.body["contact"]["mobile"], "13800138000",
        "the +86 prefix and spaces are normalised"
    );
    assert_eq!(draft.body["contact"]["id_number_masked"], "110***********002X");
    assert_eq!(
        draft.body["contact"]["id_number"],
        serde_json::Value::Null,
        "the applicant sees the ID number masked"
    );
    assert_eq!(draft.body["qualification"]["items"], json!(["锅炉定期检验", "压力容器定期检验"]));
    assert!(
        draft.body["draft_expires_at"]
            .as_str()
            .is_some_and(|at| at.starts_with("2026-12-26"))
    );

    let submitted = app
        .call("POST", &format!("/api/v1/registrations/{id}/submit"), Some(&token), None)
        .await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    assert_eq!(submitted.body["state"], "submitted");
    assert_eq!(
        submitted.body["draft_expires_at"],
        serde_json::Value::Null,
        "a submitted registration no longer expires"
    );

    let again = app
        .call("POST", &format!("/api/v1/registrations/{id}/submit"), Some(&token), None)
        .await;
    assert_eq!(again.status, 409, "a duplicate submit has no second effect");
    let edit = app
        .call("PUT", &format!("/api/v1/registrations/{id}/contact"), Some(&token), Some(contact()))
        .await;
    assert_eq!(edit.status, 409, "a submitted registration cannot be edited");
    let history = gongshi_store::audit::history(&app.embedded.table, &format!("REG#{id}"))
        .await
        .expect("history");
    let actions: Vec<_> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["registration.created", "registration.submitted"]);
}

#[tokio::test]
async fn f01_invalid_fields_are_refused_by_name_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut bad = basic("xmtjy", "91350100M000100YO3");
    bad["postcode"] = json!("36100");
    bad["password"] = json!("password");
    let reply = app.call("POST", "/api/v1/registrations", None, Some(bad)).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["code"], "validation_failed");
    assert_eq!(reply.error_fields(), ["password", "uscc", "postcode"]);
    assert!(
        reply.body["errors"][1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("不允许的字符")),
        "{:?}",
        reply.body
    );
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    // Nothing was reserved: the same username and USCC are still free.
    let ok = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);

    let id = ok.body["registration"]["id"].as_str().expect("id");
    let token = ok.body["session"]["access_token"].as_str().expect("token");
    let bad_contact = json!({"name": "李四", "id_number": "110105194912310021", "mobile": "12800138000", "email": "lisi@"});
    let reply = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{id}/contact"),
            Some(token),
            Some(bad_contact),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.error_fields(), ["id_number", "mobile", "email"]);
    let draft = app.call("GET", &format!("/api/v1/registrations/{id}"), Some(token), None).await;
    assert_eq!(draft.body["contact"], serde_json::Value::Null, "nothing stored");

    let missing = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{id}/contact"),
            Some(token),
            Some(json!({"name": "李四"})),
        )
        .await;
    assert_eq!((missing.status, missing.error_fields()), (422, vec!["id_number".to_owned()]));
    let qualification = json!({"kind": "approval", "certificate_no": "", "authority": "国家市场监督管理总局", "items": [],
        "valid_from": "2024-13-01", "valid_until": "2028-01-01", "scan_upload_id": "none"});
    let reply = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{id}/qualification"),
            Some(token),
            Some(qualification),
        )
        .await;
    assert_eq!((reply.status, reply.error_fields()), (422, vec!["valid_from".to_owned()]));
}

#[tokio::test]
async fn f01_a_duplicate_username_is_409_and_a_uscc_is_taken_once_a_registration_is_submitted() {
    let app = spawn_app().await;
    let (first, token) = complete_draft(&app, "xmtjy", "91350100M000100Y43").await;
    let same_name = app
        .call("POST", "/api/v1/registrations", None, Some(basic("XMTJY", "91350200776049653A")))
        .await;
    assert_eq!((same_name.status, same_name.body["code"].as_str()), (409, Some("username_taken")));
    // A draft holds no USCC: another one for the same unit may be started (a squatter's
    // draft never keeps the real unit out).
    let (second, second_token) = complete_draft(&app, "other_unit", "91350100m000100y43").await;
    let submitted = app
        .call("POST", &format!("/api/v1/registrations/{first}/submit"), Some(&token), None)
        .await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    // The first submitted holds it: the other is told at its submit, and a new draft at once.
    let late = app
        .call("POST", &format!("/api/v1/registrations/{second}/submit"), Some(&second_token), None)
        .await;
    assert_eq!((late.status, late.body["code"].as_str()), (409, Some("uscc_taken")));
    assert!(late.body["detail"].as_str().is_some_and(|d| d.contains("统一社会信用代码")));
    let still_draft = app
        .call("GET", &format!("/api/v1/registrations/{second}"), Some(&second_token), None)
        .await;
    assert_eq!(still_draft.body["state"], "draft", "the refused submit changed nothing");
    let same_uscc = app
        .call(
            "POST",
            "/api/v1/registrations",
            None,
            Some(basic("third_unit", "91350100M000100Y43")),
        )
        .await;
    assert_eq!((same_uscc.status, same_uscc.body["code"].as_str()), (409, Some("uscc_taken")));
}

#[tokio::test]
async fn f01_drafts_for_one_uscc_are_limited_each_day_and_nothing_is_stored_beyond() {
    let app = spawn_app().await;
    for n in 0..3 {
        let draft = app
            .call(
                "POST",
                "/api/v1/registrations",
                None,
                Some(basic(&format!("squat{n}"), "91350100M000100Y43")),
            )
            .await;
        assert_eq!(draft.status, 201, "{:?}", draft.body);
    }
    let fourth = app
        .call("POST", "/api/v1/registrations", None, Some(basic("squat3", "91350100M000100Y43")))
        .await;
    assert_eq!(
        (fourth.status, fourth.body["code"].as_str()),
        (429, Some("rate_limited")),
        "{:?}",
        fourth.body
    );
    assert!(fourth.headers.contains_key("retry-after"));
    assert!(
        gongshi_store::accounts::get(&app.embedded.table, "squat3")
            .await
            .expect("get")
            .is_none(),
        "no account is reserved for a refused draft"
    );
    // The next (China) day counts afresh.
    app.clock.advance(time::Duration::days(1));
    let tomorrow = app
        .call("POST", "/api/v1/registrations", None, Some(basic("squat9", "91350100M000100Y43")))
        .await;
    assert_eq!(tomorrow.status, 201, "{:?}", tomorrow.body);
}

#[tokio::test]
async fn f01_drafts_from_one_address_stop_at_its_daily_limit() {
    let app = spawn_app().await;
    // 20 drafts from one address (127.0.0.1 for every test request), for 20 different units.
    // Credit codes with the region of Xiamen (a wrong check character is only a warning).
    let usccs: Vec<String> = (0..21).map(|n| format!("91350200MA2Y{n:04}00")).collect();
    for (n, uscc) in usccs.iter().enumerate().take(20) {
        let draft = app
            .call("POST", "/api/v1/registrations", None, Some(basic(&format!("many{n}"), uscc)))
            .await;
        assert_eq!(draft.status, 201, "{n}: {:?}", draft.body);
    }
    let over = app
        .call("POST", "/api/v1/registrations", None, Some(basic("many20", &usccs[20])))
        .await;
    assert_eq!(
        (over.status, over.body["code"].as_str()),
        (429, Some("rate_limited")),
        "{:?}",
        over.body
    );
    assert!(over.body["detail"].as_str().is_some_and(|d| d.contains("网络地址")));
}

#[tokio::test]
async fn f01_f21_rejecting_a_registration_frees_its_uscc_and_a_resubmission_claims_it_again() {
    let app = spawn_app().await;
    let reviewer = app.reviewer().await;
    let (squatter, squatter_token) = complete_draft(&app, "squatter", "91350100M000100Y43").await;
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/registrations/{squatter}/submit"),
            Some(&squatter_token),
            None,
        )
        .await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    let blocked = app
        .call("POST", "/api/v1/registrations", None, Some(basic("realunit", "91350100M000100Y43")))
        .await;
    assert_eq!(blocked.body["code"], "uscc_taken");
    let rejected = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{squatter}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "营业执照与单位名称不符，非本单位申请"})),
        )
        .await;
    assert_eq!(rejected.status, 200, "{:?}", rejected.body);
    // The real unit registers and submits.
    let (real, real_token) = complete_draft(&app, "realunit", "91350100M000100Y43").await;
    let real_submit = app
        .call("POST", &format!("/api/v1/registrations/{real}/submit"), Some(&real_token), None)
        .await;
    assert_eq!(real_submit.status, 200, "{:?}", real_submit.body);
    // The rejected one may be corrected and submitted again, but the code is taken now.
    let again = app
        .call(
            "POST",
            &format!("/api/v1/registrations/{squatter}/submit"),
            Some(&squatter_token),
            None,
        )
        .await;
    assert_eq!((again.status, again.body["code"].as_str()), (409, Some("uscc_taken")));
}

#[tokio::test]
async fn f01_changing_the_uscc_of_a_draft_is_refused_only_for_a_code_a_unit_holds() {
    let app = spawn_app().await;
    gongshi_tests::approved_unit(&app, "held", "913502000728319549").await;
    let first = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let id = first.body["registration"]["id"].as_str().expect("id");
    let token = first.body["session"]["access_token"].as_str().expect("token");
    let update = |uscc: &str| {
        let mut update = basic("xmtjy", uscc);
        update
            .as_object_mut()
            .expect("object")
            .retain(|k, _| k != "username" && k != "password");
        update
    };
    let path = format!("/api/v1/registrations/{id}/basic");
    let change = |uscc: &str| app.call("PUT", &path, Some(token), Some(update(uscc)));
    let held = change("913502000728319549").await;
    assert_eq!((held.status, held.body["code"].as_str()), (409, Some("uscc_taken")));
    let moved = change("91350200776049653A").await;
    assert_eq!(
        (moved.status, moved.body["basic"]["uscc"].as_str()),
        (200, Some("91350200776049653A"))
    );
    for (name, uscc) in [("second", "91350100M000100Y43"), ("third", "91350200776049653A")] {
        let other = app.call("POST", "/api/v1/registrations", None, Some(basic(name, uscc))).await;
        assert_eq!(other.status, 201, "a draft holds neither code: {:?}", other.body);
    }
}

#[tokio::test]
async fn f01_pilot_uscc_with_bad_check_character_is_accepted_with_a_warning() {
    let app = spawn_app().await;
    let reply = app
        .call("POST", "/api/v1/registrations", None, Some(basic("pilot", "91350203M0001QAY9B")))
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    assert_eq!(reply.body["registration"]["warnings"][0]["code"], "uscc_checksum");
}

#[tokio::test]
async fn f01_submit_with_missing_steps_names_them() {
    let app = spawn_app().await;
    let created = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let id = created.body["registration"]["id"].as_str().expect("id");
    let token = created.body["session"]["access_token"].as_str().expect("token");
    let reply = app
        .call("POST", &format!("/api/v1/registrations/{id}/submit"), Some(token), None)
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.error_fields(), ["licence", "qualification", "contact"]);
    assert_eq!(reply.body["errors"][0]["code"], "step_incomplete");
}

#[tokio::test]
async fn f01_draft_is_resumed_by_logging_in_with_the_chosen_password() {
    let app = spawn_app().await;
    let created = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let id = created.body["registration"]["id"].as_str().expect("id").to_owned();
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_eq!(login.body["account"]["role"], "registrant");
    assert_eq!(login.body["account"]["registration_id"], id.as_str());
    let token = login.body["access_token"].as_str().expect("token");
    let draft = app.call("GET", &format!("/api/v1/registrations/{id}"), Some(token), None).await;
    assert_eq!((draft.status, draft.body["next_step"].as_u64()), (200, Some(2)));
}

#[tokio::test]
async fn f01_unsubmitted_draft_expires_after_30_days_and_frees_its_names() {
    let app = spawn_app().await;
    let created = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let id = created.body["registration"]["id"].as_str().expect("id").to_owned();
    let refresh = created.body["session"]["refresh_token"].as_str().expect("refresh").to_owned();
    app.clock.advance(time::Duration::days(30) + time::Duration::seconds(1));
    // Before any TTL sweep the state shown is already right.
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 401, "an expired draft's account no longer logs in");
    let again = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    assert_eq!(again.status, 201, "username and USCC are free again: {:?}", again.body);
    let old = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})))
        .await;
    assert_eq!(old.status, 401);
    let removed = app
        .embedded
        .table
        .sweep_expired(app.clock.now().unix_timestamp(), 100)
        .await
        .expect("sweep");
    assert!(
        removed.iter().any(|item| item["pk"] == format!("REG#{id}")),
        "the TTL sweep deletes the old draft"
    );
}

#[tokio::test]
async fn f01_registrant_cannot_read_or_edit_another_registration() {
    let app = spawn_app().await;
    let (id, _) = complete_draft(&app, "first", "91350100M000100Y43").await;
    let other = app
        .call("POST", "/api/v1/registrations", None, Some(basic("second", "91350200776049653A")))
        .await;
    let token = other.body["session"]["access_token"].as_str().expect("token");
    let read = app.call("GET", &format!("/api/v1/registrations/{id}"), Some(token), None).await;
    assert_eq!((read.status, read.body["code"].as_str()), (404, Some("registration_not_found")));
    let edit = app
        .call("PUT", &format!("/api/v1/registrations/{id}/contact"), Some(token), Some(contact()))
        .await;
    assert_eq!(edit.status, 404);
    let anonymous = app.call("GET", &format!("/api/v1/registrations/{id}"), None, None).await;
    assert_eq!(
        (anonymous.status, anonymous.body["code"].as_str()),
        (401, Some("authentication_required"))
    );
}

#[tokio::test]
async fn f01_racing_submissions_for_one_uscc_have_exactly_one_winner() {
    let app = spawn_app().await;
    let mut drafts = Vec::new();
    for i in 0..3 {
        drafts.push(complete_draft(&app, &format!("racer_{i}"), "91350100M000100Y43").await);
    }
    let paths: Vec<String> = drafts.iter().map(|(id, _)| format!("/api/v1/registrations/{id}/submit")).collect();
    let attempts = paths
        .iter()
        .zip(&drafts)
        .map(|(path, (_, token))| app.call("POST", path, Some(token), None));
    let mut statuses: Vec<u16> = Vec::new();
    for reply in gongshi_platform::join_all(attempts).await {
        statuses.push(reply.status);
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409, 409]);
    let queue = app
        .call("GET", "/api/v1/review/registrations", Some(&app.reviewer().await), None)
        .await;
    assert_eq!(queue.body["items"].as_array().map(Vec::len), Some(1), "one registration to review");
    assert_eq!(app.outbox().len(), 0, "registration sends nothing until decided");
}

#[tokio::test]
async fn f01_drafts_started_at_once_from_one_address_are_all_taken_and_each_counted() {
    let app = spawn_app().await;
    // Colleagues behind one address, each for their own unit, at the same moment: the day's
    // counter of the address is raced; each draft is counted after the others, none refused.
    let bodies: Vec<serde_json::Value> = (0..6)
        .map(|n| basic(&format!("colleague{n}"), &format!("91350200MA2Y{n:04}00")))
        .collect();
    let attempts = bodies
        .iter()
        .map(|body| app.call("POST", "/api/v1/registrations", None, Some(body.clone())));
    let statuses: Vec<u16> = gongshi_platform::join_all(attempts).await.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201; 6]);
    let counter = app
        .embedded
        .table
        .get(&gongshi_store::rate::key("REG-IP", "127.0.0.1"))
        .await
        .expect("get")
        .expect("the address's counter");
    assert_eq!(counter["count"], 6, "each draft counted once");
}

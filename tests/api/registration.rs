//! F1: the four-step registration wizard.

use gongshi_platform::Clock;
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
async fn f01_duplicate_username_or_uscc_is_409() {
    let app = spawn_app().await;
    assert_eq!(
        app.call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
            .await
            .status,
        201
    );
    let same_name = app
        .call("POST", "/api/v1/registrations", None, Some(basic("XMTJY", "91350200776049653A")))
        .await;
    assert_eq!((same_name.status, same_name.body["code"].as_str()), (409, Some("username_taken")));
    let same_uscc = app
        .call(
            "POST",
            "/api/v1/registrations",
            None,
            Some(basic("other_unit", "91350100m000100y43")),
        )
        .await;
    assert_eq!((same_uscc.status, same_uscc.body["code"].as_str()), (409, Some("uscc_taken")));
    assert!(same_uscc.body["detail"].as_str().is_some_and(|d| d.contains("统一社会信用代码")));
}

#[tokio::test]
async fn f01_changing_the_uscc_moves_the_reservation() {
    let app = spawn_app().await;
    let first = app
        .call("POST", "/api/v1/registrations", None, Some(basic("xmtjy", "91350100M000100Y43")))
        .await;
    let id = first.body["registration"]["id"].as_str().expect("id");
    let token = first.body["session"]["access_token"].as_str().expect("token");
    let mut update = basic("xmtjy", "91350200776049653A");
    update
        .as_object_mut()
        .expect("object")
        .retain(|k, _| k != "username" && k != "password");
    let moved = app
        .call("PUT", &format!("/api/v1/registrations/{id}/basic"), Some(token), Some(update))
        .await;
    assert_eq!(
        (moved.status, moved.body["basic"]["uscc"].as_str()),
        (200, Some("91350200776049653A"))
    );
    let old_free = app
        .call("POST", "/api/v1/registrations", None, Some(basic("second", "91350100M000100Y43")))
        .await;
    assert_eq!(old_free.status, 201, "the old USCC was released");
    let new_taken = app
        .call("POST", "/api/v1/registrations", None, Some(basic("third", "91350200776049653A")))
        .await;
    assert_eq!(new_taken.status, 409);
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
async fn f01_racing_registrations_for_one_uscc_have_exactly_one_winner() {
    let app = spawn_app().await;
    let attempts = (0..8).map(|i| {
        app.call(
            "POST",
            "/api/v1/registrations",
            None,
            Some(basic(&format!("racer_{i}"), "91350100M000100Y43")),
        )
    });
    let mut statuses: Vec<u16> = Vec::new();
    for reply in gongshi_platform::join_all(attempts).await {
        statuses.push(reply.status);
    }
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    let winners = app.outbox().len();
    assert_eq!(winners, 0, "registration sends nothing until decided");
}

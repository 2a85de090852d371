//! Races and repeats on the publicity workflow: many units submitting for one person, a
//! confirmation racing the expiry, a retried submission with its Idempotency-Key. Each must
//! end with exactly one effect.

use crate::publicity::{UNIT_A, UNIT_B, confirm, created, ready_person, stored_state, upload_scan};
use gongshi_core::practice::ApplicationState;
use gongshi_platform::Clock;
use gongshi_tests::{approved_unit, latest_code, spawn_app};
use serde_json::json;
use time::Duration;

#[tokio::test]
async fn f11_fifty_concurrent_submissions_from_three_units_give_exactly_one_application() {
    let app = spawn_app().await;
    let units = [
        approved_unit(&app, "xmtjy", UNIT_A).await,
        approved_unit(&app, "xmjyy", UNIT_B).await,
        approved_unit(&app, "xmsjy", "913502000728319549").await,
    ];
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let body = json!({"id_number": id, "name": "王五", "kind": "initial", "clause_version": 1, "clauses_confirmed": true});
    let replies =
        gongshi_platform::join_all((0..50).map(|n| app.call("POST", "/api/v1/unit/applications", Some(&units[n % 3]), Some(body.clone()))))
            .await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let refused = replies
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == "application_open")
        .count();
    assert_eq!(
        (created, refused),
        (1, 49),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let mut listed = 0;
    for unit in &units {
        listed += app.call("GET", "/api/v1/unit/applications", Some(unit), None).await.body["items"]
            .as_array()
            .expect("items")
            .len();
    }
    assert_eq!(listed, 1, "one application stored in all");
}

#[tokio::test]
async fn f14_a_confirmation_racing_the_expiry_has_exactly_one_outcome() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let application = created(&app, &unit, &id, "王五", "initial").await;
    assert_eq!(upload_scan(&app, &unit, &application).await.status, 200);
    let code = latest_code(&app, "13900000001");
    // The deadline passes as the practitioner confirms and the sweeper runs.
    app.clock.advance(Duration::days(7));
    let platform = &app.gateway.platform;
    let (confirmed, swept) = tokio::join!(
        confirm(&app, &id, &code),
        gongshi_tests::clients::checked(
            "application-expiry",
            fn_application_expiry::CLIENTS,
            fn_application_expiry::expire_overdue_applications(platform)
        )
    );
    let swept = swept.expect("sweep");
    assert_eq!(
        confirmed.status, 409,
        "past the deadline nothing is confirmed: {:?}",
        confirmed.body
    );
    assert!(swept.expired <= 1);
    assert_eq!(stored_state(&app, &application).await, ApplicationState::Expired);
    let notices = app
        .outbox()
        .into_iter()
        .filter(|m| m.to == "13900000001" && m.body.contains("已自动结束"))
        .count();
    assert_eq!(notices, 1, "one expiry, one notice");

    // Just before the deadline the confirmation wins and the sweeper leaves it alone.
    let other = ready_person(&app, 2, "赵六", "13900000002").await;
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let second = created(&app, &unit, &other, "赵六", "initial").await;
    // The scan comes an hour before the deadline; the code is valid until the deadline.
    app.clock.advance(Duration::days(7) - Duration::hours(1));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    assert_eq!(upload_scan(&app, &unit, &second).await.status, 200);
    let code = latest_code(&app, "13900000002");
    app.clock.advance(Duration::hours(1) - Duration::seconds(1));
    let (confirmed, swept) = tokio::join!(
        confirm(&app, &other, &code),
        gongshi_tests::clients::checked(
            "application-expiry",
            fn_application_expiry::CLIENTS,
            fn_application_expiry::expire_overdue_applications(platform)
        )
    );
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    assert_eq!(swept.expect("sweep").expired, 0);
    assert_eq!(stored_state(&app, &second).await, ApplicationState::UnderReview);
}

#[tokio::test]
async fn f11_a_retried_submission_with_its_idempotency_key_has_one_effect() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let post = || submission_with_key(&unit, &id, "submit-wangwu-1");
    let first = app.send(post()).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let again = app.send(post()).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.headers["idempotent-replay"], "true");
    assert_eq!(again.body["id"], first.body["id"]);
    let list = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn f11_copies_of_a_submission_racing_with_one_key_have_one_effect_and_one_answer() {
    let app = std::sync::Arc::new(spawn_app().await);
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (app, unit, id) = (std::sync::Arc::clone(&app), unit.clone(), id.clone());
            tokio::spawn(async move { app.send(submission_with_key(&unit, &id, "submit-wangwu-race")).await })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("task"));
    }
    // The idempotency record is written in the submission's own transaction: exactly one copy
    // commits, every other is answered with its answer (or, while it runs, 409).
    let created: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    assert!(
        !created.is_empty(),
        "{:?}",
        replies.iter().map(|r| (r.status, r.body["code"].clone())).collect::<Vec<_>>()
    );
    assert!(
        created.iter().all(|r| r.body["id"] == created[0].body["id"]),
        "one application answered to all"
    );
    assert!(
        replies
            .iter()
            .all(|r| r.status == 201 || (r.status == 409 && r.body["code"] == "request_in_progress")),
        "{:?}",
        replies.iter().map(|r| (r.status, r.body["code"].clone())).collect::<Vec<_>>()
    );
    let list = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1, "one effect");
}

/// Sends `count` copies of a request from parallel tasks on a multi-threaded runtime, so that
/// their reads and writes of one item really interleave.
async fn in_parallel(
    app: &std::sync::Arc<gongshi_tests::TestApp>,
    count: usize,
    method: &'static str,
    path: &'static str,
    body: Option<serde_json::Value>,
) -> Vec<gongshi_tests::Reply> {
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let app = std::sync::Arc::clone(app);
            let body = body.clone();
            tokio::spawn(async move { app.call(method, path, None, body).await })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("task"));
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn f19_public_lookups_racing_for_one_rate_counter_are_each_counted_never_a_conflict() {
    let app = std::sync::Arc::new(spawn_app().await);
    let replies = in_parallel(&app, 40, "GET", "/api/v1/public/applications?number=SB20261127-FORGED00", None).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|s| *s == 404), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn f03_wrong_passwords_racing_each_other_are_each_counted_and_lock_the_account() {
    let app = std::sync::Arc::new(spawn_app().await);
    let wrong = json!({"username": "reviewer", "password": "not-the-password", "user_type": "association"});
    let replies = in_parallel(&app, 12, "POST", "/api/v1/auth/login", Some(wrong)).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "a wrong password is never a conflict: {statuses:?}"
    );
    assert!(statuses.contains(&429), "12 wrong passwords reach the lockout: {statuses:?}");
    let right = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "reviewer", "password": gongshi_tests::SEED_PASSWORD, "user_type": "association"})),
        )
        .await;
    assert_eq!((right.status, right.body["code"].as_str()), (429, Some("account_locked")));
}

#[tokio::test]
async fn f11_a_submission_that_died_mid_way_can_be_retried_with_its_key_a_minute_later() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let post = || submission_with_key(&unit, &id, "submit-wangwu-crashed");
    // The first attempt reserved its key and then the process died (nothing was answered).
    let digest = gongshi_store::digest(&format!("POST /api/v1/unit/applications\nBearer {unit}\nsubmit-wangwu-crashed"));
    let now = app.clock.now().unix_timestamp();
    let body = json!({"id_number": id, "name": "王五", "kind": "initial", "clause_version": 1, "clauses_confirmed": true}).to_string();
    gongshi_store::idempotency::reserve(
        app.gateway.platform.table.as_ref(),
        &digest,
        &gongshi_store::digest(&body),
        now + 60,
        now,
    )
    .await
    .expect("reserved");
    let soon = app.send(post()).await;
    assert_eq!((soon.status, soon.body["code"].as_str()), (409, Some("request_in_progress")));
    app.clock.advance(Duration::seconds(61));
    let later = app.send(post()).await;
    assert_eq!(later.status, 201, "{:?}", later.body);
}

/// 王五's submission by the unit with an Idempotency-Key.
fn submission_with_key(unit: &str, id: &str, key: &str) -> axum::http::Request<axum::body::Body> {
    submission_of(unit, id, "王五", key)
}

/// A submission for `id`/`name` by the unit with an Idempotency-Key.
fn submission_of(unit: &str, id: &str, name: &str, key: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/unit/applications")
        .header("authorization", format!("Bearer {unit}"))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(axum::body::Body::from(
            json!({"id_number": id, "name": name, "kind": "initial", "clause_version": 1, "clauses_confirmed": true}).to_string(),
        ))
        .expect("request")
}

#[tokio::test]
async fn f11_an_idempotency_key_reused_for_another_request_is_refused_not_replayed() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let first_person = ready_person(&app, 1, "王五", "13900000001").await;
    let second_person = ready_person(&app, 2, "赵六", "13900000002").await;
    let first = app.send(submission_of(&unit, &first_person, "王五", "one-key")).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let other = app.send(submission_of(&unit, &second_person, "赵六", "one-key")).await;
    assert_eq!(
        (other.status, other.body["code"].as_str()),
        (422, Some("idempotency_key_reused")),
        "not the first person's application: {:?}",
        other.body
    );
    let list = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1);
    let spaced = app.send(submission_of(&unit, &second_person, "赵六", "two words")).await;
    assert_eq!(
        (spaced.status, spaced.body["code"].as_str()),
        (400, Some("idempotency_key_invalid")),
        "the documented pattern: visible characters only"
    );
}

//! The round-trip budget (issue #7): every request of every API test is counted by the
//! support's counting table and held to its route's budget; these tests prove the counting
//! and the check themselves.

use crate::publicity::UNIT_A;
use axum::body::Body;
use axum::http::Request;
use gongshi_tests::round_trips::{self, BUDGET, OVER_BUDGET};
use gongshi_tests::{approved_unit, spawn_app};
use tower::ServiceExt;

#[tokio::test]
async fn round_trips_a_unit_read_costs_the_account_read_and_one_query() {
    let app = spawn_app().await;
    let token = approved_unit(&app, "xmtjy", UNIT_A).await;
    let request = Request::get("/api/v1/unit/accounts")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let (response, calls) = round_trips::counted(app.router.clone().oneshot(request)).await;
    assert_eq!(response.expect("answer").status(), 200);
    assert_eq!(calls, ["get", "query"], "the caller's account, then the unit's accounts");
}

#[tokio::test]
async fn round_trips_a_record_is_read_with_the_callers_account_in_one_batch() {
    let app = spawn_app().await;
    let reviewer = app.reviewer().await;
    let request = Request::get("/api/v1/review/applications/01NOSUCHAPPLICATION")
        .header("authorization", format!("Bearer {reviewer}"))
        .body(Body::empty())
        .expect("request");
    let (response, calls) = round_trips::counted(app.router.clone().oneshot(request)).await;
    assert_eq!(response.expect("answer").status(), 404);
    assert_eq!(calls, ["get_many"]);
}

#[test]
fn round_trips_a_request_over_its_budget_fails_its_test() {
    let over = std::panic::catch_unwind(|| round_trips::check("GET /api/v1/unit/accounts", 200, &["get", "query", "query"]));
    let message = over.expect_err("3 round trips on a route with a budget of 2 fail");
    let text = message.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(text.contains("cost 3 DynamoDB round trips"), "{text}");
    round_trips::check("GET /api/v1/unit/accounts", 200, &["get", "query"]);
    // The linear routes have no fixed budget but a bound in the rows they carry.
    round_trips::check("POST /api/v1/unit/appends", 200, &["query"; 40]);
    round_trips::check_linear("GET /api/v1/unit/appends", 200, 12);
    let over = std::panic::catch_unwind(|| round_trips::check_linear("GET /api/v1/unit/appends", 200, 201));
    let text = over
        .expect_err("a read per person fails")
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        text.contains("with 200 rows cost 201 DynamoDB round trips; its bound is 12"),
        "{text}"
    );
}

#[test]
fn round_trips_the_ceilings_are_above_the_budget_and_name_real_routes() {
    let routes = gongshi_local::template::routes(gongshi_local::template::TEMPLATE).expect("template");
    for (route, ceiling) in OVER_BUDGET {
        assert!(
            *ceiling > BUDGET,
            "{route}: a ceiling of {ceiling} is within the budget: take it off the list"
        );
        assert!(routes.iter().any(|r| r.key() == *route), "{route} is not a route of template.yaml");
    }
}

#[test]
fn round_trips_after_a_lost_race_are_listed_but_not_held_to_the_budget() {
    let retried = ["get", "put", round_trips::LOST_RACE, "get", "put"];
    round_trips::check("GET /api/v1/unit/accounts", 200, &retried);
    let over =
        std::panic::catch_unwind(|| round_trips::check("GET /api/v1/unit/accounts", 200, &["get", "get", "put", round_trips::LOST_RACE]));
    assert!(over.is_err(), "the calls before the lost race still count");
}

/// The token with its payload changed by `edit`, signed again with the local key.
fn resigned(app: &gongshi_tests::TestApp, token: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    use base64::Engine;
    let secrets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app.dir.path().join("secrets.json")).expect("secrets")).expect("json");
    let key = secrets["jwt"].as_str().expect("jwt").as_bytes().to_vec();
    let payload = token.split('.').nth(1).expect("payload");
    let mut claims: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    edit(&mut claims);
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(&key)).expect("encode")
}

#[tokio::test]
async fn round_trips_the_unit_record_is_read_with_the_account_because_the_token_names_the_unit() {
    let app = spawn_app().await;
    let token = approved_unit(&app, "xmtjy", UNIT_A).await;
    let request = |token: &str| {
        Request::get("/api/v1/unit")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request")
    };
    let body = |response: axum::response::Response| async move {
        assert_eq!(response.status(), 200);
        axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body")
    };
    let (response, calls) = round_trips::counted(app.router.clone().oneshot(request(&token))).await;
    let now = body(response.expect("answer")).await;
    assert_eq!(
        calls,
        ["get_many", "query"],
        "the account and the unit together, then its certificates"
    );

    // A token issued before tokens named the unit still works, at the cost of a second read.
    let old = resigned(&app, &token, |claims| {
        claims.as_object_mut().expect("claims").remove("unit");
    });
    let (response, calls) = round_trips::counted(app.router.clone().oneshot(request(&old))).await;
    let before = body(response.expect("answer")).await;
    assert_eq!(calls, ["get", "get", "query"]);
    assert_eq!(now, before, "the same unit either way");

    // A token whose unit is not the account's is refused, whatever it asks.
    let other = resigned(&app, &token, |claims| claims["unit"] = serde_json::json!("01OTHERUNIT"));
    let refused = app.call("GET", "/api/v1/unit", Some(&other), None).await;
    assert_eq!((refused.status, refused.body["code"].as_str()), (401, Some("token_revoked")));
}

/// A fresh refresh token of the seeded reviewer.
async fn reviewer_refresh_token(app: &gongshi_tests::TestApp) -> String {
    let body = serde_json::json!({"username": "reviewer", "password": gongshi_tests::SEED_PASSWORD, "user_type": "association"});
    let login = app.call("POST", "/api/v1/auth/login", None, Some(body)).await;
    login.body["refresh_token"].as_str().expect("refresh").to_owned()
}

#[tokio::test]
async fn round_trips_a_refresh_reads_the_session_and_the_account_together() {
    let app = spawn_app().await;
    let refresh = |token: &str| {
        Request::post("/api/v1/auth/refresh")
            .header("content-type", "application/json")
            .body(Body::from(serde_json::json!({ "refresh_token": token }).to_string()))
            .expect("request")
    };
    let token = reviewer_refresh_token(&app).await;
    let (response, calls) = round_trips::counted(app.router.clone().oneshot(refresh(&token))).await;
    assert_eq!(response.expect("answer").status(), 200);
    assert_eq!(calls, ["get_many", "put"], "session and account in one batch, then the rotation");

    // The refresh token names the account; one naming another account is refused.
    let token = reviewer_refresh_token(&app).await;
    let (id_and_secret, _) = token.rsplit_once('.').expect("three parts");
    use base64::Engine;
    let forged = format!(
        "{id_and_secret}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("admin")
    );
    let (response, _) = round_trips::counted(app.router.clone().oneshot(refresh(&forged))).await;
    assert_eq!(response.expect("answer").status(), 401);

    // A refresh token issued before it named the account still works (the session first).
    let token = reviewer_refresh_token(&app).await;
    let (old, _) = token.rsplit_once('.').expect("three parts");
    let (response, calls) = round_trips::counted(app.router.clone().oneshot(refresh(old))).await;
    assert_eq!(response.expect("answer").status(), 200);
    assert_eq!(calls, ["get", "get", "put"]);
}

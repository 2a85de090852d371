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
    // The linear routes have no fixed budget.
    round_trips::check("POST /api/v1/unit/appends", 200, &["query"; 40]);
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

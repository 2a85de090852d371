//! Benchmark for issue #7: one batch append (F16) of N people (default 500) on embedded
//! storage, through the same router as the local gateway. Prints
//! `append_people=N append_seconds=S transactions=T` (T: how many table transactions the
//! request wrote, each within DynamoDB's 100-item limit). Run by `scripts/bench`.

use gongshi_tests::round_trips::counted;
use gongshi_tests::{approved_unit, published_people, spawn_app};
use serde_json::json;
use tower::ServiceExt;

#[tokio::main]
async fn main() {
    let people: u32 = std::env::args().nth(1).map_or(500, |n| n.parse().expect("N: a number of people"));
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    published_people(&app, &unit, people).await;
    let candidates = app.call("GET", "/api/v1/unit/appends", Some(&unit), None).await;
    let numbers: Vec<serde_json::Value> = candidates.body["items"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["certificate_no"].clone())
        .collect();
    assert_eq!(numbers.len(), people as usize, "every person is a candidate");
    let body = json!({"certificate_nos": numbers, "clause_version": 1, "clauses_confirmed": true});
    let request = axum::http::Request::post("/api/v1/unit/appends")
        .header("authorization", format!("Bearer {unit}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    let started = std::time::Instant::now();
    let (response, calls) = counted(app.router.clone().oneshot(request)).await;
    let seconds = started.elapsed().as_secs_f64();
    let response = response.expect("answer");
    assert_eq!(response.status(), 200);
    let transactions = calls.iter().filter(|c| **c == "transact").count();
    println!("append_people={people} append_seconds={seconds:.3} transactions={transactions}");
}

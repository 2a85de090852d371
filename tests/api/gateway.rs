//! The gateway: routes from template.yaml, the OpenAPI document, persistence across restarts.

use gongshi_local::functions;
use gongshi_local::gateway::check_routes;
use gongshi_local::template::{TEMPLATE, routes};
use gongshi_tests::{SEED_PASSWORD, spawn_app, start, submitted};

#[test]
fn template_routes_and_mounted_handlers_are_the_same_set() {
    let routes = routes(TEMPLATE).expect("template parses");
    let functions = functions::all();
    check_routes(&routes, &functions).expect("every route has a handler and every handler a route");
    let declared: usize = functions.iter().map(|f| functions::declared_routes(f).len()).sum();
    assert_eq!(declared, routes.len());
    let mut missing_one = routes.clone();
    let dropped = missing_one.remove(0);
    let error = check_routes(&missing_one, &functions).expect_err("a handler without a route is refused");
    assert!(error.contains(&dropped.key()), "{error}");
    let mut extra = routes.clone();
    extra.push(gongshi_local::template::Route {
        method: "GET".into(),
        path: "/api/v1/nowhere".into(),
        function: "auth".into(),
    });
    assert!(
        check_routes(&extra, &functions)
            .expect_err("a route without a handler is refused")
            .contains("/api/v1/nowhere")
    );
}

#[test]
fn openapi_document_in_docs_is_up_to_date() {
    let generated = gongshi_local::openapi::document(&functions::all()).to_pretty_json().expect("json");
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json")).expect("docs/openapi.json");
    assert!(
        generated.trim() == committed.trim(),
        "docs/openapi.json is stale: regenerate it with `gongshi-local --openapi > docs/openapi.json` and `npm run gen:api` in web/"
    );
}

#[tokio::test]
async fn unknown_routes_and_malformed_bodies_get_problem_responses() {
    let app = spawn_app().await;
    let unknown = app.call("GET", "/api/v1/nowhere", None, None).await;
    assert_eq!((unknown.status, unknown.body["code"].as_str()), (404, Some("route_not_found")));
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/registrations")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .expect("request");
    let malformed = app.send(request).await;
    assert_eq!((malformed.status, malformed.body["code"].as_str()), (400, Some("malformed_json")));
    let big = "x".repeat(70 * 1024);
    let too_large = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": big, "password": "p", "user_type": "unit"})),
        )
        .await;
    assert_eq!(too_large.status, 413);
    let doc = app.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.body["openapi"], "3.1.0");
    let outbox = app.call("GET", "/_local/outbox.json", None, None).await;
    assert_eq!(outbox.body, serde_json::json!([]));
}

#[tokio::test]
async fn embedded_state_survives_a_restart_of_the_gateway() {
    let app = spawn_app().await;
    let (id, _) = submitted(&app, "xmtjy", "91350100M000100Y43").await;
    let (dir, now) = (app.dir.clone(), time::macros::datetime!(2026-11-26 10:00 UTC));
    drop(app);
    let restarted = start(dir, now).await;
    let reviewer = restarted.login("reviewer", SEED_PASSWORD, "association").await;
    let detail = restarted
        .call("GET", &format!("/api/v1/review/registrations/{id}"), Some(&reviewer), None)
        .await;
    assert_eq!(
        (detail.status, detail.body["registration"]["state"].as_str()),
        (200, Some("submitted"))
    );
    assert_eq!(
        detail.body["documents"].as_array().map(Vec::len),
        Some(2),
        "uploaded files are still there"
    );
}

#[test]
fn every_function_has_a_log_group_and_alarms_in_the_template() {
    let doc: serde_yaml::Value = serde_yaml::from_str(TEMPLATE).expect("yaml");
    let resources = doc["Resources"].as_mapping().expect("resources");
    let functions: Vec<String> = resources
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some("AWS::Serverless::Function"))
        .filter_map(|(name, _)| name.as_str().map(str::to_owned))
        .collect();
    assert!(functions.len() >= 8, "{functions:?}");
    for function in &functions {
        for suffix in ["Logs", "Errors", "Throttles", "FailureFilter", "Failures"] {
            assert!(
                resources.contains_key(format!("{function}{suffix}").as_str()),
                "{function} lacks {function}{suffix}"
            );
        }
    }
}

/// Routes anyone may call without logging in.
const PUBLIC_ROUTES: [&str; 22] = [
    "GET /api/v1/health",
    "GET /api/v1/health/ready",
    "POST /api/v1/appeals",
    "GET /api/v1/appeals/{id}",
    "POST /api/v1/appeals/{id}/code",
    "POST /api/v1/appeals/{id}/uploads",
    "POST /api/v1/appeals/{id}/uploads/{upload_id}/complete",
    "POST /api/v1/appeals/{id}/submit",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/logout",
    "POST /api/v1/registrations",
    "POST /api/v1/password-recovery/code",
    "POST /api/v1/password-recovery/reset",
    "POST /api/v1/practitioners/mobile/code",
    "POST /api/v1/practitioners/mobile",
    "POST /api/v1/confirmations",
    "POST /api/v1/confirmations/preview",
    "GET /api/v1/registry/items",
    "GET /api/v1/public/applications",
    "GET /api/v1/public/practitioners",
    "POST /api/v1/public/verifications",
];

#[tokio::test]
async fn every_other_route_refuses_anonymous_callers_before_reading_the_body() {
    let app = spawn_app().await;
    let routes = routes(TEMPLATE).expect("template parses");
    for route in routes.iter().filter(|r| !PUBLIC_ROUTES.contains(&r.key().as_str())) {
        let path = route
            .path
            .replace("{id}", "01J0000000000000000000000")
            .replace("{username}", "someone");
        let body = (route.method != "GET").then(|| serde_json::json!({"unexpected": true}));
        let reply = app.call(&route.method, &path, None, body).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_str()),
            (401, Some("authentication_required")),
            "{}",
            route.key()
        );
    }
    for key in PUBLIC_ROUTES {
        assert!(routes.iter().any(|r| r.key() == key), "{key} is still a route");
    }
}

#[test]
fn operation_ids_are_unique_across_functions() {
    let doc: serde_json::Value =
        serde_json::from_str(&gongshi_local::openapi::document(&functions::all()).to_json().expect("json")).expect("parse");
    let mut ids: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| {
            item.as_object()
                .into_iter()
                .flat_map(|ops| ops.values().filter_map(|op| op["operationId"].as_str().map(str::to_owned)))
        })
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "generated clients key operations by id");
}

#[tokio::test]
async fn a_repeated_post_with_the_same_idempotency_key_answers_the_same_without_a_second_effect() {
    let app = spawn_app().await;
    let post = |key: &str, body: serde_json::Value| {
        axum::http::Request::builder()
            .method("POST")
            .uri("/api/v1/registrations")
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(axum::body::Body::from(body.to_string()))
            .expect("request")
    };
    let body = gongshi_tests::basic("xmtjy", "91350100M000100Y43");
    let first = app.send(post("k-1", body.clone())).await;
    assert_eq!(first.status, 201);
    let again = app.send(post("k-1", body.clone())).await;
    assert_eq!(again.status, 201, "the same answer");
    assert_eq!(again.headers["idempotent-replay"], "true");
    assert_eq!(
        again.body["registration"]["id"], first.body["registration"]["id"],
        "not a second registration"
    );
    let other_key = app.send(post("k-2", body.clone())).await;
    assert_eq!(other_key.status, 409, "a new key is a new request, refused as a duplicate");
    // A refused request frees its key: fixing the input and retrying with it succeeds.
    let mut bad = gongshi_tests::basic("second", "BAD");
    let refused = app.send(post("k-3", bad.clone())).await;
    assert_eq!(refused.status, 422);
    bad["uscc"] = serde_json::json!("91350200776049653A");
    let retried = app.send(post("k-3", bad)).await;
    assert_eq!(retried.status, 201, "{:?}", retried.body);
    let blank = app.send(post("", body)).await;
    assert_eq!((blank.status, blank.body["code"].as_str()), (400, Some("idempotency_key_invalid")));
}

#[tokio::test]
async fn the_spa_is_served_compressed_and_its_hashed_assets_are_kept_for_a_year() {
    use tower::ServiceExt;
    let app = spawn_app().await;
    let dist = tempfile::tempdir().expect("dist");
    std::fs::create_dir_all(dist.path().join("assets")).expect("assets");
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>Gongshi</title>").expect("index");
    let script = "console.log('gongshi');".repeat(100);
    std::fs::write(dist.path().join("assets/index-AbC123.js"), &script).expect("script");
    // What web/scripts/precompress.mjs writes beside it (the content only has to differ here).
    std::fs::write(dist.path().join("assets/index-AbC123.js.br"), b"brotli bytes").expect("br");
    std::fs::write(dist.path().join("assets/index-AbC123.js.gz"), b"gzip bytes").expect("gz");
    let gateway = gongshi_local::Gateway::new(
        std::sync::Arc::clone(&app.gateway.platform),
        None,
        Some(dist.path().to_path_buf()),
        false,
    )
    .expect("gateway");
    let router = gongshi_local::app(std::sync::Arc::new(gateway));
    let get = |path: &str, accept: Option<&str>| {
        let mut request = axum::http::Request::builder().uri(path);
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        router.clone().oneshot(request.body(axum::body::Body::empty()).expect("request"))
    };
    let header = |response: &axum::http::Response<axum::body::Body>, name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    };

    let brotli = get("/assets/index-AbC123.js", Some("gzip, deflate, br")).await.expect("answers");
    assert_eq!(brotli.status(), 200);
    assert_eq!(header(&brotli, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&brotli, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable"),
        "a hashed asset never changes under its name"
    );
    let gzip = get("/assets/index-AbC123.js", Some("gzip")).await.expect("answers");
    assert_eq!(header(&gzip, "content-encoding").as_deref(), Some("gzip"));
    let plain = get("/assets/index-AbC123.js", None).await.expect("answers");
    assert_eq!(header(&plain, "content-encoding"), None);
    let bytes = http_body_util::BodyExt::collect(plain.into_body()).await.expect("body").to_bytes();
    assert_eq!(bytes.len(), script.len(), "a browser that accepts neither gets the file itself");

    for page in ["/", "/unit/home"] {
        let index = get(page, Some("br")).await.expect("answers");
        assert_eq!(index.status(), 200, "{page}");
        assert_eq!(
            header(&index, "cache-control").as_deref(),
            Some("no-cache"),
            "{page}: the page is asked for again, so a release is seen at once"
        );
        assert!(
            header(&index, "x-content-type-options").is_some(),
            "{page} keeps the security headers"
        );
    }
}

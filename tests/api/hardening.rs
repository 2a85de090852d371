//! HTTP hardening: security headers on every kind of response, CORS limited to the SPA's
//! origin in the deployed API, and no internal detail in an error answer.

use crate::faults::faulty;
use gongshi_local::template::TEMPLATE;
use gongshi_tests::spawn_app;

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/me",
        "/api/v1/openapi.json",
        "/no-such-page",
        "/_blobs/uploads/nothing?sig=x",
    ] {
        let reply = app.call("GET", path, None, None).await;
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "same-origin"),
        ] {
            assert_eq!(
                reply.headers.get(name).map(|v| v.to_str().unwrap_or_default()),
                Some(value),
                "{name} on {path}"
            );
        }
        let csp = reply
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "CSP on {path}: {csp}"
        );
    }
}

#[test]
fn the_deployed_api_allows_only_the_spa_origin() {
    let template: serde_yaml::Value = serde_yaml::from_str(
        // Intrinsic-function tags (!Ref, !Sub) are not YAML the parser knows; drop the tag.
        &TEMPLATE.replace("!Ref ", "").replace("!Sub ", "").replace("!GetAtt ", ""),
    )
    .expect("template parses");
    let cors = &template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"];
    let origins: Vec<&str> = cors["AllowOrigins"]
        .as_sequence()
        .expect("origins")
        .iter()
        .filter_map(|o| o.as_str())
        .collect();
    assert_eq!(origins, ["SpaOrigin"], "only the SPA's configured origin, never *");
    assert_ne!(cors["AllowCredentials"].as_bool(), Some(true));
}

/// A login through `app` (whose table is armed to fail).
async fn login_attempt(app: &gongshi_tests::TestApp) -> gongshi_tests::Reply {
    app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(serde_json::json!({"username": "admin", "password": "x", "user_type": "association"})),
    )
    .await
}

#[tokio::test]
async fn an_internal_failure_answers_500_without_its_detail() {
    let app = spawn_app().await;
    let (broken, table) = faulty(&app);
    table.arm_invalid(1);
    let reply = login_attempt(&broken).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.body["code"], "internal_error");
    assert!(reply.headers.get("retry-after").is_none(), "a bug is not worth retrying");
    let text = reply.body.to_string();
    assert!(
        !text.contains("injected") && !text.contains("Invalid"),
        "no internal detail: {text}"
    );
    assert!(reply.body["request_id"].as_str().is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn an_unavailable_table_answers_503_with_retry_after_and_without_its_detail() {
    let app = spawn_app().await;
    let (broken, table) = faulty(&app);
    table.arm(1);
    let reply = login_attempt(&broken).await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.body["code"], "service_unavailable");
    assert_eq!(reply.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("2"));
    let text = reply.body.to_string();
    assert!(
        !text.contains("injected") && !text.contains("Unavailable"),
        "no internal detail: {text}"
    );
    assert!(
        reply.body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "the request id to quote to support"
    );
}

#[tokio::test]
async fn a_wrong_type_in_a_choice_field_is_422_naming_the_field_and_bad_json_is_400() {
    let app = spawn_app().await;
    for user_type in [
        serde_json::json!(1),
        serde_json::json!(null),
        serde_json::json!({}),
        serde_json::json!(["unit"]),
    ] {
        let body = serde_json::json!({"username": "someone", "password": "secret", "user_type": user_type});
        let reply = app.call("POST", "/api/v1/auth/login", None, Some(body)).await;
        assert_eq!(reply.status, 422, "user_type {user_type}: {:?}", reply.body);
        assert_eq!(reply.error_fields(), ["user_type"], "{:?}", reply.body);
    }
    let request = axum::http::Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"username\": "))
        .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["code"], "malformed_json");
}

#[test]
fn the_api_document_states_the_errors_every_operation_can_answer() {
    let doc: serde_json::Value = serde_json::from_str(include_str!("../../docs/openapi.json")).expect("docs/openapi.json");
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            if operation["security"].as_array().is_some_and(|s| !s.is_empty()) {
                assert!(responses.contains_key("401"), "{method} {path} documents 401");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(responses.contains_key(status), "{method} {path} documents {status}");
                }
            }
            for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('4')) {
                if let Some(content) = response["content"].as_object() {
                    assert!(
                        content.keys().all(|k| k == "application/problem+json"),
                        "{method} {path} {status} is application/problem+json"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 71, "{checked} operations");
}

#[test]
fn the_distribution_sends_security_headers_on_the_spa_and_the_api() {
    let template: serde_yaml::Value = serde_yaml::from_str(
        &TEMPLATE
            .replace("!Ref ", "")
            .replace("!Sub ", "")
            .replace("!GetAtt ", "")
            .replace("!Equals ", ""),
    )
    .expect("template parses");
    let resources = &template["Resources"];
    let config = &resources["SpaDistribution"]["Properties"]["DistributionConfig"];
    let mut behaviours = vec![&config["DefaultCacheBehavior"]];
    behaviours.extend(config["CacheBehaviors"].as_sequence().expect("behaviours"));
    for behaviour in behaviours {
        assert_eq!(
            behaviour["ResponseHeadersPolicyId"].as_str(),
            Some("SpaResponseHeadersPolicy"),
            "{:?}",
            behaviour["PathPattern"]
        );
    }
    let headers = &resources["SpaResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];
    assert_eq!(headers["FrameOptions"]["FrameOption"].as_str(), Some("DENY"));
    assert_eq!(headers["ReferrerPolicy"]["ReferrerPolicy"].as_str(), Some("same-origin"));
    assert!(headers["ContentTypeOptions"].is_mapping());
    assert!(headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"].as_u64() >= Some(31_536_000));
    let csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"].as_str().expect("CSP");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        // The reviewer's detail frames the generated form as a local blob (#17 bug 1).
        "frame-src 'self' blob: ",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
}

#[test]
fn f13_the_local_csp_lets_the_spa_reach_where_uploads_are_stored_and_frame_a_form() {
    use gongshi_local::gateway::content_security_policy;
    let embedded = content_security_policy(true, None);
    let embedded = embedded.to_str().expect("ascii");
    assert!(embedded.contains("connect-src 'self';"), "{embedded}");
    let emulator = content_security_policy(false, Some("http://127.0.0.1:5055"));
    let emulator = emulator.to_str().expect("ascii");
    assert!(emulator.contains("connect-src 'self' http://127.0.0.1:5055;"), "{emulator}");
    assert!(emulator.contains("img-src 'self' data: blob: http://127.0.0.1:5055;"), "{emulator}");
    let aws = content_security_policy(false, None);
    assert!(aws.to_str().expect("ascii").contains("connect-src 'self' https://*.amazonaws.com;"));
    // A PDF is framed as a local blob (DocumentPreview): "This content is blocked" otherwise.
    assert!(embedded.contains("frame-src 'self' blob:;"), "{embedded}");
    assert!(emulator.contains("frame-src 'self' blob: http://127.0.0.1:5055;"), "{emulator}");
}

#[tokio::test]
async fn json_routes_take_only_application_json_so_no_cross_site_form_reaches_them() {
    let app = spawn_app().await;
    let body = r#"{"username":"reviewer","password":"wrong-pass-1","user_type":"association"}"#;
    let send = |content_type: Option<&'static str>| {
        let mut request = axum::http::Request::builder().method("POST").uri("/api/v1/auth/login");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.body(axum::body::Body::from(body)).expect("request")
    };
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let reply = app.send(send(content_type)).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_str()),
            (415, Some("unsupported_media_type")),
            "{content_type:?}: {:?}",
            reply.body
        );
    }
    let json = app.send(send(Some("application/json; charset=utf-8"))).await;
    assert_eq!(json.status, 401, "JSON is read: {:?}", json.body);
}

#[tokio::test]
async fn f01_names_of_invisible_characters_or_with_bidi_controls_are_refused_by_field() {
    let app = spawn_app().await;
    let mut invisible = gongshi_tests::basic("newunit", "91350100M000100Y43");
    invisible["unit_name"] = serde_json::json!("\u{200b}\u{200b}\u{200b}");
    invisible["legal_representative"] = serde_json::json!("张\u{202e}三");
    let reply = app.call("POST", "/api/v1/registrations", None, Some(invisible)).await;
    assert_eq!(
        (reply.status, reply.error_fields()),
        (422, vec!["unit_name".to_owned(), "legal_representative".to_owned()]),
        "{:?}",
        reply.body
    );
}

#[tokio::test]
async fn the_outbox_answers_only_on_loopback_hosts_and_gateway_problems_carry_a_request_id() {
    let app = spawn_app().await;
    let outbox = |host: &'static str| {
        axum::http::Request::builder()
            .uri("/_local/outbox.json")
            .header("host", host)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    // DNS rebinding: another site's name resolved to 127.0.0.1 must not read the codes.
    assert_eq!(app.send(outbox("evil.example:8080")).await.status, 403);
    assert_eq!(app.send(outbox("127.0.0.1.evil.example")).await.status, 403);
    for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "localhost"] {
        assert_eq!(app.send(outbox(host)).await.status, 200, "{host}");
    }
    let too_large = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(vec![b' '; 7 * 1024 * 1024]))
        .expect("request");
    let reply = app.send(too_large).await;
    assert_eq!(reply.status, 413);
    assert!(
        reply.body["request_id"].as_str().is_some_and(|id| id.len() >= 20),
        "{:?}",
        reply.body
    );
}

#[tokio::test]
async fn f19_an_unknown_export_format_is_refused_by_field() {
    let app = spawn_app().await;
    let unit = gongshi_tests::approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let reply = app.call("GET", "/api/v1/unit/publicities?format=docx", Some(&unit), None).await;
    assert_eq!((reply.status, reply.error_fields()), (422, vec!["format".to_owned()]));
    let csv = app.call("GET", "/api/v1/unit/publicities?format=csv", Some(&unit), None).await;
    assert_eq!(csv.status, 200);
}

/// Sends `request` as raw bytes to `address` and returns the answer's head, lower-cased.
async fn raw_answer_head(address: std::net::SocketAddr, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    // The server may answer and close before it has read everything: a failed write is fine.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    answer.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_http_servers_own_answers_carry_the_security_headers() {
    let app = spawn_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let listener = gongshi_local::server_answers::Listener::new(listener, &app.gateway.content_security_policy());
    let server = tokio::spawn(axum::serve(listener, app.router.clone()).into_future());

    let long_uri = format!("GET /api/v1/me?q={} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n", "a".repeat(70_000));
    let large_headers = format!(
        "GET /api/v1/me HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: {}\r\n\r\n",
        "b".repeat(500_000)
    );
    let cases: [(&str, &[u8]); 4] = [
        ("http/1.1 414", long_uri.as_bytes()),
        ("http/1.1 431", large_headers.as_bytes()),
        ("http/1.1 400", b"NOT A REQUEST\r\n\r\n"),
        // An answer of the router keeps its headers once (no second copy from the listener).
        (
            "http/1.1 401",
            b"GET /api/v1/me HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
        ),
    ];
    for (status, request) in cases {
        let head = raw_answer_head(address, request).await;
        assert!(head.starts_with(status), "{status}: {head}");
        for header in [
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy: same-origin",
            "content-security-policy: default-src 'self'",
        ] {
            assert_eq!(head.matches(header).count(), 1, "{status} carries {header} once: {head}");
        }
    }
    server.abort();
}

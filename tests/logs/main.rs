//! No personal data or secrets in logs: every log line written while a unit registers, is
//! approved, fails a login, recovers its password by SMS, and applies for a practitioner's
//! publicity (import, mobile registration, search, form, scan, SMS confirmation, approval) is
//! captured and searched. Its own
//! test binary, so that the process-wide subscriber sees everything and nothing else logs.

use gongshi_tests::{approved_unit, latest_code, spawn_app};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_carry_no_id_numbers_mobiles_codes_or_passwords() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");

    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let wrong = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Wrong-pass-1", "user_type": "unit"})),
        )
        .await;
    assert_eq!(wrong.status, 401);
    let sent = app
        .call(
            "POST",
            "/api/v1/password-recovery/code",
            None,
            Some(json!({"username": "xmtjy", "uscc": "91350100M000100Y43", "mobile": "13800138000"})),
        )
        .await;
    assert_eq!(sent.status, 202);
    let code = latest_code(&app, "13800138000");
    let confirmation = publicity_flow(&app).await;

    let text = String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    assert!(text.contains("request"), "the subscriber saw the requests: {} bytes", text.len());
    for secret in [
        "11010519491231002X",
        "13800138000",
        "lisi@example.com",
        "Gongshi2026",
        "Wrong-pass-1",
        code.as_str(),
        PRACTITIONER,
        "13900000001",
        confirmation.as_str(),
    ] {
        assert!(!text.contains(secret), "`{secret}` appears in the logs");
    }
}

/// A practitioner's ID number (valid check digit) used only in the publicity flow.
const PRACTITIONER: &str = "35020319850101001X";

/// One application from import to approval; returns the confirmation code that was sent.
async fn publicity_flow(app: &gongshi_tests::TestApp) -> String {
    let admin = app.login("admin", gongshi_tests::SEED_PASSWORD, "association").await;
    let csv = format!(
        "id_number,name,certificate_no,item_code,item_name,level,issuer,issued_on,valid_until,status\n\
         {PRACTITIONER},王五,TS-1,GL-1,锅炉定期检验,检验员,国家市场监督管理总局,2022-01-01,2030-06-30,valid\n"
    );
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/admin/practitioners/import")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(csv))
        .expect("request");
    assert_eq!(app.send(request).await.status, 200);
    let who = json!({"id_number": PRACTITIONER, "name": "王五", "mobile": "13900000001"});
    assert_eq!(
        app.call("POST", "/api/v1/practitioners/mobile/code", None, Some(who.clone()))
            .await
            .status,
        202
    );
    let mut with_code = who;
    with_code["code"] = latest_code(app, "13900000001").into();
    assert_eq!(
        app.call("POST", "/api/v1/practitioners/mobile", None, Some(with_code)).await.status,
        200
    );
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let submitted = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&unit),
            Some(json!({"id_number": PRACTITIONER, "name": "王五", "kind": "initial", "clause_version": 1, "clauses_confirmed": true})),
        )
        .await;
    assert_eq!(submitted.status, 201, "{:?}", submitted.body);
    let id = submitted.body["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.call("GET", &format!("/api/v1/unit/applications/{id}/form"), Some(&unit), None)
            .await
            .status,
        200
    );
    let upload = app
        .upload(&unit, "signed_form", "申请表.png", "image/png", gongshi_tests::png())
        .await;
    let scanned = app
        .call(
            "POST",
            &format!("/api/v1/unit/applications/{id}/scan"),
            Some(&unit),
            Some(json!({"upload_id": upload})),
        )
        .await;
    assert_eq!(scanned.status, 200);
    let code = latest_code(app, "13900000001");
    let confirmed = app
        .call(
            "POST",
            "/api/v1/confirmations",
            None,
            Some(json!({"id_number": PRACTITIONER, "code": code})),
        )
        .await;
    assert_eq!(confirmed.status, 200);
    let reviewer = app.reviewer().await;
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decided.status, 200);
    code
}

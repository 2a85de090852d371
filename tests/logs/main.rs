//! No personal data or secrets in logs: every log line written while a unit registers, is
//! approved, fails a login and recovers its password by SMS is captured and searched. Its own
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

    let text = String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    assert!(text.contains("request"), "the subscriber saw the requests: {} bytes", text.len());
    for secret in [
        "11010519491231002X",
        "13800138000",
        "lisi@example.com",
        "Gongshi2026",
        "Wrong-pass-1",
        code.as_str(),
    ] {
        assert!(!text.contains(secret), "`{secret}` appears in the logs");
    }
}

//! F9: the unit's qualification certificates.

use gongshi_tests::{approved_unit, png, spawn_app};
use serde_json::json;

fn certificate(scan: &str, valid_until: &str) -> serde_json::Value {
    json!({"kind": "licence", "certificate_no": "TS7310088-2027", "authority": "福建省市场监督管理局",
        "items": ["起重机械定期检验"], "valid_from": "2023-01-01", "valid_until": valid_until, "scan_upload_id": scan})
}

#[tokio::test]
async fn f09_approval_brings_the_registered_certificate_and_units_add_more() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let list = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    assert_eq!(
        list.body["items"][0]["certificate_no"], "TS7110236-2028",
        "the certificate of the registration"
    );
    assert_eq!(list.body["items"][0]["validity"], "valid");

    let scan = app.upload(&admin, "qualification_scan", "许可证.png", "image/png", png()).await;
    // 2026-11-26 + 60 days: within the 90-day window.
    let added = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&admin),
            Some(certificate(&scan, "2027-01-25")),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(
        (added.body["validity"].as_str(), added.body["days_left"].as_i64()),
        (Some("expiring"), Some(60))
    );
    let list = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(list.body["items"][0]["certificate_no"], "TS7310088-2027", "soonest to end first");
    assert_eq!(
        (list.body["expiring_count"].as_u64(), list.body["expired_count"].as_u64()),
        (Some(1), Some(0))
    );
    let unit = app.call("GET", "/api/v1/unit", Some(&admin), None).await;
    assert_eq!(unit.body["qualifications"].as_array().map(Vec::len), Some(2));

    app.clock.advance(time::Duration::days(61));
    let admin = app.login("xmtjy", "Gongshi2026", "unit").await;
    let later = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    assert_eq!(
        (later.body["items"][0]["validity"].as_str(), later.body["expired_count"].as_u64()),
        (Some("expired"), Some(1))
    );
}

#[tokio::test]
async fn f09_a_certificate_is_corrected_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let scan = app.upload(&admin, "qualification_scan", "许可证.png", "image/png", png()).await;
    let added = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&admin),
            Some(certificate(&scan, "2027-01-25")),
        )
        .await;
    let id = added.body["id"].as_str().expect("id").to_owned();
    let renewed = app
        .call(
            "PUT",
            &format!("/api/v1/unit/qualifications/{id}"),
            Some(&admin),
            Some(certificate(&scan, "2031-01-25")),
        )
        .await;
    assert_eq!(
        (renewed.status, renewed.body["validity"].as_str()),
        (200, Some("valid")),
        "{:?}",
        renewed.body
    );

    let mut bad = certificate("no-such-upload", "2020-01-01");
    bad["items"] = json!([]);
    let refused = app
        .call("PUT", &format!("/api/v1/unit/qualifications/{id}"), Some(&admin), Some(bad))
        .await;
    assert_eq!(
        (refused.status, refused.error_fields()),
        (422, vec!["items".to_owned(), "valid_until".to_owned()])
    );
    let unknown_scan = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&admin),
            Some(certificate("no-such-upload", "2030-01-01")),
        )
        .await;
    assert_eq!(
        (unknown_scan.status, unknown_scan.error_fields()),
        (422, vec!["scan_upload_id".to_owned()])
    );
    let list = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2), "nothing added");
    assert!(
        list.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|q| q["valid_until"] == "2031-01-25"),
        "nothing changed"
    );
}

#[tokio::test]
async fn f09_another_units_certificates_and_uploads_are_out_of_reach() {
    let app = spawn_app().await;
    let first = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let second = approved_unit(&app, "fztjy", "91350200776049653A").await;
    let scan = app.upload(&first, "qualification_scan", "许可证.png", "image/png", png()).await;
    let added = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&first),
            Some(certificate(&scan, "2030-01-01")),
        )
        .await;
    let id = added.body["id"].as_str().expect("id");
    let theirs = app
        .call(
            "PUT",
            &format!("/api/v1/unit/qualifications/{id}"),
            Some(&second),
            Some(certificate(&scan, "2030-01-01")),
        )
        .await;
    assert_eq!(
        (theirs.status, theirs.body["code"].as_str()),
        (404, Some("qualification_not_found"))
    );
    let borrowed = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&second),
            Some(certificate(&scan, "2030-01-01")),
        )
        .await;
    assert_eq!(
        (borrowed.status, borrowed.error_fields()),
        (422, vec!["scan_upload_id".to_owned()]),
        "another unit's upload cannot be used"
    );
    let reviewer = app.reviewer().await;
    assert_eq!(
        app.call("GET", "/api/v1/unit/qualifications", Some(&reviewer), None).await.status,
        403
    );
}

#[tokio::test]
async fn f09_f06_validity_counts_days_in_china_time() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let scan = app.upload(&admin, "qualification_scan", "许可证.png", "image/png", png()).await;
    let added = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&admin),
            Some(certificate(&scan, "2026-11-27")),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    // 2026-11-27 17:30 UTC is 2026-11-28 01:30 in China: the certificate ended yesterday,
    // although the UTC date is still its last day.
    app.clock.advance(time::Duration::hours(32) + time::Duration::minutes(30));
    let admin = app.login("xmtjy", "Gongshi2026", "unit").await;
    let list = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    let ended = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|q| q["certificate_no"] == "TS7310088-2027")
        .expect("the certificate")
        .clone();
    assert_eq!(
        (ended["validity"].as_str(), ended["days_left"].as_i64()),
        (Some("expired"), Some(-1)),
        "{ended:?}"
    );
    let home = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    assert_eq!(home.status, 200, "{:?}", home.body);
    let text = home.body.to_string();
    assert!(
        text.contains("已过期") || text.contains("expired"),
        "the home names the expired certificate: {text}"
    );
}

//! F9: the unit's qualification certificates.

use gongshi_tests::{approved_unit, png, spawn_app};
use serde_json::json;

/// A reviewer decides every waiting certificate request (new or corrected) with `outcome`;
/// returns how many.
pub async fn review_certificates(app: &gongshi_tests::TestApp, outcome: &str) -> usize {
    let reviewer = app.reviewer().await;
    let queue = app.call("GET", "/api/v1/review/change-requests", Some(&reviewer), None).await;
    let mut decided = 0;
    for item in queue.body["items"].as_array().expect("the queue") {
        let fields = item["fields"].to_string();
        if !fields.contains("资质证书") {
            continue;
        }
        let id = item["id"].as_str().expect("id");
        let reply = app
            .call(
                "POST",
                &format!("/api/v1/review/change-requests/{id}/decision"),
                Some(&reviewer),
                Some(json!({"outcome": outcome, "reason": "证书扫描件与填写内容不一致"})),
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        decided += 1;
    }
    decided
}

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
    assert_eq!(added.status, 202, "{:?}", added.body);
    assert_eq!(
        (
            added.body["validity"].as_str(),
            added.body["days_left"].as_i64(),
            added.body["review_state"].as_str()
        ),
        (Some("expiring"), Some(60), Some("pending"))
    );
    assert_eq!(review_certificates(&app, "approve").await, 1);
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
    review_certificates(&app, "approve").await;
    let renewed = app
        .call(
            "PUT",
            &format!("/api/v1/unit/qualifications/{id}"),
            Some(&admin),
            Some(certificate(&scan, "2031-01-25")),
        )
        .await;
    assert_eq!(
        (
            renewed.status,
            renewed.body["valid_until"].as_str(),
            renewed.body["pending"]["valid_until"].as_str()
        ),
        (202, Some("2027-01-25"), Some("2031-01-25")),
        "the approved version stays in force while the new one waits: {:?}",
        renewed.body
    );
    review_certificates(&app, "approve").await;

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
    assert_eq!(added.status, 202, "{:?}", added.body);
    review_certificates(&app, "approve").await;
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

#[tokio::test]
async fn f09_f08_a_certificates_scope_counts_only_once_the_association_approves_it() {
    use crate::publicity::{UNIT_A, import, person, register_mobile, rows, search};
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", UNIT_A).await;
    let crane = person(2);
    import(&app, rows(&crane, "赵六", &[("QZ-1", "起重机械定期检验", "2030-06-30")])).await;
    register_mobile(&app, &crane, "赵六", "13900000002").await;
    let outside = search(&app, &admin, &crane, "赵六").await;
    assert_eq!(outside["refusal"]["code"], "qualification_not_covering", "{outside:?}");
    let staff = gongshi_tests::unit_staff(&app, &admin, "xm_staff", None).await;
    let scan = app.upload(&admin, "qualification_scan", "许可证.png", "image/png", png()).await;
    let by_staff = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&staff),
            Some(certificate(&scan, "2030-01-01")),
        )
        .await;
    assert_eq!(
        (by_staff.status, by_staff.body["code"].as_str()),
        (403, Some("unit_admin_only")),
        "the unit admin asks, as for the other information changes"
    );
    let asked = app
        .call(
            "POST",
            "/api/v1/unit/qualifications",
            Some(&admin),
            Some(certificate(&scan, "2030-01-01")),
        )
        .await;
    assert_eq!((asked.status, asked.body["review_state"].as_str()), (202, Some("pending")));
    let id = asked.body["id"].as_str().expect("id").to_owned();
    let still_outside = search(&app, &admin, &crane, "赵六").await;
    assert_eq!(
        still_outside["refusal"]["code"], "qualification_not_covering",
        "a certificate waiting for review widens nothing"
    );
    let unit = app.call("GET", "/api/v1/unit", Some(&admin), None).await;
    assert_eq!(
        unit.body["qualifications"].as_array().map(Vec::len),
        Some(1),
        "only approved certificates"
    );
    // The reviewer sees what is asked, against what is in force, with the scan.
    let reviewer = app.reviewer().await;
    let queue = app.call("GET", "/api/v1/review/change-requests", Some(&reviewer), None).await;
    assert_eq!(queue.body["items"][0]["fields"], json!(["新增资质证书"]));
    let request = queue.body["items"][0]["id"].as_str().expect("id").to_owned();
    let detail = app
        .call("GET", &format!("/api/v1/review/change-requests/{request}"), Some(&reviewer), None)
        .await;
    assert!(detail.body.to_string().contains("起重机械定期检验"), "{:?}", detail.body);
    let (status, bytes) = app
        .get_presigned(detail.body["documents"][0]["url"].as_str().expect("the scan"))
        .await;
    assert_eq!((status.as_u16(), &bytes[1..4]), (200, &b"PNG"[..]));
    assert_eq!(review_certificates(&app, "approve").await, 1);
    let inside = search(&app, &admin, &crane, "赵六").await;
    assert!(inside["refusal"].is_null(), "approved, the scope counts: {inside:?}");
    // Widening it again waits for review; the approved scope stays meanwhile.
    let mut wider = certificate(&scan, "2030-01-01");
    wider["items"] = json!(["起重机械定期检验", "电梯定期检验"]);
    let corrected = app
        .call(
            "PUT",
            &format!("/api/v1/unit/qualifications/{id}"),
            Some(&admin),
            Some(wider.clone()),
        )
        .await;
    assert_eq!(
        (
            corrected.status,
            corrected.body["items"].clone(),
            corrected.body["pending"]["items"].clone()
        ),
        (202, json!(["起重机械定期检验"]), json!(["起重机械定期检验", "电梯定期检验"]))
    );
    let twice = app
        .call("PUT", &format!("/api/v1/unit/qualifications/{id}"), Some(&admin), Some(wider))
        .await;
    assert_eq!(
        (twice.status, twice.body["code"].as_str()),
        (409, Some("qualification_change_open"))
    );
    assert_eq!(review_certificates(&app, "reject").await, 1);
    let list = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    let record = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|q| q["id"] == id.as_str())
        .expect("the certificate")
        .clone();
    assert_eq!(
        (
            record["items"].clone(),
            record["review_state"].as_str(),
            record["pending"].is_null()
        ),
        (json!(["起重机械定期检验"]), Some("approved"), true),
        "a refused correction leaves the approved version"
    );
}

//! F6: the unit home lists what needs attention.

use gongshi_tests::{approved_unit, pdf, png, spawn_app};
use serde_json::json;

#[tokio::test]
async fn f06_home_lists_expiring_certificates_and_change_requests_most_urgent_first() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let quiet = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    assert_eq!(quiet.status, 200, "{:?}", quiet.body);
    assert_eq!(
        (quiet.body["unit_name"].as_str(), quiet.body["todos"].as_array().map(Vec::len)),
        (Some("厦门市特种设备检验检测院"), Some(0))
    );

    let scan = app.upload(&admin, "qualification_scan", "许可证.png", "image/png", png()).await;
    for (number, until) in [("TS-SOON", "2027-01-25"), ("TS-SOONER", "2026-12-06"), ("TS-LATER", "2030-01-01")] {
        let body = json!({"kind": "licence", "certificate_no": number, "authority": "福建省市场监督管理局", "items": ["电梯"],
            "valid_from": "2023-01-01", "valid_until": until, "scan_upload_id": scan});
        assert_eq!(
            app.call("POST", "/api/v1/unit/qualifications", Some(&admin), Some(body))
                .await
                .status,
            202
        );
    }
    assert_eq!(crate::qualifications::review_certificates(&app, "approve").await, 3);
    let proof = app.upload(&admin, "change_proof", "证明.pdf", "application/pdf", pdf()).await;
    let asked = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"postcode": "361001", "reason": "邮编调整", "proof_upload_ids": [proof]})),
        )
        .await;
    assert_eq!(asked.status, 201);

    let home = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    let todos: Vec<_> = home.body["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .map(|t| (t["kind"].as_str().unwrap_or_default().to_owned(), t["days_left"].as_i64()))
        .collect();
    assert_eq!(
        todos,
        [
            ("qualification_expiring".to_owned(), Some(10)),
            ("qualification_expiring".to_owned(), Some(60)),
            ("change_request_pending".to_owned(), None)
        ]
    );
    assert!(
        home.body["todos"][0]["title"]
            .as_str()
            .is_some_and(|t| t.contains("TS-SOONER") && t.contains("剩 10 天"))
    );
    // What the line says, as codes too, for a client in another language (#17 bug 13).
    assert_eq!(
        (
            home.body["todos"][0]["certificate_no"].as_str(),
            home.body["todos"][0]["qualification_kind"].as_str()
        ),
        (Some("TS-SOONER"), Some("licence"))
    );
    assert_eq!(
        (
            home.body["counts"]["qualifications"].as_u64(),
            home.body["counts"]["qualifications_expiring"].as_u64()
        ),
        (Some(4), Some(2))
    );

    let reviewer = app.reviewer().await;
    let id = asked.body["id"].as_str().expect("id");
    app.call(
        "POST",
        &format!("/api/v1/review/change-requests/{id}/decision"),
        Some(&reviewer),
        Some(json!({"outcome": "reject", "reason": "证明材料不全"})),
    )
    .await;
    let home = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    let last = home.body["todos"].as_array().and_then(|t| t.last()).expect("a to-do");
    assert_eq!(last["kind"], "change_request_rejected");
    assert!(last["title"].as_str().is_some_and(|t| t.contains("证明材料不全")));
    assert_eq!(last["reason"], "证明材料不全");
    assert_eq!(app.call("GET", "/api/v1/unit/home", Some(&reviewer), None).await.status, 403);

    // Data from before the unit kept its latest change (no `LASTCHANGE`): the migration
    // `unit-last-change` finds it in the review queue and the home shows it again.
    let unit_id = app.call("GET", "/api/v1/unit", Some(&admin), None).await.body["id"]
        .as_str()
        .expect("unit id")
        .to_owned();
    let table = app.gateway.platform.table.as_ref();
    table
        .delete(
            &gongshi_store::change_requests::last_change_key(&unit_id),
            gongshi_platform::Condition::Always,
        )
        .await
        .expect("delete");
    let before = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    assert!(
        before.body["todos"]
            .as_array()
            .expect("todos")
            .iter()
            .all(|t| t["kind"] != "change_request_rejected")
    );
    gongshi_store::migrations::forget(table).await.expect("forget");
    let report = gongshi_store::migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"unit-last-change") && report.written >= 1, "{report:?}");
    let after = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    assert_eq!(after.body, home.body, "the home as it was before the copy was lost");
}

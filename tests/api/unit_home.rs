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

#[tokio::test]
async fn f06_home_lists_every_open_application_returned_first_with_its_countdown_and_counts() {
    use crate::publicity::{UNIT_A, confirm, created, ready_person, upload_scan};
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", UNIT_A).await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        let id = ready_person(&app, n, "王五", &format!("1390000000{n}")).await;
        ids.push((created(&app, &admin, &id, "王五", "initial").await, id));
        // One a minute: the first made has the least time left.
        app.clock.advance(time::Duration::minutes(1));
    }
    // 1: waits for its form; 2: for the practitioner; 3: in review; 4: returned for correction.
    for (app_id, _) in &ids[1..] {
        assert_eq!(upload_scan(&app, &admin, app_id).await.status, 200);
    }
    for (n, (_, id)) in ids.iter().enumerate().skip(2) {
        let mobile = format!("1390000000{}", n + 1);
        assert_eq!(confirm(&app, id, &gongshi_tests::latest_code(&app, &mobile)).await.status, 200);
    }
    let reviewer = app.reviewer().await;
    let returned = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{}/return", ids[3].0),
            Some(&reviewer),
            Some(json!({"reasons": ["scan_unreadable"]})),
        )
        .await;
    assert_eq!(returned.status, 200, "{:?}", returned.body);
    app.clock.advance(time::Duration::days(1));

    let admin = app.login("xmtjy", "Gongshi2026", "unit").await;
    let home = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    assert_eq!(home.status, 200, "{:?}", home.body);
    let listed: Vec<(&str, &str)> = home.body["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .map(|a| (a["id"].as_str().unwrap_or_default(), a["state"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        listed,
        [
            (ids[3].0.as_str(), "returned"),
            (ids[0].0.as_str(), "created"),
            (ids[1].0.as_str(), "awaiting_confirmation"),
            (ids[2].0.as_str(), "under_review"),
        ],
        "returned first, then the least time left, those in review last"
    );
    let first = &home.body["applications"][0];
    assert_eq!(first["correction"], "扫描件不清晰");
    assert_eq!(first["state_label"], "退回补正");
    assert!(first["seconds_left"].as_i64().is_some_and(|s| s > 0));
    assert_eq!(
        home.body["applications"][0]["id_number_masked"].as_str().map(|m| m.contains('*')),
        Some(true)
    );
    assert_eq!(home.body["applications"][3]["seconds_left"], serde_json::Value::Null);
    let counts = &home.body["counts"];
    assert_eq!(
        [
            &counts["applications_open"],
            &counts["applications_returned"],
            &counts["applications_to_upload"],
            &counts["applications_to_confirm"],
            &counts["applications_in_review"]
        ],
        [&json!(4), &json!(1), &json!(1), &json!(1), &json!(1)]
    );

    // Past their 7 days the two not confirmed have expired: they are gone from the home at
    // once, before any sweep; the approved one leaves it too; the returned one's correction
    // period (to Thursday 12-03's midnight) still runs.
    app.clock.advance(time::Duration::days(6));
    let admin = app.login("xmtjy", "Gongshi2026", "unit").await;
    let reviewer = app.reviewer().await;
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{}/decision", ids[2].0),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    let later = app.call("GET", "/api/v1/unit/home", Some(&admin), None).await;
    let states: Vec<&str> = later.body["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .filter_map(|a| a["state"].as_str())
        .collect();
    assert_eq!(states, ["returned"], "{:?}", later.body["applications"]);
    assert_eq!(later.body["counts"]["applications_open"], 1);
}

#[tokio::test]
async fn f06_home_counts_the_publicities_in_force_those_ending_soon_and_follows_a_change_and_a_cancellation() {
    use crate::publicity::{UNIT_A, UNIT_B, approved, created, import, person, register_mobile, rows};
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let counts = |body: &serde_json::Value| {
        let c = &body["counts"];
        (
            c["publicities_active"].as_u64(),
            c["publicities_ending_soon"].as_u64(),
            c["people_without_mobile"].as_u64(),
        )
    };
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(counts(&home.body), (Some(0), Some(0), Some(0)), "none yet");

    // Two people published at the unit: one valid to 2030, one whose item ends within 90 days.
    let (lasting, ending) = (person(21), person(22));
    import(&app, rows(&lasting, "张久", &[("GL-1", "锅炉定期检验", "2030-06-30")])).await;
    import(&app, rows(&ending, "李近", &[("GL-1", "锅炉定期检验", "2027-01-31")])).await;
    register_mobile(&app, &lasting, "张久", "13900000021").await;
    register_mobile(&app, &ending, "李近", "13900000022").await;
    let first = created(&app, &unit, &lasting, "张久", "initial").await;
    let certificate = approved(&app, &unit, &first, &lasting, "13900000021").await;
    let second = created(&app, &unit, &ending, "李近", "initial").await;
    approved(&app, &unit, &second, &ending, "13900000022").await;
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(counts(&home.body), (Some(2), Some(1), Some(0)));

    // The unit cancels the first (注销): it counts no more once approved.
    let cancel = app
        .call(
            "POST",
            "/api/v1/unit/cancellations",
            Some(&unit),
            Some(json!({"certificate_no": certificate, "reason": "本人离职"})),
        )
        .await;
    assert_eq!(cancel.status, 201, "{:?}", cancel.body);
    let cancellation = cancel.body["id"].as_str().expect("id").to_owned();
    let scanned = crate::publicity::upload_scan(&app, &unit, &cancellation).await;
    assert_eq!(scanned.status, 200, "{:?}", scanned.body);
    let reviewer = app.reviewer().await;
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{cancellation}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(counts(&home.body), (Some(1), Some(1), Some(0)));

    // The second changes to another unit (变更): it leaves this unit's count for that unit's.
    let other = approved_unit(&app, "xmjyy", UNIT_B).await;
    let proof = app
        .upload(&other, "resignation_proof", "离职证明.pdf", "application/pdf", pdf())
        .await;
    let change = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&other),
            Some(
                json!({"id_number": ending, "name": "李近", "kind": "change", "clause_version": 1, "clauses_confirmed": true,
                "resignation_upload_id": proof}),
            ),
        )
        .await;
    assert_eq!(change.status, 201, "{:?}", change.body);
    let change = change.body["id"].as_str().expect("id").to_owned();
    // (The SMS limit is a minute a number.)
    app.clock.advance(time::Duration::seconds(61));
    approved(&app, &other, &change, &ending, "13900000022").await;
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(counts(&home.body), (Some(0), Some(0), Some(0)), "{:?}", home.body["counts"]);
    let other = app.login("xmjyy", "Gongshi2026", "unit").await;
    let theirs = app.call("GET", "/api/v1/unit/home", Some(&other), None).await;
    assert_eq!(counts(&theirs.body), (Some(1), Some(1), Some(0)));
}

#[tokio::test]
async fn f06_f20_a_person_without_a_mobile_is_counted_until_they_register_one() {
    use crate::publicity::{UNIT_A, import, person, register_mobile, rows};
    use gongshi_store::practitioners::{self, PublicityRecord};
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = person(31);
    import(&app, rows(&id, "赵无机", &[("GL-1", "锅炉定期检验", "2030-06-30")])).await;
    // A publicity from before mobiles were registered (as the old system's were).
    let unit_id = app.call("GET", "/api/v1/unit", Some(&unit), None).await.body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let record = PublicityRecord {
        id_number: gongshi_core::IdNumber::parse(&id, time::macros::date!(2026 - 11 - 26)).expect("id"),
        name: gongshi_core::Name::parse("赵无机").expect("name"),
        publicity: gongshi_core::practice::Publicity {
            certificate_no: "GS-NOMOBILE".into(),
            unit_id,
            unit_name: "厦门市特种设备检验检测院".into(),
            items: Vec::new(),
            valid_from: time::macros::date!(2026 - 01 - 01),
            valid_until: time::macros::date!(2030 - 06 - 30),
            cancelled: false,
            ended_on: None,
            application_id: "LEGACY".into(),
        },
    };
    app.gateway
        .platform
        .table
        .transact(practitioners::put_publicity(&record, Some(false)).to_vec())
        .await
        .expect("seeded");
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(home.body["counts"]["people_without_mobile"], 1);

    register_mobile(&app, &id, "赵无机", "13900000031").await;
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(home.body["counts"]["people_without_mobile"], 0);
    assert_eq!(home.body["counts"]["publicities_active"], 1);
}

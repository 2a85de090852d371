//! F8: information change requests, applied atomically on approval (F21 change queue).

use gongshi_tests::{approved_unit, pdf, spawn_app};
use serde_json::json;

async fn upload_proof(app: &gongshi_tests::TestApp, admin: &str) -> String {
    app.upload(admin, "change_proof", "变更证明.pdf", "application/pdf", pdf()).await
}

#[tokio::test]
async fn f08_admin_asks_to_change_address_and_uscc_and_a_reviewer_applies_it() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let proof = upload_proof(&app, &admin).await;
    let asked = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({
            "address": "厦门市思明区鹭江道2号", "uscc": "91350200776049653A", "unit_name": "厦门市特种设备检验检测院",
            "reason": "单位搬迁并换发营业执照", "proof_upload_ids": [proof]})),
        )
        .await;
    assert_eq!(asked.status, 201, "{:?}", asked.body);
    let fields: Vec<_> = asked.body["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["uscc", "address"], "the unchanged name is not recorded");
    assert_eq!(asked.body["changes"][1]["before"], "福建省厦门市湖里区华泰路1号");
    let second = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"postcode": "361001", "reason": "邮编调整", "proof_upload_ids": [proof]})),
        )
        .await;
    assert_eq!((second.status, second.body["code"].as_str()), (409, Some("change_request_open")));

    let reviewer = app.reviewer().await;
    let queue = app.call("GET", "/api/v1/review/change-requests", Some(&reviewer), None).await;
    assert_eq!(queue.body["items"][0]["fields"], json!(["统一社会信用代码", "单位地址"]));
    assert_eq!(
        queue.body["items"][0]["field_codes"],
        json!(["uscc", "address"]),
        "codes beside the labels (#17 bug 13)"
    );
    let id = asked.body["id"].as_str().expect("id");
    let detail = app
        .call("GET", &format!("/api/v1/review/change-requests/{id}"), Some(&reviewer), None)
        .await;
    let (status, bytes) = app.get_presigned(detail.body["documents"][0]["url"].as_str().expect("url")).await;
    assert_eq!((status.as_u16(), &bytes[..5]), (200, &b"%PDF-"[..]));
    let approved = app
        .call(
            "POST",
            &format!("/api/v1/review/change-requests/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(
        (approved.status, approved.body["request"]["state"].as_str()),
        (200, Some("approved")),
        "{:?}",
        approved.body
    );

    let unit = app.call("GET", "/api/v1/unit", Some(&admin), None).await;
    assert_eq!(
        (unit.body["address"].as_str(), unit.body["uscc"].as_str()),
        (Some("厦门市思明区鹭江道2号"), Some("91350200776049653A"))
    );
    let old_free = app
        .call(
            "POST",
            "/api/v1/registrations",
            None,
            Some(gongshi_tests::basic("newunit", "91350100M000100Y43")),
        )
        .await;
    assert_eq!(old_free.status, 201, "the old USCC is released");
    let new_taken = app
        .call(
            "POST",
            "/api/v1/registrations",
            None,
            Some(gongshi_tests::basic("other", "91350200776049653A")),
        )
        .await;
    assert_eq!(new_taken.status, 409, "the new USCC is the unit's");
    let again = app
        .call(
            "POST",
            &format!("/api/v1/review/change-requests/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "重复"})),
        )
        .await;
    assert_eq!(again.status, 409, "a second decision has no effect");
    let history = app.call("GET", "/api/v1/unit/change-requests", Some(&admin), None).await;
    assert_eq!(
        history.body["items"][0]["changes"][1]["before"], "福建省厦门市湖里区华泰路1号",
        "old values kept"
    );
    let sms = app.outbox().into_iter().rev().find(|m| m.channel == "sms").expect("sms");
    assert!(sms.body.contains("变更申请已审核通过"), "{}", sms.body);
    let next = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"postcode": "361001", "reason": "邮编调整", "proof_upload_ids": [upload_proof(&app, &admin).await]})),
        )
        .await;
    assert_eq!(next.status, 201, "decided requests free the unit for the next one");
}

#[tokio::test]
async fn f08_rejection_changes_nothing_and_bad_requests_are_refused() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let proof = upload_proof(&app, &admin).await;
    let nothing = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"postcode": "361000", "reason": "无变化", "proof_upload_ids": [proof]})),
        )
        .await;
    assert_eq!((nothing.status, nothing.error_fields()), (422, vec!["changes".to_owned()]));
    let bad = app
        .call("POST", "/api/v1/unit/change-requests", Some(&admin), Some(json!({"uscc": "BAD", "contact": {"name": "李四", "id_number": "110105194912310021", "mobile": "13800138000", "email": "a@b.cn"}, "reason": "", "proof_upload_ids": []})))
        .await;
    assert_eq!(
        (bad.status, bad.error_fields()),
        (
            422,
            vec![
                "uscc".to_owned(),
                "contact.id_number".to_owned(),
                "reason".to_owned(),
                "proof_upload_ids".to_owned()
            ]
        )
    );
    let contact = json!({"name": "周七", "id_number": "11010519491231002X", "mobile": "13700137000", "email": "zhou@example.com"});
    let asked = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"contact": contact, "reason": "授权联系人调整", "proof_upload_ids": [proof]})),
        )
        .await;
    assert_eq!(asked.status, 201, "{:?}", asked.body);
    assert!(
        asked.body["changes"][0]["after"]
            .as_str()
            .is_some_and(|a| a.contains("137****7000") && !a.contains("11010519491231002X")),
        "personal data masked"
    );
    let reviewer = app.reviewer().await;
    let id = asked.body["id"].as_str().expect("id");
    let no_reason = app
        .call(
            "POST",
            &format!("/api/v1/review/change-requests/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject"})),
        )
        .await;
    assert_eq!((no_reason.status, no_reason.error_fields()), (422, vec!["reason".to_owned()]));
    let rejected = app
        .call(
            "POST",
            &format!("/api/v1/review/change-requests/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "授权书未盖章"})),
        )
        .await;
    assert_eq!(rejected.body["request"]["state"], "rejected");
    let unit = app.call("GET", "/api/v1/unit", Some(&admin), None).await;
    assert_eq!(unit.body["contact"]["mobile_masked"], "138****8000", "nothing changed");
}

#[tokio::test]
async fn f08_only_unit_admins_ask_and_only_reviewers_decide() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let staff = gongshi_tests::unit_staff(&app, &admin, "xm_staff", None).await;
    let as_staff = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&staff),
            Some(json!({"postcode": "361001", "reason": "邮编", "proof_upload_ids": ["x"]})),
        )
        .await;
    assert_eq!((as_staff.status, as_staff.body["code"].as_str()), (403, Some("unit_admin_only")));
    let as_unit = app.call("GET", "/api/v1/review/change-requests", Some(&admin), None).await;
    assert_eq!(as_unit.status, 403);
    let other = approved_unit(&app, "fztjy", "91350200776049653A").await;
    let foreign_proof = upload_proof(&app, &other).await;
    let borrowed = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"postcode": "361001", "reason": "邮编", "proof_upload_ids": [foreign_proof]})),
        )
        .await;
    assert_eq!(
        (borrowed.status, borrowed.error_fields()),
        (422, vec!["proof_upload_ids".to_owned()]),
        "another unit's upload is not a proof"
    );
}

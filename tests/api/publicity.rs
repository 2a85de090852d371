//! Practice publicity (F10–F17, F20–F23): from the registry import through search, submit,
//! form, signed scan, SMS confirmation and review to the publicity; expiry by each of the
//! three layers; codes, limits and races.

use gongshi_core::IdNumber;
use gongshi_core::practice::ApplicationState;
use gongshi_platform::Clock;
use gongshi_store::practitioners;
use gongshi_tests::round_trips;
use gongshi_tests::{SEED_PASSWORD, TestApp, approved_unit, latest_code, pdf, png, published_people, spawn_app};
use serde_json::{Value, json};
use time::Duration;
use time::macros::date;

pub const UNIT_A: &str = "91350100M000100Y43";
pub const UNIT_B: &str = "91350200776049653A";

pub use gongshi_tests::id_number;

/// The n-th test practitioner's ID number.
pub fn person(n: u32) -> String {
    id_number(&format!("35020319850101{n:03}"))
}

pub async fn admin(app: &TestApp) -> String {
    app.login("admin", SEED_PASSWORD, "association").await
}

/// CSV rows for a person: items (code, name, valid until).
pub fn rows(id: &str, name: &str, items: &[(&str, &str, &str)]) -> String {
    items
        .iter()
        .map(|(code, item, until)| format!("{id},{name},TS-{id},{code},{item},检验员,国家市场监督管理总局,2022-01-01,{until},valid\n"))
        .collect()
}

pub const HEADER: &str = "id_number,name,certificate_no,item_code,item_name,level,issuer,issued_on,valid_until,status\n";

pub async fn import(app: &TestApp, csv: String) -> Value {
    let admin = admin(app).await;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/admin/practitioners/import")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(format!("{HEADER}{csv}")))
        .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

/// The practitioner registers `mobile` with the SMS code, as on the public page.
pub async fn register_mobile(app: &TestApp, id: &str, name: &str, mobile: &str) {
    let who = json!({"id_number": id, "name": name, "mobile": mobile});
    let sent = app.call("POST", "/api/v1/practitioners/mobile/code", None, Some(who.clone())).await;
    assert_eq!(sent.status, 202, "{:?}", sent.body);
    let mut with_code = who;
    with_code["code"] = latest_code(app, mobile).into();
    let done = app.call("POST", "/api/v1/practitioners/mobile", None, Some(with_code)).await;
    assert_eq!(done.status, 200, "{:?}", done.body);
}

/// A known person with a valid item the test units' scope covers and a verified mobile.
pub async fn ready_person(app: &TestApp, n: u32, name: &str, mobile: &str) -> String {
    let id = person(n);
    import(app, rows(&id, name, &[("GL-1", "锅炉定期检验", "2030-06-30")])).await;
    register_mobile(app, &id, name, mobile).await;
    id
}

pub async fn search(app: &TestApp, token: &str, id: &str, name: &str) -> Value {
    let reply = app
        .call(
            "GET",
            &format!("/api/v1/unit/practitioners/search?id_number={id}&name={}", urlencode(name)),
            Some(token),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

pub fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

pub async fn submit(app: &TestApp, token: &str, id: &str, name: &str, kind: &str) -> gongshi_tests::Reply {
    app.call(
        "POST",
        "/api/v1/unit/applications",
        Some(token),
        Some(json!({"id_number": id, "name": name, "kind": kind, "clause_version": 1, "clauses_confirmed": true})),
    )
    .await
}

pub async fn created(app: &TestApp, token: &str, id: &str, name: &str, kind: &str) -> String {
    let reply = submit(app, token, id, name, kind).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body["id"].as_str().expect("id").to_owned()
}

pub async fn upload_scan(app: &TestApp, token: &str, app_id: &str) -> gongshi_tests::Reply {
    let upload = app.upload(token, "signed_form", "申请表.png", "image/png", png()).await;
    app.call(
        "POST",
        &format!("/api/v1/unit/applications/{app_id}/scan"),
        Some(token),
        Some(json!({"upload_id": upload})),
    )
    .await
}

pub async fn confirm(app: &TestApp, id: &str, code: &str) -> gongshi_tests::Reply {
    app.call("POST", "/api/v1/confirmations", None, Some(json!({"id_number": id, "code": code})))
        .await
}

pub async fn detail(app: &TestApp, token: &str, app_id: &str) -> Value {
    let reply = app
        .call("GET", &format!("/api/v1/unit/applications/{app_id}"), Some(token), None)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

/// Walks an application from creation to review and approves it; returns the certificate.
pub async fn approved(app: &TestApp, token: &str, app_id: &str, id: &str, mobile: &str) -> String {
    let scanned = upload_scan(app, token, app_id).await;
    assert_eq!(scanned.status, 200, "{:?}", scanned.body);
    let confirmed = confirm(app, id, &latest_code(app, mobile)).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let reviewer = app.reviewer().await;
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{app_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    decided.body["application"]["publicity_certificate_no"]
        .as_str()
        .expect("certificate")
        .to_owned()
}

pub fn sms_to(app: &TestApp, mobile: &str) -> Vec<String> {
    app.outbox()
        .into_iter()
        .filter(|m| m.channel == "sms" && m.to == mobile)
        .map(|m| m.body)
        .collect()
}

#[tokio::test]
async fn f10_each_refusal_has_a_code_and_a_chinese_reason() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let unknown = search(&app, &unit, &person(1), "王五").await;
    assert_eq!(unknown["eligible"], false);
    assert_eq!(unknown["refusal"]["code"], "person_not_found");
    assert_eq!(unknown["refusal"]["message"], "未查询到该人员的资格证书信息");
    assert!(unknown["person"].is_null(), "nothing is revealed about unknown people");

    let lapsed = person(2);
    import(&app, rows(&lapsed, "赵六", &[("GL-1", "锅炉定期检验", "2025-12-31")])).await;
    let expired = search(&app, &unit, &lapsed, "赵六").await;
    assert_eq!(expired["refusal"]["code"], "no_valid_item");
    assert!(expired["refusal"]["message"].as_str().expect("present").contains("2025-12-31"));

    let silent = person(3);
    import(&app, rows(&silent, "孙七", &[("GL-1", "锅炉定期检验", "2030-06-30")])).await;
    let no_mobile = search(&app, &unit, &silent, "孙七").await;
    assert_eq!(no_mobile["refusal"]["code"], "mobile_not_registered");
    assert!(no_mobile["person"]["mobile_masked"].is_null());

    let outside = person(4);
    import(&app, rows(&outside, "周八", &[("DT-1", "电梯定期检验", "2030-06-30")])).await;
    register_mobile(&app, &outside, "周八", "13900000004").await;
    let scope = search(&app, &unit, &outside, "周八").await;
    assert_eq!(scope["refusal"]["code"], "qualification_not_covering");

    let bad = app
        .call(
            "GET",
            "/api/v1/unit/practitioners/search?id_number=123&name=%E7%8E%8B%E4%BA%94",
            Some(&unit),
            None,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.error_fields(), ["id_number"]);
}

#[tokio::test]
async fn f10_f11_f13_f14_f21_f23_initial_application_from_search_to_approval() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;

    let found = search(&app, &unit, &id, "王五").await;
    assert_eq!((found["eligible"].clone(), found["kind"].clone()), (json!(true), json!("initial")));
    assert_eq!(found["kind_label"], "初始");
    assert_eq!(found["person"]["id_number_masked"], format!("{}***********{}", &id[..3], &id[14..]));

    let submitted = submit(&app, &unit, &id, "王五", "initial").await;
    assert_eq!(submitted.status, 201, "{:?}", submitted.body);
    let app_id = submitted.body["id"].as_str().expect("present").to_owned();
    assert_eq!(submitted.body["state"], "created");
    assert_eq!(submitted.body["seconds_left"], 7 * 24 * 3600);
    assert!(submitted.body["number"].as_str().expect("present").starts_with("SB20261126-"));
    assert_eq!(submitted.body["clauses"]["version"], 1);
    assert_eq!(submitted.body["clauses"]["confirmed_by"], "xmtjy");

    let form = app
        .call("GET", &format!("/api/v1/unit/applications/{app_id}/form"), Some(&unit), None)
        .await;
    assert_eq!(form.status, 200, "{:?}", form.body);
    let (status, bytes) = app.get_presigned(form.body["url"].as_str().expect("present")).await;
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"%PDF"));

    let scanned = upload_scan(&app, &unit, &app_id).await;
    assert_eq!(scanned.status, 200, "{:?}", scanned.body);
    assert_eq!(scanned.body["state"], "awaiting_confirmation");
    let texts = sms_to(&app, "13900000001");
    assert!(texts.last().expect("present").contains("确认码"), "{texts:?}");

    let confirmed = confirm(&app, &id, &latest_code(&app, "13900000001")).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    assert_eq!(confirmed.body["state"], "under_review");
    let again = confirm(&app, &id, &latest_code(&app, "13900000001")).await;
    assert_eq!(again.status, 409, "a second confirmation has nothing to confirm");

    let reviewer = app.reviewer().await;
    let queue = app.call("GET", "/api/v1/review/applications", Some(&reviewer), None).await;
    assert_eq!(queue.body["items"][0]["id"], app_id.as_str());
    let review = app
        .call("GET", &format!("/api/v1/review/applications/{app_id}"), Some(&reviewer), None)
        .await;
    assert!(
        review.body["form_url"].is_string() && review.body["scan_url"].is_string(),
        "{:?}",
        review.body
    );
    let unit_cannot_review = app.call("GET", "/api/v1/review/applications", Some(&unit), None).await;
    assert_eq!(unit_cannot_review.status, 403);

    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{app_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve", "reason": "材料齐全"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    let view = &decided.body["application"];
    assert_eq!(view["state"], "approved");
    let certificate = view["publicity_certificate_no"].as_str().expect("present");
    assert!(certificate.starts_with("GS2026"));
    assert!(sms_to(&app, "13900000001").last().expect("present").contains(certificate));
    assert!(sms_to(&app, "13800138000").last().expect("present").contains("审核通过"));
    let late = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{app_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "重复"})),
        )
        .await;
    assert_eq!(late.status, 409, "a decided application is not decided twice");

    let history: Vec<String> = detail(&app, &unit, &app_id).await["history"]
        .as_array()
        .expect("present")
        .iter()
        .map(|e| {
            format!(
                "{}:{}→{}",
                e["action"].as_str().expect("present"),
                e["from"].as_str().unwrap_or("-"),
                e["to"].as_str().expect("present")
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            "application.created:-→created",
            "application.scan_uploaded:created→awaiting_confirmation",
            "application.confirmed:awaiting_confirmation→under_review",
            "application.approved:under_review→approved"
        ]
    );
    let people = app.call("GET", "/api/v1/unit/practitioners", Some(&unit), None).await;
    assert_eq!(people.body["items"][0]["certificate_no"], certificate);
    assert_eq!(people.body["items"][0]["mobile_registered"], true);
    let done = search(&app, &unit, &id, "王五").await;
    assert_eq!(done["refusal"]["code"], "already_published");
}

#[tokio::test]
async fn f12_change_needs_a_resignation_proof_and_the_previous_unit_is_told() {
    let app = spawn_app().await;
    let first = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let initial = created(&app, &first, &id, "王五", "initial").await;
    let old_certificate = approved(&app, &first, &initial, &id, "13900000001").await;

    let second = approved_unit(&app, "xmjyy", UNIT_B).await;
    let found = search(&app, &second, &id, "王五").await;
    assert_eq!(found["kind"], "change");
    assert_eq!(found["resignation_proof_required"], true);
    let without = submit(&app, &second, &id, "王五", "change").await;
    assert_eq!(without.status, 422);
    assert_eq!(without.error_fields(), ["resignation_upload_id"]);
    let proof = app
        .upload(&second, "resignation_proof", "离职证明.pdf", "application/pdf", pdf())
        .await;
    let with = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&second),
            Some(
                json!({"id_number": id, "name": "王五", "kind": "change", "clause_version": 1, "clauses_confirmed": true,
                "resignation_upload_id": proof}),
            ),
        )
        .await;
    assert_eq!(with.status, 201, "{:?}", with.body);
    assert_eq!(
        with.body["previous_unit"], "另一单位",
        "the applying unit is not told who the other unit is"
    );
    let change = with.body["id"].as_str().expect("present").to_owned();
    let scanned = upload_scan(&app, &second, &change).await;
    assert_eq!(scanned.status, 200, "{:?}", scanned.body);
    let confirmed = confirm(&app, &id, &latest_code(&app, "13900000001")).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let reviewer = app.reviewer().await;
    let review = app
        .call("GET", &format!("/api/v1/review/applications/{change}"), Some(&reviewer), None)
        .await;
    assert_eq!(review.status, 200, "{:?}", review.body);
    assert_eq!(
        review.body["previous_unit"]["unit_name"], "厦门市特种设备检验检测院",
        "the reviewer checks the 离职证明 against the real former unit: {:?}",
        review.body["previous_unit"]
    );
    assert_eq!(review.body["previous_unit"]["certificate_no"], old_certificate.as_str());
    assert_eq!(review.body["application"]["previous_unit"], "厦门市特种设备检验检测院");
    let before = sms_to(&app, "13800138000").len();
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{change}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    let new_certificate = decided.body["application"]["publicity_certificate_no"]
        .as_str()
        .expect("issued")
        .to_owned();
    assert_ne!(new_certificate, old_certificate);
    let told = sms_to(&app, "13800138000");
    assert!(
        told[before..].iter().any(|t| t.contains(&old_certificate) && t.contains("已终止")),
        "the previous unit is told: {told:?}"
    );
    let first_people = app.call("GET", "/api/v1/unit/practitioners", Some(&first), None).await;
    assert_eq!(first_people.body["items"], json!([]), "the person left the first unit");
    let second_people = app.call("GET", "/api/v1/unit/practitioners", Some(&second), None).await;
    assert_eq!(second_people.body["items"][0]["certificate_no"], new_certificate.as_str());

    // f19: the certificate left behind stays verifiable, with its state and end date.
    let old = app
        .call(
            "GET",
            &format!(
                "/api/v1/public/practitioners?certificate_no={old_certificate}&name={}",
                urlencode("王五")
            ),
            None,
            None,
        )
        .await;
    assert_eq!(old.status, 200, "{:?}", old.body);
    assert_eq!(old.body["items"][0]["certificate_no"], old_certificate.as_str(), "{:?}", old.body);
    assert_eq!(old.body["items"][0]["state"], "ended");
    assert_eq!(old.body["items"][0]["state_label"], "已终止（变更至其他单位）");
    assert_eq!(old.body["items"][0]["ended_on"], "2026-11-26");
    let new = app
        .call(
            "GET",
            &format!("/api/v1/public/practitioners?certificate_no={new_certificate}"),
            None,
            None,
        )
        .await;
    assert_eq!(new.body["items"][0]["state"], "active");
}

#[tokio::test]
async fn f17_renewal_after_a_renewed_certificate_keeps_the_certificate_number() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = person(1);
    import(&app, rows(&id, "王五", &[("GL-1", "锅炉定期检验", "2028-06-30")])).await;
    register_mobile(&app, &id, "王五", "13900000001").await;
    let initial = created(&app, &unit, &id, "王五", "initial").await;
    let certificate = approved(&app, &unit, &initial, &id, "13900000001").await;
    let none = app.call("GET", "/api/v1/unit/renewals", Some(&unit), None).await;
    assert_eq!(none.body["items"], json!([]));

    import(&app, rows(&id, "王五", &[("GL-1", "锅炉定期检验", "2032-06-30")])).await;
    let due = app.call("GET", "/api/v1/unit/renewals", Some(&unit), None).await;
    assert_eq!(due.body["items"][0]["certificate_no"], certificate.as_str());
    let found = app
        .call(
            "GET",
            &format!("/api/v1/unit/practitioners/search?certificate_no={certificate}"),
            Some(&unit),
            None,
        )
        .await;
    assert_eq!(found.body["kind"], "renewal", "{:?}", found.body);
    let renewal = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&unit),
            Some(json!({"certificate_no": certificate, "kind": "renewal", "clause_version": 1, "clauses_confirmed": true})),
        )
        .await;
    assert_eq!(renewal.status, 201, "{:?}", renewal.body);
    let renewal_id = renewal.body["id"].as_str().expect("present").to_owned();
    assert_eq!(approved(&app, &unit, &renewal_id, &id, "13900000001").await, certificate);
    let people = app.call("GET", "/api/v1/unit/practitioners", Some(&unit), None).await;
    assert_eq!(people.body["items"][0]["valid_until"], "2032-06-30");
}

#[tokio::test]
async fn f17_a_renewal_that_would_extend_nothing_is_refused_and_says_why() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = person(1);
    // The publicity ends with its certificate item, within the 90-day renewal window.
    import(&app, rows(&id, "王五", &[("GL-1", "锅炉定期检验", "2027-01-20")])).await;
    register_mobile(&app, &id, "王五", "13900000001").await;
    let initial = created(&app, &unit, &id, "王五", "initial").await;
    let certificate = approved(&app, &unit, &initial, &id, "13900000001").await;
    let list = app.call("GET", "/api/v1/unit/renewals", Some(&unit), None).await;
    assert_eq!(list.body["items"], json!([]), "nothing to renew: {:?}", list.body);
    assert_eq!(list.body["waiting"][0]["certificate_no"], certificate.as_str());
    assert_eq!(list.body["waiting"][0]["code"], "renewal_not_extended");
    assert!(
        list.body["waiting"][0]["reason"].as_str().is_some_and(|r| r.contains("尚未换证")),
        "{:?}",
        list.body
    );
    let found = app
        .call(
            "GET",
            &format!("/api/v1/unit/practitioners/search?certificate_no={certificate}"),
            Some(&unit),
            None,
        )
        .await;
    assert_eq!(
        (found.body["eligible"].clone(), found.body["refusal"]["code"].clone()),
        (json!(false), json!("renewal_not_extended")),
        "{:?}",
        found.body
    );
    let refused = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&unit),
            Some(json!({"certificate_no": certificate, "kind": "renewal", "clause_version": 1, "clauses_confirmed": true})),
        )
        .await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (422, Some("renewal_not_extended")),
        "{:?}",
        refused.body
    );
    let mine = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(mine.body["items"].as_array().map(Vec::len), Some(1), "nothing was created");

    // Once the certificate is renewed, the renewal extends the publicity to the item's end,
    // and the person leaves the list.
    import(&app, rows(&id, "王五", &[("GL-1", "锅炉定期检验", "2031-06-30")])).await;
    let due = app.call("GET", "/api/v1/unit/renewals", Some(&unit), None).await;
    assert_eq!(due.body["items"][0]["certificate_no"], certificate.as_str());
    assert_eq!(due.body["waiting"], json!([]));
    let renewal = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&unit),
            Some(json!({"certificate_no": certificate, "kind": "renewal", "clause_version": 1, "clauses_confirmed": true})),
        )
        .await;
    assert_eq!(renewal.status, 201, "{:?}", renewal.body);
    let renewal_id = renewal.body["id"].as_str().expect("present").to_owned();
    assert_eq!(approved(&app, &unit, &renewal_id, &id, "13900000001").await, certificate);
    let people = app.call("GET", "/api/v1/unit/practitioners", Some(&unit), None).await;
    assert_eq!(people.body["items"][0]["valid_until"], "2031-06-30");
    let after = app.call("GET", "/api/v1/unit/renewals", Some(&unit), None).await;
    assert_eq!(
        (after.body["items"].clone(), after.body["waiting"].clone()),
        (json!([]), json!([])),
        "renewed: not due again"
    );
}

#[tokio::test]
async fn f16_batch_append_of_200_people() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    published_people(&app, &unit, 200).await;

    let candidates = app.call("GET", "/api/v1/unit/appends", Some(&unit), None).await;
    assert_eq!(candidates.status, 200, "{:?}", candidates.body);
    // Batch reads, never a read per person (issue #15: 203 round trips before, 10 now).
    round_trips::check_linear("GET /api/v1/unit/appends", 200, candidates.trips);
    let items = candidates.body["items"].as_array().expect("present");
    assert_eq!(items.len(), 200);
    assert_eq!(items[0]["new_items"][0]["code"], "RQ-1");
    let numbers: Vec<Value> = items.iter().map(|c| c["certificate_no"].clone()).collect();
    let unconfirmed = app
        .call(
            "POST",
            "/api/v1/unit/appends",
            Some(&unit),
            Some(json!({"certificate_nos": numbers, "clause_version": 1, "clauses_confirmed": false})),
        )
        .await;
    assert_eq!(unconfirmed.status, 422);
    let mut with_unknown = numbers.clone();
    with_unknown.push(json!("GS-UNKNOWN"));
    let done = app
        .call(
            "POST",
            "/api/v1/unit/appends",
            Some(&unit),
            Some(json!({"certificate_nos": with_unknown, "clause_version": 1, "clauses_confirmed": true})),
        )
        .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    round_trips::check_linear("POST /api/v1/unit/appends", 201, done.trips);
    assert_eq!((done.body["appended"].clone(), done.body["failed"].clone()), (json!(200), json!(1)));
    assert_eq!(done.body["results"][200]["error"]["code"], "publicity_not_found");
    let after = app.call("GET", "/api/v1/unit/appends", Some(&unit), None).await;
    assert_eq!(after.body["items"], json!([]));
    round_trips::check_linear("GET /api/v1/unit/appends", 200, after.trips);
    let people = app.call("GET", "/api/v1/unit/practitioners", Some(&unit), None).await;
    assert!(
        people.body["items"]
            .as_array()
            .expect("present")
            .iter()
            .all(|p| p["items"].as_array().expect("present").len() == 2)
    );
    let appends = app
        .call("GET", "/api/v1/unit/applications?kind=append&limit=100", Some(&unit), None)
        .await;
    assert_eq!(appends.body["items"].as_array().expect("present").len(), 100);
    assert_eq!(appends.body["items"][0]["state"], "approved");
    assert!(appends.body["next_cursor"].is_string());
}

/// An application created now for a ready person; returns (unit token, person id, application id).
async fn pending(app: &TestApp) -> (String, String, String) {
    let unit = approved_unit(app, "xmtjy", UNIT_A).await;
    let id = ready_person(app, 1, "王五", "13900000001").await;
    let app_id = created(app, &unit, &id, "王五", "initial").await;
    (unit, id, app_id)
}

pub async fn stored_state(app: &TestApp, app_id: &str) -> ApplicationState {
    gongshi_store::applications::get(app.gateway.platform.table.as_ref(), app_id)
        .await
        .expect("present")
        .expect("present")
        .state
}

#[tokio::test]
async fn f13_expiry_read_time_check_shows_the_state_before_any_sweep() {
    let app = spawn_app().await;
    let (_, id, app_id) = pending(&app).await;
    app.clock.advance(Duration::days(7) - Duration::minutes(1));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let list = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(list.body["items"][0]["state"], "created");
    assert_eq!(list.body["items"][0]["seconds_left"], 60);
    app.clock.advance(Duration::minutes(2));
    let list = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(list.body["items"][0]["state"], "expired");
    assert_eq!(list.body["items"][0]["state_label"], "不通过（逾期）");
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Created, "nothing swept yet");
    let late = upload_scan(&app, &unit, &app_id).await;
    assert_eq!(late.status, 409, "{:?}", late.body);
    assert_eq!(late.body["code"], "application_expired");
    let shown = detail(&app, &unit, &app_id).await;
    assert_eq!(shown["state"], "expired");
    assert!(shown["end_reason"].as_str().expect("present").contains("7天"));
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Expired);
    let again = search(&app, &unit, &id, "王五").await;
    assert_eq!(again["kind"], "initial", "the person is free to apply again");
    assert!(sms_to(&app, "13800138000").last().expect("present").contains("已自动结束"));
}

#[tokio::test]
async fn f13_expiry_by_the_scheduled_sweeper() {
    let app = spawn_app().await;
    let (_, _, app_id) = pending(&app).await;
    let platform = &app.gateway.platform;
    assert_eq!(
        gongshi_tests::clients::checked(
            "application-expiry",
            fn_application_expiry::CLIENTS,
            fn_application_expiry::expire_overdue_applications(platform)
        )
        .await
        .expect("present")
        .expired,
        0
    );
    app.clock.advance(Duration::days(7) + Duration::seconds(1));
    let report = gongshi_tests::clients::checked(
        "application-expiry",
        fn_application_expiry::CLIENTS,
        fn_application_expiry::expire_overdue_applications(platform),
    )
    .await
    .expect("present");
    assert_eq!(report.expired, 1);
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Expired);
    let id_number = IdNumber::parse(&person(1), date!(2026 - 11 - 26)).expect("present");
    assert!(
        practitioners::person(platform.table.as_ref(), &id_number)
            .await
            .expect("present")
            .open
            .is_none()
    );
    let rerun = gongshi_tests::clients::checked(
        "application-expiry",
        fn_application_expiry::CLIENTS,
        fn_application_expiry::expire_overdue_applications(platform),
    )
    .await
    .expect("present");
    assert_eq!(rerun.expired, 0, "idempotent");
    assert_eq!(sms_to(&app, "13900000001").iter().filter(|t| t.contains("已自动结束")).count(), 1);
}

#[tokio::test]
async fn f13_expiry_by_the_ttl_stream_handler() {
    let app = spawn_app().await;
    let (_, _, app_id) = pending(&app).await;
    app.clock.advance(Duration::days(7) + Duration::seconds(1));
    let deadline = (time::macros::datetime!(2026-11-26 09:00 UTC) + Duration::days(7)).unix_timestamp();
    let record = json!({
        "eventName": "REMOVE",
        "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
        "dynamodb": {
            "Keys": {"pk": {"S": format!("APP#{app_id}")}, "sk": {"S": "DEADLINE"}},
            "OldImage": {"pk": {"S": format!("APP#{app_id}")}, "sk": {"S": "DEADLINE"}, "application_id": {"S": app_id},
                "expires_at": {"N": deadline.to_string()}},
            "SequenceNumber": "1"
        }
    });
    let answer = gongshi_tests::clients::checked(
        "ttl-stream",
        fn_ttl_stream::CLIENTS,
        fn_ttl_stream::handle_stream(&app.gateway.platform, &json!({"Records": [record.clone()]})),
    )
    .await;
    assert_eq!(answer, json!({"batchItemFailures": []}));
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Expired);
    gongshi_tests::clients::checked(
        "ttl-stream",
        fn_ttl_stream::CLIENTS,
        fn_ttl_stream::handle_stream(&app.gateway.platform, &json!({"Records": [record]})),
    )
    .await;
    assert_eq!(
        sms_to(&app, "13900000001").iter().filter(|t| t.contains("已自动结束")).count(),
        1,
        "a redelivered record does nothing"
    );
}

#[tokio::test]
async fn f13_expiry_by_the_embedded_ttl_sweep_reaches_the_same_handler() {
    let app = spawn_app().await;
    let (_, _, app_id) = pending(&app).await;
    app.clock.advance(Duration::days(7) + Duration::seconds(1));
    let removed = app.gateway.sweep_expired(app.clock.now().unix_timestamp()).await.expect("present");
    assert!(removed >= 1);
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Expired);
}

#[tokio::test]
async fn f14_expired_code_is_refused_and_a_resent_code_works() {
    let app = spawn_app().await;
    let (unit, id, app_id) = pending(&app).await;
    assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
    let first = latest_code(&app, "13900000001");
    app.clock.advance(Duration::hours(24) + Duration::minutes(1));
    let late = confirm(&app, &id, &first).await;
    assert_eq!(late.status, 422);
    assert_eq!(late.body["errors"][0]["code"], "code_expired");
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let resent = app
        .call(
            "POST",
            &format!("/api/v1/unit/applications/{app_id}/confirmation-code"),
            Some(&unit),
            None,
        )
        .await;
    assert_eq!(resent.status, 202, "{:?}", resent.body);
    assert_eq!(resent.body["sent_to"], "139****0001");
    let fresh = latest_code(&app, "13900000001");
    assert_eq!(confirm(&app, &id, &fresh).await.status, 200);
}

#[tokio::test]
async fn f14_wrong_code_five_times_uses_the_code_up() {
    let app = spawn_app().await;
    let (unit, id, app_id) = pending(&app).await;
    assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
    let right = latest_code(&app, "13900000001");
    let wrong = if right == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let reply = confirm(&app, &id, wrong).await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["errors"][0]["message"], format!("验证码错误，还可尝试 {left} 次"));
    }
    let fifth = confirm(&app, &id, wrong).await;
    assert_eq!(fifth.body["errors"][0]["code"], "code_exhausted");
    let too_late = confirm(&app, &id, &right).await;
    assert_eq!(too_late.body["errors"][0]["code"], "code_expired");
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::AwaitingConfirmation);
}

#[tokio::test]
async fn f14_resending_the_code_is_rate_limited() {
    let app = spawn_app().await;
    let (unit, _, app_id) = pending(&app).await;
    let path = format!("/api/v1/unit/applications/{app_id}/confirmation-code");
    let early = app.call("POST", &path, Some(&unit), None).await;
    assert_eq!(early.status, 409, "no code before the scan: {:?}", early.body);
    assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
    let at_once = app.call("POST", &path, Some(&unit), None).await;
    assert_eq!(at_once.status, 429);
    assert!(at_once.headers.get("retry-after").is_some());
    for _ in 0..4 {
        app.clock.advance(Duration::seconds(61));
        let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
        assert_eq!(app.call("POST", &path, Some(&unit), None).await.status, 202);
    }
    app.clock.advance(Duration::seconds(61));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let sixth = app.call("POST", &path, Some(&unit), None).await;
    assert_eq!(sixth.status, 429, "five codes a day per application");
}

#[tokio::test]
async fn f11_two_units_racing_for_one_person_get_one_201_and_one_409() {
    let app = spawn_app().await;
    let first = approved_unit(&app, "xmtjy", UNIT_A).await;
    let second = approved_unit(&app, "xmjyy", UNIT_B).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let replies = gongshi_platform::join_all([
        submit(&app, &first, &id, "王五", "initial"),
        submit(&app, &second, &id, "王五", "initial"),
    ])
    .await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{replies:?}");
    let loser = replies.iter().find(|r| r.status == 409).expect("present");
    assert_eq!(loser.body["code"], "application_open");
}

#[tokio::test]
async fn f11_clauses_must_be_confirmed_in_their_current_version() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let clauses = app.call("GET", "/api/v1/clauses", Some(&unit), None).await;
    assert_eq!(clauses.body["version"], 1);
    let unconfirmed = app
        .call(
            "POST",
            "/api/v1/unit/applications",
            Some(&unit),
            Some(json!({"id_number": id, "name": "王五", "kind": "initial", "clause_version": 1, "clauses_confirmed": false})),
        )
        .await;
    assert_eq!(unconfirmed.error_fields(), ["clauses_confirmed"]);
    let admin = admin(&app).await;
    let staff_cannot = app
        .call(
            "PUT",
            "/api/v1/admin/clauses",
            Some(&unit),
            Some(json!({"title": "承诺书", "clauses": ["本单位承诺"]})),
        )
        .await;
    assert_eq!(staff_cannot.status, 403);
    let published = app
        .call(
            "PUT",
            "/api/v1/admin/clauses",
            Some(&admin),
            Some(json!({"title": "执业公示承诺书（2027版）", "clauses": ["本单位承诺申报信息真实。", "本单位承诺人员仅在本单位执业。"]})),
        )
        .await;
    assert_eq!(published.status, 201, "{:?}", published.body);
    assert_eq!(published.body["version"], 2);
    let outdated = submit(&app, &unit, &id, "王五", "initial").await;
    assert_eq!((outdated.status, outdated.body["code"].clone()), (409, json!("clauses_outdated")));
    let nothing = app.call("GET", "/api/v1/unit/applications", Some(&unit), None).await;
    assert_eq!(nothing.body["items"], json!([]), "refused submissions store nothing");
}

#[tokio::test]
async fn f15_list_filters_and_withdrawal_frees_the_person() {
    let app = spawn_app().await;
    let (unit, id, app_id) = pending(&app).await;
    let other = ready_person(&app, 2, "赵六", "13900000002").await;
    created(&app, &unit, &other, "赵六", "initial").await;
    let by_name = app
        .call(
            "GET",
            &format!("/api/v1/unit/applications?q={}", urlencode("王五")),
            Some(&unit),
            None,
        )
        .await;
    assert_eq!(by_name.body["items"].as_array().expect("present").len(), 1);
    let by_state = app
        .call("GET", "/api/v1/unit/applications?state=withdrawn", Some(&unit), None)
        .await;
    assert_eq!(by_state.body["items"], json!([]));
    let bad = app.call("GET", "/api/v1/unit/applications?state=nonsense", Some(&unit), None).await;
    assert_eq!(bad.error_fields(), ["state"]);
    let withdrawn = app
        .call(
            "POST",
            &format!("/api/v1/unit/applications/{app_id}/withdraw"),
            Some(&unit),
            Some(json!({"reason": "人员信息有误"})),
        )
        .await;
    assert_eq!(withdrawn.status, 200, "{:?}", withdrawn.body);
    assert_eq!(withdrawn.body["state"], "withdrawn");
    let twice = app
        .call("POST", &format!("/api/v1/unit/applications/{app_id}/withdraw"), Some(&unit), None)
        .await;
    assert_eq!(twice.status, 409);
    assert_eq!(search(&app, &unit, &id, "王五").await["kind"], "initial");
    let stranger = approved_unit(&app, "xmjyy", UNIT_B).await;
    let hidden = app
        .call("GET", &format!("/api/v1/unit/applications/{app_id}"), Some(&stranger), None)
        .await;
    assert_eq!(hidden.status, 404, "another unit's application is not revealed");
}

#[tokio::test]
async fn f22_import_reports_bad_rows_and_is_idempotent() {
    let app = spawn_app().await;
    let good = rows(
        &person(1),
        "王五",
        &[("GL-1", "锅炉定期检验", "2030-06-30"), ("RQ-1", "压力容器定期检验", "2031-06-30")],
    );
    let bad = "123,王五,TS-1,GL-1,锅炉定期检验,检验员,总局,2022-01-01,2020-01-01,valid\n";
    let csv = format!("{good}{bad}");
    let first = import(&app, csv.clone()).await;
    assert_eq!(
        (first["rows"].clone(), first["imported"].clone(), first["failed"].clone()),
        (json!(3), json!(2), json!(1))
    );
    let fields: Vec<&str> = first["errors"]
        .as_array()
        .expect("present")
        .iter()
        .map(|e| e["field"].as_str().expect("present"))
        .collect();
    assert_eq!(fields, ["id_number", "valid_until"]);
    assert_eq!(first["errors"][0]["row"], 4);
    let second = import(&app, csv).await;
    assert_eq!(second["imported"], 2);
    let id_number = IdNumber::parse(&person(1), date!(2026 - 11 - 26)).expect("present");
    let stored = practitioners::person(app.gateway.platform.table.as_ref(), &id_number)
        .await
        .expect("present");
    assert_eq!(stored.items.len(), 2, "re-import adds nothing");
    let missing = import_raw(&app, "id_number,name\n1,2\n").await;
    assert_eq!((missing.status, missing.error_fields()), (422, vec!["file".to_owned()]));
    let json_rows = json!([{"id_number": person(2), "name": "赵六", "certificate_no": "TS-2", "item_code": "GL-1", "item_name": "锅炉定期检验",
        "level": "检验员", "issuer": "总局", "issued_on": "2022-01-01", "valid_until": "2030-01-01"}]);
    let admin = admin(&app).await;
    let from_json = app
        .call("POST", "/api/v1/admin/practitioners/import", Some(&admin), Some(json_rows))
        .await;
    assert_eq!(from_json.body["imported"], 1, "{:?}", from_json.body);
}

async fn import_raw(app: &TestApp, body: &str) -> gongshi_tests::Reply {
    let admin = admin(app).await;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/admin/practitioners/import")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(body.to_owned()))
        .expect("request");
    app.send(request).await
}

#[tokio::test]
async fn f20_practitioner_registers_and_changes_the_mobile() {
    let app = spawn_app().await;
    let id = person(1);
    import(&app, rows(&id, "王五", &[("GL-1", "锅炉定期检验", "2030-06-30")])).await;
    let stranger = app
        .call(
            "POST",
            "/api/v1/practitioners/mobile/code",
            None,
            Some(json!({"id_number": id, "name": "李雷", "mobile": "13900000001"})),
        )
        .await;
    assert_eq!(
        (stranger.status, stranger.body["code"].clone()),
        (404, json!("practitioner_not_found"))
    );
    assert!(sms_to(&app, "13900000001").is_empty(), "no SMS for a mismatch");
    // A mismatch counts against the number's limit too (one a minute).
    app.clock.advance(Duration::seconds(61));
    let bad = app
        .call(
            "POST",
            "/api/v1/practitioners/mobile/code",
            None,
            Some(json!({"id_number": id, "name": "王五", "mobile": "123"})),
        )
        .await;
    assert_eq!(bad.error_fields(), ["mobile"]);
    register_mobile(&app, &id, "王五", "13900000001").await;
    register_mobile(&app, &id, "王五", "13900000009").await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let found = search(&app, &unit, &id, "王五").await;
    assert_eq!(found["person"]["mobile_masked"], "139****0009");
    let replay = app
        .call(
            "POST",
            "/api/v1/practitioners/mobile",
            None,
            Some(json!({"id_number": id, "name": "王五", "mobile": "13900000009", "code": latest_code(&app, "13900000009")})),
        )
        .await;
    assert_eq!(replay.status, 422, "a used code does not work twice");
}

#[tokio::test]
async fn f13_form_pdf_shows_chinese_text_and_its_qr_code_opens_the_verification_page() {
    let app = spawn_app().await;
    let (unit, _, app_id) = pending(&app).await;
    let form = app
        .call("GET", &format!("/api/v1/unit/applications/{app_id}/form"), Some(&unit), None)
        .await;
    let (_, bytes) = app.get_presigned(form.body["url"].as_str().expect("present")).await;
    let dir = tempfile::tempdir().expect("present");
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &bytes).expect("present");
    let text = std::process::Command::new("pdftotext")
        .args([path.to_str().expect("present"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    let text = String::from_utf8(text.stdout).expect("present");
    let number = detail(&app, &unit, &app_id).await["number"].as_str().expect("present").to_owned();
    for expected in [
        "特种设备检验检测人员执业公示申请表",
        "王五",
        "锅炉定期检验",
        "执业人本人签字",
        "单位公章",
        "初始",
        &number,
        &person(1),
    ] {
        assert!(text.contains(expected), "{expected} missing from the form text:\n{text}");
    }
    let image = dir.path().join("page");
    let rendered = std::process::Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            "150",
            "-singlefile",
            path.to_str().expect("present"),
            image.to_str().expect("present"),
        ])
        .status()
        .expect("pdftoppm");
    assert!(rendered.success());
    let pgm = std::fs::read(dir.path().join("page.pgm")).expect("present");
    let payload = decode_qr(&pgm);
    assert_eq!(payload, format!("{}/verify?number={number}", gongshi_tests::BASE_URL));
    let verified = app
        .call("GET", &format!("/api/v1/public/applications?number={number}"), None, None)
        .await;
    assert_eq!(verified.status, 200, "{:?}", verified.body);
    assert_eq!(verified.body["person_name_masked"], "王*");
    assert_eq!(verified.body["state_label"], "待上传申请表");
    let forged = app
        .call("GET", "/api/v1/public/applications?number=SB20261126-FORGED00", None, None)
        .await;
    assert_eq!(forged.status, 404);
}

#[tokio::test]
async fn f11_f13_the_clauses_and_the_form_name_the_configured_periods() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let clauses = app.call("GET", "/api/v1/clauses", Some(&unit), None).await;
    assert_eq!(
        clauses.body["periods"],
        json!({"application_deadline_hours": 168, "application_deadline": "7天", "confirmation_code_hours": 24,
            "confirmation_code": "24小时", "renewal_window_days": 90})
    );
    // An operator who sets a 5-day deadline and a 12-hour code sees both said as set.
    let configured = app.with(|platform| {
        let mut config = (*platform.config).clone();
        config.periods.application_deadline = Duration::days(5);
        config.periods.confirmation_code = Duration::hours(12);
        platform.config = std::sync::Arc::new(config);
    });
    let clauses = configured.call("GET", "/api/v1/clauses", Some(&unit), None).await;
    assert_eq!(
        (
            clauses.body["periods"]["application_deadline"].clone(),
            clauses.body["periods"]["confirmation_code"].clone()
        ),
        (json!("5天"), json!("12小时"))
    );
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let app_id = created(&configured, &unit, &id, "王五", "initial").await;
    let form = configured
        .call("GET", &format!("/api/v1/unit/applications/{app_id}/form"), Some(&unit), None)
        .await;
    let (_, bytes) = configured.get_presigned(form.body["url"].as_str().expect("a form")).await;
    let text = crate::certificates::pdf_text(&bytes).replace(['\n', ' '], "");
    assert!(text.contains("确认短信（12小时内有效）"), "{text}");
    assert!(!text.contains("24小时"), "{text}");
}

/// The QR code in a binary PGM (P5) page image.
fn decode_qr(pgm: &[u8]) -> String {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let (width, height): (usize, usize) = (fields[1].parse().expect("present"), fields[2].parse().expect("present"));
    let pixels = &pgm[at + 1..];
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the form");
    grids[0].decode().expect("readable QR code").1
}

#[tokio::test]
async fn f13_an_expired_applications_form_is_no_longer_given_out_as_its_actions_say() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let submitted = submit(&app, &unit, &id, "王五", "initial").await;
    assert_eq!(submitted.status, 201, "{:?}", submitted.body);
    let app_id = submitted.body["id"].as_str().expect("present").to_owned();
    let form_path = format!("/api/v1/unit/applications/{app_id}/form");
    let printable = app.call("GET", &form_path, Some(&unit), None).await;
    assert_eq!(printable.status, 200, "printable while it counts down: {:?}", printable.body);

    app.clock.advance(Duration::days(7) + Duration::seconds(1));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let detail = app
        .call("GET", &format!("/api/v1/unit/applications/{app_id}"), Some(&unit), None)
        .await;
    assert_eq!(
        (detail.body["state"].as_str(), detail.body["actions"]["print"].as_bool()),
        (Some("expired"), Some(false))
    );
    // Before any sweep, and although the form was made before: the route says what the
    // actions say.
    let late = app.call("GET", &form_path, Some(&unit), None).await;
    assert_eq!(
        (late.status, late.body["code"].as_str()),
        (409, Some("form_not_available")),
        "{:?}",
        late.body
    );
    assert!(late.body["detail"].as_str().is_some_and(|d| d.contains("不能打印申请表")));
}

#[tokio::test]
async fn f14_confirming_after_the_deadline_answers_alike_before_and_after_the_sweep() {
    let app = spawn_app().await;
    approved_unit(&app, "xmtjy", UNIT_A).await;
    let mut answers = Vec::new();
    for (n, name, mobile, swept) in [(1, "王五", "13900000001", false), (2, "赵六", "13900000002", true)] {
        let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
        let id = ready_person(&app, n, name, mobile).await;
        let submitted = submit(&app, &unit, &id, name, "initial").await;
        assert_eq!(submitted.status, 201, "{:?}", submitted.body);
        let app_id = submitted.body["id"].as_str().expect("present").to_owned();
        assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
        let code = latest_code(&app, mobile);
        app.clock.advance(Duration::days(7) + Duration::seconds(1));
        if swept {
            let report = fn_application_expiry::expire_overdue_applications(&app.gateway.platform)
                .await
                .expect("sweep");
            assert_eq!(report.expired, 1);
        }
        let late = confirm(&app, &id, &code).await;
        answers.push((late.status, late.body["code"].clone()));
        assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Expired, "{name}");
    }
    assert_eq!(answers[0], answers[1], "one answer, whatever the sweep has done");
    assert_eq!(answers[0], (409, json!("nothing_to_confirm")));
}

async fn preview(app: &TestApp, id: &str, code: &str) -> gongshi_tests::Reply {
    app.call(
        "POST",
        "/api/v1/confirmations/preview",
        None,
        Some(json!({"id_number": id, "code": code})),
    )
    .await
}

#[tokio::test]
async fn f14_the_practitioner_sees_what_they_are_asked_to_confirm_before_answering() {
    let app = spawn_app().await;
    let (unit, id, app_id) = pending(&app).await;
    assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
    let code = latest_code(&app, "13900000001");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let guessed = preview(&app, &id, wrong).await;
    assert_eq!(
        (guessed.status, guessed.body["errors"][0]["message"].clone()),
        (422, json!("验证码错误，还可尝试 4 次")),
        "a wrong code spends a try as on confirming"
    );

    let shown = preview(&app, &id, &code).await;
    assert_eq!(shown.status, 200, "{:?}", shown.body);
    let number = detail(&app, &unit, &app_id).await["number"].clone();
    assert_eq!(shown.body["number"], number);
    assert_eq!(shown.body["kind"], "initial");
    assert_eq!(shown.body["kind_label"], "初始");
    assert_eq!(shown.body["name"], "王五");
    assert!(shown.body["unit_name"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(shown.body["items"][0]["code"], "GL-1");
    assert_eq!(shown.body["items"][0]["name"], "锅炉定期检验");
    assert!(shown.body["deadline"].as_str().is_some());
    assert_eq!(
        stored_state(&app, &app_id).await,
        ApplicationState::AwaitingConfirmation,
        "looking answers nothing"
    );
    // The code still works for the answer.
    let confirmed = confirm(&app, &id, &code).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::UnderReview);
    assert_eq!(preview(&app, &id, &code).await.body["code"], "nothing_to_confirm");
}

#[tokio::test]
async fn f14_a_practitioner_who_declines_ends_the_application_at_once_and_another_unit_may_apply() {
    let app = spawn_app().await;
    let (unit, id, app_id) = pending(&app).await;
    assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
    let code = latest_code(&app, "13900000001");
    let decline = |reason: &str| json!({"id_number": id, "code": code, "answer": "decline", "reason": reason});

    // A reason of one character is refused by field, and nothing happens.
    let short = app.call("POST", "/api/v1/confirmations", None, Some(decline("否"))).await;
    assert_eq!((short.status, short.error_fields()), (422, vec!["reason".to_owned()]));
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::AwaitingConfirmation);

    let declined = app
        .call("POST", "/api/v1/confirmations", None, Some(decline("我不认识该单位。")))
        .await;
    assert_eq!(declined.status, 200, "{:?}", declined.body);
    assert_eq!(
        (declined.body["state"].clone(), declined.body["state_label"].clone()),
        (json!("declined"), json!("执业人拒绝"))
    );
    assert_eq!(stored_state(&app, &app_id).await, ApplicationState::Declined);

    // The unit sees why it ended, in its history, and is told by SMS.
    let seen = detail(&app, &unit, &app_id).await;
    assert_eq!(seen["state"], "declined");
    let last = seen["history"].as_array().and_then(|h| h.last()).cloned().expect("history");
    assert_eq!(
        (last["action"].clone(), last["to"].clone()),
        (json!("application.declined"), json!("declined"))
    );
    let told = sms_to(&app, "13800138000");
    assert!(
        told.last().is_some_and(|t| t.contains("执业人拒绝确认：我不认识该单位，已结束。")),
        "{told:?}"
    );

    // Answered once: the code is spent and the person is free for another unit.
    let again = app.call("POST", "/api/v1/confirmations", None, Some(decline("再次拒绝"))).await;
    assert_eq!((again.status, again.body["code"].clone()), (409, json!("nothing_to_confirm")));
    let other = approved_unit(&app, "xmjyy", UNIT_B).await;
    let elsewhere = submit(&app, &other, &id, "王五", "initial").await;
    assert_eq!(elsewhere.status, 201, "{:?}", elsewhere.body);
}

#[tokio::test]
async fn f14_the_unit_sees_the_signed_scan_it_uploaded() {
    let app = spawn_app().await;
    let (unit, _, app_id) = pending(&app).await;
    assert_eq!(detail(&app, &unit, &app_id).await["documents"], json!([]), "nothing uploaded yet");
    assert_eq!(upload_scan(&app, &unit, &app_id).await.status, 200);
    let seen = detail(&app, &unit, &app_id).await;
    let scan = &seen["documents"][0];
    assert_eq!(
        (scan["purpose"].clone(), scan["label"].clone(), scan["content_type"].clone()),
        (json!("signed_form"), json!("签字盖章的申请表"), json!("image/png"))
    );
    let (status, bytes) = app.get_presigned(scan["url"].as_str().expect("url")).await;
    assert_eq!((status.as_u16(), bytes), (200, png()), "the link serves what was uploaded");
}

#[tokio::test]
async fn f22_f09_the_registrys_items_are_offered_as_a_dictionary_once_imported() {
    let app = spawn_app().await;
    let empty = app.call("GET", "/api/v1/registry/items", None, None).await;
    assert_eq!(
        (empty.status, empty.body.clone()),
        (200, json!({"items": []})),
        "nothing before the first import"
    );
    import(
        &app,
        rows(
            &person(1),
            "王五",
            &[("RQ-1", "压力容器定期检验", "2031-06-30"), ("GL-1", "锅炉定期检验", "2030-06-30")],
        ),
    )
    .await;
    import(&app, rows(&person(2), "赵六", &[("GL-1", "锅炉定期检验", "2030-01-01")])).await;
    let offered = app.call("GET", "/api/v1/registry/items", None, None).await;
    assert_eq!(
        offered.body,
        json!({"items": [{"code": "GL-1", "name": "锅炉定期检验"}, {"code": "RQ-1", "name": "压力容器定期检验"}]}),
        "each code once, by code"
    );
}

//! The end of a publicity and its public face (F18, F19): cancellation from request to
//! approval, the unit's certificate list and export, the public lookup (masking), form
//! verification and the reminders.

use crate::publicity::{
    UNIT_A, UNIT_B, approved, created, detail, import, person, ready_person, rows, search, sms_to, upload_scan, urlencode,
};
use gongshi_tests::{TestApp, approved_unit, spawn_app};
use serde_json::{Value, json};
use time::Duration;

/// Unit A with 王五 published; (unit token, id number, certificate number).
pub async fn published(app: &TestApp) -> (String, String, String) {
    let unit = approved_unit(app, "xmtjy", UNIT_A).await;
    let id = ready_person(app, 1, "王五", "13900000001").await;
    let application = created(app, &unit, &id, "王五", "initial").await;
    let certificate = approved(app, &unit, &application, &id, "13900000001").await;
    (unit, id, certificate)
}

pub async fn request_cancellation(app: &TestApp, unit: &str, certificate: &str) -> gongshi_tests::Reply {
    app.call(
        "POST",
        "/api/v1/unit/cancellations",
        Some(unit),
        Some(json!({"certificate_no": certificate, "reason": "本人离职"})),
    )
    .await
}

async fn publicities(app: &TestApp, unit: &str, query: &str) -> Value {
    let reply = app.call("GET", &format!("/api/v1/unit/publicities{query}"), Some(unit), None).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[tokio::test]
async fn f18_cancellation_to_approval_frees_the_person_for_a_change_without_proof() {
    let app = spawn_app().await;
    let (unit, id, certificate) = published(&app).await;
    let empty = app
        .call(
            "POST",
            "/api/v1/unit/cancellations",
            Some(&unit),
            Some(json!({"certificate_no": certificate, "reason": " "})),
        )
        .await;
    assert_eq!(empty.error_fields(), ["reason"]);
    let requested = request_cancellation(&app, &unit, &certificate).await;
    assert_eq!(requested.status, 201, "{:?}", requested.body);
    assert_eq!(
        (requested.body["kind"].clone(), requested.body["kind_label"].clone()),
        (json!("cancellation"), json!("注销"))
    );
    assert!(requested.body["number"].as_str().expect("number").starts_with("ZX2026"));
    let cancellation = requested.body["id"].as_str().expect("id").to_owned();
    let twice = request_cancellation(&app, &unit, &certificate).await;
    assert_eq!((twice.status, twice.body["code"].clone()), (409, json!("application_open")));
    let held = publicities(&app, &unit, "").await;
    assert_eq!(held["items"][0]["may_cancel"], false, "the open cancellation holds the person");
    assert_eq!(held["items"][0]["open_application_id"], cancellation.as_str());
    let by_kind = app
        .call("GET", "/api/v1/unit/applications?kind=cancellation", Some(&unit), None)
        .await;
    assert_eq!(by_kind.body["items"][0]["id"], cancellation.as_str(), "{:?}", by_kind.body);

    let form = app
        .call("GET", &format!("/api/v1/unit/applications/{cancellation}/form"), Some(&unit), None)
        .await;
    let (_, bytes) = app.get_presigned(form.body["url"].as_str().expect("url")).await;
    let text = pdf_text(&bytes);
    for expected in ["执业公示注销申请表", "注销原因：本人离职", "单位公章", "王五"] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(!text.contains("执业人本人签字"), "a cancellation has no practitioner signature");

    let texts_before = sms_to(&app, "13900000001").len();
    let scanned = upload_scan(&app, &unit, &cancellation).await;
    assert_eq!(scanned.status, 200, "{:?}", scanned.body);
    assert_eq!(
        scanned.body["state"], "under_review",
        "no practitioner confirmation for a cancellation"
    );
    assert_eq!(sms_to(&app, "13900000001").len(), texts_before, "no code is sent");

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
    assert_eq!(decided.body["application"]["state"], "approved");
    let list = publicities(&app, &unit, "").await;
    assert_eq!(list["items"][0]["state"], "cancelled");
    assert_eq!(list["items"][0]["state_label"], "已注销");
    assert_eq!(list["active"], 0);

    let other = approved_unit(&app, "xmjyy", UNIT_B).await;
    let found = search(&app, &other, &id, "王五").await;
    assert_eq!(found["kind"], "change");
    assert_eq!(
        found["resignation_proof_required"], false,
        "the previous unit completed its cancellation"
    );
    let change = created(&app, &other, &id, "王五", "change").await;
    let new_certificate = approved(&app, &other, &change, &id, "13900000001").await;
    let public = app
        .call(
            "GET",
            &format!("/api/v1/public/practitioners?certificate_no={new_certificate}"),
            None,
            None,
        )
        .await;
    let history: Vec<(String, Option<String>)> = public.body["items"][0]["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|s| {
            (
                s["unit_name"].as_str().expect("unit").to_owned(),
                s["end"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].1.as_deref(), Some("注销"));
    assert_eq!(history[1].1, None, "the current stay is open");
    // #17 bug 13: the end as a code too, for a page in another language.
    let codes: Vec<Option<&str>> = public.body["items"][0]["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|s| s["end_code"].as_str())
        .collect();
    assert_eq!(codes, [Some("cancelled"), None]);
    let first_list = publicities(&app, &unit, "?state=cancelled").await;
    assert_eq!(
        first_list["items"][0]["certificate_no"],
        certificate.as_str(),
        "the past publicity stays on the unit's list"
    );
}

#[tokio::test]
async fn f18_a_rejected_or_expired_cancellation_changes_nothing() {
    let app = spawn_app().await;
    let (unit, _, certificate) = published(&app).await;
    let first = request_cancellation(&app, &unit, &certificate).await;
    let first_id = first.body["id"].as_str().expect("id").to_owned();
    let form = app
        .call("GET", &format!("/api/v1/unit/applications/{first_id}/form"), Some(&unit), None)
        .await;
    let file_name = form.body["file_name"].as_str().unwrap_or_default();
    assert!(file_name.starts_with("注销申请表-ZX") && file_name.ends_with(".pdf"), "{file_name}");
    assert_eq!(upload_scan(&app, &unit, &first_id).await.status, 200);
    let reviewer = app.reviewer().await;
    let rejected = app
        .call(
            "POST",
            &format!("/api/v1/review/applications/{first_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "注销申请表未加盖公章"})),
        )
        .await;
    assert_eq!(rejected.body["application"]["state"], "rejected");
    assert_eq!(publicities(&app, &unit, "").await["items"][0]["state"], "active");

    let second = request_cancellation(&app, &unit, &certificate).await;
    assert_eq!(second.status, 201, "a rejected cancellation frees the person: {:?}", second.body);
    let second_id = second.body["id"].as_str().expect("id").to_owned();
    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let expired = detail(&app, &unit, &second_id).await;
    assert_eq!(expired["state"], "expired");
    assert_eq!(publicities(&app, &unit, "").await["items"][0]["state"], "active");
    let late = upload_scan(&app, &unit, &second_id).await;
    assert_eq!(late.status, 409);
}

#[tokio::test]
async fn f19_the_unit_lists_and_exports_its_certificates() {
    let app = spawn_app().await;
    let (unit, _, certificate) = published(&app).await;
    let list = publicities(&app, &unit, "").await;
    assert_eq!(list["active"], 1);
    let row = &list["items"][0];
    assert_eq!(row["certificate_no"], certificate.as_str());
    assert_eq!(row["items"][0]["name"], "锅炉定期检验");
    assert_eq!((row["ending_soon"].clone(), row["may_cancel"].clone()), (json!(false), json!(true)));
    assert_eq!(publicities(&app, &unit, "?state=moved").await["items"], json!([]));
    assert_eq!(
        publicities(&app, &unit, &format!("?q={}", urlencode("王五"))).await["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );
    let bad = app.call("GET", "/api/v1/unit/publicities?state=gone", Some(&unit), None).await;
    assert_eq!(bad.error_fields(), ["state"]);

    let request = axum::http::Request::builder()
        .uri("/api/v1/unit/publicities?format=csv")
        .header("authorization", format!("Bearer {unit}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let csv = String::from_utf8(bytes.to_vec()).expect("utf-8");
    assert!(csv.starts_with("\u{feff}公示证书编号,姓名,身份证号"), "{csv}");
    assert!(csv.contains(&certificate) && csv.contains("锅炉定期检验（GL-1，检验员）") && csv.contains("有效"));
    assert!(!csv.contains(&person(1)), "no full ID number in the export");

    // #18: the same export as an Excel workbook, read back by calamine.
    let request = axum::http::Request::builder()
        .uri("/api/v1/unit/publicities?format=xlsx")
        .header("authorization", format!("Bearer {unit}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    assert_eq!(response.headers()["content-type"], gongshi_files::XLSX_CONTENT_TYPE);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let mut sheet = gongshi_files::Sheet::read(bytes.to_vec(), &["公示证书编号"], None).expect("an xlsx workbook");
    assert_eq!(sheet.source, gongshi_files::Source::Workbook);
    assert_eq!(&sheet.header[..3], ["公示证书编号", "姓名", "身份证号"]);
    let header = sheet.header.clone();
    let row = sheet.next_row().expect("a row").expect("readable");
    assert_eq!(row.get(&header, "公示证书编号"), certificate);
    assert_eq!(row.get(&header, "公示项目"), "锅炉定期检验（GL-1，检验员）");
    assert!(row.get(&header, "身份证号").contains('*'), "masked as the view masks it");
}

#[tokio::test]
async fn f19_public_lookup_shows_only_masked_id_numbers() {
    let app = spawn_app().await;
    let (_, id, certificate) = published(&app).await;
    let by_certificate = app
        .call(
            "GET",
            &format!(
                "/api/v1/public/practitioners?certificate_no={certificate}&name={}",
                urlencode("王五")
            ),
            None,
            None,
        )
        .await;
    assert_eq!(by_certificate.status, 200, "{:?}", by_certificate.body);
    let found = &by_certificate.body["items"][0];
    assert_eq!(found["id_number_masked"], format!("{}***********{}", &id[..3], &id[14..]));
    assert_eq!(
        (found["state_label"].clone(), found["unit_name"].clone()),
        (json!("有效"), json!("厦门市特种设备检验检测院"))
    );
    assert_eq!(found["items"][0]["level"], "检验员");
    let by_unit = app
        .call("GET", &format!("/api/v1/public/practitioners?uscc={UNIT_A}"), None, None)
        .await;
    assert_eq!(by_unit.body["items"].as_array().expect("items").len(), 1);
    for reply in [&by_certificate, &by_unit] {
        let text = reply.body.to_string();
        assert!(!text.contains(&id), "the full ID number never appears publicly: {text}");
        assert!(!text.contains("13900000001"), "no mobile numbers either");
    }
    let wrong_name = app
        .call(
            "GET",
            &format!(
                "/api/v1/public/practitioners?certificate_no={certificate}&name={}",
                urlencode("李雷")
            ),
            None,
            None,
        )
        .await;
    assert_eq!(wrong_name.body["items"], json!([]));
    let forged = app
        .call("GET", "/api/v1/public/practitioners?certificate_no=GS20260101-FORGED00", None, None)
        .await;
    assert_eq!((forged.status, forged.body["items"].clone()), (200, json!([])));
    let nothing = app.call("GET", "/api/v1/public/practitioners", None, None).await;
    assert_eq!(nothing.status, 422);
}

#[tokio::test]
async fn f19_reminders_are_sent_once_per_item_and_threshold() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = person(1);
    import(&app, rows(&id, "王五", &[("GL-1", "锅炉定期检验", "2027-01-31")])).await;
    crate::publicity::register_mobile(&app, &id, "王五", "13900000001").await;
    let application = created(&app, &unit, &id, "王五", "initial").await;
    let certificate = approved(&app, &unit, &application, &id, "13900000001").await;
    let other = ready_person(&app, 2, "赵六", "13900000002").await;
    created(&app, &unit, &other, "赵六", "initial").await;

    let platform = &app.gateway.platform;
    let first = gongshi_tests::clients::checked("reminders", fn_reminders::CLIENTS, fn_reminders::send_reminders(platform))
        .await
        .expect("reminders");
    assert_eq!((first.units, first.publicities, first.applications), (1, 1, 0));
    let mail = app
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m.channel == "email" && m.subject.as_deref() == Some("执业公示事项提醒"))
        .expect("a reminder e-mail");
    assert!(
        mail.body.contains(&certificate) && mail.body.contains("2027-01-31"),
        "{}",
        mail.body
    );
    assert!(sms_to(&app, "13800138000").last().expect("sms").contains("1 项执业公示事项"));
    let again = gongshi_tests::clients::checked("reminders", fn_reminders::CLIENTS, fn_reminders::send_reminders(platform))
        .await
        .expect("reminders");
    assert_eq!((again.units, again.publicities, again.applications), (0, 0, 0), "nothing twice");

    app.clock.advance(Duration::days(5) + Duration::hours(1));
    let late = gongshi_tests::clients::checked("reminders", fn_reminders::CLIENTS, fn_reminders::send_reminders(platform))
        .await
        .expect("reminders");
    assert_eq!(
        (late.publicities, late.applications),
        (0, 1),
        "the application with less than 2 days left"
    );
    let last = gongshi_tests::clients::checked("reminders", fn_reminders::CLIENTS, fn_reminders::send_reminders(platform))
        .await
        .expect("reminders");
    assert_eq!(last.applications, 0);
}

#[tokio::test]
async fn f19_public_lookups_are_rate_limited_per_caller() {
    let app = spawn_app().await;
    for _ in 0..500 {
        let reply = app
            .call("GET", "/api/v1/public/applications?number=SB20261126-NOTHING0", None, None)
            .await;
        assert_eq!(reply.status, 404);
    }
    let limited = app
        .call("GET", &format!("/api/v1/public/practitioners?uscc={UNIT_A}"), None, None)
        .await;
    assert_eq!((limited.status, limited.body["code"].clone()), (429, json!("rate_limited")));
    let wait: u64 = limited.headers["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!(wait > 0, "Retry-After says until when");
}

#[tokio::test]
async fn f18_the_cancellation_outcome_texts_say_the_certificate_ended_and_a_reason_ends_once() {
    let app = spawn_app().await;
    let (unit, _, certificate) = published(&app).await;
    let reviewer = app.reviewer().await;
    let decide = |id: String, body: Value| {
        let reviewer = reviewer.clone();
        let app = &app;
        async move {
            app.call(
                "POST",
                &format!("/api/v1/review/applications/{id}/decision"),
                Some(&reviewer),
                Some(body),
            )
            .await
        }
    };
    let contact = "13800138000";
    // A rejection whose reason ends with a full stop: the text does not end with two.
    let first = request_cancellation(&app, &unit, &certificate).await;
    let first_id = first.body["id"].as_str().expect("id").to_owned();
    assert_eq!(upload_scan(&app, &unit, &first_id).await.status, 200);
    let rejected = decide(first_id, json!({"outcome": "reject", "reason": "注销申请表未加盖单位公章。"})).await;
    assert_eq!(rejected.status, 200, "{:?}", rejected.body);
    let text = sms_to(&app, contact).last().cloned().expect("the rejection text");
    assert!(
        text.contains("原因：注销申请表未加盖单位公章。") && !text.contains("。。"),
        "{text}"
    );
    // An approval says the certificate is cancelled, not that one was issued.
    let second = request_cancellation(&app, &unit, &certificate).await;
    let second_id = second.body["id"].as_str().expect("id").to_owned();
    assert_eq!(upload_scan(&app, &unit, &second_id).await.status, 200);
    assert_eq!(decide(second_id, json!({"outcome": "approve"})).await.status, 200);
    let text = sms_to(&app, contact).last().cloned().expect("the approval text");
    assert!(text.contains(&format!("公示证书 {certificate} 已注销")), "{text}");
    assert!(!text.contains("公示证书编号"), "{text}");
}

//! #18: files as the association's staff have them. The imports take the file's bytes as
//! they are on disk: an .xlsx workbook (made by rust_xlsxwriter, or by openpyxl: a second,
//! independent writer, tests/fixtures/registry-openpyxl.xlsx), or CSV in UTF-8, UTF-8 with
//! BOM, GBK or GB18030; the report names what the file was read as.

use crate::publicity::{HEADER, admin, person, rows};
use gongshi_core::IdNumber;
use gongshi_store::practitioners;
use gongshi_tests::{TestApp, spawn_app};
use serde_json::Value;
use time::macros::date;

async fn upload(app: &TestApp, uri: &str, bytes: Vec<u8>, content_type: &str) -> gongshi_tests::Reply {
    let admin = admin(app).await;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(uri)
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", content_type)
        .body(axum::body::Body::from(bytes))
        .expect("request");
    app.send(request).await
}

const REGISTRY: &str = "/api/v1/admin/practitioners/import";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The name the registry holds for the person, if any.
async fn stored(app: &TestApp, id: &str) -> Option<String> {
    let id_number = IdNumber::parse(id, date!(2026 - 11 - 26)).expect("id");
    practitioners::person(app.gateway.platform.table.as_ref(), &id_number)
        .await
        .expect("person")
        .profile
        .map(|p| p.name.as_str().to_owned())
}

#[tokio::test]
async fn f22_a_gbk_csv_saved_by_excel_keeps_its_names_exactly() {
    let app = spawn_app().await;
    let csv = format!(
        "{HEADER}{}",
        rows(&person(1), "欧阳娜", &[("RQ-1", "压力容器定期检验", "2030-06-30")])
    );
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&csv);
    assert!(!lossy);
    let report = upload(&app, REGISTRY, gbk.into_owned(), "text/csv").await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        (
            report.body["imported"].clone(),
            report.body["source"].clone(),
            report.body["source_label"].clone()
        ),
        (Value::from(1), Value::from("csv_gb18030"), Value::from("CSV（GBK/GB18030 编码）"))
    );
    assert_eq!(stored(&app, &person(1)).await.as_deref(), Some("欧阳娜"), "not U+FFFD");
    // A character GBK lacks, in GB18030.
    let csv = format!(
        "{HEADER}{}",
        rows(&person(2), "欧阳𡇙", &[("RQ-1", "压力容器定期检验", "2030-06-30")])
    );
    let (gb18030, _, _) = encoding_rs::GB18030.encode(&csv);
    let report = upload(&app, REGISTRY, gb18030.into_owned(), "text/csv").await;
    assert_eq!(report.body["imported"], 1, "{:?}", report.body);
    assert_eq!(stored(&app, &person(2)).await.as_deref(), Some("欧阳𡇙"));
    // UTF-8 with the BOM Excel's "CSV UTF-8" writes.
    let csv = format!(
        "\u{feff}{HEADER}{}",
        rows(&person(3), "诸葛亮", &[("RQ-1", "压力容器定期检验", "2030-06-30")])
    );
    let report = upload(&app, REGISTRY, csv.into_bytes(), "text/csv").await;
    assert_eq!(
        (report.body["imported"].clone(), report.body["source"].clone()),
        (Value::from(1), Value::from("csv_utf8_bom"))
    );
}

#[tokio::test]
async fn f22_a_file_in_no_known_encoding_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"\x80\x80,\xff\xfe\xfd\n");
    let report = upload(&app, REGISTRY, bytes, "text/csv").await;
    assert_eq!(
        (
            report.status,
            report.body["errors"][0]["field"].as_str(),
            report.body["errors"][0]["code"].as_str()
        ),
        (422, Some("file"), Some("file_encoding"))
    );
    assert!(report.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("另存为")));
    let items = app.call("GET", "/api/v1/registry/items", None, None).await;
    assert_eq!(items.body["items"], serde_json::json!([]), "nothing imported");
}

/// A registry sheet as rust_xlsxwriter writes it: shared strings, a title row, date cells,
/// and an ID number typed into a number cell (Excel keeps 15 digits of it).
fn registry_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(0, 0, "人员库").expect("title");
    for (col, name) in HEADER.trim().split(',').enumerate() {
        sheet.write_string(1, col as u16, name).expect("header");
    }
    for (row, (id, name, as_number)) in [(person(4), "张三丰", false), (person(5), "李四", true)].iter().enumerate() {
        let row = row as u32 + 2;
        if *as_number {
            sheet
                .write_number(row, 0, id.parse::<f64>().expect("digits"))
                .expect("id as a number");
        } else {
            sheet.write_string(row, 0, id).expect("id");
        }
        let cells = [*name, "TS-X-1", "GL-1", "锅炉定期检验", "检验员", "国家市场监督管理总局"];
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string(row, col as u16 + 1, *value).expect("cell");
        }
        let issued = ExcelDateTime::from_ymd(2022, 1, 1).expect("date");
        let until = ExcelDateTime::from_ymd(2030, 6, 30).expect("date");
        sheet.write_datetime_with_format(row, 7, &issued, &date).expect("issued");
        sheet.write_datetime_with_format(row, 8, &until, &date).expect("until");
        sheet.write_string(row, 9, "有效").expect("status");
    }
    book.save_to_buffer().expect("xlsx")
}

#[tokio::test]
async fn f22_an_xlsx_registry_is_imported_and_an_id_number_stored_as_a_number_is_refused_on_its_row() {
    let app = spawn_app().await;
    let report = upload(&app, REGISTRY, registry_workbook(), XLSX).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        (
            report.body["rows"].clone(),
            report.body["imported"].clone(),
            report.body["source"].clone()
        ),
        (Value::from(2), Value::from(1), Value::from("xlsx"))
    );
    assert_eq!(stored(&app, &person(4)).await.as_deref(), Some("张三丰"));
    let error = &report.body["errors"][0];
    assert_eq!(
        (error["row"].as_u64(), error["field"].as_str(), error["code"].as_str()),
        (Some(4), Some("id_number"), Some("cell_number_lost_digits")),
        "the sheet's row 4, the column and what to do: {error}"
    );
    assert!(error["message"].as_str().is_some_and(|m| m.contains("文本")));
    assert_eq!(stored(&app, &person(5)).await, None, "never stored wrong");
}

#[tokio::test]
async fn f22_an_xlsx_made_by_openpyxl_is_read_from_its_named_sheet() {
    let app = spawn_app().await;
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/registry-openpyxl.xlsx")).expect("fixture");
    let first = upload(&app, REGISTRY, bytes.clone(), XLSX).await;
    assert_eq!(
        (first.status, first.body["errors"][0]["code"].as_str()),
        (422, Some("columns_missing")),
        "the first sheet (说明) is not the registry: {:?}",
        first.body
    );
    let named = upload(&app, &format!("{REGISTRY}?sheet=%E4%BA%BA%E5%91%98%E5%BA%93"), bytes, XLSX).await;
    assert_eq!(named.status, 200, "{:?}", named.body);
    assert_eq!(
        (named.body["imported"].clone(), named.body["failed"].clone()),
        (Value::from(1), Value::from(1))
    );
    assert_eq!(stored(&app, "35020319850101001X").await.as_deref(), Some("欧阳娜"));
    assert_eq!(
        (named.body["errors"][0]["row"].as_u64(), named.body["errors"][0]["code"].as_str()),
        (Some(5), Some("cell_number_lost_digits"))
    );
}

const LEGACY_HEADER: &str = "username,password_hash,hash_format,salt,unit_name,uscc,legal_representative,address,postcode,contact_name,contact_id_number,contact_mobile,contact_email";

#[tokio::test]
async fn f02_an_old_systems_gbk_csv_and_its_xlsx_import_alike() {
    let app = spawn_app().await;
    let row = "fjtj,18ea200c8128a2d5b97fff8ff152934c,md5_salted,a1b2c3,福建省特种设备检验研究院,91350100M000100Y43,张三,福州市鼓楼区五四路100号,350001,李四,11010519491231002X,13800138000,lisi@example.com";
    let file = format!("{LEGACY_HEADER}\n{row}\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&file);
    let report = upload(&app, "/api/v1/admin/legacy-accounts/import", gbk.into_owned(), "text/csv").await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        (report.body["created"].clone(), report.body["source"].clone()),
        (Value::from(1), Value::from("csv_gb18030"))
    );
    let token = app.login("fjtj", "Legacy123", "unit").await;
    let me = app.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.body["unit"]["name"], "福建省特种设备检验研究院", "the name kept exactly");

    // The same accounts from a workbook: unchanged (nothing imported twice).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in [LEGACY_HEADER, row].iter().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).expect("cell");
        }
    }
    let again = upload(
        &app,
        "/api/v1/admin/legacy-accounts/import",
        book.save_to_buffer().expect("xlsx"),
        XLSX,
    )
    .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(
        (again.body["unchanged"].clone(), again.body["source"].clone()),
        (Value::from(1), Value::from("xlsx"))
    );
}

async fn download(app: &TestApp, uri: &str) -> (u16, String, Vec<u8>) {
    let admin = admin(app).await;
    let request = axum::http::Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {admin}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    let status = response.status().as_u16();
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (status, disposition, bytes.to_vec())
}

#[tokio::test]
async fn f22_the_xlsx_template_has_every_column_and_an_example_row_that_never_imports() {
    let app = spawn_app().await;
    let csv = format!(
        "{HEADER}{}",
        rows(&person(1), "王五", &[("RQ-1", "压力容器定期检验", "2030-06-30")])
    );
    upload(&app, REGISTRY, csv.into_bytes(), "text/csv").await;
    let (status, disposition, bytes) = download(&app, "/api/v1/admin/practitioners/template").await;
    assert_eq!(status, 200);
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(".xlsx"),
        "{disposition}"
    );
    let mut sheet = gongshi_files::Sheet::read(bytes.clone(), &["id_number"], None).expect("a workbook");
    assert_eq!(sheet.header.join(","), HEADER.trim());
    let header = sheet.header.clone();
    let example = sheet.next_row().expect("the example").expect("ok");
    assert!(example.get(&header, "name").contains("示例"));
    // The item codes the registry knows are offered (a hidden sheet when many; here inline).
    // Filled in as it is, the template imports nothing: the example is refused by name.
    let report = upload(&app, REGISTRY, bytes, XLSX).await;
    assert_eq!(
        (report.body["imported"].clone(), report.body["errors"][0]["code"].clone()),
        (Value::from(0), Value::from("example_row"))
    );
    let reviewer = app.reviewer().await;
    let denied = app.call("GET", "/api/v1/admin/practitioners/template", Some(&reviewer), None).await;
    assert_eq!(denied.status, 403);
}

#[tokio::test]
async fn f22_the_error_report_is_the_uploaded_sheet_with_an_error_column_and_nothing_is_imported() {
    let app = spawn_app().await;
    let good = rows(&person(1), "王五", &[("RQ-1", "压力容器定期检验", "2030-06-30")]);
    let bad = "123,王五,TS-1,GL-1,锅炉定期检验,检验员,总局,2022/1/1,2020-01-01,valid\n";
    let csv = format!("{HEADER}{good}{bad}");
    let admin = admin(&app).await;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/admin/practitioners/import/check")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(csv))
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], gongshi_files::XLSX_CONTENT_TYPE);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let mut report = gongshi_files::Sheet::read(bytes.to_vec(), &["id_number"], None).expect("a workbook");
    assert_eq!(report.header.first().map(String::as_str), Some("行号"));
    assert_eq!(report.header.last().map(String::as_str), Some("错误"));
    let header = report.header.clone();
    let first = report.next_row().expect("row").expect("ok");
    assert_eq!(
        (first.get(&header, "行号"), first.get(&header, "错误")),
        ("2".into(), String::new())
    );
    let second = report.next_row().expect("row").expect("ok");
    assert_eq!(second.get(&header, "行号"), "3");
    assert_eq!(second.get(&header, "id_number"), "123", "the row as uploaded");
    let said = second.get(&header, "错误");
    assert!(said.contains("id_number") && said.contains("valid_until"), "{said}");
    assert!(
        !said.contains("issued_on"),
        "2022/1/1, as Excel writes a date into a CSV, is a date: {said}"
    );
    assert_eq!(stored(&app, &person(1)).await, None, "a check imports nothing");
}

async fn verify_roster(app: &TestApp, bytes: Vec<u8>, query: &str) -> gongshi_tests::Reply {
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/v1/public/verifications{query}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(bytes))
        .expect("request");
    app.send(request).await
}

#[tokio::test]
async fn f19_a_roster_is_verified_row_by_row_masked_as_the_public_lookup_masks() {
    let app = spawn_app().await;
    let (_, id, certificate) = crate::certificates::published(&app).await;
    // As a clerk keeps it: Chinese headers, GBK, a title row.
    let roster =
        format!("检验人员名册,,\n公示证书编号,身份证号,姓名\n{certificate},,\n,{id},王五\n GS20990101XXXXXX,,\n,{id},李四\n,12345,王五\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&roster);
    let reply = verify_roster(&app, gbk.into_owned(), "").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let counts: Vec<u64> = ["rows", "active", "not_found", "invalid"]
        .iter()
        .map(|k| reply.body[k].as_u64().unwrap_or(99))
        .collect();
    assert_eq!(counts, [5, 2, 2, 1], "{:?}", reply.body);
    gongshi_tests::round_trips::check_linear("POST /api/v1/public/verifications", 5, reply.trips);
    let results: Vec<(u64, &str)> = reply.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| (r["line"].as_u64().unwrap_or(0), r["result"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        results,
        [(3, "found"), (4, "found"), (5, "not_found"), (6, "not_found"), (7, "invalid")],
        "an ID number with another name finds nothing (it reveals nothing)"
    );
    assert_eq!(
        (reply.body["items"][4]["code"].as_str(), reply.body["source_label"].as_str()),
        (Some("id_number_format"), Some("CSV（GBK/GB18030 编码）")),
        "why a row is invalid, as a code too: {:?}",
        reply.body["items"][4]
    );
    let found = &reply.body["items"][0]["practitioner"];
    assert_eq!((found["name"].as_str(), found["state"].as_str()), (Some("王五"), Some("active")));
    assert_eq!(found["certificate_no"], certificate.as_str());
    assert_eq!(found["items"][0]["code"], "GL-1");
    assert!(!reply.body.to_string().contains(&id), "no full ID number in the answer");

    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/public/verifications?format=xlsx")
        .body(axum::body::Body::from(roster.into_bytes()))
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    assert_eq!(response.headers()["content-type"], gongshi_files::XLSX_CONTENT_TYPE);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let mut sheet = gongshi_files::Sheet::read(bytes.to_vec(), &["行号"], None).expect("a workbook");
    let header = sheet.header.clone();
    let first = sheet.next_row().expect("row").expect("ok");
    assert_eq!(
        (
            first.get(&header, "结果"),
            first.get(&header, "状态"),
            first.get(&header, "公示证书编号")
        ),
        ("已公示".to_owned(), "有效".to_owned(), certificate.clone())
    );
    assert!(first.get(&header, "身份证号").contains('*'));
}

#[tokio::test]
async fn f19_a_roster_is_limited_per_file_and_per_address_and_a_refused_one_reads_nothing() {
    let app = spawn_app().await;
    let mut big = String::from("公示证书编号\n");
    // One row more than a roster may hold (5,000).
    for n in 0..=5_000 {
        big.push_str(&format!("GS{n:012}\n"));
    }
    let refused = verify_roster(&app, big.into_bytes(), "").await;
    assert_eq!(
        (refused.status, refused.body["errors"][0]["code"].as_str()),
        (422, Some("too_many_rows"))
    );
    let columns = verify_roster(&app, "姓名\n王五\n".as_bytes().to_vec(), "").await;
    assert_eq!(
        (columns.status, columns.body["errors"][0]["code"].as_str()),
        (422, Some("columns_missing"))
    );
    for _ in 0..20 {
        assert_eq!(verify_roster(&app, "公示证书编号\nGS1\n".as_bytes().to_vec(), "").await.status, 200);
    }
    let limited = verify_roster(&app, "公示证书编号\nGS1\n".as_bytes().to_vec(), "").await;
    assert_eq!((limited.status, limited.body["code"].as_str()), (429, Some("rate_limited")));
}

#[tokio::test]
async fn f02_the_xlsx_template_imports_nothing_as_it_is_and_the_report_comes_back_as_the_sheet() {
    let app = spawn_app().await;
    let (status, disposition, template) = download(&app, "/api/v1/admin/legacy-accounts/template").await;
    assert_eq!(status, 200);
    assert!(disposition.contains(".xlsx"), "{disposition}");
    let sheet = gongshi_files::Sheet::read(template.clone(), &["username"], None).expect("a workbook");
    assert_eq!(sheet.header.join(","), LEGACY_HEADER);
    let report = upload(&app, "/api/v1/admin/legacy-accounts/import", template.clone(), XLSX).await;
    assert_eq!(
        (report.body["created"].clone(), report.body["errors"][0]["code"].clone()),
        (Value::from(0), Value::from("example_row")),
        "{:?}",
        report.body
    );
    // The report as a workbook: the uploaded row, its error, the refused cell marked.
    let admin = admin(&app).await;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/admin/legacy-accounts/import?format=xlsx")
        .header("authorization", format!("Bearer {admin}"))
        .body(axum::body::Body::from(template))
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    assert_eq!(response.headers()["content-type"], gongshi_files::XLSX_CONTENT_TYPE);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let mut sheet = gongshi_files::Sheet::read(bytes.to_vec(), &["行号"], None).expect("the report");
    let header = sheet.header.clone();
    let row = sheet.next_row().expect("row").expect("ok");
    assert_eq!(row.get(&header, "username"), "example_unit");
    assert!(row.get(&header, "错误").contains("示例"), "{}", row.get(&header, "错误"));
    assert!(
        gongshi_store::accounts::get(&app.embedded.table, "example_unit")
            .await
            .expect("get")
            .is_none(),
        "nothing imported"
    );
}

/// A GET answered with a workbook, read back.
async fn workbook(app: &TestApp, token: &str, uri: &str) -> gongshi_files::Sheet {
    let request = axum::http::Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("answer");
    assert_eq!(response.status().as_u16(), 200, "{uri}");
    assert_eq!(response.headers()["content-type"], gongshi_files::XLSX_CONTENT_TYPE);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    gongshi_files::Sheet::read(bytes.to_vec(), &["申报单号", "公示证书编号", "单位名称"], None).expect("a workbook")
}

#[tokio::test]
async fn f15_f21_the_application_list_and_the_review_queue_export_as_xlsx_masked_in_china_time() {
    let app = spawn_app().await;
    let unit = gongshi_tests::approved_unit(&app, "xmtjy", crate::publicity::UNIT_A).await;
    let id = crate::publicity::ready_person(&app, 1, "王五", "13900000001").await;
    crate::publicity::created(&app, &unit, &id, "王五", "initial").await;
    let mut sheet = workbook(&app, &unit, "/api/v1/unit/applications?format=xlsx").await;
    let header = sheet.header.clone();
    assert_eq!(&header[..4], ["申报单号", "公示类型", "姓名", "身份证号"]);
    let row = sheet.next_row().expect("row").expect("ok");
    assert_eq!(
        (row.get(&header, "公示类型"), row.get(&header, "姓名")),
        ("初始".into(), "王五".into())
    );
    let masked = row.get(&header, "身份证号");
    assert!(masked.contains('*') && !masked.contains(&id[3..14]), "{masked}");
    // China time: the test clock's instant shown at UTC+8.
    let created = row.get(&header, "创建时间");
    let expected = gongshi_core::china_time(gongshi_platform::Clock::now(&*app.clock));
    assert_eq!(created, expected, "China time to the minute (the fake clock stands still)");
    assert!(sheet.next_row().is_none());
    let bad = app.call("GET", "/api/v1/unit/applications?format=pdf", Some(&unit), None).await;
    assert_eq!(bad.error_fields(), ["format"]);
    // The reviewer's queue of applications just created (state given) exports alike.
    let reviewer = app.reviewer().await;
    let mut queue = workbook(&app, &reviewer, "/api/v1/review/applications?state=created&format=xlsx").await;
    let header = queue.header.clone();
    assert_eq!(queue.next_row().expect("row").expect("ok").get(&header, "姓名"), "王五");
}

#[tokio::test]
async fn f20_the_units_practitioners_export_as_xlsx_with_their_mobile_registration() {
    let app = spawn_app().await;
    let (unit, id, certificate) = crate::certificates::published(&app).await;
    let mut sheet = workbook(&app, &unit, "/api/v1/unit/practitioners?format=xlsx").await;
    let header = sheet.header.clone();
    let row = sheet.next_row().expect("row").expect("ok");
    assert_eq!(
        (
            row.get(&header, "公示证书编号"),
            row.get(&header, "姓名"),
            row.get(&header, "手机号"),
            row.get(&header, "状态")
        ),
        (certificate, "王五".to_owned(), "已登记".to_owned(), "有效".to_owned())
    );
    assert!(!row.get(&header, "身份证号").contains(&id[3..14]), "masked");
}

#[tokio::test]
async fn f21_the_reviewers_registration_change_and_appeal_queues_export_as_xlsx() {
    let app = spawn_app().await;
    let admin = gongshi_tests::approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let proof = app
        .upload(&admin, "change_proof", "变更证明.pdf", "application/pdf", gongshi_tests::pdf())
        .await;
    let asked = app
        .call(
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(serde_json::json!({"address": "厦门市思明区鹭江道2号", "reason": "单位搬迁", "proof_upload_ids": [proof]})),
        )
        .await;
    assert_eq!(asked.status, 201, "{:?}", asked.body);
    let reviewer = app.reviewer().await;
    let mut registrations = workbook(&app, &reviewer, "/api/v1/review/registrations?state=approved&format=xlsx").await;
    let header = registrations.header.clone();
    let row = registrations.next_row().expect("the approved registration").expect("ok");
    assert_eq!(
        (
            row.get(&header, "统一社会信用代码"),
            row.get(&header, "授权联系人"),
            row.get(&header, "状态")
        ),
        ("91350100M000100Y43".to_owned(), "李四".to_owned(), "已通过".to_owned())
    );
    let mut changes = workbook(&app, &reviewer, "/api/v1/review/change-requests?format=xlsx").await;
    let header = changes.header.clone();
    let row = changes.next_row().expect("the pending change").expect("ok");
    assert!(
        row.get(&header, "变更内容").contains("厦门市思明区鹭江道2号"),
        "{}",
        row.get(&header, "变更内容")
    );
    assert_eq!(row.get(&header, "状态"), "待审核");
    let mut appeals = workbook(&app, &reviewer, "/api/v1/review/appeals?format=xlsx").await;
    assert_eq!(appeals.header[0], "单位名称");
    assert!(appeals.next_row().is_none(), "no appeal: the header only");
    let unit = app
        .call("GET", "/api/v1/review/registrations?format=csv", Some(&reviewer), None)
        .await;
    assert_eq!(unit.error_fields(), ["format"]);
}

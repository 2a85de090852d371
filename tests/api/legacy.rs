//! F2: accounts of the old system: import, then login with the old password.

use gongshi_tests::{SEED_PASSWORD, TestApp, approved_unit, spawn_app};
use serde_json::json;

const HEADER: &str = "username,password_hash,hash_format,salt,unit_name,uscc,legal_representative,address,postcode,contact_name,contact_id_number,contact_mobile,contact_email";

fn file() -> String {
    [
        HEADER,
        // md5(salt ‖ "Legacy123") with salt a1b2c3
        "fjtj,18ea200c8128a2d5b97fff8ff152934c,md5_salted,a1b2c3,福建省特种设备检验研究院,91350100M000100Y43,张三,福州市鼓楼区五四路100号,350001,李四,11010519491231002X,13800138000,lisi@example.com",
        // bcrypt of "U*U" (OpenBSD test vector)
        "qztj,$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW,bcrypt,,泉州市特种设备检验所,91350200776049653A,王五,泉州市丰泽区刺桐路8号,362000,赵六,440524188001010014,13900139000,zhao@example.com",
        "bad_row,123,md5,,某检验机构,NOT-A-USCC,王五,地址,362000,赵六,440524188001010014,12345,zhao@example.com",
    ]
    .join("\n")
}

async fn import(app: &TestApp, token: Option<&str>, csv: &str) -> gongshi_tests::Reply {
    let mut request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/admin/legacy-accounts/import")
        .header("content-type", "text/csv");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    app.send(request.body(axum::body::Body::from(csv.to_owned())).expect("request"))
        .await
}

#[tokio::test]
async fn f02_admin_imports_old_accounts_and_bad_rows_are_reported_by_line() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let report = import(&app, Some(&admin), &file()).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        (
            report.body["rows"].as_u64(),
            report.body["created"].as_u64(),
            report.body["failed"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    let errors: Vec<_> = report.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["line"].as_u64(), e["field"].as_str().unwrap_or_default().to_owned()))
        .collect();
    assert_eq!(
        errors,
        [
            (Some(4), "password_hash".to_owned()),
            (Some(4), "uscc".to_owned()),
            (Some(4), "contact_mobile".to_owned())
        ]
    );
    assert!(
        report.body["errors"][1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("统一社会信用代码"))
    );

    let again = import(&app, Some(&admin), &file()).await;
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["unchanged"].as_u64(),
            again.body["failed"].as_u64()
        ),
        (Some(0), Some(2), Some(1)),
        "re-import changes nothing"
    );
}

#[tokio::test]
async fn f02_old_password_logs_in_once_and_is_replaced_by_argon2id() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    import(&app, Some(&admin), &file()).await;
    let wrong = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "fjtj", "password": "legacy123", "user_type": "unit"})),
        )
        .await;
    assert_eq!(wrong.status, 401);
    let token = app.login("fjtj", "Legacy123", "unit").await;
    let me = app.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(
        (me.body["account"]["role"].as_str(), me.body["unit"]["name"].as_str()),
        (Some("unit_admin"), Some("福建省特种设备检验研究院"))
    );
    // The admin is named after the unit's contact, not the unit (#17 bug 19).
    assert_eq!(me.body["account"]["display_name"], "李四");
    let accounts = app.call("GET", "/api/v1/unit/accounts", Some(&token), None).await;
    assert_eq!(accounts.body["items"][0]["display_name"], "李四", "{:?}", accounts.body);
    let stored = gongshi_store::accounts::get(&app.embedded.table, "fjtj")
        .await
        .expect("get")
        .expect("account");
    assert!(stored.legacy_hash.is_none(), "the old hash is gone");
    assert!(stored.password_hash.starts_with("$argon2id$"));
    app.login("fjtj", "Legacy123", "unit").await;
    app.login("qztj", "U*U", "unit").await;
    // A re-import after the upgrade does not bring the old hash back.
    let again = import(&app, Some(&admin), &file()).await;
    assert_eq!(again.body["unchanged"].as_u64(), Some(2));
    assert!(
        gongshi_store::accounts::get(&app.embedded.table, "fjtj")
            .await
            .expect("get")
            .expect("account")
            .legacy_hash
            .is_none()
    );
}

#[tokio::test]
async fn f02_names_taken_elsewhere_are_refused_per_row() {
    let app = spawn_app().await;
    approved_unit(&app, "fjtj", "913502000728319549").await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let report = import(&app, Some(&admin), &file()).await;
    assert_eq!(report.body["created"].as_u64(), Some(1));
    assert_eq!(
        (report.body["errors"][0]["line"].as_u64(), report.body["errors"][0]["code"].as_str()),
        (Some(2), Some("username_taken"))
    );
    let duplicate = format!("{}\n{}", file(), file().lines().nth(2).expect("row"));
    let report = import(&app, Some(&admin), &duplicate).await;
    assert!(
        report.body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .any(|e| e["code"] == "duplicate_in_file" && e["line"] == 5)
    );
}

#[tokio::test]
async fn f02_only_the_association_admin_imports_and_files_are_checked() {
    let app = spawn_app().await;
    assert_eq!(import(&app, None, &file()).await.status, 401);
    let reviewer = app.reviewer().await;
    assert_eq!(import(&app, Some(&reviewer), &file()).await.status, 403);
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let missing = import(&app, Some(&admin), "username,password_hash\nx,y").await;
    assert_eq!(
        (missing.status, missing.body["errors"][0]["code"].as_str()),
        (422, Some("csv_columns"))
    );
    assert!(
        missing.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("hash_format"))
    );
    let empty = import(&app, Some(&admin), "  ").await;
    assert_eq!((empty.status, empty.error_fields()), (422, vec!["body".to_owned()]));
    assert!(
        gongshi_store::accounts::get(&app.embedded.table, "fjtj")
            .await
            .expect("get")
            .is_none(),
        "nothing stored"
    );
}

#[tokio::test]
async fn f02_the_templates_example_row_never_imports() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    // The example row of the template the SPA downloads (web/src/utils/legacyImport.ts), as
    // an earlier template had it and as it is marked now.
    let earlier = "xmjc2015,e10adc3949ba59abbe56e057f20f883e,md5,,厦门某某检测有限公司,91350200MA00000000,张三,福建省厦门市思明区湖滨南路200号,361001,李四,11010519491231002X,13800138000,lisi@example.com";
    let marked = "example_unit,e10adc3949ba59abbe56e057f20f883e,md5,,示例单位（导入前请删除本行）,91350200MA00000000,张三,福建省厦门市思明区湖滨南路200号,361001,李四,11010519491231002X,13800138000,lisi@example.com";
    for row in [earlier, marked] {
        let reply = import(&app, Some(&admin), &format!("\u{feff}{HEADER}\r\n{row}\r\n")).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert_eq!(
            (reply.body["created"].as_u64(), reply.body["failed"].as_u64()),
            (Some(0), Some(1)),
            "{:?}",
            reply.body
        );
        assert_eq!(reply.body["errors"][0]["code"], "example_row", "{:?}", reply.body);
    }
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmjc2015", "password": "123456", "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 401, "no live account from the template");
}

#[tokio::test]
async fn f02_a_legacy_password_weaker_than_todays_rule_is_changed_at_first_login() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    // md5(salt ‖ "123456"): the old system allowed six digits.
    let weak = "zzjy,5e0ab52f58cad58a4bf59569bfca4e70,md5_salted,a1b2c3,漳州市特种设备检验所,91350206MA31B4C55G,张三,漳州市芗城区胜利路1号,363000,李四,11010519491231002X,13800138001,zz@example.com";
    let imported = import(&app, Some(&admin), &format!("{HEADER}\n{weak}\n")).await;
    assert_eq!(imported.body["created"].as_u64(), Some(1), "{:?}", imported.body);
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "zzjy", "password": "123456", "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_eq!(
        (
            login.body["account"]["password_change_required"].as_bool(),
            login.body["account"]["password_change_reason"].as_str()
        ),
        (Some(true), Some("weak_legacy"))
    );
    let token = login.body["access_token"].as_str().expect("token").to_owned();
    let unit = app.call("GET", "/api/v1/unit", Some(&token), None).await;
    assert_eq!((unit.status, unit.body["code"].as_str()), (403, Some("password_change_required")));
    let changed = app
        .call(
            "PUT",
            "/api/v1/auth/password",
            Some(&token),
            Some(json!({"current_password": "123456", "new_password": "Zhangzhou2026"})),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let token = changed.body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.call("GET", "/api/v1/unit", Some(&token), None).await.status, 200);
    // A strong old password logs in without a change.
    import(&app, Some(&admin), &file()).await;
    let strong = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "fjtj", "password": "Legacy123", "user_type": "unit"})),
        )
        .await;
    assert_eq!(strong.body["account"]["password_change_required"], false);
}

#[tokio::test]
async fn f02_a_legacy_uscc_that_fails_its_check_character_is_flagged_in_the_report() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    // 91350100M000100Y43 is valid; its last character changed.
    let row = "fjtj,18ea200c8128a2d5b97fff8ff152934c,md5_salted,a1b2c3,福建省特种设备检验研究院,91350100M000100Y44,张三,福州市鼓楼区五四路100号,350001,李四,11010519491231002X,13800138000,lisi@example.com";
    let reply = import(&app, Some(&admin), &format!("{HEADER}\n{row}\n")).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["created"].as_u64(), Some(1), "{:?}", reply.body);
    assert_eq!(
        (
            reply.body["warnings"][0]["line"].as_u64(),
            reply.body["warnings"][0]["field"].as_str(),
            reply.body["warnings"][0]["code"].as_str()
        ),
        (Some(2), Some("uscc"), Some("uscc_checksum")),
        "{:?}",
        reply.body
    );
    let clean = import(&app, Some(&admin), &file()).await;
    assert_eq!(clean.body["warnings"], serde_json::json!([]), "{:?}", clean.body);
}

#[tokio::test]
async fn f02_a_file_of_many_accounts_is_imported_in_batches_and_a_repeated_uscc_is_refused() {
    let app = spawn_app().await;
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let row = |n: usize, uscc: &str| {
        format!(
            "olduser{n:03},18ea200c8128a2d5b97fff8ff152934c,md5_salted,a1b2c3,第{n}检验机构,{uscc},张三,福州市鼓楼区五四路{n}号,350001,李四,11010519491231002X,13800138000,lisi@example.com"
        )
    };
    let mut lines = vec![HEADER.to_owned()];
    lines.extend((0..120).map(|n| row(n, &format!("91350200MA{n:08}"))));
    // Another account for a USCC the file already imports (in the same batch of rows).
    lines.push(row(200, "91350200MA00000007"));
    let csv = lines.join("\n");
    let report = import(&app, Some(&admin), &csv).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        (report.body["created"].as_u64(), report.body["failed"].as_u64()),
        (Some(120), Some(1)),
        "{:?}",
        report.body["errors"]
    );
    assert_eq!(
        (report.body["errors"][0]["line"].as_u64(), report.body["errors"][0]["code"].as_str()),
        (Some(122), Some("uscc_taken"))
    );
    // Batch reads and transactions, never a read per row (issue #15).
    gongshi_tests::round_trips::check_linear("POST /api/v1/admin/legacy-accounts/import", 121, report.trips);

    let again = import(&app, Some(&admin), &csv).await;
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["unchanged"].as_u64(),
            again.body["failed"].as_u64()
        ),
        (Some(0), Some(120), Some(1)),
        "re-import changes nothing"
    );
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "olduser119", "password": "Legacy123", "user_type": "unit"})),
        )
        .await;
    assert_eq!(login.status, 200, "{:?}", login.body);
}

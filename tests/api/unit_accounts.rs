//! F7: unit information and the unit's accounts.

use gongshi_tests::{approved_unit, spawn_app};
use serde_json::json;

fn staff(username: &str) -> serde_json::Value {
    json!({"username": username, "display_name": "王五", "password": "Staff2026a", "role": "unit_staff"})
}

#[tokio::test]
async fn f07_unit_users_see_their_unit_with_personal_data_masked() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let unit = app.call("GET", "/api/v1/unit", Some(&admin), None).await;
    assert_eq!(unit.status, 200, "{:?}", unit.body);
    assert_eq!(unit.body["uscc"], "91350100M000100Y43");
    assert_eq!(unit.body["contact"]["id_number_masked"], "110***********002X");
    assert_eq!(unit.body["contact"]["mobile_masked"], "138****8000");
    assert_eq!(unit.body["qualifications"][0]["certificate_no"], "TS7110236-2028");
    assert!(
        !unit.body.to_string().contains("11010519491231002X"),
        "the full ID number is never sent"
    );
    let reviewer = app.reviewer().await;
    assert_eq!(app.call("GET", "/api/v1/unit", Some(&reviewer), None).await.status, 403);
}

/// #17 bug 19: the 姓名 column named the unit for its admin. The admin is the person who uses
/// the account (the registration's authorised contact); a sub-account is the name it was
/// given; the unit is named by `GET /me`'s unit for both.
#[tokio::test]
async fn f07_the_admins_name_is_its_authorised_contact_and_the_unit_is_named_apart() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let created = app
        .call("POST", "/api/v1/unit/accounts", Some(&admin), Some(staff("xm_staff")))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let list = app.call("GET", "/api/v1/unit/accounts", Some(&admin), None).await;
    let names: Vec<(String, String)> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| {
            (
                a["username"].as_str().unwrap_or_default().to_owned(),
                a["display_name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [("xm_staff".to_owned(), "王五".to_owned()), ("xmtjy".to_owned(), "李四".to_owned())]
    );
    let staff_token = app.login("xm_staff", "Staff2026a", "unit").await;
    for (token, name) in [(&admin, "李四"), (&staff_token, "王五")] {
        let me = app.call("GET", "/api/v1/me", Some(token), None).await;
        assert_eq!(
            (me.body["account"]["display_name"].as_str(), me.body["unit"]["name"].as_str()),
            (Some(name), Some("厦门市特种设备检验检测院"))
        );
    }
}

#[tokio::test]
async fn f07_admin_creates_a_sub_account_that_cannot_manage_accounts() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let created = app
        .call("POST", "/api/v1/unit/accounts", Some(&admin), Some(staff("xm_staff")))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(
        (created.body["role"].as_str(), created.body["status"].as_str()),
        (Some("unit_staff"), Some("active"))
    );
    let list = app.call("GET", "/api/v1/unit/accounts", Some(&admin), None).await;
    let names: Vec<_> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| (a["username"].as_str().unwrap_or_default().to_owned(), a["is_self"].as_bool()))
        .collect();
    assert_eq!(names, [("xm_staff".to_owned(), Some(false)), ("xmtjy".to_owned(), Some(true))]);

    let staff_token = app.login("xm_staff", "Staff2026a", "unit").await;
    let me = app.call("GET", "/api/v1/me", Some(&staff_token), None).await;
    assert_eq!(
        (me.body["account"]["role"].as_str(), me.body["unit"]["uscc"].as_str()),
        (Some("unit_staff"), Some("91350100M000100Y43"))
    );
    for (method, path, body) in [
        ("GET", "/api/v1/unit/accounts", None),
        ("POST", "/api/v1/unit/accounts", Some(staff("another"))),
        ("PUT", "/api/v1/unit/accounts/xmtjy/status", Some(json!({"enabled": false}))),
        (
            "PUT",
            "/api/v1/unit/accounts/xmtjy/password",
            Some(json!({"new_password": "Hacked2026"})),
        ),
    ] {
        let reply = app.call(method, path, Some(&staff_token), body).await;
        assert_eq!(
            (reply.status, reply.body["code"].as_str()),
            (403, Some("unit_admin_only")),
            "{method} {path}"
        );
    }
    assert_eq!(
        app.call("GET", "/api/v1/unit", Some(&staff_token), None).await.status,
        200,
        "staff read the unit"
    );
    let duplicate = app
        .call("POST", "/api/v1/unit/accounts", Some(&admin), Some(staff("xm_staff")))
        .await;
    assert_eq!((duplicate.status, duplicate.body["code"].as_str()), (409, Some("username_taken")));
    let bad = app
        .call(
            "POST",
            "/api/v1/unit/accounts",
            Some(&admin),
            Some(json!({"username": "1x", "display_name": "王", "password": "weak", "role": "unit_staff"})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.error_fields()),
        (422, vec!["username".to_owned(), "display_name".to_owned(), "password".to_owned()])
    );
}

#[tokio::test]
async fn f07_disabling_or_setting_a_password_ends_the_accounts_sessions() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    app.call("POST", "/api/v1/unit/accounts", Some(&admin), Some(staff("xm_staff")))
        .await;
    let staff_token = app.login("xm_staff", "Staff2026a", "unit").await;

    let disabled = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff/status",
            Some(&admin),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!((disabled.status, disabled.body["status"].as_str()), (200, Some("disabled")));
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&staff_token), None).await.status,
        401,
        "its token stops working at once"
    );
    let login = staff_login(&app, "Staff2026a").await;
    assert_eq!((login.status, login.body["code"].as_str()), (403, Some("account_disabled")));
    let enabled = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff/status",
            Some(&admin),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(enabled.body["status"], "active");

    let refresh = staff_login(&app, "Staff2026a").await.body["refresh_token"].clone();
    let set = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff/password",
            Some(&admin),
            Some(json!({"new_password": "Changed2026"})),
        )
        .await;
    assert_eq!(set.status, 204);
    let refreshed = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})))
        .await;
    assert_eq!(refreshed.status, 401, "sessions begun before the new password end");
    app.login("xm_staff", "Changed2026", "unit").await;

    let myself = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xmtjy/status",
            Some(&admin),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!((myself.status, myself.body["code"].as_str()), (409, Some("cannot_disable_self")));
    let history = gongshi_store::audit::history(&app.embedded.table, "ACCT#xm_staff")
        .await
        .expect("history");
    let actions: Vec<_> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["account.created", "account.disabled", "account.enabled", "account.password_set"]
    );
}

#[tokio::test]
async fn f07_another_units_accounts_are_not_found() {
    let app = spawn_app().await;
    let first = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let second = approved_unit(&app, "fztjy", "91350200776049653A").await;
    app.call("POST", "/api/v1/unit/accounts", Some(&first), Some(staff("xm_staff")))
        .await;
    let reach = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff/status",
            Some(&second),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!((reach.status, reach.body["code"].as_str()), (404, Some("account_not_found")));
    let password = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xmtjy/password",
            Some(&second),
            Some(json!({"new_password": "Taken2026x"})),
        )
        .await;
    assert_eq!(password.status, 404);
    let list = app.call("GET", "/api/v1/unit/accounts", Some(&second), None).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1), "only its own admin");
}

#[tokio::test]
async fn f07_setting_ones_own_password_keeps_the_session_and_ends_the_others() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let other_device = app.login("xmtjy", "Gongshi2026", "unit").await;
    let changed = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xmtjy/password",
            Some(&admin),
            Some(json!({"new_password": "Renewed2026"})),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let fresh = changed.body["access_token"]
        .as_str()
        .expect("a new session for the caller")
        .to_owned();
    assert!(changed.body["refresh_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        app.call("GET", "/api/v1/unit", Some(&fresh), None).await.status,
        200,
        "the next action works"
    );
    assert_eq!(
        app.call("GET", "/api/v1/unit", Some(&admin), None).await.status,
        401,
        "the old token ended"
    );
    assert_eq!(
        app.call("GET", "/api/v1/unit", Some(&other_device), None).await.status,
        401,
        "other sessions end"
    );
    assert!(app.login("xmtjy", "Renewed2026", "unit").await.len() > 20, "the new password works");
}

/// xm_staff's login with `password`, as the login page sends it.
async fn staff_login(app: &gongshi_tests::TestApp, password: &str) -> gongshi_tests::Reply {
    app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "xm_staff", "password": password, "user_type": "unit"})),
    )
    .await
}

/// The admin resets xm_staff's password to `Linshi2026`.
async fn reset_by_admin(app: &gongshi_tests::TestApp) -> String {
    let admin = approved_unit(app, "xmtjy", "91350100M000100Y43").await;
    app.call("POST", "/api/v1/unit/accounts", Some(&admin), Some(staff("xm_staff")))
        .await;
    let set = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff/password",
            Some(&admin),
            Some(json!({"new_password": "Linshi2026"})),
        )
        .await;
    assert_eq!(set.status, 204, "{:?}", set.body);
    admin
}

#[tokio::test]
async fn f07_a_password_the_admin_sets_is_temporary_and_must_be_changed_at_first_login() {
    let app = spawn_app().await;
    reset_by_admin(&app).await;
    let login = staff_login(&app, "Linshi2026").await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_eq!(
        (
            login.body["account"]["password_change_required"].as_bool(),
            login.body["account"]["password_change_reason"].as_str(),
            login.body["account"]["password_change_message"].as_str()
        ),
        (
            Some(true),
            Some("set_by_admin"),
            Some("您正在使用单位管理员设置的临时密码，请先设置新密码")
        )
    );
    let restricted = login.body["access_token"].as_str().expect("token").to_owned();
    let home = app.call("GET", "/api/v1/unit/home", Some(&restricted), None).await;
    assert_eq!(
        (home.status, home.body["code"].as_str()),
        (403, Some("password_change_required")),
        "nothing but the new password until it is set"
    );
    let me = app.call("GET", "/api/v1/me", Some(&restricted), None).await;
    assert_eq!(
        (me.status, me.body["account"]["password_change_required"].as_bool()),
        (200, Some(true)),
        "the SPA can still learn why"
    );
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let wrong = app
        .call(
            "PUT",
            "/api/v1/auth/password",
            Some(&restricted),
            Some(change("Linshi2025", "Xinmima2026")),
        )
        .await;
    assert_eq!((wrong.status, wrong.error_fields()), (422, vec!["current_password".to_owned()]));
    let same = app
        .call(
            "PUT",
            "/api/v1/auth/password",
            Some(&restricted),
            Some(change("Linshi2026", "Linshi2026")),
        )
        .await;
    assert_eq!(
        (same.error_fields(), same.body["errors"][0]["code"].as_str()),
        (vec!["new_password".to_owned()], Some("password_reused"))
    );
    let weak = app
        .call(
            "PUT",
            "/api/v1/auth/password",
            Some(&restricted),
            Some(change("Linshi2026", "short")),
        )
        .await;
    assert_eq!(weak.error_fields(), ["new_password"]);
    let changed = app
        .call(
            "PUT",
            "/api/v1/auth/password",
            Some(&restricted),
            Some(change("Linshi2026", "Xinmima2026")),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["account"]["password_change_required"], false);
    let token = changed.body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.call("GET", "/api/v1/unit/home", Some(&token), None).await.status, 200);
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&restricted), None).await.status,
        401,
        "the session of the temporary password ends"
    );
    let old = staff_login(&app, "Linshi2026").await;
    assert_eq!(old.status, 401, "the temporary password is gone");
    let fresh = staff_login(&app, "Xinmima2026").await;
    assert_eq!(fresh.body["account"]["password_change_required"], false);
    let history = gongshi_store::audit::history(&app.embedded.table, "ACCT#xm_staff")
        .await
        .expect("history");
    assert!(
        history
            .iter()
            .any(|e| e.action == "account.password_changed" && e.from.as_deref() == Some("set_by_admin")),
        "{history:?}"
    );
}

#[tokio::test]
async fn f07_a_temporary_password_no_longer_logs_in_after_three_days() {
    let app = spawn_app().await;
    reset_by_admin(&app).await;
    app.clock.advance(time::Duration::days(3) + time::Duration::minutes(1));
    let late = staff_login(&app, "Linshi2026").await;
    assert_eq!(
        (late.status, late.body["code"].as_str()),
        (403, Some("temporary_password_expired")),
        "{:?}",
        late.body
    );
    assert!(late.body["detail"].as_str().is_some_and(|d| d.contains("找回密码")));
}

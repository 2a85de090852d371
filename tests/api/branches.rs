//! F7: secondary units (二级单位) and their accounts.

use gongshi_tests::{approved_unit, spawn_app};
use serde_json::json;

pub fn branch() -> serde_json::Value {
    json!({"name": "厦门院翔安分院", "address": "厦门市翔安区新店镇1号", "contact_name": "陈八", "contact_mobile": "13600136000"})
}

#[tokio::test]
async fn f07_admin_creates_a_branch_whose_account_acts_for_the_parent_unit() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let created = app.call("POST", "/api/v1/unit/branches", Some(&admin), Some(branch())).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(
        (created.body["contact_mobile_masked"].as_str(), created.body["enabled"].as_bool()),
        (Some("136****6000"), Some(true))
    );
    let id = created.body["id"].as_str().expect("id").to_owned();
    let account =
        json!({"username": "xa_staff", "display_name": "翔安分院", "password": "Branch2026a", "role": "unit_staff", "branch_id": id});
    let made = app.call("POST", "/api/v1/unit/accounts", Some(&admin), Some(account)).await;
    assert_eq!(
        (made.status, made.body["branch_id"].as_str()),
        (201, Some(id.as_str())),
        "{:?}",
        made.body
    );
    let as_admin =
        json!({"username": "xa_admin", "display_name": "翔安分院", "password": "Branch2026a", "role": "unit_admin", "branch_id": id});
    let refused = app.call("POST", "/api/v1/unit/accounts", Some(&admin), Some(as_admin)).await;
    assert_eq!(
        (refused.status, refused.body["errors"][0]["code"].as_str()),
        (422, Some("branch_account_role"))
    );

    let staff = app.login("xa_staff", "Branch2026a", "unit").await;
    let me = app.call("GET", "/api/v1/me", Some(&staff), None).await;
    assert_eq!(
        me.body["unit"]["uscc"], "91350100M000100Y43",
        "the practice unit is always the parent"
    );
    assert_eq!(
        (me.body["branch"]["id"].as_str(), me.body["branch"]["name"].as_str()),
        (Some(id.as_str()), Some("厦门院翔安分院")),
        "a branch account's pages name its branch"
    );
    let parent = app.call("GET", "/api/v1/me", Some(&admin), None).await;
    assert_eq!(parent.body["branch"], json!(null), "the parent's own accounts have none");
    assert_eq!(
        app.call("GET", "/api/v1/unit/branches", Some(&staff), None).await.status,
        403,
        "branches are the admin's"
    );
    let list = app.call("GET", "/api/v1/unit/branches", Some(&admin), None).await;
    assert_eq!(
        (
            list.body["items"].as_array().map(Vec::len),
            list.body["items"][0]["account_count"].as_u64()
        ),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn f07_disabling_a_branch_ends_its_sessions_and_refuses_its_logins() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let id = app.call("POST", "/api/v1/unit/branches", Some(&admin), Some(branch())).await.body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.call(
        "POST",
        "/api/v1/unit/accounts",
        Some(&admin),
        Some(json!({"username": "xa_staff", "display_name": "翔安分院", "password": "Branch2026a", "role": "unit_staff", "branch_id": id})),
    )
    .await;
    let staff = app.login("xa_staff", "Branch2026a", "unit").await;
    let disabled = app
        .call(
            "PUT",
            &format!("/api/v1/unit/branches/{id}/status"),
            Some(&admin),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!((disabled.status, disabled.body["enabled"].as_bool()), (200, Some(false)));
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&staff), None).await.status,
        401,
        "sessions end at once"
    );
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xa_staff", "password": "Branch2026a", "user_type": "unit"})),
        )
        .await;
    assert_eq!((login.status, login.body["code"].as_str()), (403, Some("branch_disabled")));
    let new_account = app
        .call(
            "POST",
            "/api/v1/unit/accounts",
            Some(&admin),
            Some(
                json!({"username": "xa_two", "display_name": "翔安分院", "password": "Branch2026a", "role": "unit_staff", "branch_id": id}),
            ),
        )
        .await;
    assert_eq!(
        (new_account.status, new_account.error_fields()),
        (422, vec!["branch_id".to_owned()])
    );
    app.call(
        "PUT",
        &format!("/api/v1/unit/branches/{id}/status"),
        Some(&admin),
        Some(json!({"enabled": true})),
    )
    .await;
    app.login("xa_staff", "Branch2026a", "unit").await;
}

#[tokio::test]
async fn f07_branches_of_another_unit_and_bad_input_are_refused() {
    let app = spawn_app().await;
    let first = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let second = approved_unit(&app, "fztjy", "91350200776049653A").await;
    let id = app.call("POST", "/api/v1/unit/branches", Some(&first), Some(branch())).await.body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let theirs = app
        .call(
            "PUT",
            &format!("/api/v1/unit/branches/{id}/status"),
            Some(&second),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!((theirs.status, theirs.body["code"].as_str()), (404, Some("branch_not_found")));
    let foreign = app
        .call(
            "POST",
            "/api/v1/unit/accounts",
            Some(&second),
            Some(json!({"username": "sneaky", "display_name": "某某", "password": "Branch2026a", "role": "unit_staff", "branch_id": id})),
        )
        .await;
    assert_eq!(
        (foreign.status, foreign.body["errors"][0]["code"].as_str()),
        (422, Some("branch_not_found"))
    );
    let bad = app
        .call(
            "POST",
            "/api/v1/unit/branches",
            Some(&first),
            Some(json!({"name": "分", "address": "x", "contact_name": "陈八", "contact_mobile": "123"})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.error_fields()),
        (422, vec!["name".to_owned(), "address".to_owned(), "contact_mobile".to_owned()])
    );
}

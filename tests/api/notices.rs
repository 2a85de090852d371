//! 通知公告 (F6, issue #19): the association admin publishes, edits, pins and withdraws
//! notices; every unit's home shows those in force, read or unread per account.

use gongshi_tests::{approved_unit, spawn_app};
use serde_json::{Value, json};

async fn publish(app: &gongshi_tests::TestApp, admin: &str, body: Value) -> gongshi_tests::Reply {
    app.call("POST", "/api/v1/admin/notices", Some(admin), Some(body)).await
}

fn titles(home: &Value) -> Vec<(String, bool)> {
    home["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| {
            (
                n["title"].as_str().unwrap_or_default().to_owned(),
                n["read"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn f06_a_notice_the_association_publishes_is_on_every_unit_home_unread_until_read() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", crate::publicity::UNIT_A).await;
    let other = approved_unit(&app, "xmjyy", crate::publicity::UNIT_B).await;
    let admin = crate::publicity::admin(&app).await;
    let empty = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(
        (empty.body["notices"].clone(), empty.body["counts"]["notices_unread"].clone()),
        (json!([]), json!(0))
    );

    let first = publish(
        &app,
        &admin,
        json!({"title": "年度换证安排", "body": "请于**12月31日前**完成换证。\n\n- 营业执照\n- 资质证书"}),
    )
    .await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let first_id = first.body["id"].as_str().expect("id").to_owned();
    app.clock.advance(time::Duration::minutes(1));
    let pinned = publish(
        &app,
        &admin,
        json!({"title": "系统维护通知", "body": "周六停机维护。", "pinned": true}),
    )
    .await;
    assert_eq!(pinned.status, 201);
    app.clock.advance(time::Duration::minutes(1));
    let newest = publish(&app, &admin, json!({"title": "元旦放假通知", "body": "元旦放假一天。"})).await;
    let newest_id = newest.body["id"].as_str().expect("id").to_owned();

    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(
        titles(&home.body),
        [
            ("系统维护通知".into(), false),
            ("元旦放假通知".into(), false),
            ("年度换证安排".into(), false)
        ],
        "pinned first, then the newest"
    );
    assert_eq!(home.body["counts"]["notices_unread"], 3);
    let blocks = &home.body["notices"][2]["blocks"];
    assert_eq!(blocks[0]["runs"][1], json!({"text": "12月31日前", "bold": true}));
    assert_eq!(blocks[1]["kind"], "bullet");

    // Read by one account: that account sees it read, another unit does not; reading again changes nothing.
    let read = app
        .call("POST", &format!("/api/v1/notices/{first_id}/read"), Some(&unit), None)
        .await;
    assert_eq!(read.status, 204, "{:?}", read.body);
    assert_eq!(
        app.call("POST", &format!("/api/v1/notices/{first_id}/read"), Some(&unit), None)
            .await
            .status,
        204
    );
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(home.body["counts"]["notices_unread"], 2);
    assert_eq!(titles(&home.body)[2], ("年度换证安排".into(), true));
    let theirs = app.call("GET", "/api/v1/unit/home", Some(&other), None).await;
    assert_eq!(theirs.body["counts"]["notices_unread"], 3);

    // Edited, it keeps its place and its read state; withdrawn, it leaves every home but the admin's list.
    let edited = app
        .call(
            "PUT",
            &format!("/api/v1/admin/notices/{first_id}"),
            Some(&admin),
            Some(json!({"title": "年度换证安排（更新）", "body": "请于12月31日前完成换证。"})),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    let withdrawn = app
        .call("DELETE", &format!("/api/v1/admin/notices/{newest_id}"), Some(&admin), None)
        .await;
    assert_eq!(withdrawn.status, 204);
    let again = app
        .call("DELETE", &format!("/api/v1/admin/notices/{newest_id}"), Some(&admin), None)
        .await;
    assert_eq!((again.status, again.body["code"].as_str()), (409, Some("notice_withdrawn")));
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    assert_eq!(
        titles(&home.body),
        [("系统维护通知".into(), false), ("年度换证安排（更新）".into(), true)]
    );
    let read_withdrawn = app
        .call("POST", &format!("/api/v1/notices/{newest_id}/read"), Some(&unit), None)
        .await;
    assert_eq!(read_withdrawn.status, 404);
    let list = app.call("GET", "/api/v1/admin/notices", Some(&admin), None).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(3));
    assert!(list.body["items"][0]["withdrawn_at"].is_string(), "{:?}", list.body["items"][0]);
}

#[tokio::test]
async fn f06_a_notice_refuses_bad_fields_stores_nothing_and_keeps_markup_as_text() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", crate::publicity::UNIT_A).await;
    let admin = crate::publicity::admin(&app).await;
    for (body, fields) in [
        (json!({}), vec!["title", "body"]),
        (json!({"title": "题".repeat(61), "body": "正文"}), vec!["title"]),
        (json!({"title": "通知", "body": "长".repeat(5001)}), vec!["body"]),
    ] {
        let refused = publish(&app, &admin, body.clone()).await;
        assert_eq!(
            (refused.status, refused.error_fields()),
            (422, fields.iter().map(|f| (*f).to_owned()).collect()),
            "{body}"
        );
    }
    assert_eq!(
        app.call("GET", "/api/v1/admin/notices", Some(&admin), None).await.body["items"],
        json!([])
    );
    // Only the association admin publishes; a reviewer or a unit may not.
    let reviewer = app.reviewer().await;
    let body = json!({"title": "通知", "body": "正文"});
    assert_eq!(publish(&app, &reviewer, body.clone()).await.status, 403);
    assert_eq!(publish(&app, &unit, body).await.status, 403);

    let hostile = publish(
        &app,
        &admin,
        json!({"title": "<img src=x onerror=alert(1)>", "body": "<script>alert(1)</script> [点我](javascript:alert(1))"}),
    )
    .await;
    assert_eq!(hostile.status, 201);
    let home = app.call("GET", "/api/v1/unit/home", Some(&unit), None).await;
    let notice = &home.body["notices"][0];
    assert_eq!(notice["title"], "<img src=x onerror=alert(1)>", "a title is text");
    assert_eq!(
        notice["blocks"],
        json!([{"kind": "paragraph", "runs": [{"text": "<script>alert(1)</script> [点我](javascript:alert(1))"}]}]),
        "markup stays text, an unsafe link is no link"
    );
}

//! F3: login, lockout, sessions.

use gongshi_tests::{SEED_PASSWORD, spawn_app, submitted};
use serde_json::json;

fn credentials(username: &str, password: &str, user_type: &str) -> serde_json::Value {
    json!({"username": username, "password": password, "user_type": user_type})
}

#[tokio::test]
async fn f03_wrong_password_is_401_and_five_in_a_row_lock_the_account() {
    let app = spawn_app().await;
    for attempt in 1..=4 {
        let reply = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(credentials("reviewer", "Wrong-pass1", "association")),
            )
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].as_str()),
            (401, Some("invalid_credentials")),
            "attempt {attempt}"
        );
    }
    let fifth = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", "Wrong-pass1", "association")),
        )
        .await;
    assert_eq!((fifth.status, fifth.body["code"].as_str()), (429, Some("account_locked")));
    assert_eq!(fifth.headers["retry-after"], "900");
    let right_but_locked = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "association")),
        )
        .await;
    assert_eq!(right_but_locked.status, 429, "the right password does not open a locked account");
    app.clock.advance(time::Duration::minutes(15) + time::Duration::seconds(1));
    let after = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "association")),
        )
        .await;
    assert_eq!(after.status, 200);
}

#[tokio::test]
async fn f03_unknown_user_wrong_type_and_wrong_password_look_the_same() {
    let app = spawn_app().await;
    let unknown = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("nobody", "Whatever123", "unit")),
        )
        .await;
    let wrong_type = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "unit")),
        )
        .await;
    let wrong_password = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", "Whatever123", "association")),
        )
        .await;
    for reply in [&unknown, &wrong_type, &wrong_password] {
        assert_eq!((reply.status, reply.body["detail"].as_str()), (401, Some("用户名或密码错误")));
    }
    let empty = app
        .call("POST", "/api/v1/auth/login", None, Some(credentials(" ", "", "unit")))
        .await;
    assert_eq!(
        (empty.status, empty.error_fields()),
        (422, vec!["username".to_owned(), "password".to_owned()])
    );
    let bad_type = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "robot")),
        )
        .await;
    assert_eq!((bad_type.status, bad_type.error_fields()), (422, vec!["user_type".to_owned()]));
}

#[tokio::test]
async fn f03_submitted_registration_cannot_log_in_until_approved() {
    let app = spawn_app().await;
    submitted(&app, "xmtjy", "91350100M000100Y43").await;
    let reply = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("xmtjy", "Gongshi2026", "unit")),
        )
        .await;
    assert_eq!((reply.status, reply.body["code"].as_str()), (403, Some("registration_pending")));
}

#[tokio::test]
async fn f03_refresh_rotates_and_a_reused_refresh_token_ends_the_session() {
    let app = spawn_app().await;
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "association")),
        )
        .await;
    let first = login.body["refresh_token"].as_str().expect("refresh").to_owned();
    let rotated = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": first})))
        .await;
    assert_eq!(rotated.status, 200);
    let second = rotated.body["refresh_token"].as_str().expect("refresh").to_owned();
    assert_ne!(first, second);
    let reused = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": first})))
        .await;
    assert_eq!(reused.status, 401, "an old refresh token is refused");
    let after_reuse = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": second})))
        .await;
    assert_eq!(after_reuse.status, 401, "reuse ended the whole session");
    let garbage = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": "nodot"})))
        .await;
    assert_eq!((garbage.status, garbage.error_fields()), (422, vec!["refresh_token".to_owned()]));
}

#[tokio::test]
async fn f03_logout_ends_the_session_and_access_tokens_expire() {
    let app = spawn_app().await;
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "association")),
        )
        .await;
    let refresh = login.body["refresh_token"].as_str().expect("refresh").to_owned();
    let access = login.body["access_token"].as_str().expect("access").to_owned();
    assert_eq!(app.call("GET", "/api/v1/me", Some(&access), None).await.status, 200);
    assert_eq!(
        app.call("POST", "/api/v1/auth/logout", None, Some(json!({"refresh_token": refresh})))
            .await
            .status,
        204
    );
    assert_eq!(
        app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})))
            .await
            .status,
        401
    );
    app.clock.advance(time::Duration::minutes(16));
    let expired = app.call("GET", "/api/v1/me", Some(&access), None).await;
    assert_eq!((expired.status, expired.body["code"].as_str()), (401, Some("token_expired")));
    let forged = app
        .call("GET", "/api/v1/me", Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."), None)
        .await;
    assert_eq!((forged.status, forged.body["code"].as_str()), (401, Some("invalid_token")));
}

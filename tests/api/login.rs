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

/// Forges a token with the given claims and HMAC key.
fn forge(claims: serde_json::Value, key: &[u8]) -> String {
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(key)).expect("encode")
}

#[tokio::test]
async fn f03_tokens_unsigned_with_a_wrong_key_audience_or_tampered_claims_are_refused() {
    use base64::Engine;
    let app = spawn_app().await;
    let token = app.login("reviewer", SEED_PASSWORD, "association").await;
    let now = time::macros::datetime!(2026-11-26 09:00 UTC).unix_timestamp(); // the fake clock's start
    let claims = json!({"sub": "admin", "aud": "gongshi-api", "iss": "gongshi", "iat": now, "exp": now + 900, "ver": 1});
    let wrong_key = forge(claims.clone(), b"not-the-server-secret-not-the-server-secret");
    let reply = app.call("GET", "/api/v1/me", Some(&wrong_key), None).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (401, Some("invalid_token")),
        "wrong key"
    );

    // The real key, taken from the local data directory, with a wrong audience.
    let secrets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app.dir.path().join("secrets.json")).expect("secrets")).expect("json");
    let key = secrets["jwt"].as_str().expect("jwt").as_bytes().to_vec();
    let mut other_audience = claims.clone();
    other_audience["aud"] = json!("another-api");
    let reply = app.call("GET", "/api/v1/me", Some(&forge(other_audience, &key)), None).await;
    assert_eq!(reply.status, 401, "wrong audience");
    let mut stale_version = claims.clone();
    stale_version["ver"] = json!(0);
    let reply = app.call("GET", "/api/v1/me", Some(&forge(stale_version, &key)), None).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (401, Some("token_revoked")),
        "a token version that was bumped"
    );
    let mut expired = claims.clone();
    expired["exp"] = json!(now - 1);
    let reply = app.call("GET", "/api/v1/me", Some(&forge(expired, &key)), None).await;
    assert_eq!((reply.status, reply.body["code"].as_str()), (401, Some("token_expired")));

    // Tampering with the payload of a genuine token breaks its signature.
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    payload["sub"] = json!("admin");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    // An unsigned token (alg "none") with the same claims.
    let unsigned = format!(
        "{}.{}.",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let reply = app.call("GET", "/api/v1/me", Some(&unsigned), None).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (401, Some("invalid_token")),
        "alg none"
    );
    let reply = app.call("GET", "/api/v1/me", Some(&tampered), None).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (401, Some("invalid_token")),
        "tampered claims"
    );
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&token), None).await.status,
        200,
        "the genuine token still works"
    );
}

/// A reviewer's login: (access token, refresh token).
async fn session(app: &gongshi_tests::TestApp) -> (String, String) {
    let login = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials("reviewer", SEED_PASSWORD, "association")),
        )
        .await;
    (
        login.body["access_token"].as_str().expect("access").to_owned(),
        login.body["refresh_token"].as_str().expect("refresh").to_owned(),
    )
}

#[tokio::test]
async fn f03_logout_and_a_reused_refresh_token_end_the_sessions_access_tokens_at_once() {
    let app = spawn_app().await;
    let (ended, ended_refresh) = session(&app).await;
    let (other, _) = session(&app).await;
    let out = app
        .call("POST", "/api/v1/auth/logout", None, Some(json!({"refresh_token": ended_refresh})))
        .await;
    assert_eq!(out.status, 204);
    let after = app.call("GET", "/api/v1/me", Some(&ended), None).await;
    assert_eq!(
        (after.status, after.body["code"].as_str()),
        (401, Some("token_revoked")),
        "the logged-out session's access token stops at once, not after 15 minutes"
    );
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&other), None).await.status,
        200,
        "another session of the account goes on"
    );
    // A stolen refresh token used after its owner refreshed ends the session and its tokens.
    let (access, refresh) = session(&app).await;
    let rotated = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})))
        .await;
    assert_eq!(rotated.status, 200, "{:?}", rotated.body);
    let fresh = rotated.body["access_token"].as_str().expect("access").to_owned();
    let reused = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})))
        .await;
    assert_eq!(reused.status, 401);
    for token in [&access, &fresh] {
        assert_eq!(app.call("GET", "/api/v1/me", Some(token), None).await.status, 401);
    }
}

#[tokio::test]
async fn f03_an_unknown_username_answers_like_an_existing_one_and_one_address_is_limited() {
    let app = spawn_app().await;
    let attempt = |username: &'static str| {
        app.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(credentials(username, "Wrong-pass-1", "association")),
        )
    };
    let mut existing = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..6 {
        let reply = attempt("reviewer").await;
        existing.push((
            reply.status,
            reply.body["code"].as_str().map(str::to_owned),
            reply.body["detail"].clone(),
        ));
        let reply = attempt("nobody-here").await;
        unknown.push((
            reply.status,
            reply.body["code"].as_str().map(str::to_owned),
            reply.body["detail"].clone(),
        ));
    }
    assert_eq!(existing, unknown, "an unknown name cannot be told from an existing one");
    assert_eq!(existing[4].0, 429, "the fifth wrong password locks: {existing:?}");
    // Many names from one address: the address is limited too (50 wrong logins a day).
    let mut last = 0;
    for n in 0..60 {
        let reply = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(credentials(&format!("guess{n}"), "Wrong-pass-1", "unit")),
            )
            .await;
        last = reply.status;
        if reply.status == 429 {
            assert_eq!(reply.body["code"], "rate_limited", "{:?}", reply.body);
            assert!(reply.headers.contains_key("retry-after"));
            break;
        }
    }
    assert_eq!(last, 429, "60 names from one address reach the address limit");
}

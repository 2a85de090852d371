//! The authorisation matrix: every route of template.yaml × every kind of caller. Each route
//! has an access class; a route missing from the table fails the test, so a new route must
//! say who may call it. Allowed callers get past the gate (neither 401 nor 403); others get
//! 403 (or 404 for someone else's object); expired tokens and those of an account whose
//! password was reset or that was disabled get 401 everywhere but the public routes.

use gongshi_local::template::{TEMPLATE, routes};
use gongshi_tests::{TestApp, approved_unit, basic, spawn_app, unit_staff};
use serde_json::json;
use time::Duration;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, no token.
    Public,
    /// Any valid token (registrants, units, the association).
    Anyone,
    /// A registrant working on their draft.
    Registrant,
    /// A registrant or a unit user (uploads).
    Uploader,
    /// Unit admin and unit staff.
    Unit,
    /// Unit admin only.
    UnitAdmin,
    /// Reviewers and the association admin.
    Reviewer,
    /// The association admin only.
    AssociationAdmin,
}

use Access::*;

const MATRIX: &[(&str, Access)] = &[
    ("GET /api/v1/health", Public),
    ("GET /api/v1/health/ready", Public),
    ("POST /api/v1/auth/login", Public),
    ("POST /api/v1/auth/refresh", Public),
    ("POST /api/v1/auth/logout", Public),
    ("GET /api/v1/me", Anyone),
    ("PUT /api/v1/auth/password", Anyone),
    ("POST /api/v1/registrations", Public),
    ("GET /api/v1/registrations/{id}", Registrant),
    ("PUT /api/v1/registrations/{id}/basic", Registrant),
    ("PUT /api/v1/registrations/{id}/licence", Registrant),
    ("PUT /api/v1/registrations/{id}/qualification", Registrant),
    ("PUT /api/v1/registrations/{id}/contact", Registrant),
    ("POST /api/v1/registrations/{id}/submit", Registrant),
    ("GET /api/v1/review/registrations", Reviewer),
    ("GET /api/v1/review/registrations/{id}", Reviewer),
    ("POST /api/v1/review/registrations/{id}/decision", Reviewer),
    ("POST /api/v1/uploads", Uploader),
    ("POST /api/v1/uploads/{id}/complete", Uploader),
    ("POST /api/v1/password-recovery/code", Public),
    ("POST /api/v1/password-recovery/reset", Public),
    ("GET /api/v1/unit", Unit),
    ("GET /api/v1/unit/accounts", UnitAdmin),
    ("POST /api/v1/unit/accounts", UnitAdmin),
    ("PUT /api/v1/unit/accounts/{username}/status", UnitAdmin),
    ("PUT /api/v1/unit/accounts/{username}/password", UnitAdmin),
    ("POST /api/v1/admin/legacy-accounts/import", AssociationAdmin),
    ("GET /api/v1/unit/qualifications", Unit),
    ("POST /api/v1/unit/qualifications", UnitAdmin),
    ("PUT /api/v1/unit/qualifications/{id}", UnitAdmin),
    ("POST /api/v1/unit/change-requests", UnitAdmin),
    ("GET /api/v1/unit/change-requests", UnitAdmin),
    ("GET /api/v1/review/change-requests", Reviewer),
    ("GET /api/v1/review/change-requests/{id}", Reviewer),
    ("POST /api/v1/review/change-requests/{id}/decision", Reviewer),
    ("GET /api/v1/unit/home", Unit),
    ("GET /api/v1/unit/branches", UnitAdmin),
    ("POST /api/v1/unit/branches", UnitAdmin),
    ("PUT /api/v1/unit/branches/{id}/status", UnitAdmin),
    ("POST /api/v1/appeals", Public),
    ("GET /api/v1/appeals/{id}", Public),
    ("POST /api/v1/appeals/{id}/code", Public),
    ("POST /api/v1/appeals/{id}/uploads", Public),
    ("POST /api/v1/appeals/{id}/uploads/{upload_id}/complete", Public),
    ("POST /api/v1/appeals/{id}/submit", Public),
    ("GET /api/v1/review/appeals", Reviewer),
    ("GET /api/v1/review/appeals/{id}", Reviewer),
    ("POST /api/v1/review/appeals/{id}/decision", Reviewer),
    ("GET /api/v1/admin/calendar", AssociationAdmin),
    ("PUT /api/v1/admin/calendar", AssociationAdmin),
    ("POST /api/v1/admin/practitioners/import", AssociationAdmin),
    ("POST /api/v1/admin/practitioners/import/check", AssociationAdmin),
    ("GET /api/v1/admin/legacy-accounts/template", AssociationAdmin),
    ("GET /api/v1/admin/practitioners/template", AssociationAdmin),
    ("POST /api/v1/practitioners/mobile/code", Public),
    ("POST /api/v1/practitioners/mobile", Public),
    ("GET /api/v1/unit/practitioners/search", Unit),
    ("GET /api/v1/unit/practitioners", Unit),
    ("GET /api/v1/unit/renewals", Unit),
    ("POST /api/v1/unit/applications", Unit),
    ("GET /api/v1/unit/applications", Unit),
    ("GET /api/v1/unit/applications/{id}", Unit),
    ("POST /api/v1/unit/applications/{id}/withdraw", Unit),
    ("GET /api/v1/unit/applications/{id}/form", Unit),
    ("POST /api/v1/unit/applications/{id}/scan", Unit),
    ("POST /api/v1/unit/applications/{id}/confirmation-code", Unit),
    ("POST /api/v1/confirmations", Public),
    ("POST /api/v1/confirmations/preview", Public),
    ("GET /api/v1/registry/items", Public),
    ("POST /api/v1/public/verifications", Public),
    ("GET /api/v1/review/applications", Reviewer),
    ("GET /api/v1/review/applications/{id}", Reviewer),
    ("POST /api/v1/review/applications/{id}/decision", Reviewer),
    ("POST /api/v1/review/applications/{id}/return", Reviewer),
    ("POST /api/v1/review/applications/{id}/claim", Reviewer),
    ("DELETE /api/v1/review/applications/{id}/claim", Reviewer),
    ("GET /api/v1/unit/appends", Unit),
    ("POST /api/v1/unit/appends", Unit),
    ("GET /api/v1/clauses", Anyone),
    ("PUT /api/v1/admin/clauses", AssociationAdmin),
    ("GET /api/v1/admin/notices", AssociationAdmin),
    ("POST /api/v1/admin/notices", AssociationAdmin),
    ("PUT /api/v1/admin/notices/{id}", AssociationAdmin),
    ("DELETE /api/v1/admin/notices/{id}", AssociationAdmin),
    ("POST /api/v1/notices/{id}/read", Unit),
    ("GET /api/v1/public/applications", Public),
    ("GET /api/v1/public/practitioners", Public),
    ("POST /api/v1/unit/cancellations", Unit),
    ("GET /api/v1/unit/publicities", Unit),
];

/// The kinds of caller with a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Registrant,
    UnitAdmin,
    UnitStaff,
    BranchStaff,
    OtherUnitAdmin,
    Reviewer,
    AssociationAdmin,
}

fn allowed(access: Access, caller: Caller) -> bool {
    match access {
        Public | Anyone => true,
        Registrant => caller == Caller::Registrant,
        Uploader => matches!(
            caller,
            Caller::Registrant | Caller::UnitAdmin | Caller::UnitStaff | Caller::BranchStaff | Caller::OtherUnitAdmin
        ),
        Unit => matches!(
            caller,
            Caller::UnitAdmin | Caller::UnitStaff | Caller::BranchStaff | Caller::OtherUnitAdmin
        ),
        UnitAdmin => matches!(caller, Caller::UnitAdmin | Caller::OtherUnitAdmin),
        Reviewer => matches!(caller, Caller::Reviewer | Caller::AssociationAdmin),
        AssociationAdmin => caller == Caller::AssociationAdmin,
    }
}

fn path_of(path: &str) -> String {
    path.replace("{id}", "01J0000000000000000000000")
        .replace("{username}", "someone")
        .replace("{upload_id}", "01J0000000000000000000001")
}

async fn tokens(app: &TestApp) -> Vec<(Caller, String)> {
    let admin = approved_unit(app, "xmtjy", "91350100M000100Y43").await;
    let other = approved_unit(app, "xmjyy", "91350200776049653A").await;
    let staff = unit_staff(app, &admin, "xm_staff", None).await;
    let branch = app
        .call("POST", "/api/v1/unit/branches", Some(&admin), Some(crate::branches::branch()))
        .await;
    assert_eq!(branch.status, 201, "{:?}", branch.body);
    let branch_staff = unit_staff(app, &admin, "xa_staff", branch.body["id"].as_str()).await;
    let draft = app
        .call("POST", "/api/v1/registrations", None, Some(basic("newunit", "913502000728319549")))
        .await;
    let registrant = draft.body["session"]["access_token"].as_str().expect("token").to_owned();
    vec![
        (Caller::Registrant, registrant),
        (Caller::UnitAdmin, admin),
        (Caller::UnitStaff, staff),
        (Caller::BranchStaff, branch_staff),
        (Caller::OtherUnitAdmin, other),
        (Caller::Reviewer, app.reviewer().await),
        (
            Caller::AssociationAdmin,
            app.login("admin", gongshi_tests::SEED_PASSWORD, "association").await,
        ),
    ]
}

#[tokio::test]
async fn every_route_lets_in_exactly_its_callers() {
    let app = spawn_app().await;
    let routes = routes(TEMPLATE).expect("template parses");
    for route in &routes {
        assert!(
            MATRIX.iter().any(|(key, _)| *key == route.key()),
            "{} is missing from the authorisation matrix",
            route.key()
        );
    }
    let callers = tokens(&app).await;
    let mut checked = 0;
    for (key, access) in MATRIX {
        let route = routes
            .iter()
            .find(|r| r.key() == *key)
            .unwrap_or_else(|| panic!("{key} is no longer a route"));
        let path = path_of(&route.path);
        for (caller, token) in &callers {
            let body = (route.method != "GET").then(|| json!({}));
            let reply = app.call(&route.method, &path, Some(token), body).await;
            if allowed(*access, *caller) {
                assert!(
                    reply.status != 401 && reply.status != 403,
                    "{key} refused {caller:?}: {} {:?}",
                    reply.status,
                    reply.body
                );
            } else if *access != Public {
                // Someone else's object may also answer 404: its existence is not revealed.
                let hidden = route.path.contains('{') && reply.status == 404;
                assert!(
                    reply.status == 403 || hidden,
                    "{key} let {caller:?} in: {} {:?}",
                    reply.status,
                    reply.body
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, MATRIX.len() * 7);
}

#[tokio::test]
async fn expired_and_revoked_tokens_are_refused_on_every_non_public_route() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", "91350100M000100Y43").await;
    let staff = unit_staff(&app, &admin, "xm_staff", None).await;
    // The admin resets the staff password: the staff's tokens are revoked at once.
    let reset = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff/password",
            Some(&admin),
            Some(json!({"new_password": "Changed2026b"})),
        )
        .await;
    assert!(reset.status < 300, "{:?}", reset.body);
    refused_everywhere(&app, &staff, "token_revoked").await;
    // The admin disables another account: its tokens are refused at once too.
    let second = unit_staff(&app, &admin, "xm_staff2", None).await;
    let disabled = app
        .call(
            "PUT",
            "/api/v1/unit/accounts/xm_staff2/status",
            Some(&admin),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(disabled.status, 200, "{:?}", disabled.body);
    refused_everywhere(&app, &second, "token_revoked").await;
    app.clock.advance(Duration::minutes(16));
    refused_everywhere(&app, &admin, "token_expired").await;
}

/// Every non-public route answers 401 with `code` to `token`.
async fn refused_everywhere(app: &TestApp, token: &str, code: &str) {
    let routes = routes(TEMPLATE).expect("template parses");
    for (key, access) in MATRIX.iter().filter(|(_, a)| *a != Public) {
        let route = routes.iter().find(|r| r.key() == *key).expect("route");
        let reply = app.call(&route.method, &path_of(&route.path), Some(token), Some(json!({}))).await;
        assert_eq!((reply.status, reply.body["code"].as_str()), (401, Some(code)), "{key} ({access:?})");
    }
}

/// The anonymous routes (what a caller reaches without an account: drafts, appeals, codes,
/// logins, public lookups) are throttled at the tighter public limits, the rest at the
/// stage's (template.yaml, docs/OPERATIONS.md), and every throttled route is a real route.
#[test]
fn every_anonymous_route_is_throttled_at_the_public_limits() {
    let template: serde_yaml::Value = serde_yaml::from_str(
        &gongshi_local::template::TEMPLATE
            .replace("!Ref ", "")
            .replace("!Sub ", "")
            .replace("!GetAtt ", ""),
    )
    .expect("template parses");
    let api = &template["Resources"]["HttpApi"]["Properties"];
    assert_eq!(api["DefaultRouteSettings"]["ThrottlingBurstLimit"].as_str(), Some("ApiBurstLimit"));
    assert_eq!(api["DefaultRouteSettings"]["ThrottlingRateLimit"].as_str(), Some("ApiRateLimit"));
    let settings = api["RouteSettings"].as_mapping().expect("route settings");
    let routes = gongshi_local::template::routes(gongshi_local::template::TEMPLATE).expect("routes");
    for (key, limits) in settings {
        let key = key.as_str().expect("a route key");
        assert!(routes.iter().any(|r| r.key() == key), "{key} is not a route of template.yaml");
        assert_eq!(limits["ThrottlingBurstLimit"].as_str(), Some("PublicBurstLimit"), "{key}");
        assert_eq!(limits["ThrottlingRateLimit"].as_str(), Some("PublicRateLimit"), "{key}");
    }
    for (key, _) in MATRIX.iter().filter(|(_, a)| *a == Public) {
        assert!(
            settings.contains_key(*key),
            "{key} is anonymous but not throttled at the public limits"
        );
    }
}

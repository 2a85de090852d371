//! Faults: the table fails at the k-th call of a step, for every k the step reaches. After
//! each failure the invariants hold — no lock without its open application, no counting-down
//! application without its deadline marker, no publicity without its approved application;
//! a registration's state, audit trail and account agree — and the same step, retried,
//! completes. Steps covered: submission, signed scan, confirmation, approval; cancellation
//! request and its withdrawal; registration submission and its approval.

use crate::publicity::{UNIT_A, ready_person};
use async_trait::async_trait;
use gongshi_core::IdNumber;
use gongshi_core::practice::ApplicationState;
use gongshi_platform::{Condition, Cursor, Item, Key, Page, Query, Table, TableError, Write};
use gongshi_store::{applications, practitioners};
use gongshi_tests::{Reply, TestApp, approved_unit, complete_draft, latest_code, png, spawn_app};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use time::macros::date;

/// A table that fails its `fail_at`-th call (counting from 1; 0 = never) as unavailable
/// (or, armed with [`Faulty::arm_invalid`], as a bug), or every write while `writes_fail`.
pub struct Faulty {
    inner: Arc<dyn Table>,
    calls: AtomicUsize,
    fail_at: AtomicUsize,
    invalid: AtomicBool,
    writes_fail: AtomicBool,
    failed_writes: AtomicUsize,
}

impl Faulty {
    fn tick(&self) -> Result<(), TableError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if call == self.fail_at.load(Ordering::SeqCst) {
            if self.invalid.load(Ordering::SeqCst) {
                return Err(TableError::Invalid("injected fault".into()));
            }
            return Err(TableError::Unavailable("injected fault".into()));
        }
        Ok(())
    }

    fn write(&self) -> Result<(), TableError> {
        self.tick()?;
        if self.writes_fail.load(Ordering::SeqCst) {
            self.failed_writes.fetch_add(1, Ordering::SeqCst);
            return Err(TableError::Unavailable("injected fault: writes throttled".into()));
        }
        Ok(())
    }

    /// Fails the `k`-th call from now as unavailable.
    pub fn arm(&self, k: usize) {
        self.calls.store(0, Ordering::SeqCst);
        self.invalid.store(false, Ordering::SeqCst);
        self.fail_at.store(k, Ordering::SeqCst);
    }

    /// Fails the `k`-th call from now as an invalid request (a bug).
    pub fn arm_invalid(&self, k: usize) {
        self.arm(k);
        self.invalid.store(true, Ordering::SeqCst);
    }

    /// Every write (put, delete, transaction) fails as unavailable while `on`; reads work.
    pub fn fail_writes(&self, on: bool) {
        self.failed_writes.store(0, Ordering::SeqCst);
        self.writes_fail.store(on, Ordering::SeqCst);
    }

    /// Writes refused since [`Faulty::fail_writes`] was turned on.
    pub fn failed_writes(&self) -> usize {
        self.failed_writes.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Table for Faulty {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.tick()?;
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError> {
        self.write()?;
        self.inner.put(item, condition).await
    }
    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError> {
        self.write()?;
        self.inner.delete(key, condition).await
    }
    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.tick()?;
        self.inner.query(query).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.write()?;
        self.inner.transact(writes).await
    }
    async fn scan(&self, sk: &str, after: Option<&Cursor>, limit: usize) -> Result<Page, TableError> {
        self.tick()?;
        self.inner.scan(sk, after, limit).await
    }
    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError> {
        self.tick()?;
        self.inner.get_many(keys).await
    }
}

/// The same system with the faulty table in front of its storage.
pub fn faulty(app: &TestApp) -> (TestApp, Arc<Faulty>) {
    let table = Arc::new(Faulty {
        inner: Arc::clone(&app.gateway.platform.table),
        calls: AtomicUsize::new(0),
        fail_at: AtomicUsize::new(0),
        invalid: AtomicBool::new(false),
        writes_fail: AtomicBool::new(false),
        failed_writes: AtomicUsize::new(0),
    });
    let faulty = app.with(|platform| platform.table = table.clone());
    (faulty, table)
}

/// The invariants, read through the healthy table.
async fn invariants_hold(app: &TestApp, id: &str, application: Option<&str>) {
    let table = app.gateway.platform.table.as_ref();
    let person = practitioners::person(table, &IdNumber::parse(id, date!(2026 - 11 - 26)).expect("id"))
        .await
        .expect("person");
    if let Some(lock) = &person.open {
        let held = applications::get(table, &lock.application_id)
            .await
            .expect("read")
            .expect("no lock without its application");
        assert!(held.state.is_open(), "the lock's application is open: {:?}", held.state);
    }
    if let Some(record) = &person.publicity {
        let issuer = applications::get(table, &record.publicity.application_id)
            .await
            .expect("read")
            .expect("no publicity without its application");
        assert_eq!(issuer.state, ApplicationState::Approved, "no publicity without its approval");
    }
    if let Some(app_id) = application {
        let stored = applications::get(table, app_id).await.expect("read").expect("application");
        let marker = table.get(&Key::new(format!("APP#{app_id}"), "DEADLINE")).await.expect("read");
        assert_eq!(
            stored.state.counts_down(),
            marker.is_some(),
            "the deadline marker follows the state ({:?})",
            stored.state
        );
        assert_eq!(
            stored.state.is_open(),
            person.open.as_ref().is_some_and(|l| l.application_id == app_id),
            "an open application holds the person"
        );
    }
}

/// Runs `step` with a fault at call 1, 2, … until it completes without reaching the fault;
/// after each fault the person's invariants hold. Returns the completed reply and how many
/// faults were injected.
async fn through_every_fault<F, Fut>(faulty: &TestApp, table: &Faulty, id: &str, application: Option<&str>, step: F) -> (Reply, usize)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Reply>,
{
    through_faults(table, step, async || invariants_hold(faulty, id, application).await).await
}

/// Runs `step` with a fault at call 1, 2, … until it completes without reaching the fault;
/// `holds` checks the invariants after each fault. Returns the completed reply and how many
/// faults were injected.
async fn through_faults<F, Fut>(table: &Faulty, step: F, holds: impl AsyncFn()) -> (Reply, usize)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Reply>,
{
    for k in 1.. {
        table.arm(k);
        let reply = step().await;
        let reached = table.calls.load(Ordering::SeqCst) >= k;
        table.arm(0);
        if !reached {
            assert!(
                reply.status < 300,
                "without a fault the step completes: {} {:?}",
                reply.status,
                reply.body
            );
            return (reply, k - 1);
        }
        assert!(
            reply.status < 300 || reply.status == 503,
            "an unavailable table answers 503 (or, after the commit, the step's answer): {} {:?}",
            reply.status,
            reply.body
        );
        if reply.status == 503 {
            assert_eq!(reply.body["code"], "service_unavailable", "{:?}", reply.body);
            assert!(reply.headers.contains_key("retry-after"), "503 says when to retry");
        }
        holds().await;
        if reply.status < 300 {
            // The fault hit a best-effort read after the commit (e.g. for a notification).
            return (reply, k);
        }
    }
    unreachable!()
}

#[tokio::test]
async fn f23_a_failing_table_at_any_call_leaves_nothing_half_done_and_a_retry_completes() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let (faulty_app, table) = faulty(&app);
    let body = json!({"id_number": id, "name": "王五", "kind": "initial", "clause_version": 1, "clauses_confirmed": true});

    let (submitted, faults) = through_every_fault(&faulty_app, &table, &id, None, || {
        faulty_app.call("POST", "/api/v1/unit/applications", Some(&unit), Some(body.clone()))
    })
    .await;
    assert!(faults >= 3, "submission reads and writes several times: {faults}");
    let app_id = submitted.body["id"].as_str().expect("id").to_owned();
    let mut injected = faults;

    let upload = app.upload(&unit, "signed_form", "申请表.png", "image/png", png()).await;
    let scan_path = format!("/api/v1/unit/applications/{app_id}/scan");
    // Each attempt that got as far as sending counted against the one-a-minute SMS limit: the
    // unit retries a minute later, as the 429 tells it to.
    let (scanned, faults) = through_every_fault(&faulty_app, &table, &id, Some(&app_id), || async {
        app.clock.advance(time::Duration::seconds(61));
        let fresh = app.login("xmtjy", "Gongshi2026", "unit").await;
        faulty_app
            .call("POST", &scan_path, Some(&fresh), Some(json!({"upload_id": upload})))
            .await
    })
    .await;
    assert_eq!(scanned.body["state"], "awaiting_confirmation");
    injected += faults;

    let code = latest_code(&app, "13900000001");
    let (confirmed, faults) = through_every_fault(&faulty_app, &table, &id, Some(&app_id), || {
        faulty_app.call("POST", "/api/v1/confirmations", None, Some(json!({"id_number": id, "code": code})))
    })
    .await;
    assert_eq!(confirmed.body["state"], "under_review");
    injected += faults;

    let reviewer = app.reviewer().await;
    let decision_path = format!("/api/v1/review/applications/{app_id}/decision");
    let (decided, faults) = through_every_fault(&faulty_app, &table, &id, Some(&app_id), || {
        faulty_app.call("POST", &decision_path, Some(&reviewer), Some(json!({"outcome": "approve"})))
    })
    .await;
    assert_eq!(decided.body["application"]["state"], "approved");
    injected += faults;
    invariants_hold(&app, &id, Some(&app_id)).await;
    let unit = app.login("xmtjy", "Gongshi2026", "unit").await;
    let publicity: Value = app.call("GET", "/api/v1/unit/practitioners", Some(&unit), None).await.body;
    assert_eq!(publicity["items"].as_array().expect("items").len(), 1, "one publicity in the end");
    println!("faults injected over the four steps: {injected}");
    assert!(injected >= 12, "faults injected over the four steps: {injected}");
}

#[tokio::test]
async fn f18_a_cancellation_and_its_withdrawal_under_faults_leave_nothing_half_done() {
    let app = spawn_app().await;
    let (unit, id, certificate) = crate::certificates::published(&app).await;
    let (faulty_app, table) = faulty(&app);
    let (requested, mut injected) = through_every_fault(&faulty_app, &table, &id, None, || {
        crate::certificates::request_cancellation(&faulty_app, &unit, &certificate)
    })
    .await;
    assert_eq!(requested.body["kind"], "cancellation");
    let cancellation = requested.body["id"].as_str().expect("id").to_owned();
    invariants_hold(&app, &id, Some(&cancellation)).await;
    let withdraw = format!("/api/v1/unit/applications/{cancellation}/withdraw");
    let (withdrawn, faults) = through_every_fault(&faulty_app, &table, &id, Some(&cancellation), || {
        faulty_app.call("POST", &withdraw, Some(&unit), Some(json!({"reason": "误操作"})))
    })
    .await;
    injected += faults;
    assert_eq!(withdrawn.body["state"], "withdrawn");
    let person = practitioners::person(
        app.gateway.platform.table.as_ref(),
        &IdNumber::parse(&id, date!(2026 - 11 - 26)).expect("id"),
    )
    .await
    .expect("person");
    assert!(person.open.is_none(), "the withdrawn cancellation frees the person");
    assert!(person.publicity.is_some_and(|p| !p.publicity.cancelled), "the publicity stands");
    println!("faults injected over cancellation and withdrawal: {injected}");
    assert!(injected >= 4, "faults injected: {injected}");
}

#[tokio::test]
async fn f01_f21_registration_submission_and_approval_under_faults_take_effect_once() {
    let app = spawn_app().await;
    let (registration, registrant) = complete_draft(&app, "xmtjy", UNIT_A).await;
    let (faulty_app, table) = faulty(&app);
    let entity = gongshi_store::registrations::entity(&registration);
    // After any fault: the state and the audit trail agree, and nothing happened twice.
    let agree = async || {
        let store = app.gateway.platform.table.as_ref();
        let stored = gongshi_store::registrations::get(store, &registration)
            .await
            .expect("read")
            .expect("registration");
        let history = gongshi_store::audit::history(store, &entity).await.expect("history");
        let count = |action: &str| history.iter().filter(|e| e.action == action).count();
        let state = stored.state.as_str();
        assert_eq!(count("registration.submitted"), usize::from(state != "draft"), "{state}");
        assert_eq!(count("registration.approved"), usize::from(state == "approved"), "{state}");
        let account = gongshi_store::accounts::get(store, "xmtjy").await.expect("read").expect("account");
        assert_eq!(
            account.status == gongshi_core::account::AccountStatus::Active,
            state == "approved",
            "the account opens with the approval, not before"
        );
    };
    let submit = format!("/api/v1/registrations/{registration}/submit");
    let (submitted, mut injected) = through_faults(&table, || faulty_app.call("POST", &submit, Some(&registrant), None), agree).await;
    assert_eq!(submitted.body["state"], "submitted");
    let reviewer = app.reviewer().await;
    let decide = format!("/api/v1/review/registrations/{registration}/decision");
    let (approved, faults) = through_faults(
        &table,
        || faulty_app.call("POST", &decide, Some(&reviewer), Some(json!({"outcome": "approve"}))),
        agree,
    )
    .await;
    injected += faults;
    assert_eq!(approved.status, 200, "{:?}", approved.body);
    agree().await;
    assert!(app.login("xmtjy", "Gongshi2026", "unit").await.len() > 20, "the unit admin logs in");
    println!("faults injected over registration submission and approval: {injected}");
    assert!(injected >= 4, "faults injected: {injected}");
}

/// One write request of the 503 check: its method, path, token, headers and body.
struct WriteCase {
    name: &'static str,
    method: &'static str,
    path: String,
    token: Option<String>,
    body: Option<Value>,
    headers: Vec<(&'static str, String)>,
    csv: Option<String>,
}

impl WriteCase {
    fn new(name: &'static str, method: &'static str, path: impl Into<String>, token: Option<&str>, body: Option<Value>) -> Self {
        Self {
            name,
            method,
            path: path.into(),
            token: token.map(str::to_owned),
            body,
            headers: Vec::new(),
            csv: None,
        }
    }

    /// The same request with a header (an appeal's token).
    fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The same request with a CSV file as its body (the imports).
    fn with_csv(mut self, csv: String) -> Self {
        self.csv = Some(csv);
        self
    }

    async fn send(&self, app: &TestApp) -> Reply {
        let mut request = axum::http::Request::builder().method(self.method).uri(&self.path);
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        let body = match (&self.csv, &self.body) {
            (Some(csv), _) => {
                request = request.header("content-type", "text/csv");
                axum::body::Body::from(csv.clone())
            }
            (None, Some(json)) => {
                request = request.header("content-type", "application/json");
                axum::body::Body::from(json.to_string())
            }
            (None, None) => axum::body::Body::empty(),
        };
        app.send(request.body(body).expect("request")).await
    }
}

/// Each case in turn: with every write failing it answers 503 with `Retry-After`, reaches a
/// write and sends nothing; retried on a healthy table it takes effect.
async fn each_answers_503_then_takes_effect(app: &TestApp, faulty_app: &TestApp, table: &Faulty, cases: &[WriteCase]) {
    for case in cases {
        let sent = app.outbox().len();
        table.fail_writes(true);
        let refused = case.send(faulty_app).await;
        let tried = table.failed_writes();
        table.fail_writes(false);
        assert!(tried >= 1, "{}: the request reached a write", case.name);
        assert_eq!(refused.status, 503, "{}: {:?}", case.name, refused.body);
        assert_eq!(refused.body["code"], "service_unavailable", "{}", case.name);
        assert!(refused.headers.contains_key("retry-after"), "{}: says when to retry", case.name);
        assert_eq!(
            app.outbox().len(),
            sent,
            "{}: nothing sent for a request that did not happen",
            case.name
        );
        let done = case.send(app).await;
        assert!(
            done.status < 300,
            "{}: the retry takes effect: {} {:?}",
            case.name,
            done.status,
            done.body
        );
    }
}

/// Reads sent as POST because of their body: the preview's (an ID number and a code) must stay out of URLs and
/// logs: they write only a wrong code's spent try (`f14_the_practitioner_sees_what_they_are_asked_to_confirm_before_answering`).
const READS_BY_POST: [&str; 3] = [
    "POST /api/v1/confirmations/preview",
    // A file checked without importing it (#18): the answer is its error report, nothing is written.
    "POST /api/v1/admin/practitioners/import/check",
    // A roster verified (#18): its body is a file; it writes only the address's counter.
    "POST /api/v1/public/verifications",
];

/// The write routes of the OpenAPI document that no case reaches.
fn write_routes_missed(app: &TestApp, cases: &[&WriteCase]) -> Vec<String> {
    let document: Value = serde_json::from_str(app.gateway.openapi_json()).expect("the OpenAPI document");
    let mut missed = Vec::new();
    for (route, operations) in document["paths"].as_object().expect("paths") {
        let pattern: Vec<&str> = route.split('/').collect();
        for method in operations.as_object().expect("operations").keys() {
            if !["post", "put", "patch", "delete"].contains(&method.as_str())
                || READS_BY_POST.contains(&format!("{} {route}", method.to_uppercase()).as_str())
            {
                continue;
            }
            let reached = cases.iter().any(|case| {
                let path = case.path.split('?').next().unwrap_or_default();
                let parts: Vec<&str> = path.split('/').collect();
                case.method.eq_ignore_ascii_case(method)
                    && parts.len() == pattern.len()
                    && parts.iter().zip(&pattern).all(|(part, want)| want.starts_with('{') || part == want)
            });
            if !reached {
                missed.push(format!("{} {route}", method.to_uppercase()));
            }
        }
    }
    missed
}

#[tokio::test]
async fn f23_every_write_answers_503_while_the_table_is_unavailable_and_a_retry_takes_effect_once() {
    let app = spawn_app().await;
    let admin = approved_unit(&app, "xmtjy", UNIT_A).await;
    let reviewer = app.reviewer().await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let (registration, registrant) = complete_draft(&app, "hzjy", crate::publicity::UNIT_B).await;
    let proof = app
        .upload(&admin, "change_proof", "变更证明.pdf", "application/pdf", gongshi_tests::pdf())
        .await;
    let scan = app.upload(&admin, "qualification_scan", "许可证.png", "image/png", png()).await;
    let association_admin = crate::publicity::admin(&app).await;
    let other = crate::publicity::person(2);
    crate::publicity::import(
        &app,
        crate::publicity::rows(&other, "赵六", &[("GL-1", "锅炉定期检验", "2030-06-30")]),
    )
    .await;
    let session = |reply: Reply| reply.body["refresh_token"].as_str().expect("refresh token").to_owned();
    let login = json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"});
    let to_refresh = session(app.call("POST", "/api/v1/auth/login", None, Some(login.clone())).await);
    let to_end = session(app.call("POST", "/api/v1/auth/login", None, Some(login)).await);
    let third = crate::publicity::person(3);
    crate::publicity::import(
        &app,
        crate::publicity::rows(&third, "孙七", &[("GL-1", "锅炉定期检验", "2030-06-30")]),
    )
    .await;
    let who = json!({"id_number": third, "name": "孙七", "mobile": "13900000003"});
    let sent = app.call("POST", "/api/v1/practitioners/mobile/code", None, Some(who.clone())).await;
    assert_eq!(sent.status, 202, "{:?}", sent.body);
    let mut with_code = who;
    with_code["code"] = latest_code(&app, "13900000003").into();
    let cases = [
        WriteCase::new(
            "a registration draft",
            "POST",
            "/api/v1/registrations",
            None,
            Some(gongshi_tests::basic("newunit", "91350200MA2Y0J3P0W")),
        ),
        WriteCase::new(
            "a login's session",
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "xmtjy", "password": "Gongshi2026", "user_type": "unit"})),
        ),
        WriteCase::new(
            "a refresh token's rotation",
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": to_refresh})),
        ),
        WriteCase::new(
            "a logout",
            "POST",
            "/api/v1/auth/logout",
            None,
            Some(json!({"refresh_token": to_end})),
        ),
        WriteCase::new(
            "a registration step",
            "PUT",
            format!("/api/v1/registrations/{registration}/contact"),
            Some(&registrant),
            Some(gongshi_tests::contact()),
        ),
        WriteCase::new(
            "a mobile registration",
            "POST",
            "/api/v1/practitioners/mobile",
            None,
            Some(with_code),
        ),
        WriteCase::new(
            "a sub-account",
            "POST",
            "/api/v1/unit/accounts",
            Some(&admin),
            Some(json!({"username": "staff1", "display_name": "王五", "password": "Staff2026a", "role": "unit_staff"})),
        ),
        WriteCase::new(
            "an account's status",
            "PUT",
            "/api/v1/unit/accounts/staff1/status",
            Some(&admin),
            Some(json!({"enabled": false})),
        ),
        WriteCase::new(
            "an account's password",
            "PUT",
            "/api/v1/unit/accounts/staff1/password",
            Some(&admin),
            Some(json!({"new_password": "Staff2027b"})),
        ),
        WriteCase::new(
            "an upload",
            "POST",
            "/api/v1/uploads",
            Some(&admin),
            Some(json!({"purpose": "change_proof", "file_name": "证明.pdf", "content_type": "application/pdf", "size": 100})),
        ),
        WriteCase::new(
            "a change request",
            "POST",
            "/api/v1/unit/change-requests",
            Some(&admin),
            Some(json!({"postcode": "361001", "reason": "邮编调整", "proof_upload_ids": [proof]})),
        ),
        WriteCase::new(
            "a registration's submission",
            "POST",
            format!("/api/v1/registrations/{registration}/submit"),
            Some(&registrant),
            None,
        ),
        WriteCase::new(
            "a registration's approval",
            "POST",
            format!("/api/v1/review/registrations/{registration}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        ),
        WriteCase::new(
            "a mobile registration code",
            "POST",
            "/api/v1/practitioners/mobile/code",
            None,
            Some(json!({"id_number": other, "name": "赵六", "mobile": "13900000002"})),
        ),
        WriteCase::new(
            "the working-day calendar",
            "PUT",
            "/api/v1/admin/calendar",
            Some(&association_admin),
            Some(json!({"holidays": ["2026-11-30"], "makeup_workdays": ["2026-12-05"]})),
        ),
        WriteCase::new(
            "a notice",
            "POST",
            "/api/v1/admin/notices",
            Some(&association_admin),
            Some(json!({"title": "元旦放假通知", "body": "元旦放假一天，**1月2日**起正常受理。", "pinned": true})),
        ),
        WriteCase::new(
            "a branch",
            "POST",
            "/api/v1/unit/branches",
            Some(&admin),
            Some(crate::branches::branch()),
        ),
        WriteCase::new(
            "a qualification certificate",
            "POST",
            "/api/v1/unit/qualifications",
            Some(&admin),
            Some(
                json!({"kind": "licence", "certificate_no": "TS7310088-2027", "authority": "福建省市场监督管理局",
                "items": ["起重机械定期检验"], "valid_from": "2023-01-01", "valid_until": "2027-06-30", "scan_upload_id": scan}),
            ),
        ),
        WriteCase::new(
            "a password recovery code",
            "POST",
            "/api/v1/password-recovery/code",
            None,
            Some(json!({"username": "xmtjy", "uscc": UNIT_A, "mobile": "13800138000"})),
        ),
        WriteCase::new(
            "an account appeal",
            "POST",
            "/api/v1/appeals",
            None,
            Some(crate::appeals::appeal_form(UNIT_A, "13900139000")),
        ),
        WriteCase::new(
            "a publicity application",
            "POST",
            "/api/v1/unit/applications",
            Some(&admin),
            Some(json!({"id_number": id, "name": "王五", "kind": "initial", "clause_version": 1, "clauses_confirmed": true})),
        ),
    ];
    let (faulty_app, table) = faulty(&app);
    let submission = cases
        .iter()
        .position(|c| c.name == "a publicity application")
        .expect("the submission case");
    each_answers_503_then_takes_effect(&app, &faulty_app, &table, &cases).await;
    // The one application the retry made holds the person; a second is refused as a duplicate.
    let again = app
        .call("POST", "/api/v1/unit/applications", Some(&admin), cases[submission].body.clone())
        .await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    let recovery_code = latest_code(&app, "13800138000");

    // The second batch: the steps that need an earlier one (a scan, a confirmation, a review,
    // an appeal's documents, a published certificate) and the imports.
    let list = app.call("GET", "/api/v1/unit/applications", Some(&admin), None).await;
    let first = list.body["items"][0]["id"]
        .as_str()
        .expect("the application of the first batch")
        .to_owned();
    let signed = app.upload(&admin, "signed_form", "申请表.png", "image/png", png()).await;
    let mut people = Vec::new();
    for n in 4..=9 {
        people.push(ready_person(&app, n, "周八", &format!("1390000000{n}")).await);
    }
    let resend = crate::publicity::created(&app, &admin, &people[0], "周八", "initial").await;
    assert_eq!(crate::publicity::upload_scan(&app, &admin, &resend).await.status, 200);
    let to_confirm = crate::publicity::created(&app, &admin, &people[1], "周八", "initial").await;
    assert_eq!(crate::publicity::upload_scan(&app, &admin, &to_confirm).await.status, 200);
    let code = latest_code(&app, "13900000005");
    let to_decide = crate::publicity::created(&app, &admin, &people[2], "周八", "initial").await;
    assert_eq!(crate::publicity::upload_scan(&app, &admin, &to_decide).await.status, 200);
    let confirmed = crate::publicity::confirm(&app, &people[2], &latest_code(&app, "13900000006")).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let returned_person = ready_person(&app, 11, "周八", "13900000011").await;
    let to_return = crate::publicity::created(&app, &admin, &returned_person, "周八", "initial").await;
    assert_eq!(crate::publicity::upload_scan(&app, &admin, &to_return).await.status, 200);
    let confirmed = crate::publicity::confirm(&app, &returned_person, &latest_code(&app, "13900000011")).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let to_withdraw = crate::publicity::created(&app, &admin, &people[3], "周八", "initial").await;
    let appended = crate::publicity::created(&app, &admin, &people[4], "周八", "initial").await;
    let to_append = crate::publicity::approved(&app, &admin, &appended, &people[4], "13900000008").await;
    crate::publicity::import(
        &app,
        crate::publicity::rows(&people[4], "周八", &[("RQ-1", "压力容器定期检验", "2031-06-30")]),
    )
    .await;
    let cancelled = crate::publicity::created(&app, &admin, &people[5], "周八", "initial").await;
    let to_cancel = crate::publicity::approved(&app, &admin, &cancelled, &people[5], "13900000009").await;
    let unit_upload = app
        .call(
            "POST",
            "/api/v1/uploads",
            Some(&admin),
            Some(json!({"purpose": "change_proof", "file_name": "证明.pdf", "content_type": "application/pdf", "size": gongshi_tests::pdf().len()})),
        )
        .await;
    assert_eq!(unit_upload.status, 201, "{:?}", unit_upload.body);
    let put = app
        .put_presigned(
            unit_upload.body["url"].as_str().expect("url"),
            "application/pdf",
            gongshi_tests::pdf(),
        )
        .await;
    assert_eq!(put, 200);
    let unit_upload = unit_upload.body["upload_id"].as_str().expect("id").to_owned();
    // The certificate of the first batch is approved, so that it can be corrected.
    assert_eq!(crate::qualifications::review_certificates(&app, "approve").await, 1);
    let change = app.call("GET", "/api/v1/review/change-requests", Some(&reviewer), None).await;
    let change = change.body["items"][0]["id"]
        .as_str()
        .expect("the change request of the first batch")
        .to_owned();
    let branch = app.call("GET", "/api/v1/unit/branches", Some(&admin), None).await;
    let branch = branch.body["items"][0]["id"]
        .as_str()
        .expect("the branch of the first batch")
        .to_owned();
    let certificates = app.call("GET", "/api/v1/unit/qualifications", Some(&admin), None).await;
    let certificate = certificates.body["items"]
        .as_array()
        .expect("certificates")
        .iter()
        .find(|c| c["certificate_no"] == "TS7310088-2027")
        .expect("the certificate of the first batch")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (draft, drafter) = complete_draft(&app, "qzjy", "91350203MA2Y0K7X11").await;
    let licence = app
        .upload(
            &drafter,
            "business_licence",
            "营业执照.pdf",
            "application/pdf",
            gongshi_tests::pdf(),
        )
        .await;
    let draft_scan = app.upload(&drafter, "qualification_scan", "核准证.png", "image/png", png()).await;
    let appeal = app
        .call(
            "POST",
            "/api/v1/appeals",
            None,
            Some(crate::appeals::appeal_form(crate::publicity::UNIT_B, "13900139002")),
        )
        .await;
    assert_eq!(appeal.status, 201, "{:?}", appeal.body);
    let appeal_code = latest_code(&app, "13900139002");
    let second_appeal = app
        .call(
            "POST",
            "/api/v1/appeals",
            None,
            Some(crate::appeals::appeal_form(crate::publicity::UNIT_B, "13900139003")),
        )
        .await;
    assert_eq!(second_appeal.status, 201, "{:?}", second_appeal.body);
    let (second_appeal, second_token) = (
        second_appeal.body["appeal"]["id"].as_str().expect("id").to_owned(),
        second_appeal.body["token"].as_str().expect("token").to_owned(),
    );
    let appeal_id = appeal.body["appeal"]["id"].as_str().expect("id").to_owned();
    let appeal_token = appeal.body["token"].as_str().expect("token").to_owned();
    let appeal_licence = crate::appeals::upload(
        &app,
        &appeal_id,
        &appeal_token,
        "business_licence",
        gongshi_tests::pdf(),
        "application/pdf",
    )
    .await;
    let asked = json!({"purpose": "authorisation_letter", "file_name": "授权委托书", "content_type": "image/png", "size": png().len()});
    let letter = crate::appeals::with_token(
        &app,
        "POST",
        &format!("/api/v1/appeals/{appeal_id}/uploads"),
        &appeal_token,
        Some(asked.clone()),
    )
    .await;
    assert_eq!(letter.status, 201, "{:?}", letter.body);
    assert_eq!(
        app.put_presigned(letter.body["url"].as_str().expect("url"), "image/png", png())
            .await,
        200
    );
    let letter = letter.body["upload_id"].as_str().expect("id").to_owned();
    // The resend limit counts from the code the scan sent.
    app.clock.advance(time::Duration::seconds(61));
    let legacy = "username,password_hash,hash_format,salt,unit_name,uscc,legal_representative,address,postcode,contact_name,contact_id_number,contact_mobile,contact_email\n\
        zzjy,18ea200c8128a2d5b97fff8ff152934c,md5_salted,a1b2c3,漳州市特种设备检验所,91350206MA31B4C55G,张三,漳州市芗城区胜利路1号,363000,李四,11010519491231002X,13800138001,zz@example.com\n";
    let registry = format!(
        "{}{}",
        crate::publicity::HEADER,
        crate::publicity::rows(&crate::publicity::person(10), "吴九", &[("GL-1", "锅炉定期检验", "2030-06-30")])
    );
    let notices = app.call("GET", "/api/v1/admin/notices", Some(&association_admin), None).await;
    let notice = notices.body["items"][0]["id"]
        .as_str()
        .expect("the notice of the first batch")
        .to_owned();
    let second = [
        WriteCase::new(
            "a signed scan",
            "POST",
            format!("/api/v1/unit/applications/{first}/scan"),
            Some(&admin),
            Some(json!({"upload_id": signed})),
        ),
        WriteCase::new(
            "a confirmation code resent",
            "POST",
            format!("/api/v1/unit/applications/{resend}/confirmation-code"),
            Some(&admin),
            None,
        ),
        WriteCase::new(
            "a practitioner's confirmation",
            "POST",
            "/api/v1/confirmations",
            None,
            Some(json!({"id_number": people[1], "code": code})),
        ),
        WriteCase::new(
            "a reviewer's claim",
            "POST",
            format!("/api/v1/review/applications/{to_decide}/claim"),
            Some(&reviewer),
            None,
        ),
        WriteCase::new(
            "a claim's release",
            "DELETE",
            format!("/api/v1/review/applications/{to_decide}/claim"),
            Some(&reviewer),
            None,
        ),
        WriteCase::new(
            "an application's approval",
            "POST",
            format!("/api/v1/review/applications/{to_decide}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        ),
        WriteCase::new(
            "a return for correction",
            "POST",
            format!("/api/v1/review/applications/{to_return}/return"),
            Some(&reviewer),
            Some(json!({"reasons": ["signature_or_seal_missing"]})),
        ),
        WriteCase::new(
            "a withdrawal",
            "POST",
            format!("/api/v1/unit/applications/{to_withdraw}/withdraw"),
            Some(&admin),
            None,
        ),
        WriteCase::new(
            "an append",
            "POST",
            "/api/v1/unit/appends",
            Some(&admin),
            Some(json!({"certificate_nos": [to_append], "clause_version": 1, "clauses_confirmed": true})),
        ),
        WriteCase::new(
            "a cancellation",
            "POST",
            "/api/v1/unit/cancellations",
            Some(&admin),
            Some(json!({"certificate_no": to_cancel, "reason": "本人离职"})),
        ),
        WriteCase::new(
            "an upload's completion",
            "POST",
            format!("/api/v1/uploads/{unit_upload}/complete"),
            Some(&admin),
            None,
        ),
        WriteCase::new(
            "a change request's approval",
            "POST",
            format!("/api/v1/review/change-requests/{change}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        ),
        WriteCase::new(
            "a branch's status",
            "PUT",
            format!("/api/v1/unit/branches/{branch}/status"),
            Some(&admin),
            Some(json!({"enabled": false})),
        ),
        WriteCase::new(
            "a certificate's correction",
            "PUT",
            format!("/api/v1/unit/qualifications/{certificate}"),
            Some(&admin),
            Some(
                json!({"kind": "licence", "certificate_no": "TS7310088-2027", "authority": "福建省市场监督管理局",
                "items": ["起重机械定期检验"], "valid_from": "2023-01-01", "valid_until": "2027-12-31", "scan_upload_id": scan}),
            ),
        ),
        WriteCase::new(
            "a registration's basic step",
            "PUT",
            format!("/api/v1/registrations/{draft}/basic"),
            Some(&drafter),
            Some(gongshi_tests::basic("qzjy", "91350203MA2Y0K7X11")),
        ),
        WriteCase::new(
            "a registration's licence step",
            "PUT",
            format!("/api/v1/registrations/{draft}/licence"),
            Some(&drafter),
            Some(json!({"upload_id": licence})),
        ),
        WriteCase::new(
            "a registration's qualification step",
            "PUT",
            format!("/api/v1/registrations/{draft}/qualification"),
            Some(&drafter),
            Some(
                json!({"kind": "approval", "certificate_no": "TS7110236-2028", "authority": "国家市场监督管理总局",
                "items": ["锅炉定期检验"], "valid_from": "2024-03-01", "valid_until": "2028-02-29", "scan_upload_id": draft_scan}),
            ),
        ),
        WriteCase::new(
            "an appeal's upload",
            "POST",
            format!("/api/v1/appeals/{appeal_id}/uploads"),
            None,
            Some(asked),
        )
        .with_header("x-appeal-token", &appeal_token),
        WriteCase::new(
            "an appeal upload's completion",
            "POST",
            format!("/api/v1/appeals/{appeal_id}/uploads/{letter}/complete"),
            None,
            None,
        )
        .with_header("x-appeal-token", &appeal_token),
        WriteCase::new(
            "an appeal's submission",
            "POST",
            format!("/api/v1/appeals/{appeal_id}/submit"),
            None,
            Some(json!({"licence_upload_id": appeal_licence, "authorisation_upload_id": letter, "code": appeal_code})),
        )
        .with_header("x-appeal-token", &appeal_token),
        WriteCase::new(
            "an appeal's code resent",
            "POST",
            format!("/api/v1/appeals/{second_appeal}/code"),
            None,
            None,
        )
        .with_header("x-appeal-token", &second_token),
        WriteCase::new(
            "an appeal's decision",
            "POST",
            format!("/api/v1/review/appeals/{appeal_id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "reject", "reason": "授权委托书未加盖公章"})),
        ),
        WriteCase::new(
            "a registry import",
            "POST",
            "/api/v1/admin/practitioners/import",
            Some(&association_admin),
            None,
        )
        .with_csv(registry),
        WriteCase::new(
            "a legacy account import",
            "POST",
            "/api/v1/admin/legacy-accounts/import",
            Some(&association_admin),
            None,
        )
        .with_csv(legacy.to_owned()),
        WriteCase::new(
            "new clauses",
            "PUT",
            "/api/v1/admin/clauses",
            Some(&association_admin),
            Some(json!({"title": "执业公示承诺书（2027版）", "clauses": ["本单位承诺申报信息真实。"]})),
        ),
        WriteCase::new(
            "a notice's edit",
            "PUT",
            format!("/api/v1/admin/notices/{notice}"),
            Some(&association_admin),
            Some(json!({"title": "元旦放假通知（更正）", "body": "元旦放假一天。", "pinned": false})),
        ),
        WriteCase::new(
            "a notice read",
            "POST",
            format!("/api/v1/notices/{notice}/read"),
            Some(&admin),
            None,
        ),
        WriteCase::new(
            "a notice's withdrawal",
            "DELETE",
            format!("/api/v1/admin/notices/{notice}"),
            Some(&association_admin),
            None,
        ),
        WriteCase::new(
            "a password reset by SMS code",
            "POST",
            "/api/v1/password-recovery/reset",
            None,
            Some(json!({"username": "xmtjy", "code": recovery_code, "new_password": "NewPass2026"})),
        ),
        WriteCase::new(
            "one's own new password",
            "PUT",
            "/api/v1/auth/password",
            Some(&association_admin),
            Some(json!({"current_password": gongshi_tests::SEED_PASSWORD, "new_password": "Xinmima2026"})),
        ),
    ];
    each_answers_503_then_takes_effect(&app, &faulty_app, &table, &second).await;
    let all: Vec<&WriteCase> = cases.iter().chain(&second).collect();
    assert_eq!(write_routes_missed(&app, &all), Vec::<String>::new(), "every write route is tried");
}

/// An SMS service that is down.
struct DownSms;

#[async_trait]
impl gongshi_platform::Sms for DownSms {
    async fn send(&self, _to: &gongshi_core::Mobile, _text: &str) -> Result<(), gongshi_platform::NotifyError> {
        Err(gongshi_platform::NotifyError("injected outage".into()))
    }
}

#[tokio::test]
async fn f04_f14_f20_a_code_the_sms_service_cannot_send_answers_503_not_500() {
    let app = spawn_app().await;
    let unit = approved_unit(&app, "xmtjy", UNIT_A).await;
    let id = ready_person(&app, 1, "王五", "13900000001").await;
    let application = crate::publicity::created(&app, &unit, &id, "王五", "initial").await;
    let other = crate::publicity::person(2);
    crate::publicity::import(
        &app,
        crate::publicity::rows(&other, "赵六", &[("GL-1", "锅炉定期检验", "2030-06-30")]),
    )
    .await;
    let down = app.with(|platform| platform.sms = Arc::new(DownSms));
    let signed = app.upload(&unit, "signed_form", "申请表.png", "image/png", png()).await;
    let codes = [
        (
            "a recovery code",
            down.call(
                "POST",
                "/api/v1/password-recovery/code",
                None,
                Some(json!({"username": "xmtjy", "uscc": UNIT_A, "mobile": "13800138000"})),
            )
            .await,
        ),
        (
            "a mobile registration code",
            down.call(
                "POST",
                "/api/v1/practitioners/mobile/code",
                None,
                Some(json!({"id_number": other, "name": "赵六", "mobile": "13900000002"})),
            )
            .await,
        ),
        (
            "a confirmation code after the scan",
            down.call(
                "POST",
                &format!("/api/v1/unit/applications/{application}/scan"),
                Some(&unit),
                Some(json!({"upload_id": signed})),
            )
            .await,
        ),
    ];
    for (name, reply) in codes {
        assert_eq!(
            (reply.status, reply.body["code"].clone()),
            (503, json!("service_unavailable")),
            "{name}: {:?}",
            reply.body
        );
        assert!(reply.headers.contains_key("retry-after"), "{name}: says when to retry");
    }
}

#[tokio::test]
async fn operations_liveness_calls_no_dependency_and_readiness_reports_an_unavailable_table() {
    let app = spawn_app().await;
    let live = app.call("GET", "/api/v1/health", None, None).await;
    assert_eq!((live.status, live.body["status"].as_str()), (200, Some("ok")));
    assert_eq!(live.trips, 0, "liveness reads nothing");
    let ready = app.call("GET", "/api/v1/health/ready", None, None).await;
    assert_eq!(
        (ready.status, ready.body["status"].as_str()),
        (200, Some("ready")),
        "{:?}",
        ready.body
    );
    let checks: Vec<(&str, bool)> = ready.body["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| (c["name"].as_str().unwrap_or_default(), c["ok"].as_bool().unwrap_or_default()))
        .collect();
    assert_eq!(checks, [("table", true), ("blobs", true)]);
    assert_eq!(ready.trips, 1, "one read of the table");

    let (faulty, table) = faulty(&app);
    table.arm(1);
    let down = faulty.call("GET", "/api/v1/health/ready", None, None).await;
    assert_eq!(
        (down.status, down.body["status"].as_str()),
        (503, Some("unavailable")),
        "{:?}",
        down.body
    );
    assert_eq!(down.body["checks"][0]["ok"], false);
    assert_eq!(down.body["checks"][1]["ok"], true, "the blob store still answers");
    assert!(down.headers.contains_key("retry-after"));
    let still_live = faulty.call("GET", "/api/v1/health", None, None).await;
    assert_eq!(still_live.status, 200, "liveness does not depend on the table");
}

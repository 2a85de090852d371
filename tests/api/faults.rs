//! Faults: the table fails at the k-th call of a step, for every k the step reaches. After
//! each failure the invariants hold — no lock without its open application, no counting-down
//! application without its deadline marker, no publicity without its approved application —
//! and the same step, retried, completes.

use crate::publicity::{UNIT_A, ready_person};
use async_trait::async_trait;
use gongshi_core::IdNumber;
use gongshi_core::practice::ApplicationState;
use gongshi_local::{Gateway, app as router};
use gongshi_platform::{Condition, Item, Key, Page, Platform, Query, Table, TableError, Write};
use gongshi_store::{applications, practitioners};
use gongshi_tests::{Reply, TestApp, approved_unit, latest_code, png, spawn_app};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use time::macros::date;

/// A table that fails its `fail_at`-th call (counting from 1; 0 = never).
pub struct Faulty {
    inner: Arc<dyn Table>,
    calls: AtomicUsize,
    fail_at: AtomicUsize,
}

impl Faulty {
    fn tick(&self) -> Result<(), TableError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if call == self.fail_at.load(Ordering::SeqCst) {
            return Err(TableError::Unavailable("injected fault".into()));
        }
        Ok(())
    }

    pub fn arm(&self, k: usize) {
        self.calls.store(0, Ordering::SeqCst);
        self.fail_at.store(k, Ordering::SeqCst);
    }
}

#[async_trait]
impl Table for Faulty {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.tick()?;
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError> {
        self.tick()?;
        self.inner.put(item, condition).await
    }
    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError> {
        self.tick()?;
        self.inner.delete(key, condition).await
    }
    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.tick()?;
        self.inner.query(query).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.tick()?;
        self.inner.transact(writes).await
    }
    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError> {
        self.tick()?;
        self.inner.get_many(keys).await
    }
}

/// The same system with the faulty table in front of its storage.
pub fn faulty(app: &TestApp) -> (TestApp, Arc<Faulty>) {
    let base = &app.gateway.platform;
    let table = Arc::new(Faulty {
        inner: Arc::clone(&base.table),
        calls: AtomicUsize::new(0),
        fail_at: AtomicUsize::new(0),
    });
    let platform = Arc::new(Platform {
        table: table.clone(),
        blobs: Arc::clone(&base.blobs),
        sms: Arc::clone(&base.sms),
        mail: Arc::clone(&base.mail),
        clock: Arc::clone(&base.clock),
        ids: Arc::clone(&base.ids),
        config: Arc::clone(&base.config),
    });
    let gateway = Arc::new(Gateway::new(platform, Some(app.embedded.clone()), None, true).expect("gateway"));
    let faulty = TestApp {
        router: router(Arc::clone(&gateway)),
        clock: Arc::clone(&app.clock),
        embedded: app.embedded.clone(),
        gateway,
        dir: Arc::clone(&app.dir),
    };
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
/// returns the completed reply and how many faults were injected.
async fn through_every_fault<F, Fut>(faulty: &TestApp, table: &Faulty, id: &str, application: Option<&str>, step: F) -> (Reply, usize)
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
            reply.status != 401 && reply.status != 403,
            "a fault is no authorisation answer: {:?}",
            reply.body
        );
        invariants_hold(faulty, id, application).await;
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
        faulty_app.call("POST", &decision_path, Some(&reviewer), Some(json!({"approve": true})))
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

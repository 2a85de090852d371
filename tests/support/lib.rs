//! Test support: `spawn_app()` starts the whole system in-process on a fresh data directory
//! with a fake clock, and requests go through the same router the local gateway serves.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use gongshi_local::{Gateway, app, seed};
use gongshi_platform::embedded::Embedded;
use gongshi_platform::notify::OutboxMessage;
use gongshi_platform::{Clock, FakeClock, RandomIds};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

pub mod clients;
pub mod latency;
pub mod migrations;
pub mod round_trips;

/// The password of the seeded `admin` and `reviewer` accounts in tests.
pub const SEED_PASSWORD: &str = "Review3r-test";
/// The base URL the embedded blob store signs URLs for.
pub const BASE_URL: &str = "http://gongshi.test";

/// One running system.
pub struct TestApp {
    /// The HTTP application.
    pub router: axum::Router,
    /// The clock every function sees.
    pub clock: Arc<FakeClock>,
    /// The embedded adapters, for assertions on stored state.
    pub embedded: Embedded,
    /// The gateway.
    pub gateway: Arc<Gateway>,
    /// The data directory (deleted on drop unless kept).
    pub dir: Arc<tempfile::TempDir>,
}

/// A response as a user agent sees it.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// JSON body (`Null` when empty or not JSON).
    pub body: Value,
    /// Headers.
    pub headers: axum::http::HeaderMap,
    /// The DynamoDB round trips the request cost (up to a lost race or a replay).
    pub trips: usize,
}

impl Reply {
    /// The `field` of each field error.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str().map(str::to_owned))
            .collect()
    }
}

/// Starts a fresh system at 2026-11-26 09:00 UTC.
pub async fn spawn_app() -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    start(dir, time::macros::datetime!(2026-11-26 09:00 UTC)).await
}

/// Starts a system on an existing data directory (a restart).
pub async fn start(dir: Arc<tempfile::TempDir>, now: time::OffsetDateTime) -> TestApp {
    let clock = Arc::new(FakeClock::at(now));
    let as_clock: Arc<dyn Clock> = clock.clone();
    let (embedded, config) = Embedded::open(dir.path(), BASE_URL, Arc::clone(&as_clock), &RandomIds).expect("open data dir");
    let mut platform = embedded.platform(config, as_clock, Arc::new(RandomIds));
    // Benchmarks only (scripts/bench): DynamoDB-like latency under the counting.
    platform.table = Arc::new(round_trips::Counting::new(latency::Delayed::from_env(platform.table)));
    clients::record(&mut platform);
    let platform = Arc::new(platform);
    seed::seed_association_accounts(&platform, SEED_PASSWORD).await.expect("seed");
    let gateway = Arc::new(Gateway::new(platform, Some(embedded.clone()), None, true).expect("routes match template.yaml"));
    TestApp {
        router: app(Arc::clone(&gateway)),
        clock,
        embedded,
        gateway,
        dir,
    }
}

impl TestApp {
    /// The same system (its storage, clock and outbox) with some of its ports or its
    /// configuration replaced by `change`: a failing table, an SMS service that is down,
    /// other periods.
    pub fn with(&self, change: impl FnOnce(&mut gongshi_platform::Platform)) -> TestApp {
        let mut platform = (*self.gateway.platform).clone();
        change(&mut platform);
        let gateway = Arc::new(Gateway::new(Arc::new(platform), Some(self.embedded.clone()), None, true).expect("gateway"));
        TestApp {
            router: app(Arc::clone(&gateway)),
            clock: Arc::clone(&self.clock),
            embedded: self.embedded.clone(),
            gateway,
            dir: Arc::clone(&self.dir),
        }
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("method"))
            .uri(path);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                builder = builder.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    /// Sends a raw request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let route = self.gateway.route_key(request.method().as_str(), request.uri().path());
        let started = std::time::Instant::now();
        let ((response, trips), used) = clients::recorded(round_trips::counted(self.router.clone().oneshot(request))).await;
        let elapsed = started.elapsed();
        let response = response.expect("router answers");
        let status = response.status().as_u16();
        // A replayed answer met an earlier copy of the request (the duplicate's path, like a
        // lost race): listed, not held to the budget.
        let replayed = response.headers().contains_key("idempotent-replay");
        let trips = if replayed {
            [&trips[..], &[round_trips::LOST_RACE]].concat()
        } else {
            trips
        };
        let counted = trips.iter().position(|c| *c == round_trips::LOST_RACE).unwrap_or(trips.len());
        if let Some(route) = route {
            round_trips::check_timed(&route, status, &trips, Some(elapsed));
            if let Some((function, built)) = clients::function_of(&route) {
                clients::check(function, built, &used);
            }
        }
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
            trips: counted,
        }
    }

    /// Uploads bytes to a presigned URL as a browser would; returns the status.
    pub async fn put_presigned(&self, url: &str, content_type: &str, bytes: Vec<u8>) -> u16 {
        let path = url.strip_prefix(BASE_URL).expect("URL signed for this app");
        let request = Request::builder()
            .method("PUT")
            .uri(path)
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .expect("request");
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers")
            .status()
            .as_u16()
    }

    /// Downloads from a presigned URL: status and bytes.
    pub async fn get_presigned(&self, url: &str) -> (StatusCode, Vec<u8>) {
        let path = url.strip_prefix(BASE_URL).expect("URL signed for this app");
        let response = self
            .router
            .clone()
            .oneshot(Request::builder().uri(path).body(Body::empty()).expect("request"))
            .await
            .expect("answers");
        let status = response.status();
        (status, response.into_body().collect().await.expect("body").to_bytes().to_vec())
    }

    /// Every SMS and e-mail sent so far.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        self.embedded.outbox.messages()
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, username: &str, password: &str, user_type: &str) -> String {
        let reply = self
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": password, "user_type": user_type})),
            )
            .await;
        assert_eq!(reply.status, 200, "login {username}: {:?}", reply.body);
        reply.body["access_token"].as_str().expect("token").to_owned()
    }

    /// The reviewer's token.
    pub async fn reviewer(&self) -> String {
        self.login("reviewer", SEED_PASSWORD, "association").await
    }

    /// Presigns, uploads and completes a file; returns the upload id.
    pub async fn upload(&self, token: &str, purpose: &str, file_name: &str, content_type: &str, bytes: Vec<u8>) -> String {
        let presign = json!({"purpose": purpose, "file_name": file_name, "content_type": content_type, "size": bytes.len()});
        let reply = self.call("POST", "/api/v1/uploads", Some(token), Some(presign)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        let id = reply.body["upload_id"].as_str().expect("id").to_owned();
        let url = reply.body["url"].as_str().expect("url").to_owned();
        assert_eq!(self.put_presigned(&url, content_type, bytes).await, 200);
        let done = self
            .call("POST", &format!("/api/v1/uploads/{id}/complete"), Some(token), None)
            .await;
        assert_eq!(done.status, 200, "{:?}", done.body);
        id
    }
}

/// A small valid PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// A small PNG (signature and header chunk).
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE,
    ]);
    bytes
}

/// Step 1 of a valid registration.
pub fn basic(username: &str, uscc: &str) -> Value {
    json!({"username": username, "password": "Gongshi2026", "unit_name": "厦门市特种设备检验检测院", "uscc": uscc,
        "legal_representative": "张三", "address": "福建省厦门市湖里区华泰路1号", "postcode": "361000"})
}

/// Step 4 of a valid registration.
pub fn contact() -> Value {
    json!({"name": "李四", "id_number": "11010519491231002X", "mobile": "+86 138 0013 8000", "email": "lisi@example.com"})
}

/// A registration walked through all four steps (not yet submitted): (id, registrant token).
pub async fn complete_draft(app: &TestApp, username: &str, uscc: &str) -> (String, String) {
    let created = app.call("POST", "/api/v1/registrations", None, Some(basic(username, uscc))).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["registration"]["id"].as_str().expect("id").to_owned();
    let token = created.body["session"]["access_token"].as_str().expect("token").to_owned();
    let licence = app
        .upload(&token, "business_licence", "营业执照.pdf", "application/pdf", pdf())
        .await;
    let step2 = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{id}/licence"),
            Some(&token),
            Some(json!({"upload_id": licence})),
        )
        .await;
    assert_eq!(step2.status, 200, "{:?}", step2.body);
    let scan = app.upload(&token, "qualification_scan", "核准证.png", "image/png", png()).await;
    let qualification = json!({"kind": "approval", "certificate_no": "TS7110236-2028", "authority": "国家市场监督管理总局",
        "items": ["锅炉定期检验", "压力容器定期检验"], "valid_from": "2024-03-01", "valid_until": "2028-02-29", "scan_upload_id": scan});
    let step3 = app
        .call(
            "PUT",
            &format!("/api/v1/registrations/{id}/qualification"),
            Some(&token),
            Some(qualification),
        )
        .await;
    assert_eq!(step3.status, 200, "{:?}", step3.body);
    let step4 = app
        .call("PUT", &format!("/api/v1/registrations/{id}/contact"), Some(&token), Some(contact()))
        .await;
    assert_eq!(step4.status, 200, "{:?}", step4.body);
    (id, token)
}

/// A registration submitted for review: (id, registrant token).
pub async fn submitted(app: &TestApp, username: &str, uscc: &str) -> (String, String) {
    let (id, token) = complete_draft(app, username, uscc).await;
    let reply = app
        .call("POST", &format!("/api/v1/registrations/{id}/submit"), Some(&token), None)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    (id, token)
}

/// Whether a path exists under the data directory.
pub fn exists(dir: &Path, relative: &str) -> bool {
    dir.join(relative).exists()
}

/// A reviewer approves the submitted registration `id`.
pub async fn approve_registration(app: &TestApp, id: &str) {
    let reviewer = app.reviewer().await;
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/review/registrations/{id}/decision"),
            Some(&reviewer),
            Some(json!({"outcome": "approve"})),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
}

/// A unit registered, submitted and approved; returns its admin's access token.
pub async fn approved_unit(app: &TestApp, username: &str, uscc: &str) -> String {
    let (id, _) = submitted(app, username, uscc).await;
    approve_registration(app, &id).await;
    app.login(username, "Gongshi2026", "unit").await
}

/// The 6-digit code in the newest SMS to `mobile`.
pub fn latest_code(app: &TestApp, mobile: &str) -> String {
    let sms = app
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m.channel == "sms" && m.to == mobile)
        .expect("an SMS to that mobile");
    // The code follows its name (确认码, 验证码); other numbers in the text (an application
    // number's random tail) may also have six digits.
    let after_name = sms.body.find('码').map_or(sms.body.as_str(), |at| &sms.body[at..]);
    after_name
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

/// A valid ID number (GB 11643) from 17 digits.
pub fn id_number(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).expect("digit") * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// `count` practitioners (at most 1000) in the registry with 锅炉 and 压力容器 items, each
/// already published at the caller's unit with the 锅炉 item only (set up directly in the
/// table) and with a registered mobile: the candidates of a batch append (F16).
pub async fn published_people(app: &TestApp, unit_token: &str, count: u32) -> Vec<String> {
    use gongshi_core::IdNumber;
    use gongshi_core::practice::Publicity;
    use gongshi_store::practitioners::{self, PublicityRecord, VerifiedMobile};
    assert!(count <= 1000, "ID numbers of this set have a 3-digit sequence");
    let ids: Vec<String> = (1..=count).map(|n| id_number(&format!("35020319850101{n:03}"))).collect();
    let mut csv = String::from("id_number,name,certificate_no,item_code,item_name,level,issuer,issued_on,valid_until,status\n");
    for id in &ids {
        for (code, item, until) in [("GL-1", "锅炉定期检验", "2030-06-30"), ("RQ-1", "压力容器定期检验", "2031-06-30")] {
            csv += &format!("{id},批量,TS-{id},{code},{item},检验员,国家市场监督管理总局,2022-01-01,{until},valid\n");
        }
    }
    let admin = app.login("admin", SEED_PASSWORD, "association").await;
    let request = Request::post("/api/v1/admin/practitioners/import")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "text/csv")
        .body(Body::from(csv))
        .expect("request");
    let report = app.send(request).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(report.body["people"], json!(count));
    round_trips::check_linear("POST /api/v1/admin/practitioners/import", 2 * count as usize, report.trips);
    let unit = app.call("GET", "/api/v1/unit", Some(unit_token), None).await;
    let unit_id = unit.body["id"].as_str().expect("the unit's id").to_owned();
    let platform = &app.gateway.platform;
    let now = platform.clock.now();
    let mut writes = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let id_number = IdNumber::parse(id, now.date()).expect("a valid ID number");
        let person = practitioners::person(platform.table.as_ref(), &id_number).await.expect("imported");
        let record = PublicityRecord {
            id_number: id_number.clone(),
            name: person.profile.expect("a profile").name,
            publicity: Publicity {
                certificate_no: format!("GS2026-{n:04}"),
                unit_id: unit_id.clone(),
                unit_name: "厦门市特种设备检验检测院".into(),
                items: vec![person.items.iter().find(|i| i.code == "GL-1").expect("the 锅炉 item").published()],
                valid_from: time::macros::date!(2026 - 01 - 01),
                valid_until: time::macros::date!(2030 - 06 - 30),
                cancelled: false,
                ended_on: None,
                application_id: format!("SEED{n}"),
            },
        };
        writes.extend(practitioners::put_publicity(&record, Some(true)));
        let mobile = gongshi_core::Mobile::parse(&format!("1390000{n:04}")).expect("a mobile");
        writes.push(practitioners::put_mobile(&id_number, &VerifiedMobile { mobile, verified_at: now }));
    }
    for chunk in writes.chunks(100) {
        platform.table.transact(chunk.to_vec()).await.expect("seeded");
    }
    ids
}

/// The unit admin creates a staff account `username` (password `Staff2026a`), in the branch
/// `branch_id` if given; returns the staff's token.
pub async fn unit_staff(app: &TestApp, admin: &str, username: &str, branch_id: Option<&str>) -> String {
    let mut account = json!({"username": username, "display_name": "王五", "password": "Staff2026a", "role": "unit_staff"});
    if let Some(branch) = branch_id {
        account["branch_id"] = json!(branch);
    }
    let created = app.call("POST", "/api/v1/unit/accounts", Some(admin), Some(account)).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    app.login(username, "Staff2026a", "unit").await
}

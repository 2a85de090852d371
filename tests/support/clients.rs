//! The AWS clients each function builds (issue #7: a function links only the SDK clients it
//! uses). Every request sent through [`TestApp`] records which ports besides the table its
//! handler used, and a request whose function's `CLIENTS` leaves one of them out fails the
//! test that sent it: deployed, that call would have met a client that was never built.
//! The scheduled functions are checked the same way through [`checked`]. Likewise every
//! DynamoDB action a request's table calls need (a transaction needs each of its writes'
//! actions) must be allowed by its function's policy in template.yaml: deployed, its role
//! would be denied it.
//!
//! [`TestApp`]: crate::TestApp

use async_trait::async_trait;
use gongshi_core::{Email, Mobile};
use gongshi_platform::aws::Clients;
use gongshi_platform::{BlobError, BlobInfo, Blobs, Mail, NotifyError, Platform, PresignedRequest, Sms};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::{Arc, LazyLock};
use time::Duration;

tokio::task_local! {
    static USED: RefCell<BTreeSet<&'static str>>;
}

/// Records that the current request used `port` (or, named `dynamodb:<Action>`, needed that
/// action of its role).
pub fn used(port: &'static str) {
    // Outside a recorded request (test set-up calling a port directly) nothing is checked.
    let _recorded = USED.try_with(|used| used.borrow_mut().insert(port));
}

/// Puts recording wrappers in front of the blobs, SMS and mail ports.
pub fn record(platform: &mut Platform) {
    platform.blobs = Arc::new(Recording(Arc::clone(&platform.blobs)));
    platform.sms = Arc::new(Recording(Arc::clone(&platform.sms)));
    platform.mail = Arc::new(Recording(Arc::clone(&platform.mail)));
}

/// Runs `work` and returns what it answered with the ports it used.
pub async fn recorded<F: Future>(work: F) -> (F::Output, BTreeSet<&'static str>) {
    USED.scope(RefCell::new(BTreeSet::new()), async {
        let output = work.await;
        (output, USED.with(|used| used.take()))
    })
    .await
}

/// Fails the calling test when `function`, built with `clients`, used a port it does not build.
pub fn check(function: &str, clients: Clients, used: &BTreeSet<&'static str>) {
    let built = clients.ports();
    let (actions, ports): (Vec<&str>, Vec<&str>) = used.iter().copied().partition(|used| used.starts_with("dynamodb:"));
    let missing: Vec<&str> = ports.into_iter().filter(|port| !built.contains(port)).collect();
    assert!(
        missing.is_empty(),
        "the function {function} used {missing:?} but its CLIENTS builds only {clients:?}: add the client to functions/{function}/src/lib.rs"
    );
    static ALLOWED: LazyLock<HashMap<String, BTreeSet<String>>> =
        LazyLock::new(|| gongshi_local::template::allowed_actions(gongshi_local::template::TEMPLATE).expect("template.yaml policies"));
    let allowed = ALLOWED.get(function);
    let denied: Vec<&str> = actions
        .into_iter()
        .filter(|action| !allowed.is_some_and(|allowed| allowed.contains(*action)))
        .collect();
    assert!(
        denied.is_empty(),
        "the function {function} needed {denied:?} but its policy in template.yaml does not allow it: deployed, its role would be denied"
    );
}

/// Runs a scheduled function's `work` and checks the ports it used against its `clients`.
pub async fn checked<F: Future>(function: &str, clients: Clients, work: F) -> F::Output {
    let (output, used) = recorded(work).await;
    check(function, clients, &used);
    output
}

/// The function serving each route of template.yaml, with the clients it builds.
pub fn function_of(route: &str) -> Option<(&'static str, Clients)> {
    static ROUTES: LazyLock<HashMap<String, (&'static str, Clients)>> = LazyLock::new(|| {
        let functions = gongshi_local::functions::all();
        let routes = gongshi_local::template::routes(gongshi_local::template::TEMPLATE).expect("template.yaml routes");
        routes
            .iter()
            .filter_map(|route| {
                let function = functions.iter().find(|f| f.name == route.function)?;
                Some((route.key(), (function.name, function.clients)))
            })
            .collect()
    });
    ROUTES.get(route).copied()
}

struct Recording<T: ?Sized>(Arc<T>);

#[async_trait]
impl Blobs for Recording<dyn Blobs> {
    async fn presign_put(&self, key: &str, content_type: &str, content_length: u64, ttl: Duration) -> Result<PresignedRequest, BlobError> {
        used("blobs");
        self.0.presign_put(key, content_type, content_length, ttl).await
    }
    async fn presign_get(&self, key: &str, file_name: &str, ttl: Duration) -> Result<PresignedRequest, BlobError> {
        used("blobs");
        self.0.presign_get(key, file_name, ttl).await
    }
    async fn head(&self, key: &str) -> Result<Option<BlobInfo>, BlobError> {
        used("blobs");
        self.0.head(key).await
    }
    async fn read_start(&self, key: &str, len: u64) -> Result<Option<Vec<u8>>, BlobError> {
        used("blobs");
        self.0.read_start(key, len).await
    }
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        used("blobs");
        self.0.put(key, bytes, content_type).await
    }
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        used("blobs");
        self.0.delete(key).await
    }
}

#[async_trait]
impl Sms for Recording<dyn Sms> {
    async fn send(&self, to: &Mobile, text: &str) -> Result<(), NotifyError> {
        used("sms");
        self.0.send(to, text).await
    }
}

#[async_trait]
impl Mail for Recording<dyn Mail> {
    async fn send(&self, to: &Email, subject: &str, body: &str) -> Result<(), NotifyError> {
        used("mail");
        self.0.send(to, subject, body).await
    }
}

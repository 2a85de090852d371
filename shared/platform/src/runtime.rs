//! How a deployed process starts: its logging and its platform from the environment. Every
//! function's `main.rs` uses these two, the HTTP ones through `gongshi_http::lambda::run`.

use crate::{Config, Platform, RandomIds, SystemClock, aws};
use std::sync::Arc;

/// Logs as JSON lines in Lambda (CloudWatch), compact text elsewhere; levels from `RUST_LOG`
/// as `info` or `target=level,…` (no span or field filters: those need the regex engine of
/// `EnvFilter`, which every binary would carry), `info` when unset or unreadable.
pub fn init_tracing() {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let levels = std::env::var("RUST_LOG").ok().and_then(|value| value.parse::<Targets>().ok());
    let levels = levels.unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let layer = tracing_subscriber::fmt::layer().with_target(false);
    let result = if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() {
        tracing_subscriber::registry()
            .with(levels)
            .with(layer.json().flatten_event(true).without_time())
            .try_init()
    } else {
        tracing_subscriber::registry().with(levels).with(layer.compact()).try_init()
    };
    // A second initialisation (tests, the gateway) keeps the first subscriber.
    drop(result);
}

/// The platform a deployed function uses, from its environment: by default the AWS
/// adapters (`TABLE_NAME`, `UPLOADS_BUCKET`, `MAIL_SENDER`, `GONGSHI_JWT_SECRET`, and
/// `AWS_ENDPOINT_URL` for an emulator); `GONGSHI_STORAGE=embedded` with `GONGSHI_DATA_DIR`
/// runs on local files instead, in a build with the `embedded` feature (`cargo lambda watch
/// --features gongshi-platform/embedded`): deployed binaries leave the embedded store out.
/// On AWS only the table and the `clients` named are built (a function's `CLIENTS`).
pub async fn platform_from_env(clients: aws::Clients) -> Result<Platform, String> {
    match std::env::var("GONGSHI_STORAGE").as_deref() {
        #[cfg(not(feature = "embedded"))]
        Ok("embedded") => Err("GONGSHI_STORAGE=embedded needs a build with the embedded store: \
             cargo lambda watch --features gongshi-platform/embedded"
            .to_owned()),
        #[cfg(feature = "embedded")]
        Ok("embedded") => {
            use crate::embedded::Embedded;
            let dir = std::env::var("GONGSHI_DATA_DIR").map_err(|_| "GONGSHI_DATA_DIR is not set".to_owned())?;
            let base = std::env::var("GONGSHI_PUBLIC_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
            let clock = Arc::new(SystemClock);
            let (embedded, config) = Embedded::open(std::path::Path::new(&dir), &base, clock.clone(), &RandomIds)?;
            Ok(embedded.platform(config, clock, Arc::new(RandomIds)))
        }
        Ok("aws") | Err(_) => {
            let config = Config::from_env()?;
            let resources = aws::Resources::from_env()?;
            let sdk = aws::sdk_config().await?;
            Ok(aws::platform(
                clients,
                &sdk,
                &resources,
                config,
                Arc::new(SystemClock),
                Arc::new(RandomIds),
            ))
        }
        Ok(other) => Err(format!("GONGSHI_STORAGE={other} is unknown: use `aws` (default) or `embedded`")),
    }
}

//! `gongshi-local`: the whole system in one process on embedded storage.
//!
//! ```text
//! gongshi-local [--listen 127.0.0.1:8080] [--data-dir .data] [--web-dist web/dist]
//! gongshi-local --openapi      # print the API document (docs/openapi.json) and exit
//! gongshi-local --import-practitioners FILE.csv|FILE.json [--data-dir .data] [--aws]
//!                              # F22 registry import of any size (.xlsx or CSV in UTF-8/GBK/GB18030, batched), then exit
//! gongshi-local --aws          # the AWS adapters instead of embedded storage: TABLE_NAME,
//!                              # UPLOADS_BUCKET, MAIL_SENDER, AWS_ENDPOINT_URL for an emulator
//! ```
//! `GONGSHI_SEED_PASSWORD` sets the password of the seeded `admin` and `reviewer` accounts
//! (otherwise one is generated on first start, printed and kept in `<data-dir>/seed-password.txt`).

use gongshi_local::{Gateway, app, seed};
use gongshi_platform::embedded::Embedded;
use gongshi_platform::{Clock, Config, Ids, RandomIds, SystemClock, aws};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

struct Args {
    listen: String,
    data_dir: PathBuf,
    web_dist: PathBuf,
    aws: bool,
    import: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        listen: "127.0.0.1:8080".into(),
        data_dir: ".data".into(),
        web_dist: "web/dist".into(),
        aws: false,
        import: None,
    };
    let mut raw = std::env::args().skip(1);
    while let Some(flag) = raw.next() {
        let mut value = || raw.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => args.listen = value()?,
            "--data-dir" => args.data_dir = value()?.into(),
            "--web-dist" => args.web_dist = value()?.into(),
            "--aws" => args.aws = true,
            "--import-practitioners" => args.import = Some(value()?.into()),
            "--openapi" => {
                let functions = gongshi_local::functions::all();
                let doc = gongshi_local::openapi::document(&functions)
                    .to_pretty_json()
                    .map_err(|e| e.to_string())?;
                println!("{doc}");
                std::process::exit(0);
            }
            "-h" | "--help" => {
                println!("gongshi-local [--listen 127.0.0.1:8080] [--data-dir .data] [--web-dist web/dist] [--aws]");
                println!("gongshi-local --import-practitioners FILE.csv|FILE.json [--data-dir .data] [--aws]");
                println!("gongshi-local --openapi");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other} (see --help)")),
        }
    }
    Ok(args)
}

fn seed_password(data_dir: &std::path::Path) -> Result<String, String> {
    if let Ok(password) = std::env::var("GONGSHI_SEED_PASSWORD") {
        return Ok(password);
    }
    let path = data_dir.join("seed-password.txt");
    if let Ok(saved) = std::fs::read_to_string(&path) {
        return Ok(saved.trim().to_owned());
    }
    let generated = format!("Gs{}{}", RandomIds.code(), &RandomIds.secret()[..8].replace(['-', '_'], "x"));
    std::fs::write(&path, &generated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(generated)
}

/// The platform on the chosen storage: embedded under the data directory, or AWS.
async fn open(args: &Args, base: &str, clock: Arc<dyn Clock>) -> Result<(Arc<gongshi_platform::Platform>, Option<Embedded>), String> {
    std::fs::create_dir_all(&args.data_dir).map_err(|e| format!("cannot create {}: {e}", args.data_dir.display()))?;
    if args.aws {
        let resources = aws::Resources::from_env()?;
        let config = Config::from_env().unwrap_or_else(|_| {
            println!("  note: GONGSHI_JWT_SECRET is not set; tokens are signed with a key that ends with this process");
            Config::new(RandomIds.secret().into_bytes(), base.to_owned())
        });
        let sdk = aws::sdk_config().await?;
        Ok((
            Arc::new(aws::platform(
                aws::Clients::ALL,
                &sdk,
                &resources,
                config,
                clock,
                Arc::new(RandomIds),
            )),
            None,
        ))
    } else {
        let (embedded, config) = Embedded::open(&args.data_dir, base, Arc::clone(&clock), &RandomIds)?;
        Ok((Arc::new(embedded.platform(config, clock, Arc::new(RandomIds))), Some(embedded)))
    }
}

/// The registry import from a file (a workbook, CSV in a detected encoding, or JSON), written in batches; prints the report.
async fn import_practitioners(args: &Args, file: &std::path::Path) -> Result<(), String> {
    let (platform, _) = open(args, "http://127.0.0.1:8080", Arc::new(SystemClock)).await?;
    let started = std::time::Instant::now();
    let report = if file.extension().is_some_and(|e| e == "json") {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        fn_practitioner_import::import_json(&platform, &text, "cli").await
    } else {
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        fn_practitioner_import::import_file(&platform, bytes, None, "cli").await
    }
    .map_err(|e| format!("import failed: {e:?}"))?;
    println!(
        "{}: {} rows: {} imported ({} people), {} refused, in {:.1} s",
        report.source_label,
        report.rows,
        report.imported,
        report.people,
        report.failed,
        started.elapsed().as_secs_f64()
    );
    for error in &report.errors {
        println!("  row {}: {} {} ({})", error.row, error.field, error.message, error.code);
    }
    Ok(())
}

async fn run() -> Result<(), String> {
    let args = parse_args()?;
    if let Some(file) = &args.import {
        return import_practitioners(&args, file).await;
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{address}");
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (platform, embedded) = open(&args, &base, Arc::clone(&clock)).await?;
    let migrated = gongshi_store::migrations::run(platform.table.as_ref())
        .await
        .map_err(|e| format!("data migration failed: {e}"))?;
    if !migrated.ran.is_empty() {
        println!("  data migrated: {} ({} items written)", migrated.ran.join(", "), migrated.written);
    }
    let password = seed_password(&args.data_dir)?;
    let created = seed::seed_association_accounts(&platform, &password).await?;
    let gateway = Arc::new(Gateway::new(
        Arc::clone(&platform),
        embedded.clone(),
        Some(args.web_dist.clone()),
        address.ip().is_loopback(),
    )?);

    // What EventBridge (the application-expiry and reminders schedules) and DynamoDB's TTL do in AWS.
    let sweeper = Arc::clone(&gateway);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(error) = fn_application_expiry::expire_overdue_applications(&sweeper.platform).await {
                tracing::error!(%error, "application expiry sweep failed");
            }
            if let Err(error) = fn_reminders::send_reminders(&sweeper.platform).await {
                tracing::error!(%error, "reminders failed");
            }
            match sweeper.sweep_expired(clock.now().unix_timestamp()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "expired items deleted (TTL) and handed to the stream handler"),
                Err(error) => tracing::error!(%error, "TTL sweep failed"),
            }
        }
    });

    println!("Gongshi 执业公示综合业务管理系统 is running at {base}/");
    if args.aws {
        let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "AWS".into());
        println!("  storage: DynamoDB, S3, SNS, SES at {endpoint}   API document: {base}/api/v1/openapi.json");
    } else {
        println!(
            "  data: {}   API document: {base}/api/v1/openapi.json   outbox: {base}/_local/outbox",
            args.data_dir.display()
        );
    }
    if created.is_empty() {
        println!(
            "  association accounts: admin, reviewer (password as set before; see {}/seed-password.txt unless GONGSHI_SEED_PASSWORD is set)",
            args.data_dir.display()
        );
    } else {
        println!(
            "  seeded association accounts {} with password: {password}   (log in as 协会用户)",
            created.join(", ")
        );
    }
    if !args.web_dist.join("index.html").is_file() {
        println!("  note: {} has no built SPA; scripts/run builds it", args.web_dist.display());
    }
    let listener = gongshi_local::server_answers::Listener::new(listener, &gateway.content_security_policy());
    axum::serve(listener, app(gateway))
        .with_graceful_shutdown(async {
            let ctrl_c = tokio::signal::ctrl_c();
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = ctrl_c => {},
                _ = async { if let Some(term) = term.as_mut() { term.recv().await; } else { std::future::pending::<()>().await } } => {},
            }
        })
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    gongshi_http::lambda::init_tracing();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gongshi-local: {error}");
            ExitCode::FAILURE
        }
    }
}

//! `gongshi-provision`: creates what template.yaml declares for data (the table with its
//! keys, GSIs, TTL and stream; the uploads bucket with its CORS rule; the SES sender) on the
//! endpoint in `AWS_ENDPOINT_URL` (LocalStack, moto). Idempotent: what exists is kept.
//!
//! ```text
//! AWS_ENDPOINT_URL=http://127.0.0.1:5055 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
//!   gongshi-provision --table gongshi-local --bucket gongshi-uploads-local --sender noreply@gongshi.example.cn --origin http://127.0.0.1:8080
//! ```
//! `--seed-admin` also creates the association's first accounts (`admin`, `reviewer`) with the
//! password in `GONGSHI_SEED_PASSWORD`; `--only-seed --table <deployed table>` does only that,
//! for a stack deployed with SAM. Every run (and `--only-migrate --table <deployed table>`
//! alone) also migrates the table's data to the current layout (`gongshi_store::migrations`).

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType, ScalarAttributeType,
    StreamSpecification, StreamViewType, TableStatus, TimeToLiveSpecification,
};
use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
use serde_yaml::Value;
use std::process::ExitCode;

const TEMPLATE: &str = include_str!("../../../template.yaml");

struct Args {
    table: String,
    bucket: String,
    sender: String,
    origin: String,
    seed_admin: bool,
    only_seed: bool,
    only_migrate: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        table: "gongshi-local".into(),
        bucket: "gongshi-uploads-local".into(),
        sender: "noreply@gongshi.example.cn".into(),
        origin: "http://127.0.0.1:8080".into(),
        seed_admin: false,
        only_seed: false,
        only_migrate: false,
    };
    let mut raw = std::env::args().skip(1);
    while let Some(flag) = raw.next() {
        match flag.as_str() {
            "--seed-admin" => {
                args.seed_admin = true;
                continue;
            }
            "--only-migrate" => args.only_migrate = true,
            "--only-seed" => {
                (args.seed_admin, args.only_seed) = (true, true);
                continue;
            }
            _ => {}
        }
        let value = raw.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--table" => args.table = value,
            "--bucket" => args.bucket = value,
            "--sender" => args.sender = value,
            "--origin" => args.origin = value,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn table_properties() -> Result<Value, String> {
    let doc: Value = serde_yaml::from_str(TEMPLATE).map_err(|e| e.to_string())?;
    doc.get("Resources")
        .and_then(|r| r.get("Table"))
        .and_then(|t| t.get("Properties"))
        .cloned()
        .ok_or_else(|| "template.yaml has no Resources.Table".into())
}

fn text<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("template.yaml: {name} missing"))
}

fn key_schema(list: &Value) -> Result<Vec<KeySchemaElement>, String> {
    list.as_sequence()
        .ok_or("KeySchema is not a list")?
        .iter()
        .map(|k| {
            let kind = if text(k, "KeyType")? == "HASH" {
                KeyType::Hash
            } else {
                KeyType::Range
            };
            KeySchemaElement::builder()
                .attribute_name(text(k, "AttributeName")?)
                .key_type(kind)
                .build()
                .map_err(|e| e.to_string())
        })
        .collect()
}

async fn provision_table(client: &aws_sdk_dynamodb::Client, name: &str) -> Result<(), String> {
    let props = table_properties()?;
    let attributes = props
        .get("AttributeDefinitions")
        .and_then(Value::as_sequence)
        .ok_or("AttributeDefinitions missing")?
        .iter()
        .map(|a| {
            AttributeDefinition::builder()
                .attribute_name(text(a, "AttributeName")?)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, String>>()?;
    let indexes = props
        .get("GlobalSecondaryIndexes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .map(|g| {
            GlobalSecondaryIndex::builder()
                .index_name(text(g, "IndexName")?)
                .set_key_schema(Some(key_schema(g.get("KeySchema").ok_or("GSI KeySchema missing")?)?))
                .projection(Projection::builder().projection_type(ProjectionType::All).build())
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, String>>()?;
    let created = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attributes))
        .set_key_schema(Some(key_schema(props.get("KeySchema").ok_or("KeySchema missing")?)?))
        .set_global_secondary_indexes(Some(indexes))
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewAndOldImages)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .send()
        .await;
    match created {
        Ok(_) => println!("table {name}: created"),
        Err(error) if error.as_service_error().is_some_and(|e| e.is_resource_in_use_exception()) => {
            println!("table {name}: exists")
        }
        Err(error) => {
            return Err(format!("create table: {}", aws_sdk_dynamodb::error::DisplayErrorContext(error)));
        }
    }
    for _ in 0..60 {
        let described = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())?;
        if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let ttl_attribute = props
        .get("TimeToLiveSpecification")
        .map(|t| text(t, "AttributeName"))
        .transpose()?
        .unwrap_or("expires_at");
    let ttl = TimeToLiveSpecification::builder()
        .attribute_name(ttl_attribute)
        .enabled(true)
        .build()
        .map_err(|e| e.to_string())?;
    match client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(ttl)
        .send()
        .await
    {
        Ok(_) => println!("table {name}: TTL on {ttl_attribute}"),
        // Enabling TTL twice is refused; it is on.
        Err(error) if format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(&error)).contains("already enabled") => {
            println!("table {name}: TTL already on")
        }
        Err(error) => {
            return Err(format!("TTL: {}", aws_sdk_dynamodb::error::DisplayErrorContext(error)));
        }
    }
    Ok(())
}

async fn provision_bucket(client: &aws_sdk_s3::Client, name: &str, origin: &str) -> Result<(), String> {
    match client.create_bucket().bucket(name).send().await {
        Ok(_) => println!("bucket {name}: created"),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists()) =>
        {
            println!("bucket {name}: exists")
        }
        Err(error) => {
            return Err(format!("create bucket: {}", aws_sdk_s3::error::DisplayErrorContext(error)));
        }
    }
    let rule = CorsRule::builder()
        .allowed_origins(origin)
        .allowed_methods("PUT")
        .allowed_methods("GET")
        .allowed_headers("content-type")
        .max_age_seconds(600)
        .build()
        .map_err(|e| e.to_string())?;
    let cors = CorsConfiguration::builder().cors_rules(rule).build().map_err(|e| e.to_string())?;
    client
        .put_bucket_cors()
        .bucket(name)
        .cors_configuration(cors)
        .send()
        .await
        .map_err(|e| format!("bucket CORS: {}", aws_sdk_s3::error::DisplayErrorContext(e)))?;
    println!("bucket {name}: CORS for {origin}");
    Ok(())
}

/// Creates the association's first accounts (`admin`, `reviewer`) in the table, with the
/// password in `GONGSHI_SEED_PASSWORD`; existing accounts are left alone.
async fn seed_admin(sdk: &aws_config::SdkConfig, table: &str) -> Result<(), String> {
    let password = std::env::var("GONGSHI_SEED_PASSWORD").map_err(|_| "--seed-admin needs GONGSHI_SEED_PASSWORD".to_owned())?;
    let resources = gongshi_platform::aws::Resources {
        table: table.to_owned(),
        uploads_bucket: String::new(),
        mail_sender: String::new(),
        sms_sender_id: None,
    };
    let clock: std::sync::Arc<dyn gongshi_platform::Clock> = std::sync::Arc::new(gongshi_platform::SystemClock);
    // The token key is irrelevant here: nothing is signed.
    let config = gongshi_platform::Config::new(Vec::new(), "");
    let platform = gongshi_platform::aws::platform(
        gongshi_platform::aws::Clients::TABLE,
        sdk,
        &resources,
        config,
        clock,
        std::sync::Arc::new(gongshi_platform::RandomIds),
    );
    let created = gongshi_local::seed::seed_association_accounts(&platform, &password).await?;
    if created.is_empty() {
        println!("association accounts: already there");
    } else {
        println!(
            "association accounts created: {} (log in as 协会用户 and change the password)",
            created.join(", ")
        );
    }
    Ok(())
}

/// Migrates the table's data to the current layout (idempotent).
async fn migrate(sdk: &aws_config::SdkConfig, table: &str) -> Result<(), String> {
    let table = gongshi_platform::aws::DynamoTable::new(aws_sdk_dynamodb::Client::new(sdk), table);
    let report = gongshi_store::migrations::run(&table)
        .await
        .map_err(|e| format!("migration: {e}"))?;
    if report.ran.is_empty() {
        println!("data migrations: all applied before");
    } else {
        println!("data migrations run: {} ({} items written)", report.ran.join(", "), report.written);
    }
    Ok(())
}

async fn run() -> Result<(), String> {
    let args = parse_args()?;
    let sdk = gongshi_platform::aws::sdk_config().await?;
    if args.only_migrate {
        return migrate(&sdk, &args.table).await;
    }
    if args.only_seed {
        migrate(&sdk, &args.table).await?;
        return seed_admin(&sdk, &args.table).await;
    }
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(gongshi_platform::aws::emulated(&sdk))
            .build(),
    );
    provision_table(&aws_sdk_dynamodb::Client::new(&sdk), &args.table).await?;
    migrate(&sdk, &args.table).await?;
    provision_bucket(&s3, &args.bucket, &args.origin).await?;
    aws_sdk_ses::Client::new(&sdk)
        .verify_email_identity()
        .email_address(&args.sender)
        .send()
        .await
        .map_err(|e| format!("SES identity: {}", aws_sdk_ses::error::DisplayErrorContext(e)))?;
    println!("ses identity {}: verification requested", args.sender);
    if args.seed_admin {
        seed_admin(&sdk, &args.table).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gongshi-provision: {error}");
            ExitCode::FAILURE
        }
    }
}

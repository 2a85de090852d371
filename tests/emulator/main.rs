//! The AWS adapters (DynamoDB, S3, SNS, SES) against an AWS emulator: the same conformance
//! suites as the embedded adapters, plus messages read back from the emulator.
//!
//! Needs `AWS_ENDPOINT_URL` and the resources made by `gongshi-provision`
//! (`TABLE_NAME`, `UPLOADS_BUCKET`, `MAIL_SENDER`); `scripts/test` provides all of it.

mod http;

use async_trait::async_trait;
use gongshi_platform::aws::{DynamoTable, Resources, S3Blobs, SesMail, SnsSms};
use gongshi_platform::conformance::blobs::{BlobsFixture, Transport};
use gongshi_platform::{Mail, PresignedRequest, Sms, SystemClock, Table};
use std::sync::Arc;

fn resources() -> Resources {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL must name the emulator (run through scripts/test)"
    );
    Resources::from_env().expect("TABLE_NAME, UPLOADS_BUCKET and MAIL_SENDER from gongshi-provision")
}

async fn table() -> Arc<dyn Table> {
    let sdk = gongshi_platform::aws::sdk_config().await.expect("SDK configuration");
    Arc::new(DynamoTable::new(aws_sdk_dynamodb::Client::new(&sdk), &resources().table))
}

mod table_conformance {
    gongshi_platform::table_conformance!(super::table().await);
}

/// Presigned requests over real HTTP, with an explicit Content-Type and a timeout.
struct HttpTransport;

#[async_trait]
impl Transport for HttpTransport {
    async fn send(&self, request: &PresignedRequest, content_type: Option<&str>, body: Vec<u8>) -> (u16, Vec<u8>) {
        http::send(request.method, &request.url, content_type, body)
            .await
            .expect("emulator answers")
    }
}

async fn blobs_fixture() -> BlobsFixture {
    let sdk = gongshi_platform::aws::sdk_config().await.expect("SDK configuration");
    BlobsFixture {
        blobs: Arc::new(S3Blobs::new(&sdk, &resources().uploads_bucket, Arc::new(SystemClock))),
        transport: Arc::new(HttpTransport),
    }
}

mod blobs_conformance {
    gongshi_platform::blobs_conformance!(super::blobs_fixture().await);
}

/// What the emulator recorded (`/moto-api/data.json`; LocalStack has its own endpoints).
async fn recorded() -> serde_json::Value {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("endpoint");
    let (status, body) = http::send("GET", &format!("{endpoint}/moto-api/data.json"), None, Vec::new())
        .await
        .expect("moto answers");
    assert_eq!(status, 200);
    serde_json::from_slice(&body).expect("json")
}

#[tokio::test]
async fn sns_sms_is_published_to_the_e164_number() {
    let sdk = gongshi_platform::aws::sdk_config().await.expect("SDK configuration");
    let sms = SnsSms::new(aws_sdk_sns::Client::new(&sdk), Some("Gongshi".into()));
    let code = format!("{:06}", std::process::id() % 1_000_000);
    let text = format!("【执业公示系统】您的验证码为 {code}，10分钟内有效。");
    sms.send(&gongshi_core::Mobile::parse("13900139000").expect("mobile"), &text)
        .await
        .expect("published");
    let data = recorded().await;
    let sent = data["sns"]["SMS"].as_array().expect("SMS list");
    assert!(
        sent.iter()
            .any(|m| m["phone_number"] == "+8613900139000" && m["message"] == text.as_str()),
        "{sent:?}"
    );
}

#[tokio::test]
async fn ses_mail_is_sent_from_the_verified_sender() {
    let sdk = gongshi_platform::aws::sdk_config().await.expect("SDK configuration");
    let mail = SesMail::new(aws_sdk_ses::Client::new(&sdk), &resources().mail_sender);
    let subject = format!("执业公示系统：单位注册申请已通过 #{}", std::process::id());
    mail.send(&gongshi_core::Email::parse("lisi@example.com").expect("email"), &subject, "您好！")
        .await
        .expect("sent");
    let data = recorded().await.to_string();
    assert!(data.contains(&subject), "the e-mail is recorded by the emulator");
}

/// One test for the migration cases: they share the table's clauses partition and its
/// migration record, so they run in turn.
#[tokio::test]
async fn migrations_on_dynamodb_copy_the_clauses_in_force_once() {
    let table = table().await;
    gongshi_tests::migrations::clauses_published_before_the_copy_are_in_force_after_the_migration(table.as_ref()).await;
    gongshi_tests::migrations::a_table_without_clauses_migrates_to_nothing(table.as_ref()).await;
    gongshi_tests::migrations::an_application_older_than_its_history_copy_gets_it_from_the_audit_trail(table.as_ref()).await;
    gongshi_tests::migrations::a_person_imported_before_the_items_moved_has_them_in_the_profile_after_the_migration(table.as_ref()).await;
    gongshi_tests::migrations::a_unit_older_than_its_scopes_gets_them_from_its_approved_certificates(table.as_ref()).await;
    gongshi_tests::migrations::a_unit_admin_named_after_its_unit_is_named_after_its_contact(table.as_ref()).await;
    gongshi_tests::migrations::a_branch_older_than_the_accounts_index_is_listed_after_the_migration(table.as_ref()).await;
    gongshi_tests::migrations::a_unit_older_than_the_accounts_index_is_read_with_its_accounts_after_the_migration(table.as_ref()).await;
    gongshi_tests::migrations::a_registration_older_than_its_history_copy_gets_it_from_the_audit_trail(table.as_ref()).await;
    gongshi_tests::migrations::open_applications_older_than_the_units_markers_are_on_the_unit_home_after_the_migration(table.as_ref())
        .await;
    gongshi_tests::migrations::publicities_older_than_the_units_markers_are_counted_after_the_migration(table.as_ref()).await;
}

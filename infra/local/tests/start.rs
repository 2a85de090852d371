//! Starting the gateway on the AWS adapters: settings that would leave it broken stop it at
//! start with a message naming the setting.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_certificate_bundle_that_is_no_file_stops_the_start() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut gateway = Command::new(env!("CARGO_BIN_EXE_gongshi-local"))
        .args(["--aws", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("SSL_CERT_FILE", "/nonexistent/ca-bundle.crt")
        .env("TABLE_NAME", "gongshi")
        .env("UPLOADS_BUCKET", "gongshi-uploads")
        .env("MAIL_SENDER", "noreply@gongshi.example.cn")
        .env("AWS_REGION", "us-east-1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gateway runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = gateway.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            gateway.kill().expect("kill");
            panic!("the gateway started without trusted roots instead of stopping");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    gateway.stderr.take().expect("piped").read_to_string(&mut stderr).expect("stderr");
    assert!(!status.success());
    assert!(
        stderr.contains("SSL_CERT_FILE=/nonexistent/ca-bundle.crt is not a file"),
        "{stderr}"
    );
}

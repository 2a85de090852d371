//! The `Sms` and `Mail` ports, and the embedded [`Outbox`] that stands in for SNS and SES.

use async_trait::async_trait;
use gongshi_core::{Email, Mobile};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

use crate::Clock;

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
#[error("message not sent: {0}")]
pub struct NotifyError(pub String);

/// Text messages (SNS `Publish` to a phone number).
#[async_trait]
pub trait Sms: Send + Sync {
    /// Sends `text` to `to`.
    async fn send(&self, to: &Mobile, text: &str) -> Result<(), NotifyError>;
}

/// E-mail (SES `SendEmail`).
#[async_trait]
pub trait Mail: Send + Sync {
    /// Sends a plain-text e-mail.
    async fn send(&self, to: &Email, subject: &str, body: &str) -> Result<(), NotifyError>;
}

/// One message the outbox received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    /// `sms` or `email`.
    pub channel: String,
    /// Phone number or address.
    pub to: String,
    /// E-mail subject.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// When it was sent.
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
}

/// Local stand-in for SNS and SES: messages are appended to a JSON-lines file that the
/// local-only outbox page shows, so a developer can read codes. Contents are never logged.
#[derive(Clone)]
pub struct Outbox {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Outbox {
    /// An outbox file at `path`.
    pub fn new(path: PathBuf, clock: Arc<dyn Clock>) -> Self {
        Self {
            path,
            lock: Arc::new(Mutex::new(())),
            clock,
        }
    }

    fn append(&self, message: &OutboxMessage) -> Result<(), NotifyError> {
        let line = serde_json::to_string(message).map_err(|e| NotifyError(e.to_string()))?;
        let _guard = self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| NotifyError(e.to_string()))?;
        writeln!(file, "{line}").map_err(|e| NotifyError(e.to_string()))
    }

    /// Every message sent so far, oldest first.
    pub fn messages(&self) -> Vec<OutboxMessage> {
        let _guard = self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        std::fs::read_to_string(&self.path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

#[async_trait]
impl Sms for Outbox {
    async fn send(&self, to: &Mobile, text: &str) -> Result<(), NotifyError> {
        tracing::info!(to = %to.masked(), chars = text.chars().count(), "sms stored in local outbox");
        self.append(&OutboxMessage {
            channel: "sms".into(),
            to: to.as_str().into(),
            subject: None,
            body: text.into(),
            sent_at: self.clock.now(),
        })
    }
}

#[async_trait]
impl Mail for Outbox {
    async fn send(&self, to: &Email, subject: &str, body: &str) -> Result<(), NotifyError> {
        tracing::info!(chars = body.chars().count(), "e-mail stored in local outbox");
        self.append(&OutboxMessage {
            channel: "email".into(),
            to: to.as_str().into(),
            subject: Some(subject.into()),
            body: body.into(),
            sent_at: self.clock.now(),
        })
    }
}

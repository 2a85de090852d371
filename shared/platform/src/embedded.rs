//! The embedded platform: every port on files under one data directory, so the whole system
//! runs in one process with nothing else installed.
//!
//! ```text
//! <data>/table.redb     the table
//! <data>/blobs/         uploaded and generated files
//! <data>/outbox.jsonl   SMS and e-mails "sent"
//! <data>/secrets.json   locally generated signing keys (created on first start)
//! ```

use crate::blobs::DirBlobs;
use crate::notify::Outbox;
use crate::table::FileTable;
use crate::{Clock, Config, Ids, Platform};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded adapters, kept concrete so the local gateway can reach what only they offer
/// (TTL sweeping, signed blob URLs, the outbox).
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The table file.
    pub table: FileTable,
    /// The blob directory.
    pub blobs: DirBlobs,
    /// SMS and e-mail outbox.
    pub outbox: Outbox,
    /// The data directory.
    pub dir: PathBuf,
}

/// Locally generated secrets, kept in the data directory so tokens survive a restart.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct LocalSecrets {
    jwt: String,
    blobs: String,
}

impl Embedded {
    /// Opens (creating if needed) the data directory. Returns the adapters and a config with
    /// the directory's own secrets and the given public base URL.
    pub fn open(dir: &Path, public_base_url: &str, clock: Arc<dyn Clock>, ids: &dyn Ids) -> Result<(Self, Config), String> {
        std::fs::create_dir_all(dir.join("blobs")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let secrets_path = dir.join("secrets.json");
        let secrets: LocalSecrets = match std::fs::read_to_string(&secrets_path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{} is damaged: {e}", secrets_path.display()))?,
            Err(_) => {
                let fresh = LocalSecrets {
                    jwt: ids.secret(),
                    blobs: ids.secret(),
                };
                let text = serde_json::to_string_pretty(&fresh).map_err(|e| e.to_string())?;
                std::fs::write(&secrets_path, text).map_err(|e| format!("cannot write {}: {e}", secrets_path.display()))?;
                fresh
            }
        };
        let table = FileTable::open(&dir.join("table.redb")).map_err(|e| e.to_string())?;
        let blobs = DirBlobs::new(dir.join("blobs"), public_base_url, secrets.blobs.into_bytes(), Arc::clone(&clock));
        let outbox = Outbox::new(dir.join("outbox.jsonl"), clock);
        let config = Config::new(secrets.jwt.into_bytes(), public_base_url);
        Ok((
            Self {
                table,
                blobs,
                outbox,
                dir: dir.to_owned(),
            },
            config,
        ))
    }

    /// The ports bundle for the functions.
    pub fn platform(&self, config: Config, clock: Arc<dyn Clock>, ids: Arc<dyn Ids>) -> Platform {
        Platform {
            table: Arc::new(self.table.clone()),
            blobs: Arc::new(self.blobs.clone()),
            sms: Arc::new(self.outbox.clone()),
            mail: Arc::new(self.outbox.clone()),
            clock,
            ids,
            config: Arc::new(config),
        }
    }
}

//! 通知公告: every notice as `NOTICE#<id>` / `NOTICE` (listed for the admin through gsi1
//! `NOTICES` / `<published at>#<id>`, newest first), and the board the unit homes show:
//! `CONFIG#NOTICES` / `BOARD`, a copy of the notices in force (pinned first, then the newest,
//! at most `notice::SHOWN`) rewritten in the transaction of every publication, edit and
//! withdrawal, so a home reads it by key beside the caller's account. What an account has
//! read: `ACCT#<username>` / `NOTICES_READ`, read in the same batch.

use crate::{StoreError, from_item, to_item};
use gongshi_core::notice::{NoticeContent, SHOWN};
use gongshi_platform::{Condition, Cursor, Index, Item, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// A notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// ULID.
    pub id: String,
    /// Title, body and whether it is pinned.
    #[serde(flatten)]
    pub content: NoticeContent,
    /// First published.
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// By whom (username).
    pub published_by: String,
    /// Last edited.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// Withdrawn (撤回): kept, no longer shown.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<OffsetDateTime>,
    /// Optimistic concurrency.
    pub version: u64,
}

/// The notices in force, as the homes show them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// Pinned first, then the newest.
    pub notices: Vec<Notice>,
    /// Optimistic concurrency (0: never written).
    #[serde(default)]
    pub version: u64,
}

impl Board {
    /// The board with `notice` as it now is: put in its place (or taken off when withdrawn),
    /// pinned first, then the newest, at most [`SHOWN`].
    pub fn with(&self, notice: &Notice) -> Self {
        let mut notices: Vec<Notice> = self.notices.iter().filter(|n| n.id != notice.id).cloned().collect();
        if notice.withdrawn_at.is_none() {
            notices.push(notice.clone());
        }
        notices.sort_by(|a, b| {
            b.content
                .pinned
                .cmp(&a.content.pinned)
                .then(b.published_at.cmp(&a.published_at))
                .then(b.id.cmp(&a.id))
        });
        notices.truncate(SHOWN);
        Self {
            notices,
            version: self.version + 1,
        }
    }
}

/// The notice's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("NOTICE#{id}"), "NOTICE")
}

/// The audit entity of a notice.
pub fn entity(id: &str) -> String {
    format!("NOTICE#{id}")
}

/// The board's key.
pub fn board_key() -> Key {
    Key::new("CONFIG#NOTICES", "BOARD")
}

/// The board read beforehand (empty when never written).
pub fn board_of(item: Option<Item>) -> Result<Board, StoreError> {
    Ok(item.map(from_item).transpose()?.unwrap_or_default())
}

/// The notice read beforehand, if any.
pub fn notice_of(item: Option<Item>) -> Result<Option<Notice>, StoreError> {
    item.map(from_item).transpose()
}

fn item(notice: &Notice) -> Item {
    let at = notice
        .published_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let index: Vec<(&str, Value)> = vec![("gsi1pk", "NOTICES".into()), ("gsi1sk", format!("{at}#{}", notice.id).into())];
    to_item(&key(&notice.id), notice, &index)
}

/// Writes `notice`: new (`expected_version` `None`) or replacing the version read.
pub fn put(notice: &Notice, expected_version: Option<u64>) -> Write {
    Write::Put {
        item: item(notice),
        condition: match expected_version {
            None => Condition::NotExists,
            Some(version) => Condition::equals("version", version),
        },
    }
}

/// Writes `board`, replacing the version it was made from (of two racing writers one fails).
pub fn put_board(board: &Board) -> Write {
    Write::Put {
        item: to_item(&board_key(), board, &[]),
        condition: match board.version {
            1 => Condition::NotExists,
            version => Condition::equals("version", version - 1),
        },
    }
}

/// One page of every notice, withdrawn ones too, the newest first.
pub async fn list(table: &dyn Table, after: Option<Cursor>, limit: usize) -> Result<(Vec<Notice>, Option<Cursor>), StoreError> {
    let page = table
        .query(&Query::partition(Index::Gsi1, "NOTICES").backward().limit(limit).after(after))
        .await?;
    let items = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok((items, page.next))
}

/// The notices an account has read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadNotices {
    /// Their ids (only those still on the board are kept).
    pub ids: Vec<String>,
    /// Optimistic concurrency (0: never written).
    #[serde(default)]
    pub version: u64,
}

/// The key of what `username` has read.
pub fn read_key(username: &str) -> Key {
    Key::new(crate::entity::account(username), "NOTICES_READ")
}

/// What an account has read, read beforehand.
pub fn read_of(item: Option<Item>) -> Result<ReadNotices, StoreError> {
    Ok(item.map(from_item).transpose()?.unwrap_or_default())
}

/// Records `id` as read by `username`, keeping only the ids still on `board`; `None` when
/// it was read already (nothing to write).
pub fn mark_read(username: &str, read: &ReadNotices, board: &Board, id: &str) -> Option<Write> {
    if read.ids.iter().any(|r| r == id) {
        return None;
    }
    let mut ids: Vec<String> = read
        .ids
        .iter()
        .filter(|r| board.notices.iter().any(|n| &n.id == *r))
        .cloned()
        .collect();
    ids.push(id.to_owned());
    let next = ReadNotices {
        ids,
        version: read.version + 1,
    };
    Some(Write::Put {
        item: to_item(&read_key(username), &next, &[]),
        condition: match read.version {
            0 => Condition::NotExists,
            version => Condition::equals("version", version),
        },
    })
}

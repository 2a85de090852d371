//! Account appeals (帐号申诉, F5, manual §2.3.2): `APPEAL#<id>` / `APPEAL`, queued for review
//! through gsi2 `APPEALQ#<state>` by submission time. A draft (proofs still being uploaded)
//! expires by TTL; only the holder of its token may touch it.

use crate::{StoreError, from_item, to_item};
use gongshi_core::registration::{Decision, UploadRef};
use gongshi_core::{Email, IdNumber, Mobile, Name, Uscc};
use gongshi_platform::{Condition, Cursor, Index, Key, Query, Table, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

pub use gongshi_core::review::AppealState;

/// An appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    /// ULID.
    pub id: String,
    /// State.
    pub state: AppealState,
    /// The unit's 统一社会信用代码.
    pub uscc: Uscc,
    /// The registered unit that held the USCC when the appeal was made: the review reads it
    /// with its accounts in one query. Absent when none did (then the review looks again, by
    /// the USCC) and on appeals made before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    /// 单位名称 as given.
    pub unit_name: Name,
    /// 申诉人.
    pub applicant_name: Name,
    /// 申诉人手机: the new authorised contact's, proven by an SMS code at submission.
    pub applicant_mobile: Mobile,
    /// 申诉人身份证号: the new authorised contact's (absent on appeals made before it was
    /// asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_id_number: Option<IdNumber>,
    /// When the appellant proved the mobile with the code sent to it.
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub mobile_verified_at: Option<OffsetDateTime>,
    /// Where the result is e-mailed.
    pub contact_email: Email,
    /// 申诉原因.
    pub reason: String,
    /// 营业执照.
    pub licence: Option<UploadRef>,
    /// 授权委托书.
    pub authorisation: Option<UploadRef>,
    /// SHA-256 of the appellant's token.
    pub token_digest: String,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    /// The last day of the 3 working days to reply.
    pub due_date: Option<Date>,
    /// The decision.
    pub decision: Option<Decision>,
    /// The account whose password was reset on approval.
    pub password_reset_for: Option<String>,
    /// Optimistic concurrency.
    pub version: u64,
    /// A draft is forgotten after this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// The appeal's key.
pub fn key(id: &str) -> Key {
    Key::new(format!("APPEAL#{id}"), "APPEAL")
}

/// The owner name of its uploads.
pub fn entity(id: &str) -> String {
    format!("APPEAL#{id}")
}

fn item(appeal: &Appeal) -> gongshi_platform::Item {
    let mut index: Vec<(&str, Value)> = Vec::new();
    if let Some(at) = appeal.submitted_at {
        index.push(("gsi2pk", format!("APPEALQ#{}", appeal.state.as_str()).into()));
        index.push((
            "gsi2sk",
            format!("{}#{}", at.format(&Rfc3339).unwrap_or_default(), appeal.id).into(),
        ));
    }
    to_item(&key(&appeal.id), appeal, &index)
}

/// Creates an appeal.
pub async fn create(table: &dyn Table, appeal: &Appeal) -> Result<(), StoreError> {
    table.transact(vec![create_write(appeal)]).await.map_err(Into::into)
}

/// [`create`] as a write of a larger transaction (with its code and counters).
pub fn create_write(appeal: &Appeal) -> Write {
    Write::Put {
        item: item(appeal),
        condition: Condition::NotExists,
    }
}

/// Replaces an appeal still at `expected_version`.
pub fn replace(appeal: &Appeal, expected_version: u64) -> Write {
    Write::Put {
        item: item(appeal),
        condition: Condition::equals("version", expected_version),
    }
}

/// The appeal, if any (check `expires_at` of drafts).
pub async fn get(table: &dyn Table, id: &str) -> Result<Option<Appeal>, StoreError> {
    table.get(&key(id)).await?.map(from_item).transpose()
}

/// One page of the review queue of a state, oldest first.
pub async fn queue(
    table: &dyn Table,
    state: AppealState,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<Appeal>, Option<Cursor>), StoreError> {
    let page = table
        .query(
            &Query::partition(Index::Gsi2, format!("APPEALQ#{}", state.as_str()))
                .limit(limit)
                .after(after),
        )
        .await?;
    let items = page.items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok((items, page.next))
}

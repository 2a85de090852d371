//! The commitment clauses (承诺条款) a unit confirms with every application (F11): the
//! version in force and the consent recorded with the application.

use crate::applications::SYSTEM;
use crate::{Error, Result};
use gongshi_platform::Platform;
use gongshi_store::applications::ClauseConsent;
use gongshi_store::clauses::{self, ClauseText};
use time::OffsetDateTime;

/// The commitment clauses units confirm until the association publishes its own (version 1).
pub fn default_clauses() -> ClauseText {
    ClauseText {
        version: 1,
        title: "执业公示承诺书".into(),
        clauses: vec![
            "本单位承诺所申报人员为本单位正式聘用的检验检测人员，申报信息真实、准确、完整。".into(),
            "本单位承诺所申报人员仅在本单位执业，不存在同时在两个及以上单位执业的情形。".into(),
            "本单位承诺所申报项目在本单位核准/许可的范围内，并对申报人员的执业行为进行管理。".into(),
            "如申报信息不实，本单位愿意承担相应责任，并接受协会的处理。".into(),
        ],
        published_at: OffsetDateTime::UNIX_EPOCH,
        published_by: SYSTEM.into(),
    }
}

/// The clauses in force: the latest published version, or the built-in first one.
pub async fn current(p: &Platform) -> Result<ClauseText> {
    current_of(
        p.table
            .get(&clauses::current_key())
            .await
            .map_err(gongshi_store::StoreError::from)?,
    )
}

/// [`current`] from the item under [`clauses::current_key`], read in the caller's batch get.
pub fn current_of(item: Option<gongshi_platform::Item>) -> Result<ClauseText> {
    Ok(clauses::current_of(item)?.unwrap_or_else(default_clauses))
}

/// The clauses the unit confirmed, checked against the version in force (409 when they
/// changed meanwhile; 422 when not confirmed).
pub async fn confirmed(p: &Platform, version: u32, confirmed: bool, who: &str) -> Result<ClauseConsent> {
    let current = current(p).await?;
    confirmed_against(p, current, version, confirmed, who)
}

/// [`confirmed`] against the version in force read beforehand (see [`current_of`]).
pub fn confirmed_against(p: &Platform, current: ClauseText, version: u32, confirmed: bool, who: &str) -> Result<ClauseConsent> {
    if !confirmed {
        return Err(Error::field("clauses_confirmed", "clauses_not_confirmed", "请阅读并确认承诺条款"));
    }
    if current.version != version {
        return Err(Error::Conflict(
            "clauses_outdated",
            "承诺条款已更新，请重新阅读并确认最新版本".into(),
        ));
    }
    Ok(ClauseConsent {
        version,
        title: current.title,
        confirmed_by: who.into(),
        confirmed_at: p.clock.now(),
    })
}

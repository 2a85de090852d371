//! The one conditional transition every step of a publicity application goes through: the
//! state machine of `gongshi_core::practice` applied to a stored application, with its audit
//! entry, the person's lock and the deadline marker kept in step.

use crate::{Error, Result};
use gongshi_core::practice::{ApplicationState, Step};
use gongshi_platform::{Platform, Write};
use gongshi_store::applications::{self, Application};
use gongshi_store::audit::AuditEntry;
use gongshi_store::practitioners::{self, OpenLock};

/// The actor of automatic transitions (expiry, publicity changes).
pub const SYSTEM: &str = "system";

/// The purpose of application confirmation codes; their subject is the person's ID number
/// (a person has at most one open application).
pub const CONFIRM_PURPOSE: &str = "CONFIRM";

/// Where an application's generated form (申请表 PDF) is stored.
pub fn form_key(id: &str) -> String {
    format!("forms/{id}.pdf")
}

/// The application, or 404.
pub async fn load(p: &Platform, id: &str) -> Result<Application> {
    applications::get(p.table.as_ref(), id).await?.ok_or_else(not_found)
}

/// 404 for an application that does not exist or is not the caller's to see.
pub fn not_found() -> Error {
    Error::NotFound("application_not_found", "未找到该申报单".into())
}

/// The application if any, or 404.
pub fn found(app: Option<Application>) -> Result<Application> {
    app.ok_or_else(not_found)
}

/// A transition ready to be written: the new application and the writes that go with it.
#[derive(Debug)]
pub struct Transition {
    /// The application after the step.
    pub next: Application,
    /// Its conditional replacement, audit entry, lock and deadline writes; add more and
    /// pass them to one `transact`.
    pub writes: Vec<Write>,
}

/// The step applied to `app` by `actor`: conditional on its version; the lock follows the
/// state (rewritten while open, deleted at the end) and the deadline marker goes once the
/// deadline no longer runs; `edit` sets what else the step changes. A step the current
/// state does not allow is 409.
pub fn advance(
    p: &Platform,
    app: &Application,
    step: Step,
    actor: &str,
    reason: Option<String>,
    edit: impl FnOnce(&mut Application),
) -> Result<Transition> {
    let now = p.clock.now();
    let current = if step == Step::Expire { app.state } else { app.state_at(now) };
    let Some(state) = current.after(app.kind, step) else {
        return Err(not_allowed(p, app, current));
    };
    let mut next = app.clone();
    next.state = state;
    next.version += 1;
    if state != app.state {
        next.state_since = now;
    }
    edit(&mut next);
    let id_number = &app.person.id_number;
    let entry = AuditEntry {
        entity: app.entity(),
        action: format!("application.{}", step_name(step)),
        actor: actor.into(),
        from: Some(app.state.as_str().into()),
        to: Some(state.as_str().into()),
        reason,
        at: now,
    };
    let audit = next.record(entry, &p.ids.id());
    // The unit's marker of its open applications follows (put while open, deleted at the end).
    let mut writes = vec![applications::replace(&next, app.version), audit, applications::open_marker(&next)];
    if state.is_open() {
        if state != app.state {
            writes.push(practitioners::relock(
                id_number,
                &OpenLock {
                    application_id: app.id.clone(),
                    unit_id: app.unit_id.clone(),
                    state,
                    deadline: Some(next.deadline),
                },
            ));
        }
    } else {
        writes.push(practitioners::unlock(id_number, &app.id));
    }
    if app.state.counts_down() && !state.counts_down() {
        writes.push(applications::clear_deadline(&app.id));
    } else if !app.state.counts_down() && state.counts_down() {
        // Returned for correction: the correction period runs to the new deadline.
        writes.push(applications::set_deadline(&next));
    }
    Ok(Transition { next, writes })
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::UploadScan => "scan_uploaded",
        Step::Confirm => "confirmed",
        Step::Approve => "approved",
        Step::Reject => "rejected",
        Step::Return => "returned",
        Step::Expire => "expired",
        Step::Withdraw => "withdrawn",
        Step::Decline => "declined",
    }
}

/// 409 for a step the state `current` of `app` does not allow (an expired application names
/// the period it missed: the deadline, or the correction period of a return).
pub fn not_allowed(p: &Platform, app: &Application, current: ApplicationState) -> Error {
    match current {
        ApplicationState::Expired if app.corrections.last().is_some_and(|c| c.corrected_at.is_none()) => Error::Conflict(
            "application_expired",
            format!(
                "申报单退回补正后{}个工作日内未重新上传，已自动结束（不通过），请重新申报",
                p.config.periods.correction_working_days
            ),
        ),
        ApplicationState::Expired => Error::Conflict(
            "application_expired",
            format!(
                "申报单已超过{}天期限，已自动结束（不通过），请重新申报",
                p.config.periods.application_deadline.whole_days()
            ),
        ),
        other => Error::Conflict("application_state", format!("申报单当前状态为“{}”，不能执行此操作", other.label())),
    }
}

/// 409 for a transition that lost a race.
pub fn changed_meanwhile() -> Error {
    Error::Conflict("application_changed", "申报单状态已变化，请刷新后重试".into())
}

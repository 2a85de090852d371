//! What a decision on a publicity application does: approval issues the publicity (初始,
//! 变更: a new 公示证书 at this unit, the one left behind ends and that unit is told),
//! updates it (续期: same certificate, renewed items and validity) or ends it (注销); a
//! rejection changes only the application, and so does a return for correction (退回补正). The application's transition, the publicity's
//! records and their audit entries are written in one transaction.

use crate::applications::{SYSTEM, advance, changed_meanwhile};
use crate::{Error, OnConflict, Result, notify};
use gongshi_core::calendar::WorkCalendar;
use gongshi_core::china_today;
use gongshi_core::correction::{Correction, CorrectionRequest, correction_deadline, correction_due};
use gongshi_core::practice::{ApplicationKind, Publicity, Step, document_number, publicity_valid_until};
use gongshi_core::registration::{Decision, Outcome};
use gongshi_platform::{Platform, Write};
use gongshi_store::applications::Application;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::practitioners::{self, EndedPublicity, PublicityRecord, Stay};
use gongshi_store::units;

/// Decides `app` as `reviewer`: approved or rejected with the reason (the caller checked it
/// against the reason rule). Answers the application as decided; texts the outcome.
pub async fn decide(p: &Platform, app: &Application, reviewer: &str, outcome: Outcome, reason: Option<String>) -> Result<Application> {
    let now = p.clock.now();
    let approved = outcome == Outcome::Approved;
    let decision = Decision {
        outcome,
        reason: reason.clone(),
        decided_at: now,
        decided_by: reviewer.into(),
    };
    let step = if approved { Step::Approve } else { Step::Reject };
    // The person's publicity with the units to be texted (the application's; for a change,
    // the one left behind), in one batch get.
    let id_number = &app.person.id_number;
    let mut keys = vec![practitioners::publicity_key(id_number), units::key(&app.unit_id)];
    if let Some(previous) = app.previous.as_ref().filter(|prev| prev.unit_id != app.unit_id) {
        keys.push(units::key(&previous.unit_id));
    }
    let mut found = p.table.get_many(&keys).await.map_err(gongshi_store::StoreError::from)?.into_iter();
    let current = practitioners::publicity_of(found.next().flatten())?;
    let known: Vec<units::Unit> = found.flatten().map(gongshi_store::decode).collect::<std::result::Result<_, _>>()?;
    let issued = if approved { Some(publish(p, app, current.as_ref())?) } else { None };
    let certificate_no = issued.as_ref().map(|(record, _)| record.publicity.certificate_no.clone());
    let transition = advance(p, app, step, reviewer, reason, |next| {
        next.decision = Some(decision);
        next.certificate_no = certificate_no;
    })?;
    let mut writes = transition.writes;
    if let Some((_, publicity_writes)) = issued {
        writes.extend(publicity_writes);
    }
    p.table.transact(writes).await.on_conflict(changed_meanwhile)?;
    let next = transition.next;
    tracing::info!(application = %next.id, approved, "application decided");
    notify::outcome_with(p, &next, Some(&known)).await;
    if approved
        && next.kind != ApplicationKind::Cancellation
        && let Some(previous) = current
            .as_ref()
            .filter(|c| c.publicity.unit_id != next.unit_id && c.publicity.is_active_on(china_today(now)))
    {
        notify::previous_unit(p, &next, previous, Some(&known)).await;
    }
    Ok(next)
}

/// Returns `app` for correction (退回补正) as `reviewer`: the unit is to upload a corrected
/// scan before the correction period ends (`Periods::correction_working_days` working days
/// of `calendar` after today, at midnight China time), and the application counts down to
/// that end; the unit's contact is texted and e-mailed what to correct.
pub async fn send_back(
    p: &Platform,
    app: &Application,
    reviewer: &str,
    request: CorrectionRequest,
    calendar: &WorkCalendar,
) -> Result<Application> {
    let now = p.clock.now();
    let due = correction_due(calendar, china_today(now), p.config.periods.correction_working_days);
    let transition = advance(p, app, Step::Return, reviewer, Some(request.text()), |next| {
        next.deadline = correction_deadline(due);
        next.decision = None;
        next.corrections.push(Correction {
            request,
            returned_by: reviewer.into(),
            returned_at: now,
            due,
            corrected_at: None,
        });
    })?;
    p.table.transact(transition.writes).await.on_conflict(changed_meanwhile)?;
    let next = transition.next;
    tracing::info!(application = %next.id, "application returned for correction");
    notify::returned(p, &next).await;
    Ok(next)
}

fn audit_publicity(p: &Platform, certificate_no: &str, action: &str, to: String, reason: String) -> Write {
    audit::record(
        &AuditEntry {
            entity: gongshi_store::entity::publicity(certificate_no),
            action: action.into(),
            actor: SYSTEM.into(),
            from: None,
            to: Some(to),
            reason: Some(reason),
            at: p.clock.now(),
        },
        &p.ids.id(),
    )
}

/// Ends a publicity at its unit: kept in the unit's list and the person's history; with
/// `drop_marker`, the unit's marker of it goes too (a cancellation's update of the record
/// already deletes it, and one transaction writes an item once).
fn end_publicity(p: &Platform, record: &PublicityRecord, end: &str, number: &str, drop_marker: bool) -> Vec<Write> {
    let today = china_today(p.clock.now());
    let ended_on = today.min(record.publicity.valid_until);
    let mut ended = record.clone();
    ended.publicity.ended_on = Some(ended_on);
    let mut writes = vec![
        practitioners::put_ended(&EndedPublicity {
            record: ended,
            ended_on,
            end: end.into(),
        }),
        practitioners::put_stay(
            &record.id_number,
            &Stay {
                unit_id: record.publicity.unit_id.clone(),
                unit_name: record.publicity.unit_name.clone(),
                certificate_no: record.publicity.certificate_no.clone(),
                from: record.publicity.valid_from,
                until: Some(ended_on),
                end: Some(end.into()),
            },
        ),
        audit_publicity(
            p,
            &record.publicity.certificate_no,
            "publicity.ended",
            end.into(),
            format!("申报单 {number}"),
        ),
    ];
    if drop_marker {
        writes.push(practitioners::drop_unit_publicity(
            &record.publicity.unit_id,
            &record.publicity.certificate_no,
        ));
    }
    writes
}

/// What an approval does to the person's publicity: issue a new one (初始, 变更; the one
/// left behind ends), update it (续期) or end it (注销). The record written and the writes.
fn publish(p: &Platform, app: &Application, current: Option<&PublicityRecord>) -> Result<(PublicityRecord, Vec<Write>)> {
    let today = china_today(p.clock.now());
    let id_number = app.person.id_number.clone();
    let name = app.person.name.clone();
    let own = current.filter(|c| c.publicity.unit_id == app.unit_id && Some(&c.publicity.certificate_no) == app.certificate_no.as_ref());
    if app.kind == ApplicationKind::Cancellation {
        let current = own.ok_or_else(|| Error::Conflict("publicity_changed", "该公示证书已发生变化，无法注销".into()))?;
        let mut record = current.clone();
        record.publicity.cancelled = true;
        record.publicity.ended_on = Some(today.min(record.publicity.valid_until));
        record.publicity.application_id = app.id.clone();
        let mut writes = practitioners::update_publicity(&record, &current.publicity.application_id).to_vec();
        writes.extend(end_publicity(p, current, "注销", &app.number, false));
        return Ok((record, writes));
    }
    let valid_until = publicity_valid_until(&app.items).ok_or_else(|| Error::Internal("application without items".into()))?;
    let renewing = current.filter(|c| app.kind == ApplicationKind::Renewal && c.publicity.unit_id == app.unit_id);
    let record = PublicityRecord {
        id_number: id_number.clone(),
        name,
        publicity: Publicity {
            certificate_no: match renewing {
                Some(c) => c.publicity.certificate_no.clone(),
                None => document_number("GS", today, &p.ids.id()),
            },
            unit_id: app.unit_id.clone(),
            unit_name: app.unit_name.clone(),
            items: app.items.clone(),
            valid_from: renewing.map_or(today, |c| c.publicity.valid_from),
            valid_until,
            cancelled: false,
            ended_on: None,
            application_id: app.id.clone(),
        },
    };
    let certificate_no = record.publicity.certificate_no.clone();
    let mut writes = Vec::new();
    match renewing {
        Some(c) => {
            writes.extend(practitioners::update_publicity(&record, &c.publicity.application_id));
            writes.push(audit_publicity(
                p,
                &certificate_no,
                "publicity.renewed",
                format!("有效期至 {valid_until}"),
                format!("申报单 {}", app.number),
            ));
        }
        None => {
            writes.extend(practitioners::put_publicity(&record, Some(app.person.mobile.is_some())));
            writes.push(practitioners::claim_certificate(&certificate_no, &id_number));
            writes.push(practitioners::put_stay(
                &id_number,
                &Stay {
                    unit_id: app.unit_id.clone(),
                    unit_name: app.unit_name.clone(),
                    certificate_no: certificate_no.clone(),
                    from: today,
                    until: None,
                    end: None,
                },
            ));
            writes.push(audit_publicity(
                p,
                &certificate_no,
                "publicity.issued",
                format!("有效期至 {valid_until}"),
                format!("申报单 {}", app.number),
            ));
            // The publicity left behind (not already ended by a cancellation) ends now.
            if let Some(previous) = current.filter(|c| !c.publicity.cancelled) {
                let end = if previous.publicity.valid_until < today {
                    "公示到期"
                } else {
                    "变更至其他单位"
                };
                writes.extend(end_publicity(p, previous, end, &app.number, true));
            }
        }
    }
    Ok((record, writes))
}

//! Information change requests (单位信息变更, F8): what a reviewer's decision does. An
//! approval applies the changes to the unit (a new USCC moves the unit's reservation) and
//! frees the unit's change lock, in one transaction with the request and the audit entries;
//! a rejection changes only the request. The unit's contact is texted the result. A request
//! for a qualification certificate (new or corrected) holds no unit lock: the certificate's
//! pending version is its lock; an approval puts that version in force (eligibility reads
//! it from then on), a rejection drops it and the approved version, if any, stays.

use crate::{Error, OnConflict, Result};
use gongshi_core::registration::{Decision, Outcome};
use gongshi_core::review::Reason;
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::change_requests::{self, ChangeRequest};
use gongshi_store::{qualifications, units};

/// Decides the pending `request` as `reviewer`; answers the request as decided. A request
/// no longer pending, or decided meanwhile, is 409; a USCC taken meanwhile is 409 `uscc_taken`.
pub async fn decide(
    p: &Platform,
    mut request: ChangeRequest,
    reviewer: &str,
    outcome: Outcome,
    reason: Option<Reason>,
) -> Result<ChangeRequest> {
    let Some(state) = request.state.decided(outcome) else {
        return Err(Error::Conflict("state_conflict", "该变更申请已处理".into()));
    };
    let reason = reason.map(Reason::into_string);
    let approved = outcome == Outcome::Approved;
    let now = p.clock.now();
    let expected = request.version;
    request.state = state;
    request.decision = Some(Decision {
        outcome,
        reason: reason.clone(),
        decided_at: now,
        decided_by: reviewer.into(),
    });
    request.version += 1;
    let entry = AuditEntry {
        entity: gongshi_store::entity::change_request(&request.id),
        action: format!("change_request.{}", request.state.as_str()),
        actor: reviewer.into(),
        from: Some("pending".into()),
        to: Some(request.state.as_str().into()),
        reason: reason.clone(),
        at: now,
    };
    let mut writes = vec![change_requests::replace(&request, expected), audit::record(&entry, &p.ids.id())];
    // The unit and (for a certificate request) the certificate in one batch get.
    let (unit, certificate) = match &request.changes.qualification {
        Some(c) => {
            let keys = [
                units::key(&request.unit_id),
                qualifications::key(&request.unit_id, &c.qualification_id),
            ];
            let [unit, certificate] = gongshi_platform::get_each(p.table.as_ref(), keys)
                .await
                .map_err(gongshi_store::StoreError::from)?;
            (unit, certificate)
        }
        None => (
            p.table
                .get(&units::key(&request.unit_id))
                .await
                .map_err(gongshi_store::StoreError::from)?,
            None,
        ),
    };
    let mut unit = unit
        .map(gongshi_store::decode::<units::Unit>)
        .transpose()?
        .ok_or_else(|| Error::Internal(format!("unit {} is missing", request.unit_id)))?;
    if request.changes.qualification.is_some() {
        let (write, decided) = decide_qualification(p, &request, certificate, approved, reviewer)?;
        writes.push(write);
        if approved && unit.scopes.is_some() {
            // The version put in force is what eligibility reads from the unit from now on.
            let unit_version = unit.version;
            unit.put_scope(&decided);
            unit.version += 1;
            writes.push(units::replace(&unit, unit_version));
        }
    } else {
        writes.push(change_requests::unlock(&request.unit_id, &request.id));
        writes.push(change_requests::record_last_change(&request));
    }
    if approved && request.changes.qualification.is_none() {
        let unit_version = unit.version;
        let owner = gongshi_store::entity::unit(&unit.id);
        let c = request.changes.clone();
        if let Some(uscc) = c.uscc {
            writes.push(units::release_uscc(&unit.uscc, &owner));
            writes.push(units::claim_uscc(&uscc, &owner, None, now));
            unit.uscc = uscc;
        }
        unit.name = c.unit_name.unwrap_or(unit.name);
        unit.legal_representative = c.legal_representative.unwrap_or(unit.legal_representative);
        unit.address = c.address.unwrap_or(unit.address);
        unit.postcode = c.postcode.unwrap_or(unit.postcode);
        unit.contact = c.contact.unwrap_or(unit.contact);
        unit.version += 1;
        writes.push(units::replace(&unit, unit_version));
        let changed = AuditEntry {
            entity: owner,
            action: "unit.changed".into(),
            actor: reviewer.into(),
            from: None,
            to: Some(request.items.iter().map(|i| i.label.clone()).collect::<Vec<_>>().join("、")),
            reason: Some(format!("变更申请 {}", request.id)),
            at: now,
        };
        writes.push(audit::record(&changed, &p.ids.id()));
    }
    p.table.transact(writes).await.on_conflict(|| {
        if request.changes.uscc.is_some() && approved {
            Error::Conflict(
                "uscc_taken",
                "新的统一社会信用代码已被其他单位使用，或申请已被处理，请刷新后重试".into(),
            )
        } else {
            Error::Conflict("state_conflict", "该变更申请已被其他审核员处理，请刷新".into())
        }
    })?;
    let text = if approved {
        format!(
            "【执业公示系统】{}的单位信息变更申请已审核通过，变更内容已生效。",
            request.unit_name
        )
    } else {
        format!(
            "【执业公示系统】{}的单位信息变更申请未通过审核，原因：{}。",
            request.unit_name,
            reason.as_deref().unwrap_or("未说明")
        )
    };
    if let Err(error) = p.sms.send(&unit.contact.mobile, &text).await {
        tracing::error!(request = %request.id, %error, "change result SMS not sent");
    }
    Ok(request)
}

/// The write that puts the asked version of a certificate in force (approval) or drops it
/// (rejection), with the certificate as decided.
fn decide_qualification(
    p: &Platform,
    request: &ChangeRequest,
    certificate: Option<gongshi_platform::Item>,
    approved: bool,
    reviewer: &str,
) -> Result<(gongshi_platform::Write, qualifications::UnitQualification)> {
    let mut record = certificate
        .map(gongshi_store::decode::<qualifications::UnitQualification>)
        .transpose()?
        .filter(|q| q.pending.as_ref().is_some_and(|pending| pending.change_request_id == request.id))
        .ok_or_else(|| Error::Conflict("state_conflict", "该资质证书的变更已被处理，请刷新".into()))?;
    let expected = record.version;
    let pending = record.pending.take().ok_or_else(|| Error::Internal("checked above".into()))?;
    if approved {
        record.qualification = pending.qualification;
        record.approved = true;
        tracing::info!(request = %request.id, reviewer, "qualification version put in force");
    }
    record.updated_at = p.clock.now();
    record.version += 1;
    Ok((qualifications::replace(&record, expected), record))
}

//! What a decision on an account appeal does (帐号申诉, F5). An appeal exists because SMS
//! recovery is impossible: the authorised contact's number is out of service or the contact
//! has left. So an approval restores access through the appellant, never through the old
//! number: the appellant (name, ID number, the mobile proven with a code while appealing,
//! e-mail) becomes the unit's authorised contact, the unit admin's password is reset to a
//! temporary one that goes by SMS to that proven mobile and must be changed at the first
//! login, and the old contact is told by SMS and e-mail where they can still be reached.
//! The e-mail to the appellant carries the result, never a password. A rejection changes
//! nothing and is e-mailed with its reason.

use crate::{Error, Result};
use gongshi_core::account::{AccountStatus, PasswordChangeReason, Role, TEMPORARY_PASSWORD_LIFETIME};
use gongshi_core::practice::shown_period;
use gongshi_core::registration::{Contact, Decision, Outcome};
use gongshi_core::{Mobile, china_today, password};
use gongshi_platform::{Platform, Write};
use gongshi_store::accounts::{self, Account, PasswordChange};
use gongshi_store::appeals::{self, Appeal};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::unit_accounts::{self, UnitAccounts};
use gongshi_store::units::{self, Unit};

/// Access restored by an approval: whose password, the temporary one, where it goes.
struct Restored {
    username: String,
    temporary: String,
    mobile: Mobile,
    old_contact: Contact,
    unit_name: String,
}

/// The registered unit an appeal is about, with its accounts: one query of the unit's
/// accounts index when the appeal recorded the unit (and it still holds the USCC), else the
/// USCC's claim is read first. `None` when no registered unit holds the USCC.
pub async fn unit_of(p: &Platform, appeal: &Appeal) -> Result<Option<UnitAccounts>> {
    if let Some(unit_id) = &appeal.unit_id {
        let found = with_profile(p, unit_id).await?;
        if found.unit.as_ref().is_some_and(|u| u.uscc == appeal.uscc) {
            return Ok(Some(found));
        }
    }
    let owner = units::uscc_claim(p.table.as_ref(), &appeal.uscc).await?.map(|c| c.owner);
    let Some(unit_id) = owner.as_deref().and_then(gongshi_store::entity::unit_of) else {
        return Ok(None);
    };
    let found = with_profile(p, unit_id).await?;
    Ok(found.unit.is_some().then_some(found))
}

/// The unit with its accounts; a profile the migration `unit-index` has not written into the
/// index yet is read by key.
async fn with_profile(p: &Platform, unit_id: &str) -> Result<UnitAccounts> {
    let mut found = unit_accounts::read(p.table.as_ref(), unit_id).await?;
    if found.unit.is_none() {
        found.unit = units::get(p.table.as_ref(), unit_id).await?;
    }
    Ok(found)
}

/// Decides `appeal` as `reviewer` with `reason` (the reply, e-mailed); `unit` is what
/// [`unit_of`] read. On approval `admin` names the unit admin account whose password is
/// reset; it may be left out when the unit has one. Returns the decided appeal and the unit
/// as it now is (its new contact), without reading it again.
pub async fn decide(
    p: &Platform,
    mut appeal: Appeal,
    mut unit: Option<UnitAccounts>,
    outcome: Outcome,
    reason: &str,
    reviewer: &str,
    admin: Option<&str>,
) -> Result<(Appeal, Option<UnitAccounts>)> {
    let Some(state) = appeal.state.decided(outcome) else {
        return Err(Error::Conflict("state_conflict", "该申诉已处理".into()));
    };
    let now = p.clock.now();
    let expected = appeal.version;
    let mut writes = Vec::new();
    let mut restored = None;
    if outcome == Outcome::Approved {
        let (profile, account) = unit_and_admin(&appeal, unit.as_ref(), admin)?;
        let (mut restoring, done, restored_unit) = restore(p, &appeal, profile, account, reviewer)?;
        if let Some(found) = unit.as_mut() {
            found.unit = Some(restored_unit);
        }
        writes.append(&mut restoring);
        appeal.password_reset_for = Some(done.username.clone());
        restored = Some(done);
    } else if admin.is_some_and(|a| !a.trim().is_empty()) {
        return Err(Error::field(
            "reset_password_for",
            "reset_needs_approval",
            "只有通过的申诉才能重置密码",
        ));
    }
    appeal.state = state;
    appeal.decision = Some(Decision {
        outcome,
        reason: Some(reason.to_owned()),
        decided_at: now,
        decided_by: reviewer.into(),
    });
    appeal.version += 1;
    let entry = AuditEntry {
        entity: appeals::entity(&appeal.id),
        action: format!("appeal.{}", appeal.state.as_str()),
        actor: reviewer.into(),
        from: Some("submitted".into()),
        to: Some(appeal.state.as_str().into()),
        reason: Some(reason.to_owned()),
        at: now,
    };
    writes.push(appeals::replace(&appeal, expected));
    writes.push(audit::record(&entry, &p.ids.id()));
    p.table
        .transact(writes)
        .await
        .map_err(|error| match gongshi_store::StoreError::from(error) {
            gongshi_store::StoreError::Conflict => Error::Conflict("state_conflict", "该申诉或该单位刚被其他审核员处理，请刷新".into()),
            other => other.into(),
        })?;
    tell(p, &appeal, reason, restored).await;
    Ok((appeal, unit))
}

/// The unit the appeal names and the admin account to restore.
fn unit_and_admin(appeal: &Appeal, unit: Option<&UnitAccounts>, admin: Option<&str>) -> Result<(Unit, Account)> {
    if appeal.mobile_verified_at.is_none() || appeal.applicant_id_number.is_none() {
        return Err(Error::Unprocessable(
            "appellant_not_verified",
            "该申诉未登记并验证新的授权联系人，只能驳回，请申诉人重新提交".into(),
        ));
    }
    let not_registered = || Error::Unprocessable("unit_not_registered", "该统一社会信用代码没有已注册的单位，申诉只能驳回".into());
    let found = unit.ok_or_else(not_registered)?;
    let profile = found.unit.clone().ok_or_else(not_registered)?;
    let admins: Vec<&Account> = found
        .accounts
        .iter()
        .filter(|a| a.role == Role::UnitAdmin && a.branch_id.is_none() && a.status != AccountStatus::Pending)
        .collect();
    let wanted = admin.map(str::trim).filter(|a| !a.is_empty()).map(str::to_ascii_lowercase);
    let account = match wanted {
        Some(username) => admins
            .into_iter()
            .find(|a| a.username == username)
            .ok_or_else(|| Error::field("reset_password_for", "account_not_found", "该帐号不是申诉单位的管理员帐号"))?,
        None if admins.len() == 1 => admins.into_iter().next().ok_or_else(not_registered)?,
        None => {
            return Err(Error::field(
                "reset_password_for",
                "required",
                "该单位有多个管理员帐号，请选择要重置密码的帐号",
            ));
        }
    };
    Ok((profile, account.clone()))
}

/// The writes that make the appellant the contact and reset the admin's password.
fn restore(p: &Platform, appeal: &Appeal, mut unit: Unit, mut account: Account, reviewer: &str) -> Result<(Vec<Write>, Restored, Unit)> {
    let now = p.clock.now();
    let id_number = appeal
        .applicant_id_number
        .clone()
        .ok_or_else(|| Error::Internal("a verified appeal without its ID number".into()))?;
    let new_contact = Contact {
        name: appeal.applicant_name.clone(),
        id_number,
        mobile: appeal.applicant_mobile.clone(),
        email: appeal.contact_email.clone(),
    };
    let old_contact = std::mem::replace(&mut unit.contact, new_contact.clone());
    let unit_version = unit.version;
    unit.version += 1;
    let temporary = format!("Gs{}{}", p.ids.code(), &p.ids.secret()[..6].replace(['-', '_'], "x"));
    let account_version = account.version;
    account.password_hash = password::hash(&temporary);
    account.legacy_hash = None;
    account.token_version += 1;
    account.failed_logins = 0;
    account.locked_until = None;
    account.password_change = Some(PasswordChange::temporary(PasswordChangeReason::Appeal, now));
    account.version += 1;
    let because = format!("帐号申诉 {}", appeal.id);
    let contact_entry = AuditEntry {
        entity: gongshi_store::entity::unit(&unit.id),
        action: "unit.contact_replaced".into(),
        actor: reviewer.into(),
        from: Some(format!("{} {}", old_contact.name.as_str(), old_contact.mobile.masked())),
        to: Some(format!("{} {}", new_contact.name.as_str(), new_contact.mobile.masked())),
        reason: Some(because.clone()),
        at: now,
    };
    let password_entry = AuditEntry {
        entity: gongshi_store::entity::account(&account.username),
        action: "account.password_reset_by_appeal".into(),
        actor: reviewer.into(),
        from: None,
        to: None,
        reason: Some(because),
        at: now,
    };
    let writes = vec![
        units::replace(&unit, unit_version),
        accounts::replace(&account, account_version),
        audit::record(&contact_entry, &p.ids.id()),
        audit::record(&password_entry, &p.ids.id()),
    ];
    let restored = Restored {
        username: account.username.clone(),
        temporary,
        mobile: new_contact.mobile.clone(),
        old_contact,
        unit_name: unit.name.as_str().to_owned(),
    };
    Ok((writes, restored, unit))
}

/// The result to the appellant by e-mail (never a password), the temporary password by SMS
/// to the proven mobile, and a notice to the old contact. Failures are logged: the decision
/// stands.
async fn tell(p: &Platform, appeal: &Appeal, reason: &str, restored: Option<Restored>) {
    let verdict = if restored.is_some() { "已通过" } else { "未通过" };
    let mut body = format!(
        "{}：\n\n您好！您于 {} 提交的{}（统一社会信用代码 {}）帐号申诉{}审核。\n\n答复意见：{reason}\n",
        appeal.applicant_name.as_str(),
        appeal.submitted_at.map(|t| china_today(t).to_string()).unwrap_or_default(),
        appeal.unit_name.as_str(),
        appeal.uscc,
        verdict
    );
    if let Some(done) = &restored {
        body.push_str(&format!(
            "\n您已登记为该单位的授权联系人。帐号 {} 的临时密码已通过短信发送至您申诉时验证的手机（{}），{}内有效，首次登录须设置新密码。\n",
            done.username,
            done.mobile.masked(),
            shown_period(TEMPORARY_PASSWORD_LIFETIME)
        ));
    }
    body.push_str("\n中国特种设备检验协会");
    let subject = format!("执业公示系统：帐号申诉{verdict}");
    if let Err(error) = p.mail.send(&appeal.contact_email, &subject, &body).await {
        tracing::error!(appeal = %appeal.id, %error, "appeal result e-mail not sent");
    }
    let Some(done) = restored else {
        return;
    };
    let text = format!(
        "【执业公示系统】经帐号申诉审核，帐号 {} 的临时密码为 {}，{}内有效，首次登录须设置新密码。",
        done.username,
        done.temporary,
        shown_period(TEMPORARY_PASSWORD_LIFETIME)
    );
    if let Err(error) = p.sms.send(&done.mobile, &text).await {
        tracing::error!(appeal = %appeal.id, %error, "temporary password SMS not sent");
    }
    let notice = format!(
        "【执业公示系统】经帐号申诉审核，{}的授权联系人已变更为{}（手机 {}）。如非本单位申请，请立即联系协会。",
        done.unit_name,
        appeal.applicant_name.as_str(),
        done.mobile.masked()
    );
    if let Err(error) = p.sms.send(&done.old_contact.mobile, &notice).await {
        tracing::warn!(appeal = %appeal.id, %error, "notice to the former contact not sent by SMS");
    }
    let mail = format!(
        "{}：\n\n{}\n\n中国特种设备检验协会",
        done.old_contact.name.as_str(),
        notice.trim_start_matches("【执业公示系统】")
    );
    if let Err(error) = p.mail.send(&done.old_contact.email, "执业公示系统：授权联系人已变更", &mail).await {
        tracing::warn!(appeal = %appeal.id, %error, "notice to the former contact not sent by e-mail");
    }
}

//! The texts sent when a publicity application ends or a practitioner moves. Sending is
//! best effort after the step is written: a failed SMS is logged, never undoes the step.

use gongshi_core::practice::{ApplicationKind, ApplicationState};
use gongshi_platform::Platform;
use gongshi_store::applications::Application;
use gongshi_store::practitioners::PublicityRecord;
use gongshi_store::units::{self, Unit};

/// The SMS texts of an ended application, to the unit's authorised contact and the person.
pub async fn outcome(p: &Platform, app: &Application) {
    outcome_with(p, app, None).await;
}

/// [`outcome`] with the units read beforehand (the application's, or the previous one's):
/// a unit among them is not read again.
pub async fn outcome_with(p: &Platform, app: &Application, known: Option<&[Unit]>) {
    let certificate = app.certificate_no.as_deref().unwrap_or_default();
    let outcome = match app.state {
        ApplicationState::Approved if app.kind == ApplicationKind::Cancellation => {
            format!("已审核通过，公示证书 {certificate} 已注销")
        }
        ApplicationState::Approved => format!("已审核通过，公示证书编号 {certificate}"),
        // The text ends with its own full stop: a reason's own is dropped.
        ApplicationState::Rejected => format!(
            "审核不通过，原因：{}",
            clause(app.decision.as_ref().and_then(|d| d.reason.as_deref()), "未说明")
        ),
        // "执业人拒绝确认" or "执业人拒绝确认：<the reason>".
        ApplicationState::Declined => format!("{}，已结束", clause(app.end_reason.as_deref(), "执业人拒绝确认")),
        ApplicationState::Expired if app.corrections.last().is_some_and(|c| c.corrected_at.is_none()) => format!(
            "因退回补正后{}个工作日内未重新上传，已自动结束（不通过）",
            p.config.periods.correction_working_days
        ),
        ApplicationState::Expired => format!(
            "因{}天内未完成打印、上传和确认，已自动结束（不通过）",
            p.config.periods.application_deadline.whole_days()
        ),
        _ => return,
    };
    let text = format!(
        "【执业公示系统】{}（{}）的{}执业公示申报单 {} {}。",
        app.person.name.as_str(),
        app.person.id_number.masked(),
        app.kind.label(),
        app.number,
        outcome
    );
    to_unit_contact(p, &app.unit_id, known, &app.id, &text, "outcome SMS to the unit").await;
    if let Some(mobile) = &app.person.mobile
        && let Err(error) = p.sms.send(mobile, &text).await
    {
        tracing::error!(application = %app.id, %error, "outcome SMS to the practitioner not sent");
    }
}

/// Tells the unit's contact, by SMS and e-mail, that `app` was returned for correction:
/// what to correct and by when.
pub async fn returned(p: &Platform, app: &Application) {
    let Some(correction) = app.corrections.last() else {
        return;
    };
    let asked = correction.request.text();
    let due = format!("{}月{}日", u8::from(correction.due.month()), correction.due.day());
    let text = format!(
        "【执业公示系统】{}（{}）的{}执业公示申报单 {} 被退回补正：{}。请于{}前登录系统重新上传申请表扫描件，逾期自动结束。",
        app.person.name.as_str(),
        app.person.id_number.masked(),
        app.kind.label(),
        app.number,
        clause(Some(&asked), "见系统"),
        due
    );
    let unit = match units::get(p.table.as_ref(), &app.unit_id).await {
        Ok(Some(unit)) => unit,
        Ok(None) => return tracing::error!(application = %app.id, "return notice: the unit is missing"),
        Err(error) => return tracing::error!(application = %app.id, %error, "return notice: the unit not read"),
    };
    if let Err(error) = p.sms.send(&unit.contact.mobile, &text).await {
        tracing::error!(application = %app.id, %error, "return SMS to the unit not sent");
    }
    let body = format!(
        "{}：\n\n{}（{}）的{}执业公示申报单 {} 已被协会退回补正。\n\n需要补正：{}\n补正期限：{}（{}个工作日）前\n\n请登录系统，在“申报单详情”中重新上传签字盖章后的申请表扫描件，上传后即回到审核，无需执业人再次确认；逾期未补正，申报单将自动结束（不通过）。\n\n{}/publicity/applications/{}\n",
        unit.name.as_str(),
        app.person.name.as_str(),
        app.person.id_number.masked(),
        app.kind.label(),
        app.number,
        asked,
        correction.due,
        p.config.periods.correction_working_days,
        p.config.public_base_url.trim_end_matches('/'),
        app.id,
    );
    let subject = format!("执业公示申报单退回补正：{}", app.number);
    if let Err(error) = p.mail.send(&unit.contact.email, &subject, &body).await {
        tracing::error!(application = %app.id, %error, "return e-mail to the unit not sent");
    }
}

/// `text` as a clause inside a sentence that ends with its own full stop (the text's own
/// final stop or semicolon dropped), or `otherwise` when there is none.
fn clause<'a>(text: Option<&'a str>, otherwise: &'a str) -> &'a str {
    text.map(|t| t.trim_end_matches(['。', '.', '；', ';', ' ']))
        .filter(|t| !t.is_empty())
        .unwrap_or(otherwise)
}

/// Tells the previous unit that its practitioner moved (变更 approved).
pub async fn previous_unit(p: &Platform, app: &Application, previous: &PublicityRecord, known: Option<&[Unit]>) {
    let text = format!(
        "【执业公示系统】贵单位执业人员{}（{}）已经协会审核变更至其他单位执业，贵单位公示证书 {} 已终止。",
        app.person.name.as_str(),
        app.person.id_number.masked(),
        previous.publicity.certificate_no
    );
    to_unit_contact(
        p,
        &previous.publicity.unit_id,
        known,
        &app.id,
        &text,
        "change SMS to the previous unit",
    )
    .await;
}

async fn to_unit_contact(p: &Platform, unit_id: &str, known: Option<&[Unit]>, application: &str, text: &str, what: &str) {
    let found = match known.and_then(|units| units.iter().find(|u| u.id == unit_id)) {
        Some(unit) => Ok(Some(unit.clone())),
        None => units::get(p.table.as_ref(), unit_id).await,
    };
    match found {
        Ok(Some(unit)) => {
            if let Err(error) = p.sms.send(&unit.contact.mobile, text).await {
                tracing::error!(application, %error, "{what} not sent");
            }
        }
        Ok(None) => tracing::error!(application, "{what}: the unit is missing"),
        Err(error) => tracing::error!(application, %error, "{what}: the unit not read"),
    }
}

//! Reminders (scheduled daily): the unit's authorised contact gets one SMS and one e-mail
//! listing its publicities that end within the renewal window and its applications with less
//! than 2 days left. Each item is reminded once per threshold: a marker
//! `REMIND#<what>#<id>#<threshold>` is put with a not-exists condition before it is listed,
//! so reruns and overlapping runs send nothing twice.

use gongshi_core::china_today;
use gongshi_core::practice::ApplicationState;
use gongshi_platform::Platform;
use gongshi_store::reminders::{self, Subject};
use gongshi_store::{applications, practitioners, units};
use std::collections::BTreeMap;
use time::Duration;

/// Applications with less than this left are reminded.
pub const APPLICATION_WARNING: Duration = Duration::days(2);

/// What a run sent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ReminderReport {
    /// Units written to.
    pub units: usize,
    /// Publicities reminded of.
    pub publicities: usize,
    /// Applications reminded of.
    pub applications: usize,
}

async fn first_time(p: &Platform, subject: Subject<'_>, keep_until: i64) -> Result<bool, String> {
    reminders::first_time(p.table.as_ref(), subject, keep_until)
        .await
        .map_err(|e| e.to_string())
}

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.sns().ses();

/// Sends the due reminders.
pub async fn send_reminders(p: &Platform) -> Result<ReminderReport, String> {
    let now = p.clock.now();
    let today = china_today(now);
    let until = today + p.config.periods.renewal_window;
    let mut lines: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut report = ReminderReport::default();
    let ending = practitioners::ending_between(p.table.as_ref(), today, until)
        .await
        .map_err(|e| e.to_string())?;
    for record in ending {
        let publicity = &record.publicity;
        let keep = (now + Duration::days(400)).unix_timestamp();
        if first_time(
            p,
            Subject::PublicityEnding {
                certificate_no: &publicity.certificate_no,
                valid_until: publicity.valid_until,
            },
            keep,
        )
        .await?
        {
            report.publicities += 1;
            lines.entry(publicity.unit_id.clone()).or_default().push(format!(
                "公示证书 {}（{}，{}）将于 {} 到期，请及时申报续期",
                publicity.certificate_no,
                record.name.as_str(),
                record.id_number.masked(),
                publicity.valid_until
            ));
        }
    }
    let soon = applications::due(p.table.as_ref(), now + APPLICATION_WARNING, 1000)
        .await
        .map_err(|e| e.to_string())?;
    for id in soon {
        let Some(app) = applications::get(p.table.as_ref(), &id).await.map_err(|e| e.to_string())? else {
            continue;
        };
        if !app.state_at(now).counts_down() {
            continue;
        }
        let deadline = app.deadline.unix_timestamp();
        if first_time(p, Subject::ApplicationDue { id: &app.id, deadline }, deadline + 86_400).await? {
            report.applications += 1;
            let left = (app.deadline - now).whole_hours().max(0);
            let ask = match app.state {
                ApplicationState::Returned => "请尽快重新上传补正后的申请表扫描件",
                _ => "请尽快完成打印、上传和确认",
            };
            lines.entry(app.unit_id.clone()).or_default().push(format!(
                "{}申报单 {}（{}）剩余约 {left} 小时，{ask}（当前：{}）",
                app.kind.label(),
                app.number,
                app.person.name.as_str(),
                app.state.label()
            ));
        }
    }
    for (unit_id, items) in &lines {
        let Some(unit) = units::get(p.table.as_ref(), unit_id).await.map_err(|e| e.to_string())? else {
            tracing::error!(unit = %unit_id, "reminder for a missing unit");
            continue;
        };
        report.units += 1;
        let sms = format!(
            "【执业公示系统】贵单位有 {} 项执业公示事项需要处理（即将到期的公示证书、即将逾期的申报单），详情已发送至授权联系人邮箱，请登录系统查看。",
            items.len()
        );
        if let Err(error) = p.sms.send(&unit.contact.mobile, &sms).await {
            tracing::error!(unit = %unit_id, %error, "reminder SMS not sent");
        }
        let body = format!("{}：\n\n{}\n\n执业公示综合业务管理系统", unit.name.as_str(), items.join("\n"));
        if let Err(error) = p.mail.send(&unit.contact.email, "执业公示事项提醒", &body).await {
            tracing::error!(unit = %unit_id, %error, "reminder e-mail not sent");
        }
    }
    if report.units > 0 {
        tracing::info!(
            units = report.units,
            publicities = report.publicities,
            applications = report.applications,
            "reminders sent"
        );
    }
    Ok(report)
}

//! The unit home (单位首页, F6, manual §3.1): what needs the unit's attention, from one query
//! of the unit's own partition after the caller's account — the profile, the qualification
//! certificates, the pending change lock, the newest change's outcome and a marker of every
//! open publicity application — never a scan.

use gongshi_core::china_today;
use gongshi_core::practice::ApplicationState;
use gongshi_core::registration::{QualificationKind, Validity};
use gongshi_http::applications::ApplicationSummary;
use gongshi_http::auth::token;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json};
use gongshi_platform::Platform;
use gongshi_store::change_requests::ChangeState;
use gongshi_store::notices;
use gongshi_store::units;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

/// Days before the end of validity from which a certificate needs attention.
pub const EXPIRY_WINDOW_DAYS: i64 = 90;

gongshi_http::routes!(home);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// What a to-do is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// A certificate ends within 90 days.
    QualificationExpiring,
    /// A certificate has ended.
    QualificationExpired,
    /// An information change request waits for review.
    ChangeRequestPending,
    /// The newest information change request was refused.
    ChangeRequestRejected,
}

/// One thing that needs attention.
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeTodo {
    /// What it is about.
    pub kind: TodoKind,
    /// One line, in Chinese.
    pub title: String,
    /// The day it is due, if any.
    #[schema(value_type = Option<String>, format = Date)]
    pub due: Option<Date>,
    /// Days until `due` (negative when past).
    pub days_left: Option<i64>,
    /// Where to act, an SPA route.
    pub link: String,
    /// The certificate it is about (the qualification to-dos), so that a client can word
    /// the line itself, as the SPA does in English.
    pub certificate_no: Option<String>,
    /// That certificate's kind.
    pub qualification_kind: Option<gongshi_http::views::QualificationKindView>,
    /// Why a change request was refused.
    pub reason: Option<String>,
}

/// An open publicity application with its countdown.
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeApplication {
    /// The application as lists show it.
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    /// What to correct, while returned for correction (退回补正).
    pub correction: Option<String>,
}

/// Counts shown on the home page.
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeCounts {
    /// Qualification certificates.
    pub qualifications: usize,
    /// Of which ending within 90 days.
    pub qualifications_expiring: usize,
    /// Of which ended.
    pub qualifications_expired: usize,
    /// Open publicity applications.
    pub applications_open: usize,
    /// Of which returned for correction (退回补正).
    pub applications_returned: usize,
    /// Of which waiting for the signed form (待上传申请表).
    pub applications_to_upload: usize,
    /// Of which waiting for the practitioner (待执业人确认).
    pub applications_to_confirm: usize,
    /// Of which in review (审核中).
    pub applications_in_review: usize,
    /// Publicities in force (公示中): not cancelled, not ended, valid today.
    pub publicities_active: usize,
    /// Of which ending within the renewal window (90 days by default): time to renew (续期).
    pub publicities_ending_soon: usize,
    /// People of those publicities without a registered mobile: they cannot confirm an
    /// application by SMS (a renewal needs it), so the unit should have them register.
    pub people_without_mobile: usize,
    /// 通知公告 the caller has not read.
    pub notices_unread: usize,
}

/// The unit home.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitHome {
    /// 单位名称.
    pub unit_name: String,
    /// What needs attention, most urgent first.
    pub todos: Vec<HomeTodo>,
    /// Counts.
    pub counts: HomeCounts,
    /// Every open publicity application: returned ones first, then the least time left
    /// first, those in review last.
    pub applications: Vec<HomeApplication>,
    /// 通知公告 in force: pinned first, then the newest; each read or not by the caller.
    pub notices: Vec<HomeNotice>,
}

/// A notice on the home.
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeNotice {
    /// Id (mark it read with `POST /api/v1/notices/{id}/read`).
    pub id: String,
    /// 标题.
    pub title: String,
    /// The body as blocks of text runs: render the runs as text, never as HTML.
    pub blocks: Vec<gongshi_core::notice::Block>,
    /// 置顶.
    pub pinned: bool,
    /// 发布时间.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub published_at: time::OffsetDateTime,
    /// Whether the caller has read it.
    pub read: bool,
}

fn kind_label(kind: QualificationKind) -> &'static str {
    match kind {
        QualificationKind::Approval => "核准证",
        QualificationKind::Licence => "许可证",
    }
}

/// The unit's home: to-dos and counts.
#[utoipa::path(get, path = "/api/v1/unit/home", tag = "unit", security(("bearer" = [])),
    responses((status = 200, body = UnitHome), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn home(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    // The caller's account, the notice board and what the caller has read: one batch get.
    let token = token(p, req)?;
    let read_key = notices::read_key(token.subject());
    let (caller, [board, read]) = token.read(p, [notices::board_key(), read_key]).await?;
    let unit_id = caller.unit_id()?;
    let read = notices::read_of(read)?;
    let notices: Vec<HomeNotice> = notices::board_of(board)?
        .notices
        .into_iter()
        .map(|n| HomeNotice {
            read: read.ids.contains(&n.id),
            id: n.id,
            title: n.content.title,
            blocks: n.content.blocks,
            pinned: n.content.pinned,
            published_at: n.published_at,
        })
        .collect();
    let today: Date = china_today(p.clock.now());
    let partition = units::partition(p.table.as_ref(), &unit_id).await?;
    let unit_name = partition.unit.as_ref().map(|u| u.name.as_str().to_owned()).unwrap_or_default();
    let mut todos = Vec::new();
    let now = p.clock.now();
    let mut applications: Vec<HomeApplication> = partition
        .open_applications
        .iter()
        .map(|open| HomeApplication {
            summary: ApplicationSummary::of_open(open, now),
            correction: open.correction.clone(),
        })
        .filter(|a| a.summary.state.is_open())
        .collect();
    applications.sort_by_key(|a| {
        let s = &a.summary;
        (
            s.state != ApplicationState::Returned,
            s.seconds_left.is_none(),
            s.seconds_left,
            s.created_at,
        )
    });
    let in_state = |state: ApplicationState| applications.iter().filter(|a| a.summary.state == state).count();
    let mut counts = HomeCounts {
        qualifications: 0,
        qualifications_expiring: 0,
        qualifications_expired: 0,
        applications_open: applications.len(),
        applications_returned: in_state(ApplicationState::Returned),
        applications_to_upload: in_state(ApplicationState::Created),
        applications_to_confirm: in_state(ApplicationState::AwaitingConfirmation),
        applications_in_review: in_state(ApplicationState::UnderReview),
        publicities_active: 0,
        publicities_ending_soon: 0,
        people_without_mobile: 0,
        notices_unread: notices.iter().filter(|n| !n.read).count(),
    };
    let soon = today + p.config.periods.renewal_window;
    for publicity in partition.publicities.iter().filter(|m| m.valid_until >= today) {
        counts.publicities_active += 1;
        counts.publicities_ending_soon += usize::from(publicity.valid_until <= soon);
        counts.people_without_mobile += usize::from(publicity.has_mobile == Some(false));
    }
    // What the unit holds: the approved versions (a certificate waiting for review is not yet in force).
    for q in partition.qualifications.iter().filter_map(|record| record.in_force()) {
        counts.qualifications += 1;
        let days_left = (q.valid_until - today).whole_days();
        let (kind, title) = match q.validity(today, EXPIRY_WINDOW_DAYS) {
            Validity::Valid => continue,
            Validity::Expiring(days) => {
                counts.qualifications_expiring += 1;
                (
                    TodoKind::QualificationExpiring,
                    format!(
                        "{} {} 将于 {} 到期（剩 {days} 天），请及时换证并更新",
                        kind_label(q.kind),
                        q.certificate_no,
                        q.valid_until
                    ),
                )
            }
            Validity::Expired => {
                counts.qualifications_expired += 1;
                (
                    TodoKind::QualificationExpired,
                    format!(
                        "{} {} 已于 {} 过期，请上传新证书",
                        kind_label(q.kind),
                        q.certificate_no,
                        q.valid_until
                    ),
                )
            }
        };
        todos.push(HomeTodo {
            kind,
            title,
            due: Some(q.valid_until),
            days_left: Some(days_left),
            link: "/unit/qualifications".into(),
            certificate_no: Some(q.certificate_no.to_string()),
            qualification_kind: Some(q.kind.into()),
            reason: None,
        });
    }
    if partition.change_pending {
        todos.push(HomeTodo {
            kind: TodoKind::ChangeRequestPending,
            title: "单位信息变更申请正在审核中".into(),
            due: None,
            days_left: None,
            link: "/unit/change-request".into(),
            certificate_no: None,
            qualification_kind: None,
            reason: None,
        });
    } else if let Some(latest) = &partition.last_change
        // Certificate requests are shown with their certificate (资质管理), not here: only
        // information changes are recorded as the unit's latest.
        && latest.state == ChangeState::Rejected
    {
        let reason = latest.reason.clone().unwrap_or_default();
        todos.push(HomeTodo {
            kind: TodoKind::ChangeRequestRejected,
            title: format!("单位信息变更申请未通过：{reason}"),
            due: None,
            days_left: None,
            link: "/unit/change-request".into(),
            certificate_no: None,
            qualification_kind: None,
            reason: Some(reason),
        });
    }
    todos.sort_by_key(|t| t.days_left.unwrap_or(i64::MAX));
    json(
        200,
        &UnitHome {
            unit_name,
            todos,
            counts,
            applications,
            notices,
        },
    )
}

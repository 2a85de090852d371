//! 通知公告 (F6, issue #19): the association admin publishes, edits, pins and withdraws
//! notices; every unit's home shows the notices in force with read/unread per account (the
//! home reads the board beside the caller's account, see functions/unit-home), and a unit
//! user marks one read here. Every write is one transaction of the notice, the board and an
//! audit entry, conditional on the versions read: a racing edit is 409, never two effects.

use gongshi_core::notice::{Block, NoticeContent};
use gongshi_http::auth::{authenticate_with, token};
use gongshi_http::request::page_params;
use gongshi_http::response::no_content;
use gongshi_http::{ApiError, Body, Problem, Request, Response, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::notices::{self, Board, Notice};
use gongshi_workflow::OnConflict;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

gongshi_http::routes!(list, publish, edit, withdraw, read);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE;

/// A notice as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    /// Id.
    pub id: String,
    /// 标题.
    pub title: String,
    /// The body as written (markup), to edit it.
    pub body: String,
    /// The body as blocks of text runs: render the runs as text, never as HTML.
    pub blocks: Vec<Block>,
    /// 置顶.
    pub pinned: bool,
    /// 发布时间.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub published_at: OffsetDateTime,
    /// 发布人 (username).
    pub published_by: String,
    /// Last edited.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub updated_at: Option<OffsetDateTime>,
    /// Withdrawn (撤回): no longer shown to units.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<OffsetDateTime>,
}

impl From<&Notice> for NoticeView {
    fn from(n: &Notice) -> Self {
        Self {
            id: n.id.clone(),
            title: n.content.title.clone(),
            body: n.content.source.clone(),
            blocks: n.content.blocks.clone(),
            pinned: n.content.pinned,
            published_at: n.published_at,
            published_by: n.published_by.clone(),
            updated_at: n.updated_at,
            withdrawn_at: n.withdrawn_at,
        }
    }
}

/// A page of notices.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticePage {
    /// Newest first, withdrawn ones too.
    pub items: Vec<NoticeView>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// A notice to publish or the edit of one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeInput {
    /// 标题, 1–60 characters.
    #[serde(default)]
    pub title: String,
    /// 正文, 1–5,000 characters: paragraphs split by blank lines, `## ` headings, `- `
    /// list items, `**bold**`, `[text](https://…)` links; anything else is shown as text.
    #[serde(default)]
    pub body: String,
    /// 置顶.
    #[serde(default)]
    pub pinned: bool,
}

impl NoticeInput {
    fn content(&self) -> Result<NoticeContent, ApiError> {
        NoticeContent::parse(&self.title, &self.body, self.pinned).map_err(ApiError::Invalid)
    }
}

fn changed() -> ApiError {
    ApiError::Conflict("notice_changed", "通知公告刚被他人修改，请刷新后重试".into())
}

fn not_found() -> ApiError {
    ApiError::NotFound("notice_not_found", "未找到该通知公告".into())
}

/// Writes `notice` (new when `expected` is `None`) with the board and an audit entry.
async fn write(p: &Platform, notice: &Notice, expected: Option<u64>, board: &Board, action: &str, actor: &str) -> Result<(), ApiError> {
    let entry = AuditEntry {
        entity: notices::entity(&notice.id),
        action: format!("notice.{action}"),
        actor: actor.into(),
        from: None,
        to: Some(notice.content.title.clone()),
        reason: None,
        at: p.clock.now(),
    };
    p.table
        .transact(vec![
            notices::put(notice, expected),
            notices::put_board(&board.with(notice)),
            audit::record(&entry, &p.ids.id()),
        ])
        .await
        .on_conflict(changed)?;
    Ok(())
}

/// Every notice, withdrawn ones too, newest first (association admins).
#[utoipa::path(get, path = "/api/v1/admin/notices", tag = "admin", security(("bearer" = [])),
    params(("cursor" = Option<String>, Query), ("limit" = Option<usize>, Query)),
    responses((status = 200, body = NoticePage), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, []) = authenticate_with(p, req, []).await?;
    caller.require_association_admin()?;
    let (cursor, limit) = page_params(req)?;
    let (found, next) = notices::list(p.table.as_ref(), cursor, limit).await?;
    json(
        200,
        &NoticePage {
            items: found.iter().map(NoticeView::from).collect(),
            next_cursor: next.map(|c| c.encode()),
        },
    )
}

/// Publishes a notice to every unit's home (association admins).
#[utoipa::path(post, path = "/api/v1/admin/notices", tag = "admin", security(("bearer" = [])), request_body = NoticeInput,
    responses((status = 201, body = NoticeView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn publish(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let (caller, [board]) = authenticate_with(p, req, [notices::board_key()]).await?;
    caller.require_association_admin()?;
    let content = json_body::<NoticeInput>(req)?.content()?;
    let notice = Notice {
        id: p.ids.id(),
        content,
        published_at: p.clock.now(),
        published_by: caller.username().into(),
        updated_at: None,
        withdrawn_at: None,
        version: 1,
    };
    write(p, &notice, None, &notices::board_of(board)?, "published", caller.username()).await?;
    json(201, &NoticeView::from(&notice))
}

/// Changes a notice's title, body or pin (association admins); a withdrawn one is 409.
#[utoipa::path(put, path = "/api/v1/admin/notices/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NoticeInput,
    responses((status = 200, body = NoticeView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn edit(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [notice, board]) = authenticate_with(p, req, [notices::key(&id), notices::board_key()]).await?;
    caller.require_association_admin()?;
    let content = json_body::<NoticeInput>(req)?.content()?;
    let mut notice = notices::notice_of(notice)?.ok_or_else(not_found)?;
    if notice.withdrawn_at.is_some() {
        return Err(ApiError::Conflict("notice_withdrawn", "该通知公告已撤回，不能再修改".into()));
    }
    let expected = notice.version;
    notice.content = content;
    notice.updated_at = Some(p.clock.now());
    notice.version += 1;
    write(p, &notice, Some(expected), &notices::board_of(board)?, "edited", caller.username()).await?;
    json(200, &NoticeView::from(&notice))
}

/// Withdraws a notice (撤回, association admins): kept in the list, no longer shown to units.
/// Withdrawing it again is 409.
#[utoipa::path(delete, path = "/api/v1/admin/notices/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn withdraw(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [notice, board]) = authenticate_with(p, req, [notices::key(&id), notices::board_key()]).await?;
    caller.require_association_admin()?;
    let mut notice = notices::notice_of(notice)?.ok_or_else(not_found)?;
    if notice.withdrawn_at.is_some() {
        return Err(ApiError::Conflict("notice_withdrawn", "该通知公告已撤回".into()));
    }
    let expected = notice.version;
    notice.withdrawn_at = Some(p.clock.now());
    notice.version += 1;
    write(
        p,
        &notice,
        Some(expected),
        &notices::board_of(board)?,
        "withdrawn",
        caller.username(),
    )
    .await?;
    no_content()
}

/// Marks a notice on the board read by the caller (unit users); reading it again changes
/// nothing (204 too).
#[utoipa::path(post, path = "/api/v1/notices/{id}/read", tag = "unit", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn read(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let token = token(p, req)?;
    let read_key = notices::read_key(token.subject());
    let (caller, [board, read]) = token.read(p, [notices::board_key(), read_key]).await?;
    caller.unit_id()?;
    let board = notices::board_of(board)?;
    if !board.notices.iter().any(|n| n.id == id) {
        return Err(not_found());
    }
    if let Some(write) = notices::mark_read(caller.username(), &notices::read_of(read)?, &board, &id) {
        p.table
            .transact(vec![write])
            .await
            .on_conflict(|| ApiError::Conflict("notice_changed", "阅读状态刚被更新，请刷新".into()))?;
    }
    no_content()
}

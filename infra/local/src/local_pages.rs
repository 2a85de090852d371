//! Local-only pages: the outbox, where a developer reads the SMS and e-mails "sent".
//! Mounted only when the gateway listens on a loopback address.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongshi_platform::notify::Outbox;

/// The local pages' routes, reading `outbox` (none on the AWS adapters: an empty outbox).
pub fn routes<S: Clone + Send + Sync + 'static>(outbox: Option<Outbox>) -> Router<S> {
    Router::new()
        .route("/_local/outbox", get(outbox_page))
        .route("/_local/outbox.json", get(outbox_json))
        .with_state(outbox)
}

/// Whether the request names a loopback host (`localhost`, `127.0.0.1`, `[::1]`, any port):
/// a page of another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its
/// own name and must not read the codes in the outbox.
fn for_loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // No Host at all is not a browser (in-process tests).
        return !headers.contains_key(header::HOST);
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(name.to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1")
}

fn not_here() -> Response {
    (StatusCode::FORBIDDEN, "the outbox answers only on localhost").into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The messages as JSON, newest first.
async fn outbox_json(State(outbox): State<Option<Outbox>>, headers: HeaderMap) -> Response {
    if !for_loopback(&headers) {
        return not_here();
    }
    let mut messages = outbox.as_ref().map(Outbox::messages).unwrap_or_default();
    messages.reverse();
    (
        [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")],
        serde_json::to_string(&messages).unwrap_or_default(),
    )
        .into_response()
}

/// The messages as a page that refreshes itself.
async fn outbox_page(State(outbox): State<Option<Outbox>>, headers: HeaderMap) -> Response {
    if !for_loopback(&headers) {
        return not_here();
    }
    let mut messages = outbox.as_ref().map(Outbox::messages).unwrap_or_default();
    messages.reverse();
    let rows: String = messages
        .iter()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>",
                m.sent_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                if m.channel == "sms" { "短信" } else { "邮件" },
                escape(&m.to),
                escape(m.subject.as_deref().unwrap_or("")),
                escape(&m.body)
            )
        })
        .collect();
    let empty = if messages.is_empty() {
        "<p class=empty>暂无消息。注册审核、验证码等短信和邮件会显示在这里。</p>"
    } else {
        ""
    };
    let page = format!(
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><meta http-equiv=refresh content=5><title>本地发件箱 · Gongshi</title>\
         <style>body{{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2rem;color:#222}}table{{border-collapse:collapse;width:100%}}\
         td,th{{border:1px solid #ddd;padding:.4rem .6rem;vertical-align:top;text-align:left}}th{{background:#f5f7fa}}pre{{white-space:pre-wrap;margin:0;font:inherit}}.empty{{color:#888}}</style>\
         <h1>本地发件箱</h1><p>仅本地运行时可见：系统“发送”的短信与邮件（每 5 秒刷新，最新在前，共 {} 条）。</p>{empty}\
         <table><thead><tr><th>时间</th><th>渠道</th><th>收件人</th><th>主题</th><th>内容</th></tr></thead><tbody>{rows}</tbody></table></html>",
        messages.len()
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

//! Local-only pages: the outbox, where a developer reads the SMS and e-mails "sent".
//! Mounted only when the gateway listens on a loopback address.

use crate::gateway::Gateway;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The messages as JSON, newest first.
pub async fn outbox_json(State(gw): State<Arc<Gateway>>) -> Response {
    let mut messages = gw.embedded.as_ref().map(|e| e.outbox.messages()).unwrap_or_default();
    messages.reverse();
    (
        [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")],
        serde_json::to_string(&messages).unwrap_or_default(),
    )
        .into_response()
}

/// The messages as a page that refreshes itself.
pub async fn outbox_page(State(gw): State<Arc<Gateway>>) -> Response {
    let mut messages = gw.embedded.as_ref().map(|e| e.outbox.messages()).unwrap_or_default();
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

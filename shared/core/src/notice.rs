//! 通知公告: notices the association admin publishes to every unit's home. The body is
//! written in a small markup — paragraphs split by blank lines, `## ` headings, `- ` list
//! items, `**bold**` and `[text](https://…)` links — and stored parsed into blocks of plain
//! text runs, so it is rich text that is sanitised by construction: no HTML is kept or
//! rendered, a `<script>` stays the text it is, and a link is only ever `https://`.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 60;
/// Longest body (its markup), in characters.
pub const BODY_MAX: usize = 5000;
/// Longest link target.
const HREF_MAX: usize = 500;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A heading (`## `).
    Heading,
    /// A list item (`- `).
    Bullet,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Run {
    /// The text, shown as text (never as markup).
    pub text: String,
    /// Shown bold.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    /// A link's target, always `https://`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Block {
    /// Paragraph, heading or list item.
    pub kind: BlockKind,
    /// Its runs.
    pub runs: Vec<Run>,
}

/// A notice's content with its rules checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeContent {
    /// 标题, 1–60 characters.
    pub title: String,
    /// The body as written (to edit it again).
    pub source: String,
    /// The body parsed.
    pub blocks: Vec<Block>,
    /// 置顶: shown before the others.
    pub pinned: bool,
}

impl NoticeContent {
    /// The one rule: `title_length` on `title`, `body_length` on `body`, every field at once.
    pub fn parse(title: &str, body: &str, pinned: bool) -> Result<Self, Vec<FieldError>> {
        let title = title.trim();
        let source = body.trim().replace("\r\n", "\n");
        let mut errors = Vec::new();
        if title.is_empty() || title.chars().count() > TITLE_MAX {
            errors.push(FieldError::new("title", "title_length", format!("标题须为1至{TITLE_MAX}个字符")));
        }
        if source.is_empty() || source.chars().count() > BODY_MAX {
            errors.push(FieldError::new("body", "body_length", format!("正文须为1至{BODY_MAX}个字符")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            title: title.to_owned(),
            blocks: blocks(&source),
            source,
            pinned,
        })
    }
}

/// The body's blocks: a blank line ends a paragraph; a `## ` line is a heading and a `- `
/// line a list item; other lines join their paragraph.
pub fn blocks(source: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            out.push(Block {
                kind: BlockKind::Paragraph,
                runs: runs(&paragraph.join("\n")),
            });
            paragraph.clear();
        }
    };
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
        } else if let Some(heading) = trimmed.strip_prefix("## ") {
            flush(&mut paragraph, &mut out);
            out.push(Block {
                kind: BlockKind::Heading,
                runs: runs(heading.trim()),
            });
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            flush(&mut paragraph, &mut out);
            out.push(Block {
                kind: BlockKind::Bullet,
                runs: runs(item.trim()),
            });
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// The runs of one block: `**bold**` and `[text](https://…)`; anything else, unmatched
/// markers included, is text.
fn runs(text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    let push = |out: &mut Vec<Run>, run: Run| {
        if run.text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.bold == run.bold && last.href.is_none() && run.href.is_none() => last.text.push_str(&run.text),
            _ => out.push(run),
        }
    };
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**")
            && end > 0
        {
            push(&mut out, plain_run(&mut plain));
            push(
                &mut out,
                Run {
                    text: after[..end].to_owned(),
                    bold: true,
                    href: None,
                },
            );
            rest = &after[end + 2..];
            continue;
        }
        if c == '['
            && let Some((label, href, consumed)) = link(rest)
        {
            push(&mut out, plain_run(&mut plain));
            push(
                &mut out,
                Run {
                    text: label.to_owned(),
                    bold: false,
                    href: Some(href.to_owned()),
                },
            );
            rest = &rest[consumed..];
            continue;
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push(&mut out, plain_run(&mut plain));
    out
}

fn plain_run(plain: &mut String) -> Run {
    Run {
        text: std::mem::take(plain),
        bold: false,
        href: None,
    }
}

/// `[label](https://…)` at the start of `text`: the label, the target and the bytes taken.
fn link(text: &str) -> Option<(&str, &str, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    let after = &text[close + 2..];
    let end = after.find(')')?;
    let href = &after[..end];
    let safe = href.starts_with("https://")
        && href.len() <= HREF_MAX
        && !href
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\'));
    (safe && !label.is_empty() && !label.contains('[')).then_some((label, href, close + 2 + end + 1))
}

/// The notices a home shows at most (pinned ones first, then the newest).
pub const SHOWN: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    /// A run as (text, bold, link).
    type Shown = (String, bool, Option<String>);

    fn text(blocks: &[Block]) -> Vec<(BlockKind, Vec<Shown>)> {
        blocks
            .iter()
            .map(|b| (b.kind, b.runs.iter().map(|r| (r.text.clone(), r.bold, r.href.clone())).collect()))
            .collect()
    }

    #[test]
    fn f06_a_notices_markup_becomes_blocks_of_text_runs() {
        let parsed = blocks(
            "## 年度换证安排\n\n请各单位于**12月31日前**完成换证，\n详见[通知原文](https://www.example.cn/a?id=1)。\n\n- 准备营业执照\n- 准备资质证书",
        );
        assert_eq!(
            text(&parsed),
            vec![
                (BlockKind::Heading, vec![("年度换证安排".into(), false, None)]),
                (
                    BlockKind::Paragraph,
                    vec![
                        ("请各单位于".into(), false, None),
                        ("12月31日前".into(), true, None),
                        ("完成换证，\n详见".into(), false, None),
                        ("通知原文".into(), false, Some("https://www.example.cn/a?id=1".into())),
                        ("。".into(), false, None),
                    ]
                ),
                (BlockKind::Bullet, vec![("准备营业执照".into(), false, None)]),
                (BlockKind::Bullet, vec![("准备资质证书".into(), false, None)]),
            ]
        );
    }

    #[test]
    fn f06_markup_and_links_that_are_not_safe_stay_text() {
        let parsed = blocks("<script>alert(1)</script> [点我](javascript:alert(1)) [x](http://a.cn) **未闭合");
        assert_eq!(
            text(&parsed),
            vec![(
                BlockKind::Paragraph,
                vec![(
                    "<script>alert(1)</script> [点我](javascript:alert(1)) [x](http://a.cn) **未闭合".into(),
                    false,
                    None
                )]
            )]
        );
        let quoted = blocks("[a](https://x.cn/\"onmouseover=1)");
        assert!(quoted[0].runs.iter().all(|r| r.href.is_none()));
    }

    #[test]
    fn f06_a_notice_needs_a_title_and_a_body_within_their_lengths() {
        let errors = NoticeContent::parse(" ", "", false).expect_err("both empty");
        assert_eq!(
            errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(),
            [("title", "title_length"), ("body", "body_length")]
        );
        let long = NoticeContent::parse(&"题".repeat(61), "正文", false).expect_err("too long");
        assert_eq!(long[0].field, "title");
        let ok = NoticeContent::parse(" 放假通知 ", "元旦放假一天。\r\n", true).expect("valid");
        assert_eq!(
            (ok.title.as_str(), ok.source.as_str(), ok.pinned),
            ("放假通知", "元旦放假一天。", true)
        );
    }
}

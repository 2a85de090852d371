// 通知公告 (F6, #19): a notice's body is a small markup the server parses into blocks of plain
// text runs (shared/core/src/notice.rs). The SPA renders those runs as text only — never as
// HTML — and parses the markup itself with a copy of the same rules only for the preview of
// the association admin's form: what is published is always the server's parse.
import type { NoticeBlock, NoticeRun } from '@/api/types'

/** Longest title and body, in characters (the server's `title_length` and `body_length`). */
export const NOTICE_TITLE_MAX = 60
export const NOTICE_BODY_MAX = 5000
/** Longest link target the server accepts, in UTF-8 bytes. */
const HREF_MAX = 500

/** Whether a link's target has what it may not: whitespace, controls, quotes, angle brackets, backslash. */
function unsafeHref(href: string): boolean {
  for (const char of href) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || /[\s"'<>\\]/.test(char)) return true
  }
  return false
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length

/** A link's target as rendered: only an `https://` one (the server sends no other), else none. */
export function safeHref(href: string | null | undefined): string | null {
  return href && href.startsWith('https://') && !unsafeHref(href) ? href : null
}

/** `[label](https://…)` at `i` of `text`: the label, the target and where the text goes on. */
function linkAt(text: string, i: number): { label: string; href: string; next: number } | null {
  const close = text.indexOf('](', i)
  if (close < 0) return null
  const label = text.slice(i + 1, close)
  const end = text.indexOf(')', close + 2)
  if (end < 0) return null
  const href = text.slice(close + 2, end)
  const safe = href.startsWith('https://') && utf8Length(href) <= HREF_MAX && !unsafeHref(href)
  return safe && label.length > 0 && !label.includes('[') ? { label, href, next: end + 1 } : null
}

/**
 * The runs of one block: `**bold**` and `[text](https://…)`; anything else, unmatched markers
 * included, is text. Neighbouring runs of the same style are one.
 */
export function noticeRuns(text: string): NoticeRun[] {
  const out: NoticeRun[] = []
  let plain = ''
  const push = (run: NoticeRun) => {
    if (!run.text) return
    const last = out[out.length - 1]
    if (last && Boolean(last.bold) === Boolean(run.bold) && !last.href && !run.href) last.text += run.text
    else out.push(run)
  }
  const pushPlain = () => {
    push({ text: plain })
    plain = ''
  }
  let i = 0
  while (i < text.length) {
    if (text.startsWith('**', i)) {
      const end = text.indexOf('**', i + 2)
      if (end > i + 2) {
        pushPlain()
        push({ text: text.slice(i + 2, end), bold: true })
        i = end + 2
        continue
      }
    }
    if (text[i] === '[') {
      const link = linkAt(text, i)
      if (link) {
        pushPlain()
        push({ text: link.label, href: link.href })
        i = link.next
        continue
      }
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? 0)
    plain += char
    i += char.length
  }
  pushPlain()
  return out
}

/**
 * The body's blocks, as the server parses them: a blank line ends a paragraph; a `## ` line is
 * a heading and a `- ` line a list item; other lines join their paragraph (with a line break).
 */
export function noticeBlocks(body: string): NoticeBlock[] {
  const out: NoticeBlock[] = []
  let paragraph: string[] = []
  const flush = () => {
    if (paragraph.length > 0) out.push({ kind: 'paragraph', runs: noticeRuns(paragraph.join('\n')) })
    paragraph = []
  }
  const source = body.trim().replace(/\r\n/g, '\n')
  for (const line of source.split('\n')) {
    const trimmed = line.trim()
    if (!trimmed) {
      flush()
    } else if (trimmed.startsWith('## ')) {
      flush()
      out.push({ kind: 'heading', runs: noticeRuns(trimmed.slice(3).trim()) })
    } else if (trimmed.startsWith('- ')) {
      flush()
      out.push({ kind: 'bullet', runs: noticeRuns(trimmed.slice(2).trim()) })
    } else {
      paragraph.push(trimmed)
    }
  }
  flush()
  return out
}

/** What is rendered: a heading, a paragraph, or one list of consecutive list items. */
export type NoticeGroup = { kind: 'heading' | 'paragraph'; runs: NoticeRun[] } | { kind: 'list'; items: NoticeRun[][] }

/** The blocks as rendered: consecutive list items are one list; a kind this SPA does not know is a paragraph. */
export function noticeGroups(blocks: readonly NoticeBlock[]): NoticeGroup[] {
  const out: NoticeGroup[] = []
  for (const block of blocks) {
    const last = out[out.length - 1]
    if (block.kind === 'bullet') {
      if (last?.kind === 'list') last.items.push(block.runs)
      else out.push({ kind: 'list', items: [block.runs] })
    } else {
      out.push({ kind: block.kind === 'heading' ? 'heading' : 'paragraph', runs: block.runs })
    }
  }
  return out
}

import { describe, expect, it } from 'vitest'
import type { NoticeBlock } from '@/api/types'
import { noticeBlocks, noticeGroups, safeHref } from './notices'

// The preview's copy of the server's markup rules (shared/core/src/notice.rs): the same cases
// give the same blocks.

describe('noticeBlocks (the preview parses as the server does)', () => {
  it('f06_a_notices_markup_becomes_blocks_of_text_runs', () => {
    expect(
      noticeBlocks(
        '## 年度换证安排\n\n请各单位于**12月31日前**完成换证，\n详见[通知原文](https://www.example.cn/a?id=1)。\n\n- 准备营业执照\n- 准备资质证书',
      ),
    ).toEqual([
      { kind: 'heading', runs: [{ text: '年度换证安排' }] },
      {
        kind: 'paragraph',
        runs: [
          { text: '请各单位于' },
          { text: '12月31日前', bold: true },
          { text: '完成换证，\n详见' },
          { text: '通知原文', href: 'https://www.example.cn/a?id=1' },
          { text: '。' },
        ],
      },
      { kind: 'bullet', runs: [{ text: '准备营业执照' }] },
      { kind: 'bullet', runs: [{ text: '准备资质证书' }] },
    ])
  })

  it('f06_markup_and_links_that_are_not_safe_stay_text', () => {
    const text = '<script>alert(1)</script> [点我](javascript:alert(1)) [x](http://a.cn) **未闭合'
    expect(noticeBlocks(text)).toEqual([{ kind: 'paragraph', runs: [{ text }] }])
    expect(noticeBlocks('[a](https://x.cn/"onmouseover=1)')[0].runs.every((r) => !r.href)).toBe(true)
    expect(noticeBlocks('[a](https://x.cn/ b)')[0].runs.every((r) => !r.href)).toBe(true)
  })

  it('trims the body, reads CRLF as LF and leaves nothing for a blank body', () => {
    expect(noticeBlocks('  元旦放假一天。\r\n\r\n- 一\r\n')).toEqual([
      { kind: 'paragraph', runs: [{ text: '元旦放假一天。' }] },
      { kind: 'bullet', runs: [{ text: '一' }] },
    ])
    expect(noticeBlocks(' \n ')).toEqual([])
    // "##" and "-" without their space are text; "****" is no bold.
    expect(noticeBlocks('##标题\n-项\n****')).toEqual([{ kind: 'paragraph', runs: [{ text: '##标题\n-项\n****' }] }])
  })
})

describe('noticeGroups', () => {
  it('makes consecutive list items one list, and an unknown kind a paragraph', () => {
    const blocks = [
      { kind: 'bullet', runs: [{ text: 'a' }] },
      { kind: 'bullet', runs: [{ text: 'b' }] },
      { kind: 'heading', runs: [{ text: 'h' }] },
      { kind: 'bullet', runs: [{ text: 'c' }] },
      { kind: 'quote', runs: [{ text: 'q' }] },
    ] as unknown as NoticeBlock[]
    expect(noticeGroups(blocks)).toEqual([
      { kind: 'list', items: [[{ text: 'a' }], [{ text: 'b' }]] },
      { kind: 'heading', runs: [{ text: 'h' }] },
      { kind: 'list', items: [[{ text: 'c' }]] },
      { kind: 'paragraph', runs: [{ text: 'q' }] },
    ])
  })
})

describe('safeHref', () => {
  it('keeps only https:// targets without quotes or spaces', () => {
    expect(safeHref('https://www.example.cn/a?id=1')).toBe('https://www.example.cn/a?id=1')
    expect(safeHref('javascript:alert(1)')).toBeNull()
    expect(safeHref('http://a.cn')).toBeNull()
    expect(safeHref('https://a.cn/"x')).toBeNull()
    expect(safeHref(null)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import type { HomeTodo } from '@/api/types'
import { todoLines } from './home'

const todo = (over: Partial<HomeTodo>): HomeTodo => ({
  kind: 'qualification_expiring',
  title: '核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新',
  link: '/unit/qualifications',
  due: '2027-01-25',
  days_left: 60,
  ...over,
})

describe('todoLines', () => {
  it('has no lines when there is nothing to do', () => {
    expect(todoLines([])).toEqual([])
  })

  it('keeps the server’s order and text, links each line, and colours it by kind', () => {
    const lines = todoLines([
      todo({ kind: 'qualification_expired', title: '许可证 XK-1 已于 2026-11-16 过期，请上传新证书', days_left: -10 }),
      todo({}),
      todo({ kind: 'change_request_pending', title: '单位信息变更申请正在审核中', link: '/unit/change-request', due: null, days_left: null }),
      todo({ kind: 'change_request_rejected', title: '单位信息变更申请未通过：材料不清晰', link: '/unit/change-request' }),
    ])
    expect(lines.map((l) => [l.text, l.to, l.type])).toEqual([
      ['许可证 XK-1 已于 2026-11-16 过期，请上传新证书', '/unit/qualifications', 'danger'],
      ['核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新', '/unit/qualifications', 'warning'],
      ['单位信息变更申请正在审核中', '/unit/change-request', 'info'],
      ['单位信息变更申请未通过：材料不清晰', '/unit/change-request', 'danger'],
    ])
    expect(new Set(lines.map((l) => l.key)).size).toBe(4)
  })
})

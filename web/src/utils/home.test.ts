import { describe, expect, it } from 'vitest'
import type { HomeApplication, HomeTodo } from '@/api/types'
import { testI18n } from '@/test/i18n'
import { applicationTodoLines, mergeTodoLines, todoLines } from './home'

const zh = testI18n().global
const en = (() => {
  const i18n = testI18n()
  i18n.global.locale.value = 'en'
  return i18n.global
})()
type TN = (key: string, values: Record<string, unknown>, plural: number) => string
const tZh = zh.t as unknown as TN
const tEn = en.t as unknown as TN

const todo = (over: Partial<HomeTodo>): HomeTodo => ({
  kind: 'qualification_expiring',
  title: '核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新',
  link: '/unit/qualifications',
  due: '2027-01-25',
  days_left: 60,
  certificate_no: 'TS-60',
  qualification_kind: 'approval',
  reason: null,
  ...over,
})

const changeTodos: HomeTodo[] = [
  todo({
    kind: 'change_request_pending',
    title: '单位信息变更申请正在审核中',
    link: '/unit/change-request',
    due: null,
    days_left: null,
    certificate_no: null,
    qualification_kind: null,
  }),
  todo({
    kind: 'change_request_rejected',
    title: '单位信息变更申请未通过：材料不清晰',
    link: '/unit/change-request',
    due: null,
    days_left: null,
    certificate_no: null,
    qualification_kind: null,
    reason: '材料不清晰',
  }),
]

describe('todoLines', () => {
  it('has no lines when there is nothing to do', () => {
    expect(todoLines([], tZh)).toEqual([])
  })

  it('keeps the server’s order and text, links each line, and colours it by kind', () => {
    const lines = todoLines([
      todo({
        kind: 'qualification_expired',
        title: '许可证 XK-1 已于 2026-11-16 过期，请上传新证书',
        certificate_no: 'XK-1',
        qualification_kind: 'licence',
        due: '2026-11-16',
        days_left: -10,
      }),
      todo({}),
      ...changeTodos,
    ], tZh)
    expect(lines.map((l) => [l.text, l.to, l.type])).toEqual([
      ['许可证 XK-1 已于 2026-11-16 过期，请上传新证书', '/unit/qualifications', 'danger'],
      ['核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新', '/unit/qualifications', 'warning'],
      ['单位信息变更申请正在审核中', '/unit/change-request', 'info'],
      ['单位信息变更申请未通过：材料不清晰', '/unit/change-request', 'danger'],
    ])
    expect(new Set(lines.map((l) => l.key)).size).toBe(4)
  })
})

describe('todoLines wording (bug 13: the SPA words the to-dos in the language shown)', () => {
  const todos = [
    todo({ title: '许可证 TS-1 将于 2026-12-06 到期（剩 10 天），请及时换证并更新', certificate_no: 'TS-1', qualification_kind: 'licence', due: '2026-12-06', days_left: 10 }),
    todo({ title: '核准证 TS-2 将于 2026-11-27 到期（剩 1 天），请及时换证并更新', certificate_no: 'TS-2', due: '2026-11-27', days_left: 1 }),
    todo({
      kind: 'qualification_expired',
      title: '许可证 TS-3 已于 2026-11-16 过期，请上传新证书',
      certificate_no: 'TS-3',
      qualification_kind: 'licence',
      due: '2026-11-16',
      days_left: -10,
    }),
    ...changeTodos,
  ]

  it('says in Chinese what the server’s title says, from the data', () => {
    // The titles are replaced so that only the data can give the text.
    const lines = todoLines(todos.map((x) => ({ ...x, title: '（标题）' })), tZh)
    expect(lines.map((l) => l.text)).toEqual(todos.map((x) => x.title))
  })

  it('says it in English in the English UI', () => {
    expect(todoLines(todos, tEn).map((l) => l.text)).toEqual([
      'Licence TS-1 expires on 2026-12-06 (10 days left): renew it in time and update it here',
      'Approval certificate TS-2 expires on 2026-11-27 (1 day left): renew it in time and update it here',
      'Licence TS-3 expired on 2026-11-16: upload the new certificate',
      'Your change of unit information is being reviewed',
      'Your change of unit information was not approved: 材料不清晰',
    ])
  })

  it('falls back to the server’s title for a kind it does not know, or without the data', () => {
    const unknown = todo({ kind: 'something_new' as HomeTodo['kind'], title: '新的待办' })
    const bare = todo({ certificate_no: null, title: '核准证 TS-9 将于 2027-01-25 到期（剩 60 天），请及时换证并更新' })
    expect(todoLines([unknown, bare], tEn).map((l) => [l.text, l.type])).toEqual([
      ['新的待办', 'info'],
      ['核准证 TS-9 将于 2027-01-25 到期（剩 60 天），请及时换证并更新', 'warning'],
    ])
  })
})

const application = (over: Partial<HomeApplication>): HomeApplication => ({
  id: 'app_1',
  number: 'SB20261201-ABCDEFGH',
  kind: 'initial',
  kind_label: '初始',
  state: 'created',
  state_label: '待上传申请表',
  person_name: '王五',
  id_number_masked: '440524********0014',
  unit_name: '厦门电梯检测技术有限公司',
  created_at: '2026-12-01T01:00:00Z',
  state_since: '2026-12-01T01:00:00Z',
  deadline: '2026-12-08T01:00:00Z',
  seconds_left: 2 * 86_400 + 3 * 3_600,
  correction: null,
  ...over,
})

describe('applicationTodoLines (#19: the home’s applications, returned ones first)', () => {
  const tPlain = zh.t as unknown as (key: string, values?: Record<string, unknown>) => string
  const returned = application({
    id: 'app_r',
    number: 'SB20261201-RETURNED',
    person_name: '赵六',
    state: 'returned',
    state_label: '退回补正',
    seconds_left: 4 * 86_400,
    correction: '扫描件不清晰；说明：公章模糊',
  })

  it('words a returned application with what to correct, red, linking to it; none for one in review', () => {
    const lines = applicationTodoLines(
      [returned, application({ id: 'app_v', state: 'under_review', state_label: '审核中', seconds_left: null })],
      tPlain,
    )
    expect(lines.map((l) => [l.text, l.to, l.type, l.first])).toEqual([
      [
        '申报单 SB20261201-RETURNED（赵六，初始）已被退回补正：扫描件不清晰；说明：公章模糊。请重新上传申请表扫描件，剩余 4 天 0 小时',
        '/publicity/applications/app_r',
        'danger',
        true,
      ],
    ])
    // One full stop, whatever the server's words end with.
    expect(applicationTodoLines([{ ...returned, correction: '扫描件不清晰。' }], tPlain)[0].text).toContain('已被退回补正：扫描件不清晰。请重新上传')
    expect(applicationTodoLines([{ ...returned, correction: null }], tPlain)[0].text).toBe(
      '申报单 SB20261201-RETURNED（赵六，初始）已被退回补正，请重新上传申请表扫描件，剩余 4 天 0 小时',
    )
  })

  it('puts returned applications before everything, even an expired certificate and an application due sooner', () => {
    const lines = mergeTodoLines(
      applicationTodoLines([application({ seconds_left: 3_600 }), returned], tPlain),
      todoLines([todo({ kind: 'qualification_expired', title: '许可证 XK-1 已于 2026-11-16 过期，请上传新证书', days_left: -10 })], tZh),
    )
    expect(lines.map((l) => l.to)).toEqual(['/publicity/applications/app_r', '/unit/qualifications', '/publicity/applications/app_1'])
    expect(lines[1].text).toBe('核准证 TS-60 已于 2027-01-25 过期，请上传新证书')
    expect(lines[2].text).toContain('待打印并上传申请表，剩余 1 小时 0 分')
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, problem, renderReview as render, serve, underReviewApplication } from '@/test/review'
import { messages } from '@/test/downloads'
import ApplicationReviewDetailView from './ApplicationReviewDetailView.vue'
import ApplicationReviewListView from './ApplicationReviewListView.vue'

// F21 退回补正 (#19): a reviewer returns an application in review to the unit with one or more
// reasons (其他 with a note); the detail then shows the return, and later its correction.

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const UNTIL = '2099-12-02T09:30:00Z'
const byOther = { by: 'wang', by_name: '王审核', until: UNTIL, mine: false }
const NOTE = '单位公章模糊，请重新盖章后扫描'

/** The last return, as the server shows it (open: not corrected yet). */
const correction = {
  reasons: [
    { code: 'signature_or_seal_missing', label: '缺少签字或盖章' },
    { code: 'other', label: '其他' },
  ],
  note: NOTE,
  text: `缺少签字或盖章；其他；说明：${NOTE}`,
  returned_by: 'reviewer',
  returned_at: '2026-11-26T09:00:00Z',
  due: '2026-12-03',
  corrected_at: null,
}
const returned = {
  ...underReviewApplication,
  state: 'returned',
  state_label: '退回补正',
  deadline: '2026-12-03T16:00:00Z',
  seconds_left: 7 * 86_400,
  correction,
  returns: 1,
}

const review = (application: object, claim: unknown = null) => json(200, { application, documents: [], claim })
const open = async () => (await render(ApplicationReviewDetailView, '/review/applications', { id: 'app_1' })).wrapper
type Wrapper = Awaited<ReturnType<typeof open>>

/** Opens the dialog, ticks `reasons` and types `note`, and presses 确认退回. */
async function sendBack(wrapper: Wrapper, reasons: string[], note = ''): Promise<void> {
  await wrapper.get('[data-testid="review-return"]').trigger('click')
  await flushPromises()
  for (const r of reasons) await wrapper.get(`[data-testid="return-reason-${r}"] input`).setValue(true)
  if (note) await wrapper.get('textarea[data-testid="return-note"]').setValue(note)
  await wrapper.get('[data-testid="return-confirm"]').trigger('click')
  await flushPromises()
}

const fieldError = (wrapper: Wrapper, item: string) => wrapper.get(`[data-testid="${item}"] .el-form-item__error`).text()

describe('ApplicationReviewDetailView (执业公示审核, F21): 退回补正', () => {
  it('offers 退回补正 beside 通过 / 驳回, with the five reasons in Chinese', async () => {
    serve(() => review(underReviewApplication))
    const wrapper = await open()
    const bar = wrapper.get('.decision-bar')
    expect(bar.findAll('button').map((b) => b.text())).toEqual(['通过', '驳回', '退回补正'])
    await wrapper.get('[data-testid="review-return"]').trigger('click')
    await flushPromises()
    const dialog = wrapper.get('[data-testid="return-dialog"]')
    expect(dialog.findAll('[data-testid^="return-reason-"]').map((c) => c.text())).toEqual([
      '扫描件不清晰',
      '缺少签字或盖章',
      '人员不符',
      '信息不一致',
      '其他',
    ])
    expect(dialog.text()).toContain('补正说明')
    expect(wrapper.get('textarea[data-testid="return-note"]').attributes('maxlength')).toBe('500')
    expect(dialog.text()).toContain('0 / 500')
    expect(dialog.get('[data-testid="return-confirm"]').text()).toBe('确认退回')
    expect(dialog.get('[data-testid="return-cancel"]').text()).toBe('取消')
    wrapper.unmount()
  })

  it('sends { reasons, note } in the dialog’s order, and shows the application as returned with the correction', async () => {
    const sent = serve((req) => (req.method === 'POST' ? review(returned) : review(underReviewApplication)))
    const wrapper = await open()
    // 其他 first, then 缺少签字或盖章: sent as the dialog lists them.
    await sendBack(wrapper, ['other', 'signature_or_seal_missing'], `  ${NOTE} `)
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/review/applications/app_1',
      'POST /api/v1/review/applications/app_1/return',
    ])
    expect(sent[1].body).toEqual({ reasons: ['signature_or_seal_missing', 'other'], note: NOTE })
    expect(messages()).toContain('已退回补正，单位将收到短信和邮件通知')
    expect(wrapper.get('.title-row [data-testid="status-tag"]').text()).toBe('退回补正')
    const card = wrapper.get('[data-testid="correction-card"]')
    expect(card.get('[data-testid="correction-reasons"]').text()).toBe('缺少签字或盖章其他')
    expect(card.get('[data-testid="correction-note"]').text()).toBe(NOTE)
    expect(card.get('[data-testid="correction-due"]').text()).toBe('2026-12-03（周四）24:00 止')
    expect(card.text()).toContain('reviewer')
    expect(card.text()).toContain('2026-11-26 17:00')
    expect(card.get('[data-testid="correction-status"]').text()).toBe('待单位重新上传')
    // Out of review: nothing left to decide or claim.
    expect(wrapper.find('[data-testid="review-return"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-approve"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-claim-bar"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('sends the reasons alone without a note', async () => {
    const sent = serve((req) => (req.method === 'POST' ? review(returned) : review(underReviewApplication)))
    const wrapper = await open()
    await sendBack(wrapper, ['scan_unreadable'])
    expect(sent[1].body).toEqual({ reasons: ['scan_unreadable'] })
    wrapper.unmount()
  })

  it('asks for a reason, and for a note with 其他, before sending anything', async () => {
    const sent = serve(() => review(underReviewApplication))
    const wrapper = await open()
    await sendBack(wrapper, [])
    await vi.waitFor(() => expect(fieldError(wrapper, 'return-reasons-item')).toBe('请至少选择一项退回原因'))
    await wrapper.get('[data-testid="return-reason-other"] input').setValue(true)
    await wrapper.get('[data-testid="return-confirm"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(fieldError(wrapper, 'return-note-item')).toBe('选择“其他”时须填写补正说明'))
    expect(wrapper.get('[data-testid="return-note-item"]').classes()).toContain('is-required')
    expect(wrapper.get('textarea[data-testid="return-note"]').attributes('placeholder')).toContain('已选择“其他”')
    expect(sent.map((r) => r.method)).toEqual(['GET'])
    wrapper.unmount()
  })

  it('shows the server’s field errors of a 422 under the reasons and the note, and keeps the dialog open', async () => {
    const sent = serve((req) =>
      req.method === 'POST'
        ? json(422, {
            status: 422,
            code: 'validation',
            title: '',
            detail: '',
            errors: [
              { field: 'note', code: 'reason_length', message: '选择“其他”时请填写2至500个字符的补正说明' },
              { field: 'reasons[1]', code: 'unknown_reason', message: '未知的退回原因' },
            ],
          })
        : review(underReviewApplication),
    )
    const wrapper = await open()
    await sendBack(wrapper, ['wrong_person', 'other'], '太短了吗')
    expect(sent.map((r) => r.method)).toEqual(['GET', 'POST'])
    await vi.waitFor(() => expect(fieldError(wrapper, 'return-note-item')).toBe('选择“其他”时请填写2至500个字符的补正说明'))
    await vi.waitFor(() => expect(fieldError(wrapper, 'return-reasons-item')).toBe('未知的退回原因'))
    expect(wrapper.find('[data-testid="return-error"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="return-dialog"]').isVisible()).toBe(true)
    // Still in review, nothing changed.
    expect(wrapper.get('.title-row [data-testid="status-tag"]').text()).toBe('审核中')
    wrapper.unmount()
  })

  it('is disabled, as 通过 / 驳回, while another reviewer holds the application', async () => {
    serve(() => review(underReviewApplication, byOther))
    const wrapper = await open()
    expect(wrapper.find('[data-testid="review-claim-held"]').exists()).toBe(true)
    for (const testid of ['review-approve', 'review-reject', 'review-return']) {
      expect(wrapper.get(`[data-testid="${testid}"]`).attributes('disabled'), testid).toBeDefined()
    }
    wrapper.unmount()
  })

  it('shows the server’s words when another claimed it meanwhile, and loads it again', async () => {
    const detail = '该申报单已由王审核认领（至 2099-12-02 17:30），认领失效或被释放后方可处理'
    let taken = false
    const sent = serve((req) => {
      if (req.method === 'POST') {
        taken = true
        return problem(409, 'claimed_by_other', detail)
      }
      return review(underReviewApplication, taken ? byOther : null)
    })
    const wrapper = await open()
    await sendBack(wrapper, ['data_mismatch'])
    expect(sent.map((r) => r.method)).toEqual(['GET', 'POST', 'GET'])
    expect(messages()).toContain(detail)
    expect(wrapper.get('[data-testid="review-return"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('shows a corrected application’s last return: 已补正，重新提交于 …, and how many times it was returned', async () => {
    const corrected = {
      ...underReviewApplication,
      correction: { ...correction, corrected_at: '2026-11-28T02:30:00Z' },
      returns: 2,
    }
    serve(() => review(corrected))
    const wrapper = await open()
    const card = wrapper.get('[data-testid="correction-card"]')
    expect(card.get('[data-testid="correction-status"]').text()).toBe('已补正，重新提交于 2026-11-28 10:30')
    expect(card.get('[data-testid="correction-count"]').text()).toBe('共退回补正 2 次')
    // Back in review: it may be decided (or returned again).
    expect(wrapper.get('[data-testid="review-return"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })
})

describe('ApplicationReviewListView (执业公示审核, F21): 退回补正', () => {
  it('offers the tab 退回补正, asks for state=returned and shows the time left to correct', async () => {
    const row = {
      id: 'app_1',
      number: 'GS20261126-RETURNED',
      kind: 'initial',
      kind_label: '初始',
      unit_name: '厦门电梯检测技术有限公司',
      person_name: '王五',
      id_number_masked: '440524********0014',
      state: 'returned',
      state_label: '退回补正',
      state_since: '2026-11-26T09:00:00Z',
      created_at: '2026-11-20T02:00:00Z',
      deadline: '2026-12-03T16:00:00Z',
      seconds_left: 3 * 86_400 + 5 * 3_600,
      claim: null,
    }
    const sent = serve(() => json(200, { items: [row], next_cursor: null }))
    const { wrapper } = await render(ApplicationReviewListView, '/review/applications')
    const tabs = wrapper.findAll('[data-testid="application-review-tabs"] .el-tabs__item').map((t) => t.text())
    expect(tabs).toEqual(['待审核', '退回补正', '通过', '不通过'])
    await wrapper.findAll('[data-testid="application-review-tabs"] .el-tabs__item')[1].trigger('click')
    await flushPromises()
    expect(new URLSearchParams(sent[sent.length - 1].query).get('state')).toBe('returned')
    const table = wrapper.get('[data-testid="application-review-table"]')
    expect(table.text()).toContain('退回时间')
    expect(table.text()).toContain('补正剩余时间')
    expect(table.get('[data-testid="deadline-countdown"]').text()).toBe('剩余 3 天 5 小时')
    expect(table.get('[data-testid="status-tag"]').text()).toBe('退回补正')
    expect(wrapper.find('[data-testid="application-review-claim"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

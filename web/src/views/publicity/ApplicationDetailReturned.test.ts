import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { json, serve, underReviewApplication } from '@/test/review'
import { messages } from '@/test/downloads'
import { testI18n } from '@/test/i18n'
import FileUploader from '@/components/FileUploader.vue'
import ApplicationDetailView from './ApplicationDetailView.vue'

// F21 退回补正 (#19) as the unit meets it: the returned application says why at the top, until
// when, with the countdown; the corrected scan goes through the upload it already knows and
// sends the application back to review — no confirmation SMS this time.

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const NOTE = '单位公章模糊，请重新盖章后扫描'
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
const scan = { upload_id: 'up_1', file_name: 'signed.pdf', content_type: 'application/pdf', size: 2048 }
/** Returned, as GET /unit/applications/{id} shows it: counting down to the correction period's end. */
const returned = {
  ...underReviewApplication,
  person_name: '王五',
  id_number_masked: '440524********0014',
  state: 'returned',
  state_label: '退回补正',
  deadline: '2026-12-03T16:00:00Z',
  seconds_left: 6 * 86_400 + 7 * 3_600 + 120,
  scan,
  code_sent_at: '2026-11-25T03:00:00Z',
  code_expires_at: '2026-11-26T03:00:00Z',
  end_reason: null,
  created_by: 'unitadmin',
  documents: [],
  correction,
  returns: 1,
  history: [
    { action: 'application.created', actor: 'unitadmin', from: null, to: 'created', reason: null, at: '2026-11-25T02:00:00Z' },
    { action: 'application.scan_uploaded', actor: 'unitadmin', from: 'created', to: 'awaiting_confirmation', reason: null, at: '2026-11-25T03:00:00Z' },
    { action: 'application.confirmed', actor: 'practitioner', from: 'awaiting_confirmation', to: 'under_review', reason: null, at: '2026-11-25T04:00:00Z' },
    { action: 'application.returned', actor: 'reviewer', from: 'under_review', to: 'returned', reason: correction.text, at: '2026-11-26T09:00:00Z' },
  ],
  actions: { print: true, upload: true, resend_code: false, withdraw: true },
}
/** Corrected: back in review, the last return closed. */
const corrected = {
  ...returned,
  state: 'under_review',
  state_label: '审核中',
  seconds_left: null,
  correction: { ...correction, corrected_at: '2026-11-28T02:30:00Z' },
  history: [
    ...returned.history,
    { action: 'application.scan_uploaded', actor: 'unitadmin', from: 'returned', to: 'under_review', reason: null, at: '2026-11-28T02:30:00Z' },
  ],
  actions: { print: false, upload: false, resend_code: false, withdraw: false },
}

async function render() {
  const wrapper = mount(ApplicationDetailView, {
    props: { id: 'app_1' },
    global: { plugins: [testI18n()], stubs: { RouterLink: RouterLinkStub } },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

/** Uploads a scan through the page: the uploader hands over the verified file, then 提交. */
async function upload(wrapper: Awaited<ReturnType<typeof render>>): Promise<void> {
  wrapper.findComponent(FileUploader).vm.$emit('update:modelValue', { ...scan, upload_id: 'up_2', file_name: 'corrected.pdf' })
  await flushPromises()
  await wrapper.get('[data-testid="application-scan-submit"]').trigger('click')
  await flushPromises()
}

describe('ApplicationDetailView (§3.3.1): 退回补正', () => {
  it('says at the top that it was returned: the reasons, the note, the last day with the countdown, and no new confirmation', async () => {
    serve(() => json(200, returned))
    const wrapper = await render()
    const alert = wrapper.get('[data-testid="application-returned"]')
    // A warning (under the test's stubbed transition: the alert itself is inside).
    expect(alert.get('.el-alert--warning').attributes('role')).toBe('alert')
    expect(alert.text()).toContain('申报单已被退回补正')
    expect(alert.get('[data-testid="application-returned-reasons"]').text()).toBe('退回原因：缺少签字或盖章其他')
    expect(alert.get('[data-testid="application-returned-note"]').text()).toBe(`补正说明：${NOTE}`)
    const due = alert.get('[data-testid="application-returned-due"]')
    expect(due.text()).toContain('请于 2026-12-03（周四）24:00 前重新上传签字盖章后的申请表扫描件')
    expect(due.get('[data-testid="deadline-countdown"]').text()).toBe('剩余 6 天 7 小时')
    expect(alert.get('[data-testid="application-returned-after"]').text()).toContain('无需执业人再次确认')
    // Above the steps, and the state says so too.
    expect(wrapper.get('.title-row [data-testid="status-tag"]').text()).toBe('退回补正')
    expect(wrapper.get('[data-testid="application-steps"] .el-step__description.is-process').text()).toBe('退回补正')
    // The upload is offered, worded for a correction; no confirmation SMS to send again.
    expect(wrapper.get('[data-testid="application-scan-submit"]').text()).toBe('重新提交审核')
    expect(wrapper.get('[data-testid="application-actions"]').text()).toContain('上传补正后的申请表')
    expect(wrapper.find('[data-testid="application-resend"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="application-withdraw"]').exists()).toBe(true)
    // The history names the return, with its reasons.
    const last = wrapper.findAll('[data-testid="history-entry"]').at(-1)!
    expect(last.get('[data-testid="history-action"]').text()).toBe('退回补正')
    expect(last.text()).toContain(`退回原因：${correction.text}`)
    wrapper.unmount()
  })

  it('uploads the corrected scan through the page and says 已重新提交审核, not that an SMS was sent', async () => {
    let done = false
    const sent = serve((req) => {
      if (req.method === 'POST') {
        done = true
        return json(200, { ...corrected, documents: [] })
      }
      return json(200, done ? corrected : returned)
    })
    const wrapper = await render()
    await upload(wrapper)
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/unit/applications/app_1',
      'POST /api/v1/unit/applications/app_1/scan',
      'GET /api/v1/unit/applications/app_1',
    ])
    expect(sent[1].body).toEqual({ upload_id: 'up_2' })
    const shown = messages()
    expect(shown).toContain('申请表已重新上传，申报单已重新提交审核')
    expect(shown.join()).not.toContain('确认短信')
    expect(wrapper.get('.title-row [data-testid="status-tag"]').text()).toBe('审核中')
    expect(wrapper.find('[data-testid="application-returned"]').exists()).toBe(false)
    // Corrected: a note beside the history, whose last step is the corrected scan.
    expect(wrapper.get('[data-testid="application-corrected"]').text()).toBe('曾退回补正 1 次，最近一次已于 2026-11-28 10:30 补正并重新提交审核')
    const last = wrapper.findAll('[data-testid="history-entry"]').at(-1)!
    expect(last.get('[data-testid="history-action"]').text()).toBe('重新上传补正后的申请表，重新提交审核')
    wrapper.unmount()
  })

  it('still says the confirmation SMS went out for a first upload', async () => {
    const created = {
      ...returned,
      state: 'created',
      state_label: '待上传申请表',
      scan: null,
      correction: null,
      returns: 0,
      history: returned.history.slice(0, 1),
      actions: { print: true, upload: true, resend_code: false, withdraw: true },
    }
    serve((req) => json(200, req.method === 'POST' ? { ...created, state: 'awaiting_confirmation' } : created))
    const wrapper = await render()
    expect(wrapper.find('[data-testid="application-returned"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="application-scan-submit"]').text()).toBe('提交并发送确认短信')
    await upload(wrapper)
    expect(messages()).toContain('申请表已上传，确认短信已发送至执业人')
    expect(wrapper.find('[data-testid="application-corrected"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

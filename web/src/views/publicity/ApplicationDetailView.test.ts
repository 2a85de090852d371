import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import ApplicationDetailView from './ApplicationDetailView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  })

const base = {
  id: 'app_1',
  number: 'GS2026000001',
  kind: 'initial',
  kind_label: '初始',
  state: 'awaiting_confirmation',
  state_label: '待执业人确认',
  person_name: '王五',
  id_number_masked: '440524********0014',
  created_at: '2026-03-01T02:00:00Z',
  deadline: '2026-03-08T02:00:00Z',
  seconds_left: 6 * 86_400 + 23 * 3_600 + 120,
  unit_name: '厦门电梯检测技术有限公司',
  person: { name: '王五', id_number_masked: '440524********0014', mobile_masked: '139****0010' },
  items: [{ code: 'DT-1', name: '电梯检验员', level: '检验员', valid_until: '2028-05-31' }],
  clauses: { version: 3, title: '执业公示承诺书', confirmed_by: 'unitadmin', confirmed_at: '2026-03-01T02:00:00Z' },
  resignation_proof: null,
  scan: { upload_id: 'up_1', file_name: 'signed.pdf', content_type: 'application/pdf', size: 2048 },
  code_sent_at: '2026-03-01T03:00:00Z',
  code_expires_at: '2026-03-02T03:00:00Z',
  decision: null,
  end_reason: null,
  publicity_certificate_no: null,
  previous_unit: null,
  history: [
    { action: 'application.created', actor: 'unitadmin', from: null, to: 'created', reason: null, at: '2026-03-01T02:00:00Z' },
    { action: 'application.scan_uploaded', actor: 'unitadmin', from: 'created', to: 'awaiting_confirmation', reason: null, at: '2026-03-01T03:00:00Z' },
  ],
  actions: { print: true, upload: false, resend_code: true, withdraw: true },
  created_by: 'unitadmin',
}

async function render(answer: (req: Request, path: string) => Response) {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => answer(req, new URL(req.url).pathname)))
  const wrapper = mount(ApplicationDetailView, {
    props: { id: 'app_1' },
    global: { plugins: [testI18n()], stubs: { RouterLink: RouterLinkStub } },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ApplicationDetailView (§3.3.1 steps 3–4)', () => {
  it('shows the state, the countdown, the step reached and the history', async () => {
    const wrapper = await render(() => json(200, base))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-steps"]').exists()).toBe(true))
    expect(wrapper.get('.title-row [data-testid="status-tag"]').text()).toBe('待执业人确认')
    expect(wrapper.get('.title-row [data-testid="deadline-countdown"]').text()).toBe('剩余 6 天 23 小时')
    // The wizard's four steps; awaiting the practitioner is the third, 打印并上传申请表, not a step of its own.
    const steps = wrapper.findAll('[data-testid="application-steps"] .el-step__title').map((w) => w.text())
    expect(steps).toEqual(['人员检索', '提交', '打印并上传申请表', '查看结果'])
    expect(wrapper.get('[data-testid="application-steps"]').attributes('data-active')).toBe('2')
    expect(wrapper.get('[data-testid="application-steps"] .el-step__description.is-process').text()).toBe('待执业人确认')
    expect(wrapper.text()).not.toContain('第三步')
    expect(wrapper.get('[data-testid="application-hint"]').text()).toContain('139****0010')
    const history = wrapper.findAll('[data-testid="history-entry"]')
    expect(history).toHaveLength(2)
    expect(history[1].text()).toContain('上传签字盖章的申请表')
    expect(history[1].text()).toContain('待上传申请表')
    expect(history[1].text()).toContain('待执业人确认')
    expect(wrapper.get('[data-testid="application-clause-version"]').text()).toBe('第 3 版《执业公示承诺书》')
    // 项目代号, as the printed form says.
    const headers = wrapper.findAll('[data-testid="application-items"] th').map((th) => th.text())
    expect(headers.slice(0, 2)).toEqual(['项目代号', '项目名称'])
    wrapper.unmount()
  })

  it('shows the unit the signed scan it uploaded, not only its file name (#17 bug 15)', async () => {
    const documents = [
      { purpose: 'signed_form', label: '签字盖章的申请表', file_name: 'signed.png', content_type: 'image/png', url: 'http://127.0.0.1/_blobs/verified/up_1?sig=x' },
    ]
    const wrapper = await render(() => json(200, { ...base, documents }))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-documents"]').exists()).toBe(true))
    const shown = wrapper.get('[data-testid="application-document-signed_form"]')
    expect(shown.text()).toContain('签字盖章的申请表：signed.png')
    expect(shown.find('img').attributes('alt')).toBe('签字盖章的申请表：signed.png')
    wrapper.unmount()
  })

  it('says how long to wait when the SMS is asked for again too soon (429 Retry-After)', async () => {
    const wrapper = await render((req) =>
      req.method === 'POST'
        ? json(429, { status: 429, code: 'rate_limited', title: '', detail: '', errors: [] }, { 'Retry-After': '42' })
        : json(200, base),
    )
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-resend"]').exists()).toBe(true))
    await wrapper.get('[data-testid="application-resend"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="application-action-error"]').text()).toContain('发送过于频繁，请 42 秒后再试')
    expect(wrapper.get('[data-testid="application-resend"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="application-resend"]').text()).toMatch(/\d+ 秒后可重新发送/)
    wrapper.unmount()
  })

  it('shows 通过 with the publicity certificate number and nothing left to do', async () => {
    const approved = {
      ...base,
      state: 'approved',
      state_label: '通过',
      seconds_left: null,
      decision: { approved: true, reason: null, decided_by: 'reviewer', decided_at: '2026-03-03T03:00:00Z' },
      publicity_certificate_no: 'GSZ-2026-000001',
      actions: { print: false, upload: false, resend_code: false, withdraw: false },
    }
    const wrapper = await render(() => json(200, approved))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-approved"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="application-approved"]').text()).toContain('GSZ-2026-000001')
    expect(wrapper.get('[data-testid="review-decision"]').text()).toContain('通过')
    expect(wrapper.find('[data-testid="application-actions"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="deadline-countdown"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('walks a cancellation through its own steps: the reason, the stamped form straight to review', async () => {
    const cancellation = {
      ...base,
      number: 'ZX20261126-ABCDEFGH',
      kind: 'cancellation',
      kind_label: '注销',
      state: 'created',
      state_label: '待上传申请表',
      scan: null,
      code_sent_at: null,
      code_expires_at: null,
      publicity_certificate_no: 'GS2024000001',
      reason: '离职：2026年3月离职',
      clauses: { version: 0, title: '注销申请', confirmed_by: 'unitadmin', confirmed_at: '2026-03-01T02:00:00Z' },
      history: [
        { action: 'application.created', actor: 'unitadmin', from: null, to: 'created', reason: '注销公示证书 GS2024000001：离职', at: '2026-03-01T02:00:00Z' },
      ],
      actions: { print: true, upload: true, resend_code: false, withdraw: true },
    }
    const wrapper = await render(() => json(200, cancellation))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-steps"]').exists()).toBe(true))
    expect(wrapper.get('h1').text()).toBe('公示证书注销申请 ZX20261126-ABCDEFGH')
    const steps = wrapper.findAll('[data-testid="application-steps"] .el-step__title').map((w) => w.text())
    expect(steps).toEqual(['提交注销申请', '打印注销申请表', '上传盖章申请表', '审核'])
    expect(wrapper.get('[data-testid="application-steps"]').attributes('data-active')).toBe('1')
    expect(wrapper.get('[data-testid="application-reason"]').text()).toBe('离职：2026年3月离职')
    expect(wrapper.get('[data-testid="application-info"]').text()).toContain('注销的公示证书编号')
    expect(wrapper.find('[data-testid="application-clauses"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="application-hint"]').text()).toContain('无需执业人确认')
    expect(wrapper.get('[data-testid="application-print"]').text()).toBe('打印注销申请表')
    expect(wrapper.get('[data-testid="application-scan-submit"]').text()).toBe('提交审核')
    expect(wrapper.find('[data-testid="application-resend"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="history-action"]').text()).toBe('创建注销申请')
    wrapper.unmount()
  })

  it('says which certificate an approved cancellation ended', async () => {
    const done = {
      ...base,
      kind: 'cancellation',
      kind_label: '注销',
      state: 'approved',
      state_label: '通过',
      seconds_left: null,
      publicity_certificate_no: 'GS2024000001',
      reason: '退休',
      decision: { approved: true, reason: null, decided_by: 'reviewer', decided_at: '2026-03-03T03:00:00Z' },
      actions: { print: false, upload: false, resend_code: false, withdraw: false },
    }
    const wrapper = await render(() => json(200, done))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-approved"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="application-approved"]').text()).toContain('公示证书 GS2024000001 已注销')
    expect(wrapper.get('[data-testid="application-steps"]').attributes('data-active')).toBe('4')
    wrapper.unmount()
  })
})

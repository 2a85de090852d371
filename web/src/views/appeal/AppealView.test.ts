import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import AppealView from './AppealView.vue'
import type { Appeal } from '@/api/types'
import { storeAppeal } from '@/utils/appeals'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const draft: Appeal = {
  id: 'ap_1',
  state: 'draft',
  uscc: '91350200MA8F05A1XR',
  unit_name: '厦门特种设备安全检测有限公司',
  applicant_name: '赵六',
  applicant_mobile_masked: '139****9000',
  applicant_id_number_masked: '350203********0031',
  mobile_verified: false,
  contact_email: 'appeal@example.com',
  reason: '原授权联系人已离职，手机号码已停用。',
  overdue: false,
  licence: null,
  authorisation: null,
  submitted_at: null,
  due_date: null,
  decision: null,
}

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/appeal', component: AppealView },
      { path: '/login', component: { template: '<div />' } },
    ],
  })
  await router.push('/appeal')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('AppealView', () => {
  async function fillForm(wrapper: Awaited<ReturnType<typeof mountView>>, idNumber: string) {
    await wrapper.get('[data-testid="appeal-uscc"]').setValue(draft.uscc)
    await wrapper.get('[data-testid="appeal-unit-name"]').setValue(draft.unit_name)
    await wrapper.get('[data-testid="appeal-applicant-name"]').setValue('赵六')
    await wrapper.get('[data-testid="appeal-applicant-id-number"]').setValue(idNumber)
    await wrapper.get('[data-testid="appeal-applicant-mobile"]').setValue('13900139000')
    await wrapper.get('[data-testid="appeal-contact-email"]').setValue('appeal@example.com')
    await wrapper.get('[data-testid="appeal-reason"]').setValue(draft.reason)
  }

  it('explains that the appellant becomes the contact and checks the ID number before sending', async () => {
    const fetchMock = vi.fn(async (_req: Request) => json(201, {}))
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountView()
    expect(wrapper.get('[data-testid="appeal-contact-note"]').text()).toContain(
      '申诉人即单位新的授权联系人；审核通过后，授权联系人变更为申诉人，临时密码以短信发送至申诉人手机',
    )
    // The check character of 11010519491231002X is X.
    await fillForm(wrapper, '110105194912310021')
    await wrapper.get('[data-testid="appeal-form"]').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.text()).toContain('请填写正确的18位身份证号码'))
    expect(fetchMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('creates the appeal, keeps id and token, and says where the code went with a countdown', async () => {
    const fetchMock = vi.fn(async (_req: Request) =>
      json(201, { appeal: draft, token: 'tok_1', code_sent_to: '139****9000', resend_after: 60 }),
    )
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountView()
    await fillForm(wrapper, '11010519491231002x')
    await wrapper.get('[data-testid="appeal-form"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-uploads"]').exists()).toBe(true))
    const req = fetchMock.mock.calls[0][0]
    expect(new URL(req.url).pathname).toBe('/api/v1/appeals')
    expect(await req.json()).toMatchObject({ applicant_id_number: '11010519491231002X', applicant_mobile: '13900139000' })
    expect(JSON.parse(localStorage.getItem('gongshi.appeal')!)).toMatchObject({ id: 'ap_1', token: 'tok_1', codeSentTo: '139****9000' })
    expect(wrapper.get('[data-testid="appeal-code-sent"]').text()).toBe('验证码已发送至 139****9000')
    const resend = wrapper.get('[data-testid="appeal-resend"]')
    expect(resend.attributes('disabled')).toBeDefined()
    expect(resend.text()).toMatch(/^(60|59) 秒后可重新发送$/)
    wrapper.unmount()
  })

  it('submits only with the code, and shows a wrong code next to the code field', async () => {
    const licence = { upload_id: 'up_l', file_name: 'l.png', content_type: 'image/png', size: 8 }
    const authorisation = { upload_id: 'up_a', file_name: 'a.pdf', content_type: 'application/pdf', size: 8 }
    storeAppeal({ id: 'ap_1', token: 'tok_1', licence, authorisation, codeSentTo: '139****9000', resendAt: Date.now() + 30_000 })
    const bodies: unknown[] = []
    const fetchMock = vi.fn(async (req: Request) => {
      if (req.method === 'GET') return json(200, draft)
      const body = await req.json()
      bodies.push(body)
      return body.code === '123456'
        ? json(200, { ...draft, state: 'submitted', mobile_verified: true, due_date: '2026-12-02' })
        : json(422, {
            status: 422,
            code: 'validation_failed',
            title: '',
            detail: '',
            errors: [{ field: 'code', code: 'code_invalid', message: '验证码不正确' }],
          })
    })
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountView()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-uploads"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="appeal-resend"]').text()).toMatch(/秒后可重新发送$/)
    await wrapper.get('[data-testid="appeal-submit"]').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.text()).toContain('请填写短信验证码'))
    expect(bodies).toHaveLength(0)

    await wrapper.get('[data-testid="appeal-code"]').setValue('654321')
    await wrapper.get('[data-testid="appeal-submit"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('.el-form-item.is-error').text()).toContain('验证码不正确'))
    expect(bodies[0]).toEqual({ licence_upload_id: 'up_l', authorisation_upload_id: 'up_a', code: '654321' })
    expect(wrapper.find('[data-testid="appeal-result"]').exists()).toBe(false)

    await wrapper.get('[data-testid="appeal-code"]').setValue('123456')
    await wrapper.get('[data-testid="appeal-submit"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-due"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="appeal-summary"]').text()).toContain('已验证')
    wrapper.unmount()
  })

  it('resends the code, and a too-early resend shows the rate limit', async () => {
    storeAppeal({ id: 'ap_1', token: 'tok_1', codeSentTo: '139****9000', resendAt: Date.now() - 1000 })
    let calls = 0
    const fetchMock = vi.fn(async (req: Request) => {
      if (req.method === 'GET') return json(200, draft)
      calls += 1
      return calls === 1
        ? json(202, { code_sent_to: '139****9000', resend_after: 60 })
        : json(429, { status: 429, code: 'rate_limited', title: '', detail: '请稍后再获取验证码', errors: [] })
    })
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountView()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-uploads"]').exists()).toBe(true))
    const resend = wrapper.get('[data-testid="appeal-resend"]')
    expect(resend.text()).toBe('重新发送')
    await resend.trigger('click')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="appeal-resend"]').text()).toMatch(/秒后可重新发送$/))
    const req = fetchMock.mock.calls.find(([r]) => r.method === 'POST')![0]
    expect(new URL(req.url).pathname).toBe('/api/v1/appeals/ap_1/code')
    expect(req.headers.get('X-Appeal-Token')).toBe('tok_1')
    wrapper.unmount()
  })

  it('after a reload follows a submitted appeal with its token', async () => {
    storeAppeal({ id: 'ap_1', token: 'tok_1' })
    const fetchMock = vi.fn(async (_req: Request) => json(200, { ...draft, state: 'submitted', due_date: '2026-12-02' }))
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountView()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-due"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="appeal-due"]').text()).toBe(
      '申诉已提交，协会将于 2026-12-02 前将结果发送至 appeal@example.com',
    )
    const req = fetchMock.mock.calls[0][0]
    expect(new URL(req.url).pathname).toBe('/api/v1/appeals/ap_1')
    expect(req.headers.get('X-Appeal-Token')).toBe('tok_1')
    wrapper.unmount()
  })

  it('shows the decision of a decided appeal, not 申诉已提交', async () => {
    storeAppeal({ id: 'ap_1', token: 'tok_1' })
    const decided = {
      ...draft,
      state: 'approved',
      due_date: '2026-12-02',
      mobile_verified: true,
      decision: { outcome: 'approved', decided_at: '2026-12-01T02:30:00Z', decided_by: 'reviewer', reason: '已核实，密码已重置' },
    }
    vi.stubGlobal('fetch', vi.fn(async () => json(200, decided)))
    const wrapper = await mountView()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-decided"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="appeal-due"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('申诉已提交')
    expect(wrapper.get('[data-testid="appeal-decided"]').text()).toBe(
      '协会已于 2026-12-01 10:30 作出处理：已通过，答复意见已发送至 appeal@example.com',
    )
    expect(wrapper.get('[data-testid="appeal-reply"]').text()).toBe('已核实，密码已重置')
    expect(wrapper.get('[data-testid="appeal-temporary-password"]').text()).toBe(
      '临时密码已以短信发送至申诉人手机 139****9000，3 天内有效，首次登录须修改密码。',
    )
    wrapper.unmount()
  })

  it('starts afresh when the held appeal is gone', async () => {
    storeAppeal({ id: 'ap_gone', token: 'tok' })
    vi.stubGlobal('fetch', vi.fn(async () => json(404, { status: 404, code: 'not_found', title: '', detail: '', errors: [] })))
    const wrapper = await mountView()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-form"]').exists()).toBe(true))
    expect(localStorage.getItem('gongshi.appeal')).toBeNull()
    wrapper.unmount()
  })
})

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
  applicant_mobile_masked: '139****9001',
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
  it('creates the appeal, keeps id and token, and moves on to the proofs', async () => {
    const fetchMock = vi.fn(async (_req: Request) => json(201, { appeal: draft, token: 'tok_1' }))
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountView()
    await wrapper.get('[data-testid="appeal-uscc"]').setValue(draft.uscc)
    await wrapper.get('[data-testid="appeal-unit-name"]').setValue(draft.unit_name)
    await wrapper.get('[data-testid="appeal-applicant-name"]').setValue('赵六')
    await wrapper.get('[data-testid="appeal-applicant-mobile"]').setValue('13900139001')
    await wrapper.get('[data-testid="appeal-contact-email"]').setValue('appeal@example.com')
    await wrapper.get('[data-testid="appeal-reason"]').setValue(draft.reason)
    await wrapper.get('[data-testid="appeal-form"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="appeal-uploads"]').exists()).toBe(true))
    const req = fetchMock.mock.calls[0][0]
    expect(new URL(req.url).pathname).toBe('/api/v1/appeals')
    expect(JSON.parse(localStorage.getItem('gongshi.appeal')!)).toMatchObject({ id: 'ap_1', token: 'tok_1' })
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

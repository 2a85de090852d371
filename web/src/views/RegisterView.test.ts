import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import RegisterView from './RegisterView.vue'
import RegistrationDetails from '@/components/RegistrationDetails.vue'
import { configureAuth } from '@/api/client'
import type { Registration, Session } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const ID = '01KB0S4Q3V6H8N2M5R7T9W1XYZ'
const submitted = {
  id: ID,
  state: 'submitted',
  created_at: '2026-12-01T01:00:00Z',
  updated_at: '2026-12-01T02:00:00Z',
  submitted_at: '2026-12-01T02:00:00Z',
  basic: {
    username: 'fzjy01',
    unit_name: '福州特种设备检验检测有限公司',
    uscc: '91350100M000100Y43',
    legal_representative: '张三',
    address: '福州市鼓楼区',
    postcode: '350001',
  },
  warnings: [],
} as unknown as Registration
const session: Session = {
  access_token: 'a1',
  refresh_token: 'r1',
  expires_in: 900,
  account: {
    username: 'fzjy01',
    display_name: '福州特种设备检验检测有限公司',
    role: 'registrant',
    registration_id: ID,
    password_change_required: false,
  },
} as Session

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('RegisterView (F1)', () => {
  it('names the registration’s reference number on 注册申请已提交, to quote to the association', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => (new URL(req.url).pathname === `/api/v1/registrations/${ID}` ? json(200, submitted) : json(404, {}))),
    )
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useSessionStore()
    store.set(session)
    configureAuth({ session: () => store.session, refreshed: (next) => store.set(next), expired: () => store.set(null) })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/register', component: RegisterView },
        { path: '/login', component: { template: '<div />' } },
      ],
    })
    await router.push('/register')
    const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), pinia, router] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="register-submitted"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="register-reference"]').text()).toBe(`申请编号：${ID}`)
    wrapper.unmount()
  })

  it('words a draft’s warning in English by its code (uscc_checksum), not the server’s Chinese', async () => {
    const draft = {
      ...submitted,
      state: 'draft',
      submitted_at: null,
      next_step: 2,
      draft_expires_at: '2026-12-31T00:00:00Z',
      warnings: [{ field: 'uscc', code: 'uscc_checksum', message: '统一社会信用代码校验位不符，请人工核对营业执照' }],
    }
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => (new URL(req.url).pathname === `/api/v1/registrations/${ID}` ? json(200, draft) : json(404, {}))),
    )
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useSessionStore()
    store.set(session)
    configureAuth({ session: () => store.session, refreshed: (next) => store.set(next), expired: () => store.set(null) })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/register', component: RegisterView },
        { path: '/login', component: { template: '<div />' } },
      ],
    })
    await router.push('/register')
    const i18n = testI18n()
    i18n.global.locale.value = 'en'
    const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18n, pinia, router] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="register-warnings"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="register-warnings"]').text()).toContain(
      'The check character of the unified social credit code does not match: check the business licence by hand',
    )
    expect(wrapper.get('[data-testid="register-warnings"]').text()).not.toContain('校验位不符')
    wrapper.unmount()
  })

  it('shows the reviewer the same reference number', () => {
    const wrapper = mount(RegistrationDetails, { props: { registration: submitted, documents: [] }, global: { plugins: [testI18n()] } })
    expect(wrapper.get('[data-testid="detail-reference"]').text()).toBe(ID)
    wrapper.unmount()
  })
})

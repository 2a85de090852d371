import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import ChangePasswordView from './ChangePasswordView.vue'
import { configureAuth } from '@/api/client'
import type { Account, Session } from '@/api/types'
import { guardRoute } from '@/router'
import { CHANGE_PASSWORD_PATH } from '@/router/paths'
import { useSessionStore } from '@/stores/session'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const MESSAGE = '您的密码由单位管理员设置，请先设置新密码'
const account = (over: Partial<Account> = {}): Account => ({
  username: 'staff1',
  display_name: '王五',
  role: 'unit_staff',
  unit_id: 'unit_1',
  password_change_required: true,
  password_change_reason: 'set_by_admin',
  password_change_message: MESSAGE,
  ...over,
})
const session = (access: string, over: Partial<Account> = {}): Session => ({
  access_token: access,
  refresh_token: `r-${access}`,
  expires_in: 900,
  account: account(over),
})

async function render(start: Session, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const pinia = createPinia()
  setActivePinia(pinia)
  const store = useSessionStore()
  store.set(start)
  configureAuth({ session: () => store.session, refreshed: (next) => store.set(next), expired: () => store.set(null) })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: CHANGE_PASSWORD_PATH, component: ChangePasswordView },
      { path: '/home', component: { template: '<div data-testid="home-page" />' } },
      { path: '/login', component: { template: '<div data-testid="login-page" />' } },
    ],
  })
  await router.push(CHANGE_PASSWORD_PATH)
  const i18n = testI18n()
  i18n.global.locale.value = locale
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18n, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, store }
}

async function fill(wrapper: Awaited<ReturnType<typeof render>>['wrapper'], current: string, next: string, confirm = next) {
  await wrapper.get('input[data-testid="password-change-current"]').setValue(current)
  await wrapper.get('input[data-testid="password-change-new"]').setValue(next)
  await wrapper.get('input[data-testid="password-change-confirm"]').setValue(confirm)
  await wrapper.get('[data-testid="password-change-submit"]').trigger('click')
}
const fieldErrors = (wrapper: Awaited<ReturnType<typeof render>>['wrapper']) =>
  wrapper.findAll('.el-form-item__error').map((e) => e.text())

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('ChangePasswordView', () => {
  it('shows why and the rule, stores the new session and goes home', async () => {
    const fetchMock = vi.fn(async (req: Request) => {
      expect(new URL(req.url).pathname).toBe('/api/v1/auth/password')
      expect(req.method).toBe('PUT')
      expect(req.headers.get('Authorization')).toBe('Bearer old')
      expect(await req.json()).toEqual({ current_password: 'Temp-pass-1', new_password: 'Mine-pass-2' })
      return json(200, session('new', { password_change_required: false, password_change_reason: null, password_change_message: null }))
    })
    vi.stubGlobal('fetch', fetchMock)
    const { wrapper, router, store } = await render(session('old'))
    expect(wrapper.get('[data-testid="password-change-reason"]').text()).toContain(MESSAGE)
    expect(wrapper.get('[data-testid="password-change-rule"]').text()).toContain('至少8位')

    await fill(wrapper, 'Temp-pass-1', 'Mine-pass-2')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/home'))
    expect(fetchMock).toHaveBeenCalledOnce()
    expect(store.session?.access_token).toBe('new')
    expect(store.account?.password_change_required).toBe(false)
    expect(JSON.parse(localStorage.getItem('gongshi.session') ?? '{}').access_token).toBe('new')
    expect(router.currentRoute.value.path).toBe('/home')
  })

  it('says why in English by the reason’s code, not the server’s Chinese message', async () => {
    vi.stubGlobal('fetch', vi.fn())
    const { wrapper } = await render(session('old', { password_change_reason: 'appeal' }), 'en')
    const reason = wrapper.get('[data-testid="password-change-reason"]').text()
    expect(reason).toContain('You are using the temporary password sent after an account appeal: set a new password first')
    expect(reason).not.toContain(MESSAGE)
    wrapper.unmount()
  })

  it('checks the rule and the confirmation before calling the server', async () => {
    const fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    const { wrapper } = await render(session('old'))
    await fill(wrapper, 'Temp-pass-1', 'short', 'short')
    await vi.waitFor(() => expect(fieldErrors(wrapper)).toContain('密码应为8至64位，且同时包含字母和数字'))
    await fill(wrapper, 'Temp-pass-1', 'Mine-pass-2', 'Mine-pass-3')
    await vi.waitFor(() => expect(fieldErrors(wrapper)).toContain('两次输入的密码不一致'))
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows the server field errors (wrong current password, reused password) under their fields', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(422, {
          status: 422,
          code: 'validation_failed',
          title: '',
          detail: '',
          errors: [
            { field: 'current_password', code: 'wrong_password', message: '当前密码不正确' },
            { field: 'new_password', code: 'password_reused', message: '新密码不能与当前密码相同' },
          ],
        }),
      ),
    )
    const { wrapper, router, store } = await render(session('old'))
    await fill(wrapper, 'Temp-pass-0', 'Temp-pass-1')
    await vi.waitFor(() => expect(fieldErrors(wrapper)).toEqual(['当前密码不正确', '新密码不能与当前密码相同']))
    expect(router.currentRoute.value.path).toBe(CHANGE_PASSWORD_PATH)
    expect(store.session?.access_token).toBe('old')
  })

  it('can log out instead', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, {})))
    const { wrapper, router, store } = await render(session('old'))
    await wrapper.get('[data-testid="password-change-logout"]').trigger('click')
    await flushPromises()
    expect(store.session).toBeNull()
    expect(router.currentRoute.value.path).toBe('/login')
  })
})

describe('guardRoute', () => {
  const to = (path: string, meta: Record<string, unknown> = {}) =>
    ({ path, fullPath: path, meta }) as unknown as Parameters<typeof guardRoute>[0]

  it('keeps an account that must change its password on 设置新密码, the login page aside', () => {
    const a = account()
    expect(guardRoute(to('/home', { roles: ['unit_admin', 'unit_staff'] }), a)).toEqual({ path: CHANGE_PASSWORD_PATH })
    expect(guardRoute(to('/lookup'), a)).toEqual({ path: CHANGE_PASSWORD_PATH })
    expect(guardRoute(to(CHANGE_PASSWORD_PATH, { loggedIn: true }), a)).toBe(true)
    expect(guardRoute(to('/login'), a)).toBe(true)
  })

  it('lets the others pass, and sends the logged-out to the login', () => {
    const a = account({ password_change_required: false })
    expect(guardRoute(to('/home', { roles: ['unit_admin', 'unit_staff'] }), a)).toBe(true)
    expect(guardRoute(to(CHANGE_PASSWORD_PATH, { loggedIn: true }), a)).toBe(true)
    expect(guardRoute(to(CHANGE_PASSWORD_PATH, { loggedIn: true }), null)).toEqual({
      path: '/login',
      query: { redirect: CHANGE_PASSWORD_PATH },
    })
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import AppHeader from './AppHeader.vue'
import { useSessionStore } from '@/stores/session'
import { pageKey } from '@/composables/usePageReload'
import { LARGE_TEXT_KEY } from '@/composables/useLargeText'
import type { Session } from '@/api/types'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

async function render(account: Session['account'], path = '/home', branch: { id: string; name: string } | null = null) {
  const fetch = vi.fn(async (req: Request) =>
    new URL(req.url).pathname === '/api/v1/me' ? json(200, { account, unit: null, branch }) : json(404, {}),
  )
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().set({ access_token: 'a', refresh_token: 'r', expires_in: 900, account } as unknown as Session)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)', component: { template: '<div />' } }] })
  await router.push(path)
  const wrapper = mount(AppHeader, { global: { plugins: [testI18n(), router, pinia] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, fetch }
}

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
  document.documentElement.classList.remove('large-text')
  document.body.innerHTML = ''
})

describe('AppHeader', () => {
  it('names a branch account’s branch (GET /api/v1/me) in the account area', async () => {
    const { wrapper } = await render(
      { username: 'xa1', display_name: '赵六', role: 'unit_staff' } as Session['account'],
      '/home',
      { id: 'br_1', name: '厦门院翔安分院' },
    )
    await vi.waitFor(() => expect(wrapper.find('[data-testid="header-branch"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="header-branch"]').text()).toBe('二级单位：厦门院翔安分院')
    expect(wrapper.get('[data-testid="user-menu"]').text()).toContain('赵六（子帐号）')
    wrapper.unmount()
  })

  it('names no branch for the unit’s own accounts, and does not ask /me for an association account', async () => {
    const unitAdmin = await render({ username: 'admin1', display_name: '李四', role: 'unit_admin' } as Session['account'])
    await vi.waitFor(() => expect(unitAdmin.fetch).toHaveBeenCalled())
    await flushPromises()
    expect(unitAdmin.wrapper.find('[data-testid="header-branch"]').exists()).toBe(false)
    unitAdmin.wrapper.unmount()
    const reviewer = await render({ username: 'reviewer', display_name: '协会审核员', role: 'reviewer' } as Session['account'])
    expect(reviewer.fetch).not.toHaveBeenCalled()
    reviewer.wrapper.unmount()
  })

  it('names the role once: not 协会审核员（协会审核员）', async () => {
    const { wrapper } = await render({ username: 'reviewer', display_name: '协会审核员', role: 'reviewer' } as Session['account'])
    expect(wrapper.get('[data-testid="user-menu"]').text()).toBe('协会审核员')
    wrapper.unmount()
  })

  it('calls a unit staff account 子帐号, as the account list does', async () => {
    const { wrapper } = await render({ username: 'wang5', display_name: '王五', role: 'unit_staff' } as Session['account'])
    expect(wrapper.get('[data-testid="user-menu"]').text()).toBe('王五（子帐号）')
    wrapper.unmount()
  })

  it('reloads the page when its own menu item is clicked', async () => {
    const { wrapper, router } = await render({ username: 'admin1', display_name: '李四', role: 'unit_admin' } as Session['account'])
    const before = pageKey.value
    await wrapper.get('[data-testid="nav-home"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/home')
    expect(pageKey.value).toBe(before + 1)
    wrapper.unmount()
  })

  it('switches the larger text (适老化) on and off, and remembers it', async () => {
    const { wrapper } = await render({ username: 'admin1', display_name: '李四', role: 'unit_admin' } as Session['account'])
    const toggle = wrapper.get('[data-testid="large-text-toggle"]')
    expect(toggle.attributes('aria-pressed')).toBe('false')
    await toggle.trigger('click')
    expect(document.documentElement.classList.contains('large-text')).toBe(true)
    expect(toggle.attributes('aria-pressed')).toBe('true')
    expect(localStorage.getItem(LARGE_TEXT_KEY)).toBe('1')
    await toggle.trigger('click')
    expect(document.documentElement.classList.contains('large-text')).toBe(false)
    expect(localStorage.getItem(LARGE_TEXT_KEY)).toBe('0')
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus/es'
import { createPinia, setActivePinia } from 'pinia'
import UnitAccountsView from './UnitAccountsView.vue'
import type { Session, UnitAccount } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const admin: UnitAccount = {
  username: 'admin1',
  display_name: '李四',
  role: 'unit_admin',
  status: 'active',
  created_at: '2026-01-02T03:04:05Z',
  is_self: true,
}
const staff: UnitAccount = { ...admin, username: 'staff1', display_name: '王五', role: 'unit_staff', is_self: false }

const SESSION_KEY = 'gongshi.session'
const session = (access: string, refresh: string) =>
  ({
    access_token: access,
    refresh_token: refresh,
    expires_in: 900,
    account: { username: 'admin1', display_name: '李四', role: 'unit_admin', unit_id: 'unit_1', unit_name: '厦门检测', password_change_required: false },
  }) as Session

async function render() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(UnitAccountsView, { global: { plugins: [testI18n(), pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

/** Types into an input of the (teleported) password dialog. */
function type(testid: string, value: string): void {
  const input = document.querySelector<HTMLInputElement>(`[data-testid="password-dialog"] input[data-testid="${testid}"]`)!
  input.value = value
  input.dispatchEvent(new Event('input'))
}

/** Opens the password dialog of `username`'s row, types the new password twice and saves. */
async function setPassword(wrapper: Awaited<ReturnType<typeof render>>, username: string, password: string): Promise<void> {
  await rowOf(wrapper, username).get('[data-testid="account-reset-password"]').trigger('click')
  await flushPromises()
  type('password-new', password)
  type('password-confirm', password)
  await flushPromises()
  document.querySelector<HTMLButtonElement>('[data-testid="password-save"]')!.click()
  await flushPromises()
}

const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent?.trim())
const rowOf = (wrapper: Awaited<ReturnType<typeof render>>, username: string) =>
  wrapper.findAll('.el-table__body tr').find((tr) => tr.find('[data-testid="account-row-username"]').text() === username)!

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('UnitAccountsView', () => {
  it('tells unit staff (403) who may manage accounts', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(403, { status: 403, code: 'forbidden', title: '', detail: '', errors: [] })))
    const wrapper = await render()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="accounts-forbidden"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="accounts-forbidden"]').text()).toContain('只有单位管理员可以管理帐号')
    expect(wrapper.find('[data-testid="accounts-new"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="accounts-table"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('marks the caller’s row, offers it no 停用, and says how to add sub-accounts', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { items: [admin] })))
    const wrapper = await render()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="account-self"]').exists()).toBe(true))
    const row = rowOf(wrapper, 'admin1')
    expect(row.text()).toContain('（当前帐号）')
    expect(row.text()).toContain('管理员')
    expect(row.text()).toContain('正常')
    expect(row.find('[data-testid="account-toggle"]').exists()).toBe(false)
    expect(row.find('[data-testid="account-reset-password"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="accounts-empty"]').text()).toContain('暂无子帐号，点击“新建子帐号”添加')
    wrapper.unmount()
  })

  it('disables a sub-account after confirmation and shows its new state', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const requests: { method: string; path: string; body: unknown }[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname
        requests.push({ method: req.method, path, body: req.method === 'GET' ? null : await req.json() })
        if (path === '/api/v1/unit/branches') return json(200, { items: [] })
        if (req.method === 'GET') return json(200, { items: [admin, staff] })
        return json(200, { ...staff, status: 'disabled' })
      }),
    )
    const wrapper = await render()
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="account-row-username"]')).toHaveLength(2))
    expect(wrapper.find('[data-testid="accounts-empty"]').exists()).toBe(false)
    const toggle = rowOf(wrapper, 'staff1').get('[data-testid="account-toggle"]')
    expect(toggle.text()).toBe('停用')
    await toggle.trigger('click')
    await flushPromises()

    expect(confirm).toHaveBeenCalledOnce()
    expect(confirm.mock.calls[0][0]).toContain('确认停用帐号“staff1”')
    expect(requests.find((r) => r.method === 'PUT')).toEqual({ method: 'PUT', path: '/api/v1/unit/accounts/staff1/status', body: { enabled: false } })
    await vi.waitFor(() => expect(rowOf(wrapper, 'staff1').text()).toContain('已停用'))
    expect(rowOf(wrapper, 'staff1').get('[data-testid="account-toggle"]').text()).toBe('启用')
    wrapper.unmount()
  })

  it('names the 二级单位 of a branch account', async () => {
    const branch = {
      id: 'br_1',
      name: '思明检测分部',
      address: '厦门',
      contact_name: '吴八',
      contact_mobile_masked: '139****5678',
      enabled: true,
      account_count: 1,
      created_at: '2026-01-02T03:04:05Z',
    }
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) =>
        new URL(req.url).pathname === '/api/v1/unit/branches'
          ? json(200, { items: [branch] })
          : json(200, { items: [admin, { ...staff, branch_id: 'br_1' }] }),
      ),
    )
    const wrapper = await render()
    await vi.waitFor(() => expect(rowOf(wrapper, 'staff1').text()).toContain('思明检测分部'))
    expect(rowOf(wrapper, 'admin1').get('[data-testid="account-branch-name"]').text()).toBe('')
    wrapper.unmount()
  })

  it('keeps the admin logged in after changing their own password: the new session replaces the old', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session('old-access', 'old-refresh')))
    const renewed = session('new-access', 'new-refresh')
    const puts: { path: string; body: unknown }[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname
        if (req.method === 'PUT') {
          puts.push({ path, body: await req.json() })
          return json(200, renewed)
        }
        if (path === '/api/v1/unit/branches') return json(200, { items: [] })
        return json(200, { items: [admin, staff] })
      }),
    )
    const wrapper = await render()
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="account-row-username"]')).toHaveLength(2))
    const own = rowOf(wrapper, 'admin1').get('[data-testid="account-reset-password"]')
    expect(own.text()).toBe('修改密码')
    expect(rowOf(wrapper, 'staff1').get('[data-testid="account-reset-password"]').text()).toBe('重置密码')

    await setPassword(wrapper, 'admin1', 'Renewed2026')
    expect(document.querySelector('[data-testid="password-own-hint"]')?.textContent).toContain('其他设备上的登录将失效')
    expect(puts).toEqual([{ path: '/api/v1/unit/accounts/admin1/password', body: { new_password: 'Renewed2026' } }])
    await vi.waitFor(() => expect(messages()).toContain('密码已修改'))
    expect(useSessionStore().session?.access_token).toBe('new-access')
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!).refresh_token).toBe('new-refresh')
    wrapper.unmount()
  })

  it('resets a sub-account’s password (204) without touching the admin’s own session', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session('old-access', 'old-refresh')))
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname
        if (req.method === 'PUT') return new Response(null, { status: 204 })
        if (path === '/api/v1/unit/branches') return json(200, { items: [] })
        return json(200, { items: [admin, staff] })
      }),
    )
    const wrapper = await render()
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="account-row-username"]')).toHaveLength(2))
    await setPassword(wrapper, 'staff1', 'Changed2026')
    await vi.waitFor(() => expect(messages()).toContain('密码已重置'))
    expect(messages()).not.toContain('密码已修改')
    expect(useSessionStore().session?.access_token).toBe('old-access')
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import HomeView from './HomeView.vue'
import type { HomeTodo, Me } from '@/api/types'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const me = {
  account: { username: 'admin1', display_name: '李四', role: 'unit_admin' },
  unit: null,
} as unknown as Me
async function render(todos: HomeTodo[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname
      if (path === '/api/v1/me') return json(200, me)
      if (path !== '/api/v1/unit/home') return json(404, {})
      const counts = { qualifications: 1, qualifications_expiring: todos.length, qualifications_expired: 0 }
      return json(200, { unit_name: '厦门电梯检测技术有限公司', todos, counts })
    }),
  )
  const wrapper = mount(HomeView, { global: { plugins: [testI18n()], stubs: { RouterLink: RouterLinkStub } } })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('HomeView to-dos (GET /api/v1/unit/home)', () => {
  it('says 暂无待办事项 when there is nothing to do', async () => {
    const wrapper = await render([])
    await vi.waitFor(() => expect(wrapper.find('[data-testid="home-todo-empty"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="home-todo"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('lists an expiring certificate linking to 资质管理', async () => {
    const wrapper = await render([
      {
        kind: 'qualification_expiring',
        title: '核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新',
        link: '/unit/qualifications',
        due: '2027-01-25',
        days_left: 60,
      },
    ])
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="home-todo"]')).toHaveLength(1))
    const todo = wrapper.get('[data-testid="home-todo"]')
    expect(todo.text()).toBe('核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新')
    expect(todo.getComponent(RouterLinkStub).props('to')).toBe('/unit/qualifications')
    expect(wrapper.find('[data-testid="home-todo-empty"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

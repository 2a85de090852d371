import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import HomeView from './HomeView.vue'
import type { ApplicationSummary, HomeTodo, Me } from '@/api/types'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const me = {
  account: { username: 'admin1', display_name: '李四', role: 'unit_admin' },
  unit: null,
} as unknown as Me
async function render(todos: HomeTodo[], applications: ApplicationSummary[] = []) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      const path = url.pathname
      if (path === '/api/v1/me') return json(200, me)
      if (path === '/api/v1/unit/applications') {
        const state = url.searchParams.get('state')
        return json(200, { items: applications.filter((a) => !state || a.state === state), next_cursor: null })
      }
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

const application = (over: Partial<ApplicationSummary>): ApplicationSummary => ({
  id: 'app_1',
  number: 'SB20261201-ABCDEFGH',
  kind: 'initial',
  kind_label: '初始',
  state: 'created',
  state_label: '待上传申请表',
  person_name: '王五',
  id_number_masked: '440524********0014',
  unit_name: '厦门电梯检测技术有限公司',
  created_at: '2026-12-01T01:00:00Z',
  state_since: '2026-12-01T01:00:00Z',
  deadline: '2026-12-08T01:00:00Z',
  seconds_left: 2 * 86_400 + 3 * 3_600,
  ...over,
})

describe('HomeView to-dos (GET /api/v1/unit/home)', () => {
  it('lists the applications waiting on the 办理期限, most urgent first, before a certificate due later', async () => {
    const wrapper = await render(
      [
        {
          kind: 'qualification_expiring',
          title: '核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新',
          link: '/unit/qualifications',
          due: '2027-01-25',
          days_left: 60,
        },
      ],
      [
        application({}),
        application({
          id: 'app_2',
          number: 'SB20261201-IJKLMNOP',
          person_name: '赵六',
          state: 'awaiting_confirmation',
          state_label: '待执业人确认',
          seconds_left: 20 * 3_600,
        }),
      ],
    )
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="home-todo"]')).toHaveLength(3))
    const todos = wrapper.findAll('[data-testid="home-todo"]')
    expect(todos.map((w) => w.text())).toEqual([
      '申报单 SB20261201-IJKLMNOP（赵六，初始）待执业人确认，剩余 20 小时 0 分',
      '申报单 SB20261201-ABCDEFGH（王五，初始）待打印并上传申请表，剩余 2 天 3 小时',
      '核准证 TS-60 将于 2027-01-25 到期（剩 60 天），请及时换证并更新',
    ])
    expect(todos.map((w) => w.getComponent(RouterLinkStub).props('to'))).toEqual([
      '/publicity/applications/app_2',
      '/publicity/applications/app_1',
      '/unit/qualifications',
    ])
    expect(wrapper.find('[data-testid="home-todo-empty"]').exists()).toBe(false)
    wrapper.unmount()
  })


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

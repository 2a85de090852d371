import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import HomeView from './HomeView.vue'
import type { ApplicationSummary, HomeTodo, Me } from '@/api/types'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const me = {
  account: { username: 'admin1', display_name: '李四', role: 'unit_admin' },
  unit: null,
} as unknown as Me
async function render(todos: HomeTodo[], applications: ApplicationSummary[] = [], who: Me = me, locale = 'zh-CN') {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      const path = url.pathname
      if (path === '/api/v1/me') return json(200, who)
      if (path === '/api/v1/unit/applications') {
        const state = url.searchParams.get('state')
        return json(200, { items: applications.filter((a) => !state || a.state === state), next_cursor: null })
      }
      if (path !== '/api/v1/unit/home') return json(404, {})
      const counts = { qualifications: 1, qualifications_expiring: todos.length, qualifications_expired: 0 }
      return json(200, { unit_name: '厦门电梯检测技术有限公司', todos, counts })
    }),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = testI18n()
  i18n.global.locale.value = locale as 'zh-CN'
  const wrapper = mount(HomeView, { global: { plugins: [i18n, pinia], stubs: { RouterLink: RouterLinkStub } } })
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

describe('HomeView to-dos in English (bug 13)', () => {
  it('words the server’s to-dos from their data in the language shown', async () => {
    const wrapper = await render(
      [
        {
          kind: 'qualification_expiring',
          title: '许可证 TS-1 将于 2026-12-06 到期（剩 10 天），请及时换证并更新',
          link: '/unit/qualifications',
          due: '2026-12-06',
          days_left: 10,
          certificate_no: 'TS-1',
          qualification_kind: 'licence',
          reason: null,
        },
        {
          kind: 'change_request_rejected',
          title: '单位信息变更申请未通过：材料不清晰',
          link: '/unit/change-request',
          due: null,
          days_left: null,
          certificate_no: null,
          qualification_kind: null,
          reason: '材料不清晰',
        },
      ],
      [],
      me,
      'en',
    )
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="home-todo"]')).toHaveLength(2))
    expect(wrapper.findAll('[data-testid="home-todo"]').map((w) => w.text())).toEqual([
      'Licence TS-1 expires on 2026-12-06 (10 days left): renew it in time and update it here',
      'Your change of unit information was not approved: 材料不清晰',
    ])
    wrapper.unmount()
  })
})

describe('HomeView branch (bug 19: a branch account’s home names its branch)', () => {
  const unit = {
    id: 'unit_1',
    name: '厦门市特种设备检验检测院',
    uscc: '91350200MA2XXXXX0X',
    legal_representative: '张三',
    address: '厦门市',
    postcode: '361000',
    contact_name: '李四',
    contact_mobile_masked: '138****8000',
    state: 'approved',
    approved_at: null,
  }

  it('shows 二级单位 beside the unit name for a branch account', async () => {
    const wrapper = await render([], [], {
      ...me,
      account: { ...me.account, role: 'unit_staff' },
      unit,
      branch: { id: 'br_1', name: '厦门院翔安分院' },
    } as unknown as Me)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="home-unit-name"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="home-branch"]').text()).toBe('厦门院翔安分院')
    expect(wrapper.get('[data-testid="home-unit"]').text()).toContain('二级单位')
    wrapper.unmount()
  })

  it('names no branch for the unit’s own accounts', async () => {
    const wrapper = await render([], [], { ...me, unit, branch: null } as unknown as Me)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="home-unit-name"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="home-branch"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

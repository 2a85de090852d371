import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import HomeView from './HomeView.vue'
import type { HomeApplication, HomeCounts, HomeNotice, HomeTodo, Me } from '@/api/types'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const me = {
  account: { username: 'admin1', display_name: '李四', role: 'unit_admin' },
  unit: null,
} as unknown as Me

/** Counts as GET /api/v1/unit/home sends them; zero unless given. */
const countsOf = (over: Partial<HomeCounts> = {}): HomeCounts => ({
  qualifications: 1,
  qualifications_expiring: 0,
  qualifications_expired: 0,
  applications_open: 0,
  applications_returned: 0,
  applications_to_upload: 0,
  applications_to_confirm: 0,
  applications_in_review: 0,
  publicities_active: 0,
  publicities_ending_soon: 0,
  people_without_mobile: 0,
  notices_unread: 0,
  ...over,
})

/** The rest of the home's answer, and the answer to marking a notice read. */
interface HomeOptions {
  notices?: HomeNotice[]
  counts?: Partial<HomeCounts>
  read?: (id: string) => Response
}

/** The requests the page made, in order. */
let sent: { method: string; path: string }[] = []

async function render(todos: HomeTodo[], applications: HomeApplication[] = [], who: Me = me, locale = 'zh-CN', options: HomeOptions = {}) {
  sent = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname
      sent.push({ method: req.method, path })
      if (path === '/api/v1/me') return json(200, who)
      const read = /^\/api\/v1\/notices\/([^/]+)\/read$/.exec(path)
      if (read && req.method === 'POST') return options.read?.(read[1]) ?? new Response(null, { status: 204 })
      if (path !== '/api/v1/unit/home') return json(404, {})
      const counts = countsOf({ qualifications_expiring: todos.length, ...options.counts })
      return json(200, { unit_name: '厦门电梯检测技术有限公司', todos, counts, applications, notices: options.notices ?? [] })
    }),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = testI18n()
  i18n.global.locale.value = locale as 'zh-CN'
  const wrapper = mount(HomeView, {
    global: { plugins: [i18n, pinia], stubs: { RouterLink: RouterLinkStub } },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const application = (over: Partial<HomeApplication>): HomeApplication => ({
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
  correction: null,
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

describe('HomeView applications (#19: every open application from GET /api/v1/unit/home)', () => {
  it('lists the returned applications first, from the home’s applications alone, and no line for one in review', async () => {
    const wrapper = await render(
      [
        {
          kind: 'qualification_expired',
          title: '许可证 XK-1 已于 2026-11-16 过期，请上传新证书',
          link: '/unit/qualifications',
          due: '2026-11-16',
          days_left: -10,
        },
      ],
      // As the server sorts them: returned first, then the least time left, in review last.
      [
        application({
          id: 'app_r',
          number: 'SB20261201-RETURNED',
          person_name: '赵六',
          state: 'returned',
          state_label: '退回补正',
          seconds_left: 4 * 86_400 + 5 * 3_600,
          correction: '扫描件不清晰；说明：公章模糊',
        }),
        application({ id: 'app_a', number: 'SB20261201-AWAITING', state: 'awaiting_confirmation', state_label: '待执业人确认', seconds_left: 20 * 3_600 }),
        application({}),
        application({ id: 'app_v', number: 'SB20261201-INREVIEW', state: 'under_review', state_label: '审核中', seconds_left: null }),
      ],
      me,
      'zh-CN',
      { counts: { applications_open: 4, applications_returned: 1, applications_to_upload: 1, applications_to_confirm: 1, applications_in_review: 1 } },
    )
    const todos = wrapper.findAll('[data-testid="home-todo"]')
    expect(todos.map((w) => w.text())).toEqual([
      '申报单 SB20261201-RETURNED（赵六，初始）已被退回补正：扫描件不清晰；说明：公章模糊。请重新上传申请表扫描件，剩余 4 天 5 小时',
      '许可证 XK-1 已于 2026-11-16 过期，请上传新证书',
      '申报单 SB20261201-AWAITING（王五，初始）待执业人确认，剩余 20 小时 0 分',
      '申报单 SB20261201-ABCDEFGH（王五，初始）待打印并上传申请表，剩余 2 天 3 小时',
    ])
    expect(todos[0].classes()).toContain('danger')
    expect(todos[0].getComponent(RouterLinkStub).props('to')).toBe('/publicity/applications/app_r')
    // One request for the page's business (the account is read apart): the applications are not listed.
    expect(sent.map((r) => r.path).sort()).toEqual(['/api/v1/me', '/api/v1/unit/home'])
    wrapper.unmount()
  })

  it('shows the counts row, each number leading to its list, zero shown as 0', async () => {
    const wrapper = await render([], [], me, 'zh-CN', {
      counts: {
        applications_returned: 2,
        applications_to_upload: 0,
        applications_to_confirm: 3,
        applications_in_review: 1,
        publicities_active: 12,
        publicities_ending_soon: 4,
        people_without_mobile: 5,
      },
    })
    const tile = (key: string) => wrapper.get(`[data-testid="home-count-${key}"]`)
    const shown = ['returned', 'toUpload', 'toConfirm', 'inReview', 'active', 'endingSoon', 'withoutMobile'].map((key) => [
      tile(key).get('[data-testid="home-count-value"]').text(),
      tile(key).get('.label').text(),
      tile(key).findComponent(RouterLinkStub).props('to'),
    ])
    expect(shown).toEqual([
      ['2', '退回补正', '/publicity/applications?state=returned'],
      ['0', '待上传申请表', '/publicity/applications?state=created'],
      ['3', '待执业人确认', '/publicity/applications?state=awaiting_confirmation'],
      ['1', '审核中', '/publicity/applications?state=under_review'],
      ['12', '公示中', '/publicity/certificates'],
      ['4', '90天内到期', '/publicity/renewals'],
      ['5', '未登记手机号', '/publicity/practitioners'],
    ])
    expect(tile('returned').classes()).toContain('danger')
    expect(tile('toUpload').classes()).not.toContain('warning')
    wrapper.unmount()
  })
})

const notice = (over: Partial<HomeNotice>): HomeNotice => ({
  id: 'ntc_1',
  title: '关于年度换证的通知',
  pinned: false,
  published_at: '2026-12-01T02:00:00Z',
  read: true,
  blocks: [{ kind: 'paragraph', runs: [{ text: '请按时换证。' }] }],
  ...over,
})

const pinnedNotice = notice({
  id: 'ntc_pinned',
  title: '2027年元旦放假安排',
  pinned: true,
  read: false,
  published_at: '2026-12-20T02:00:00Z',
  blocks: [
    { kind: 'heading', runs: [{ text: '放假时间' }] },
    {
      kind: 'paragraph',
      runs: [
        { text: '元旦' },
        { text: '放假一天', bold: true },
        { text: '，详见' },
        { text: '通知原文', href: 'https://www.example.cn/notice?id=1' },
        { text: '。<script>alert(1)</script>' },
      ],
    },
    { kind: 'bullet', runs: [{ text: '1月1日休息' }] },
    { kind: 'bullet', runs: [{ text: '1月4日上班' }] },
  ],
})

const dialog = () => document.querySelector<HTMLElement>('[data-testid="home-notice-dialog"]')
const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent?.trim())

describe('HomeView 通知公告 (F6, #19)', () => {
  it('lists the notices, pinned and unread marked, and opening one shows its text and marks it read', async () => {
    const wrapper = await render([], [], me, 'zh-CN', { notices: [pinnedNotice, notice({})], counts: { notices_unread: 1 } })
    const items = wrapper.findAll('[data-testid="home-notice"]')
    expect(items.map((w) => w.get('[data-testid="home-notice-title"]').text())).toEqual(['2027年元旦放假安排', '关于年度换证的通知'])
    expect(items[0].get('[data-testid="home-notice-pinned"]').text()).toBe('置顶')
    expect(items[0].get('[data-testid="home-notice-unread"]').text()).toBe('未读')
    expect(items[0].text()).toContain('2026-12-20')
    expect(items[1].find('[data-testid="home-notice-pinned"]').exists()).toBe(false)
    expect(items[1].find('[data-testid="home-notice-unread"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="home-notices-unread"]').text()).toBe('1 条未读')

    await items[0].get('[data-testid="home-notice-open"]').trigger('click')
    await flushPromises()
    expect(sent.filter((r) => r.method === 'POST')).toEqual([{ method: 'POST', path: '/api/v1/notices/ntc_pinned/read' }])
    const shown = dialog()!
    expect(shown.textContent).toContain('2027年元旦放假安排')
    expect(shown.querySelector('h3')?.textContent).toBe('放假时间')
    expect(shown.querySelector('strong')?.textContent).toBe('放假一天')
    const link = shown.querySelector('a')!
    expect([link.textContent, link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual([
      '通知原文',
      'https://www.example.cn/notice?id=1',
      '_blank',
      'noopener noreferrer',
    ])
    // A <script> in a notice is its text, never an element.
    expect(shown.querySelector('script')).toBeNull()
    expect(shown.querySelector('[data-testid="notice-blocks"] p')?.textContent).toBe('元旦放假一天，详见通知原文。<script>alert(1)</script>')
    expect([...shown.querySelectorAll('ul li')].map((li) => li.textContent)).toEqual(['1月1日休息', '1月4日上班'])
    expect(shown.querySelectorAll('ul')).toHaveLength(1)

    // Read now: no 未读 mark, no unread count.
    expect(wrapper.findAll('[data-testid="home-notice"]')[0].find('[data-testid="home-notice-unread"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="home-notices-unread"]').exists()).toBe(false)
    // Opening a read one again asks nothing.
    document.querySelector<HTMLElement>('[data-testid="home-notice-close"]')!.click()
    await flushPromises()
    await wrapper.findAll('[data-testid="home-notice-open"]')[1].trigger('click')
    await flushPromises()
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1)
    expect(dialog()!.textContent).toContain('请按时换证。')
    wrapper.unmount()
  })

  it('says a notice withdrawn meanwhile (404) is withdrawn and drops it', async () => {
    const wrapper = await render([], [], me, 'zh-CN', {
      notices: [pinnedNotice, notice({})],
      counts: { notices_unread: 1 },
      read: () => json(404, { status: 404, code: 'notice_not_found', title: '', detail: '未找到该通知公告', errors: [] }),
    })
    await wrapper.findAll('[data-testid="home-notice-open"]')[0].trigger('click')
    await flushPromises()
    expect(messages()).toContain('该通知公告已撤回')
    expect(wrapper.findAll('[data-testid="home-notice-title"]').map((w) => w.text())).toEqual(['关于年度换证的通知'])
    expect(wrapper.find('[data-testid="home-notices-unread"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says 暂无通知公告 when there is none', async () => {
    const wrapper = await render([])
    expect(wrapper.get('[data-testid="home-notices-empty"]').text()).toContain('暂无通知公告')
    expect(wrapper.find('[data-testid="home-notice"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

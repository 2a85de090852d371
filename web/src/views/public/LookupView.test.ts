import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import LookupView from './LookupView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  })

const found = {
  name: '王五',
  id_number_masked: '440***********0014',
  certificate_no: 'GS2024000001',
  unit_name: '厦门电梯检测技术有限公司',
  items: [{ code: 'DT', name: '电梯', level: '检验员', valid_until: '2029-12-31' }],
  valid_until: '2029-12-31',
  state: 'active',
  state_label: '有效',
  history: [
    { unit_name: '福州特检有限公司', from: '2022-03-01', until: '2024-01-14', end: '变更至其他单位', end_code: 'moved' },
    { unit_name: '厦门电梯检测技术有限公司', from: '2024-01-15', until: null, end: null, end_code: null },
  ],
}

async function render(answer: (req: Request) => Response, start = '/lookup', locale: 'zh-CN' | 'en' = 'zh-CN') {
  const sent: URL[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      sent.push(new URL(req.url))
      return answer(req)
    }),
  )
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/lookup', component: LookupView },
      { path: '/:rest(.*)', component: { template: '<div />' } },
    ],
  })
  await router.push(start)
  const i18n = testI18n()
  i18n.global.locale.value = locale
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, sent }
}

async function searchByCertificate(wrapper: Awaited<ReturnType<typeof render>>['wrapper'], no: string, name: string) {
  await wrapper.get('[data-testid="lookup-certificate-no-input"]').setValue(no)
  await wrapper.get('[data-testid="lookup-name-input"]').setValue(name)
  await wrapper.get('[data-testid="lookup-form"]').trigger('submit')
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('LookupView (执业公示查询, public)', () => {
  it('words how a stay ended in English from its code (#17 bug 13), the server’s words in Chinese', async () => {
    for (const [locale, expected] of [
      ['en', 'Moved to another unit'],
      ['zh-CN', '变更至其他单位'],
    ] as const) {
      const { wrapper } = await render(() => json(200, { items: [found] }), '/lookup', locale)
      await searchByCertificate(wrapper, 'GS2024000001', '王五')
      expect(wrapper.get('[data-testid="lookup-stay-end"]').text()).toBe(expected)
      wrapper.unmount()
      document.body.innerHTML = ''
    }
  })

  it('finds a practitioner by certificate number and name and shows the card with the history', async () => {
    const { wrapper, router, sent } = await render(() => json(200, { items: [found] }))
    await searchByCertificate(wrapper, ' gs2024000001 ', ' 王五 ')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-result"]').exists()).toBe(true))
    expect(sent[0].pathname).toBe('/api/v1/public/practitioners')
    expect(Object.fromEntries(sent[0].searchParams)).toEqual({ certificate_no: 'GS2024000001', name: '王五' })
    expect(router.currentRoute.value.query).toEqual({ certificate_no: 'GS2024000001', name: '王五' })
    const card = wrapper.get('[data-testid="lookup-result"]')
    expect(card.get('[data-testid="lookup-name"]').text()).toBe('王五')
    expect(card.get('[data-testid="lookup-id-number"]').text()).toBe('440***********0014')
    expect(card.get('[data-testid="lookup-unit"]').text()).toBe('厦门电梯检测技术有限公司')
    expect(card.get('[data-testid="status-tag"]').text()).toBe('有效')
    expect(card.get('[data-testid="lookup-items"]').text()).toContain('电梯')
    // The order of the form and the unit's pages: 项目代号 before 项目名称.
    const headers = card.findAll('[data-testid="lookup-items"] th').map((th) => th.text())
    expect(headers.slice(0, 2)).toEqual(['项目代号', '项目名称'])
    const stays = card.findAll('[data-testid="lookup-stay"]')
    expect(stays).toHaveLength(2)
    expect(stays[0].text()).toContain('2022-03-01 至 2024-01-14')
    expect(stays[0].text()).toContain('变更至其他单位')
    expect(stays[1].text()).toContain('2024-01-15 起')
    expect(wrapper.get('[data-testid="lookup-count"]').text()).toBe('共查询到 1 条执业公示信息')
    wrapper.unmount()
  })

  it('shows a certificate that ended when the person moved as 已终止, with its end date, not as in force', async () => {
    const ended = {
      ...found,
      certificate_no: 'GS2023000009',
      unit_name: '福州特检有限公司',
      state: 'ended',
      state_label: '已终止（变更至其他单位）',
      ended_on: '2024-01-14',
    }
    const { wrapper } = await render(() => json(200, { items: [ended] }))
    await searchByCertificate(wrapper, 'GS2023000009', '王五')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-result"]').exists()).toBe(true))
    const card = wrapper.get('[data-testid="lookup-result"]')
    const tag = card.get('[data-testid="status-tag"]')
    expect(tag.text()).toBe('已终止（变更至其他单位）')
    expect(tag.classes()).not.toContain('el-tag--success')
    expect(card.get('[data-testid="lookup-ended-on"]').text()).toBe('2024-01-14')
    expect(card.text()).toContain('结束日期')
    expect(card.get('[data-testid="lookup-not-in-force"]').text()).toContain('该公示证书已于 2024-01-14 结束，不再有效')
    expect(card.get('[data-testid="lookup-valid-until"]').classes()).toContain('void')
    wrapper.unmount()
  })

  it('shows an active certificate as in force, with no end date', async () => {
    const { wrapper } = await render(() => json(200, { items: [{ ...found, ended_on: null }] }))
    await searchByCertificate(wrapper, 'GS2024000001', '王五')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-result"]').exists()).toBe(true))
    const card = wrapper.get('[data-testid="lookup-result"]')
    expect(card.get('[data-testid="status-tag"]').classes()).toContain('el-tag--success')
    expect(card.find('[data-testid="lookup-ended-on"]').exists()).toBe(false)
    expect(card.find('[data-testid="lookup-not-in-force"]').exists()).toBe(false)
    expect(card.get('[data-testid="lookup-valid-until"]').classes()).not.toContain('void')
    wrapper.unmount()
  })

  it('asks for both the number and the name before sending anything', async () => {
    const { wrapper, sent } = await render(() => json(200, { items: [] }))
    await searchByCertificate(wrapper, 'GS2024000001', '')
    await vi.waitFor(() => expect(wrapper.text()).toContain('请填写姓名'))
    expect(sent).toHaveLength(0)
    wrapper.unmount()
  })

  it('searches a unit by its USCC and says plainly when nothing is found', async () => {
    const { wrapper, sent } = await render(() => json(200, { items: [] }))
    await wrapper.get('[data-testid="lookup-mode-unit"] input').setValue(true)
    await flushPromises()
    await wrapper.get('[data-testid="lookup-uscc-input"]').setValue('91350200776049653a')
    await wrapper.get('[data-testid="lookup-form"]').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-empty"]').exists()).toBe(true))
    expect(Object.fromEntries(sent[0].searchParams)).toEqual({ uscc: '91350200776049653A' })
    expect(wrapper.get('[data-testid="lookup-empty"]').text()).toContain('未查询到该单位有效的执业公示人员')
    wrapper.unmount()
  })

  it('holds the search while rate limited, saying how long', async () => {
    const { wrapper } = await render(() =>
      json(429, { status: 429, code: 'rate_limited', title: '', detail: '查询过于频繁，请 30 秒后再试', errors: [] }, { 'Retry-After': '30' }),
    )
    await searchByCertificate(wrapper, 'GS2024000001', '王五')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-rate-limited"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="lookup-rate-limited"]').text()).toMatch(/查询过于频繁，请 (30|29) 秒后再试/)
    expect(wrapper.get('[data-testid="lookup-submit"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="lookup-results"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('runs a linked search at once', async () => {
    const { wrapper, sent } = await render(() => json(200, { items: [found] }), '/lookup?certificate_no=GS2024000001&name=王五')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-result"]').exists()).toBe(true))
    expect(sent[0].searchParams.get('certificate_no')).toBe('GS2024000001')
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ApplicationListView from './ApplicationListView.vue'
import { testI18n } from '@/test/i18n'
import { bytesOf, messages, signIn, signOut, watchDownloads, WORKBOOK, xlsxResponse } from '@/test/downloads'

// 执业公示申报单 (F15): 导出 Excel downloads the list as filtered (#18), with the session's token.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const summary = {
  id: 'app_1',
  number: 'GS20260301-ABCDEFGH',
  kind: 'renewal',
  kind_label: '延续',
  person_name: '王五',
  id_number_masked: '440524********0014',
  created_at: '2026-03-01T02:00:00Z',
  state: 'under_review',
  state_label: '审核中',
  seconds_left: null,
}

interface Sent {
  path: string
  query: URLSearchParams
  authorization: string | null
}

function serve(answer: (query: URLSearchParams) => Response | Promise<Response>) {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      sent.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.get('Authorization') })
      return answer(url.searchParams)
    }),
  )
  return sent
}

async function render(start = '/publicity/applications') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/publicity/applications', component: ApplicationListView },
      { path: '/publicity/applications/:id', component: { template: '<div />' } },
      { path: '/publicity/apply', component: { template: '<div />' } },
    ],
  })
  await router.push(start)
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  signOut()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('ApplicationListView (执业公示申报单, F15): 导出 Excel', () => {
  it('downloads the list as filtered (state, type, person) as 执业公示申报单.xlsx, through the session', async () => {
    signIn('tok-unit')
    let release = () => {}
    const sent = serve((query) =>
      query.get('format') === 'xlsx'
        ? new Promise<Response>((resolve) => (release = () => resolve(xlsxResponse())))
        : json(200, { items: [summary], next_cursor: null }),
    )
    const saved = watchDownloads()
    const wrapper = await render('/publicity/applications?state=under_review')
    wrapper.findComponent({ name: 'ElSelect' }).vm.$emit('update:modelValue', 'renewal')
    await flushPromises()
    await wrapper.get('[data-testid="application-person-filter"]').setValue(' 王五 ')
    await wrapper.get('form.filters').trigger('submit')
    await flushPromises()

    const button = wrapper.get('[data-testid="application-list-export"]')
    expect(button.text()).toBe('导出 Excel')
    await button.trigger('click')
    await flushPromises()
    // Disabled while it downloads.
    expect(wrapper.get('[data-testid="application-list-export"]').attributes('disabled')).toBeDefined()
    release()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    await flushPromises()

    const exported = sent.filter((s) => s.query.get('format') === 'xlsx')
    expect(exported).toHaveLength(1)
    expect(exported[0].path).toBe('/api/v1/unit/applications')
    expect(Object.fromEntries(exported[0].query)).toEqual({ state: 'under_review', kind: 'renewal', q: '王五', format: 'xlsx' })
    expect(exported[0].authorization).toBe('Bearer tok-unit')
    expect(saved[0].name).toBe('执业公示申报单.xlsx')
    expect(await bytesOf(saved[0].blob)).toEqual(WORKBOOK)
    expect(wrapper.get('[data-testid="application-list-export"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('exports every state under 全部, and says why an export is refused', async () => {
    const sent = serve((query) =>
      query.get('format') === 'xlsx'
        ? json(403, { status: 403, code: 'forbidden', title: '', detail: '无权导出本单位的申报单', errors: [] })
        : json(200, { items: [summary], next_cursor: null }),
    )
    const saved = watchDownloads()
    const wrapper = await render()
    await wrapper.get('[data-testid="application-list-export"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(messages()).toContain('无权导出本单位的申报单'))
    expect(Object.fromEntries(sent.find((s) => s.query.get('format') === 'xlsx')!.query)).toEqual({ format: 'xlsx' })
    expect(saved).toEqual([])
    expect(wrapper.get('[data-testid="application-list-export"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })
})

describe('ApplicationListView (执业公示申报单, F15): 退回补正 (#19)', () => {
  it('offers the tab 退回补正 after 审核中, asks for state=returned, and draws a returned row’s tag solid', async () => {
    const returned = { ...summary, state: 'returned', state_label: '退回补正', seconds_left: 4 * 86_400 }
    const sent = serve((query) => json(200, { items: query.get('state') === 'returned' ? [returned] : [summary, returned], next_cursor: null }))
    const wrapper = await render()
    const tabs = wrapper.findAll('[data-testid="application-tabs"] .el-tabs__item')
    expect(tabs.map((t) => t.text()).slice(0, 5)).toEqual(['全部', '待上传申请表', '待执业人确认', '审核中', '退回补正'])
    const tags = wrapper.findAll('[data-testid="application-table"] [data-testid="status-tag"]')
    expect(tags.map((t) => t.text())).toEqual(['审核中', '退回补正'])
    expect(tags[1].classes()).toEqual(expect.arrayContaining(['el-tag--warning', 'el-tag--dark']))
    expect(tags[0].classes()).not.toContain('el-tag--dark')

    await tabs[4].trigger('click')
    await flushPromises()
    expect(sent.at(-1)!.query.get('state')).toBe('returned')
    expect(wrapper.get('[data-testid="application-table"] [data-testid="deadline-countdown"]').text()).toBe('剩余 4 天 0 小时')
    wrapper.unmount()
  })
})

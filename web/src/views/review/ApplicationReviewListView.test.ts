import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import ApplicationReviewListView from './ApplicationReviewListView.vue'
import RegistrationReviewListView from './RegistrationReviewListView.vue'
import ChangeReviewListView from './ChangeReviewListView.vue'
import AppealReviewListView from './AppealReviewListView.vue'
import { testI18n } from '@/test/i18n'
import { bytesOf, messages, signIn, signOut, watchDownloads, WORKBOOK, xlsxResponse } from '@/test/downloads'

// F21 执业公示审核: 导出 Excel downloads the whole queue in the state shown (#18), with the
// session's token; the registration, change and appeal queues the same way.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const row = {
  id: 'app_1',
  number: 'GS20260301-ABCDEFGH',
  kind: 'initial',
  kind_label: '初始',
  unit_name: '厦门电梯检测技术有限公司',
  person_name: '王五',
  id_number_masked: '440524********0014',
  state: 'approved',
  state_label: '已通过',
  state_since: '2026-03-01T02:00:00Z',
  created_at: '2026-03-01T02:00:00Z',
}

function serve(answer: (query: URLSearchParams) => Response | Promise<Response>) {
  const sent: { path: string; query: URLSearchParams; authorization: string | null }[] = []
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

async function render(view: Component, path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/review/:queue', component: view },
      { path: '/review/:queue/:id', component: { template: '<div />' } },
    ],
  })
  await router.push(path)
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

describe('ApplicationReviewListView (执业公示审核, F21): 导出 Excel', () => {
  it('downloads the queue in the state shown as 执业公示审核队列.xlsx, through the session', async () => {
    signIn('tok-reviewer')
    let release = () => {}
    const sent = serve((query) =>
      query.get('format') === 'xlsx'
        ? new Promise<Response>((resolve) => (release = () => resolve(xlsxResponse())))
        : json(200, { items: [row], next_cursor: null }),
    )
    const saved = watchDownloads()
    const wrapper = await render(ApplicationReviewListView, '/review/applications?state=approved')
    expect(wrapper.get('h1').text()).toBe('执业公示审核')
    expect(wrapper.get('[data-testid="application-review-table"]').text()).toContain('GS20260301-ABCDEFGH')

    const button = wrapper.get('[data-testid="application-review-export"]')
    expect(button.text()).toBe('导出 Excel')
    await button.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="application-review-export"]').attributes('disabled')).toBeDefined()
    release()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    await flushPromises()

    const exported = sent.filter((s) => s.query.get('format') === 'xlsx')
    expect(exported).toHaveLength(1)
    expect(exported[0].path).toBe('/api/v1/review/applications')
    expect(Object.fromEntries(exported[0].query)).toEqual({ state: 'approved', format: 'xlsx' })
    expect(exported[0].authorization).toBe('Bearer tok-reviewer')
    expect(saved[0].name).toBe('执业公示审核队列.xlsx')
    expect(await bytesOf(saved[0].blob)).toEqual(WORKBOOK)
    expect(wrapper.get('[data-testid="application-review-export"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('exports the default state (审核中) and says why an export is refused', async () => {
    const sent = serve((query) =>
      query.get('format') === 'xlsx'
        ? json(403, { status: 403, code: 'forbidden', title: '', detail: '仅审核人员可导出', errors: [] })
        : json(200, { items: [], next_cursor: null }),
    )
    const saved = watchDownloads()
    const wrapper = await render(ApplicationReviewListView, '/review/applications')
    await wrapper.get('[data-testid="application-review-export"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(messages()).toContain('仅审核人员可导出'))
    expect(Object.fromEntries(sent.find((s) => s.query.get('format') === 'xlsx')!.query)).toEqual({ state: 'under_review', format: 'xlsx' })
    expect(saved).toEqual([])
    wrapper.unmount()
  })

  it.each([
    ['registrations', RegistrationReviewListView, 'registration-review-export', 'submitted', '注册审核队列.xlsx'],
    ['change-requests', ChangeReviewListView, 'change-review-export', 'pending', '变更审核队列.xlsx'],
    ['appeals', AppealReviewListView, 'appeal-review-export', 'submitted', '申诉审核队列.xlsx'],
  ] as const)('the %s queue exports alike, in its default state, under its own name', async (queue, view, testid, state, name) => {
    signIn('tok-reviewer')
    const sent = serve((query) =>
      query.get('format') === 'xlsx' ? xlsxResponse() : json(200, { items: [], next_cursor: null, overdue_count: 0 }),
    )
    const saved = watchDownloads()
    const wrapper = await render(view, `/review/${queue}`)
    await wrapper.get(`[data-testid="${testid}"]`).trigger('click')
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    const exported = sent.filter((s) => s.query.get('format') === 'xlsx')
    expect(exported[0].path).toBe(`/api/v1/review/${queue}`)
    expect(Object.fromEntries(exported[0].query)).toEqual({ state, format: 'xlsx' })
    expect(exported[0].authorization).toBe('Bearer tok-reviewer')
    expect(saved[0].name).toBe(name)
    wrapper.unmount()
  })
})

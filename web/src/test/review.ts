// What the review views' unit tests share: API answers, a recording fetch, the views mounted
// under a router, and a publicity application waiting in review.
import { vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import { testI18n } from '@/test/i18n'

/** An API answer: JSON, or a problem document from 400 on. */
export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

/** A problem answer with its code and the server's words. */
export const problem = (status: number, code: string, detail: string) => json(status, { status, code, title: '', detail, errors: [] })

/** A request as the API got it. */
export interface Sent {
  method: string
  path: string
  query: string
  body: unknown
}

/** Answers the API with `answer`, recording what was sent. */
export function serve(answer: (req: Sent) => Response): Sent[] {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      const text = req.method === 'GET' ? '' : await req.text()
      const one = { method: req.method, path: url.pathname, query: url.search, body: text ? JSON.parse(text) : null }
      sent.push(one)
      return answer(one)
    }),
  )
  return sent
}

/** Mounts `view` at `path` (under /review/:queue) with `props`. */
export async function renderReview(view: Component, path: string, props: Record<string, unknown> = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/review/:queue', component: view, props: () => props },
      { path: '/review/:queue/:id', component: { template: '<div />' } },
    ],
  })
  await router.push(path)
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

/** A publicity application under review, as GET /review/applications/{id} sends it. */
export const underReviewApplication = {
  id: 'app_1',
  number: 'GS2026000001',
  kind: 'initial',
  kind_label: '初始',
  state: 'under_review',
  state_label: '审核中',
  created_at: '2026-03-01T02:00:00Z',
  deadline: '2026-03-08T02:00:00Z',
  // Under review: it no longer waits on the unit, so the server sends no countdown.
  seconds_left: null,
  unit_name: '厦门电梯检测技术有限公司',
  person: { name: '王五', id_number_masked: '440524********0014', mobile_masked: '139****0010' },
  items: [{ code: 'DT-1', name: '电梯检验员', level: '检验员', valid_until: '2028-05-31' }],
  clauses: { version: 3, title: '执业公示承诺书', confirmed_by: 'unitadmin', confirmed_at: '2026-03-01T02:00:00Z' },
  resignation_proof: null,
  scan: null,
  decision: null,
  publicity_certificate_no: null,
  previous_unit: null,
  history: [],
  actions: { print: false, upload: false, resend_code: false, withdraw: false },
}

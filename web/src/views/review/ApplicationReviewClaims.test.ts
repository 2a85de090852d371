import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus/es'
import { json, problem, renderReview as render, serve, underReviewApplication, type Sent } from '@/test/review'
import { messages } from '@/test/downloads'
import ApplicationReviewDetailView from './ApplicationReviewDetailView.vue'
import ApplicationReviewListView from './ApplicationReviewListView.vue'

// F21 认领: a reviewer claims an application in review for 30 minutes; the queue and the detail
// say who holds it, and while another holds it the detail may be read but not decided.

/** What a request asked for, without its query and body. */
const route = ({ method, path }: Sent) => ({ method, path })

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

/** 09:30 UTC is 17:30 in China; far enough ahead that no lapse timer starts. */
const UNTIL = '2099-12-02T09:30:00Z'
const byOther = { by: 'wang', by_name: '王审核', until: UNTIL, mine: false }
const byMe = { by: 'reviewer', by_name: '协会审核员', until: UNTIL, mine: true }

const summary = {
  id: 'app_1',
  number: 'GS20260301-ABCDEFGH',
  kind: 'initial',
  kind_label: '初始',
  unit_name: '厦门电梯检测技术有限公司',
  person_name: '王五',
  id_number_masked: '440524********0014',
  state: 'under_review',
  state_label: '审核中',
  state_since: '2026-03-01T02:00:00Z',
  created_at: '2026-03-01T02:00:00Z',
}

describe('ApplicationReviewListView (执业公示审核, F21): 认领', () => {
  it('names who holds each application and until when, 我 for one’s own, — for none', async () => {
    serve(() =>
      json(200, {
        items: [
          { ...summary, claim: byOther },
          { ...summary, id: 'app_2', number: 'GS20260301-MINE0000', claim: byMe },
          { ...summary, id: 'app_3', number: 'GS20260301-FREE0000', claim: null },
        ],
        next_cursor: null,
      }),
    )
    const { wrapper } = await render(ApplicationReviewListView, '/review/applications')
    expect(wrapper.get('[data-testid="application-review-table"]').text()).toContain('认领')
    const cells = wrapper.findAll('[data-testid="application-review-claim"]')
    expect(cells.map((c) => c.text().replace(/\s+/g, ' '))).toEqual(['王审核 至 17:30', '协会审核员 我 至 17:30', '—'])
    expect(cells[0].find('.el-tag').exists()).toBe(false)
    expect(cells[1].get('.el-tag').text()).toBe('我')
    wrapper.unmount()
  })

  it('shows no 认领 column once decided', async () => {
    serve(() => json(200, { items: [{ ...summary, state: 'approved', claim: null }], next_cursor: null }))
    const { wrapper } = await render(ApplicationReviewListView, '/review/applications?state=approved')
    expect(wrapper.find('[data-testid="application-review-claim"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('ApplicationReviewDetailView (执业公示审核, F21): 认领', () => {
  const application = underReviewApplication
  const review = (claim: unknown, app: object = application) => json(200, { application: app, documents: [], claim })
  const open = async () => (await render(ApplicationReviewDetailView, '/review/applications', { id: 'app_1' })).wrapper
  const disabled = (wrapper: Awaited<ReturnType<typeof open>>, testid: string) =>
    wrapper.get(`[data-testid="${testid}"]`).attributes('disabled') !== undefined

  it('offers 认领 when nobody holds it, claims and loads the application again', async () => {
    let claimed = false
    const sent = serve((req) => {
      if (req.method === 'POST') {
        claimed = true
        return json(200, byMe)
      }
      return review(claimed ? byMe : null)
    })
    const wrapper = await open()
    expect(wrapper.get('[data-testid="review-claim-bar"]').text()).toContain('尚无人认领')
    expect(wrapper.find('[data-testid="review-claim-held"]').exists()).toBe(false)
    expect(disabled(wrapper, 'review-approve')).toBe(false)
    expect(disabled(wrapper, 'review-reject')).toBe(false)

    await wrapper.get('[data-testid="review-claim"]').trigger('click')
    await flushPromises()
    expect(sent.map(route)).toEqual([
      { method: 'GET', path: '/api/v1/review/applications/app_1' },
      { method: 'POST', path: '/api/v1/review/applications/app_1/claim' },
      { method: 'GET', path: '/api/v1/review/applications/app_1' },
    ])
    expect(messages()).toContain('已认领，至 17:30')
    expect(wrapper.get('[data-testid="review-claim-mine"]').text()).toBe('您已认领，至 17:30')
    expect(wrapper.find('[data-testid="review-claim"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('renews (claims again) and releases one’s own claim, loading the application after each', async () => {
    let claim: unknown = byMe
    const sent = serve((req) => {
      if (req.method === 'POST') return json(200, byMe)
      if (req.method === 'DELETE') {
        claim = null
        return new Response(null, { status: 204 })
      }
      return review(claim)
    })
    const wrapper = await open()
    expect(wrapper.get('[data-testid="review-claim-mine"]').text()).toBe('您已认领，至 17:30')
    expect(disabled(wrapper, 'review-approve')).toBe(false)

    await wrapper.get('[data-testid="review-claim-renew"]').trigger('click')
    await flushPromises()
    expect(sent.slice(1, 3).map(route)).toEqual([
      { method: 'POST', path: '/api/v1/review/applications/app_1/claim' },
      { method: 'GET', path: '/api/v1/review/applications/app_1' },
    ])
    expect(messages()).toContain('已续期，至 17:30')

    await wrapper.get('[data-testid="review-claim-release"]').trigger('click')
    await flushPromises()
    expect(sent.slice(3).map(route)).toEqual([
      { method: 'DELETE', path: '/api/v1/review/applications/app_1/claim' },
      { method: 'GET', path: '/api/v1/review/applications/app_1' },
    ])
    expect(messages()).toContain('已释放认领')
    expect(wrapper.get('[data-testid="review-claim-bar"]').text()).toContain('尚无人认领')
    expect(wrapper.find('[data-testid="review-claim-release"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says who holds it and disables 通过 / 驳回 while another holds it', async () => {
    serve(() => review(byOther))
    const wrapper = await open()
    const held = wrapper.get('[data-testid="review-claim-held"]')
    expect(held.text()).toContain('该申报单已由王审核认领（至 17:30），您可以查看，但不能作出决定')
    expect(held.find('[role="alert"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="review-claim"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-claim-release"]').exists()).toBe(false)
    expect(disabled(wrapper, 'review-approve')).toBe(true)
    expect(disabled(wrapper, 'review-reject')).toBe(true)
    // The details are still there to read.
    expect(wrapper.get('[data-testid="application-review-title"]').text()).toContain('GS2026000001')
    wrapper.unmount()
  })

  it('shows the server’s words when another claimed it meanwhile, and loads it again', async () => {
    const detail = '该申报单已由王审核认领（至 2099-12-02 17:30），认领失效或被释放后方可处理'
    let taken = false
    const sent = serve((req) => {
      if (req.method === 'POST') {
        taken = true
        return problem(409, 'claimed_by_other', detail)
      }
      return review(taken ? byOther : null)
    })
    const wrapper = await open()
    await wrapper.get('[data-testid="review-claim"]').trigger('click')
    await flushPromises()
    expect(sent.map((r) => r.method)).toEqual(['GET', 'POST', 'GET'])
    expect(messages()).toContain(detail)
    expect(wrapper.find('[data-testid="review-claim-held"]').exists()).toBe(true)
    expect(disabled(wrapper, 'review-approve')).toBe(true)
    wrapper.unmount()
  })

  it('shows the server’s words when a decision meets another’s claim, and loads it again', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const detail = '该申报单已由王审核认领（至 2099-12-02 17:30），认领失效或被释放后方可处理'
    let taken = false
    const sent = serve((req) => {
      if (req.method === 'POST') {
        taken = true
        return problem(409, 'claimed_by_other', detail)
      }
      return review(taken ? byOther : null)
    })
    const wrapper = await open()
    await wrapper.get('[data-testid="review-approve"]').trigger('click')
    await flushPromises()
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/review/applications/app_1',
      'POST /api/v1/review/applications/app_1/decision',
      'GET /api/v1/review/applications/app_1',
    ])
    expect(messages()).toContain(detail)
    expect(wrapper.find('[data-testid="review-claim-held"]').exists()).toBe(true)
    expect(disabled(wrapper, 'review-approve')).toBe(true)
    wrapper.unmount()
  })

  it('shows no claim bar once decided', async () => {
    const approved = {
      ...application,
      state: 'approved',
      state_label: '已通过',
      decision: { approved: true, decided_at: '2026-03-02T02:00:00Z', decided_by: 'reviewer', reason: null },
    }
    serve(() => review(null, approved))
    const wrapper = await open()
    expect(wrapper.find('[data-testid="review-claim-bar"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-claim-held"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus/es'
import { json, problem, renderReview as render, serve, underReviewApplication } from '@/test/review'
import AppealReviewDetailView from './AppealReviewDetailView.vue'
import AppealReviewListView from './AppealReviewListView.vue'
import ApplicationReviewDetailView from './ApplicationReviewDetailView.vue'
import ChangeReviewDetailView from './ChangeReviewDetailView.vue'
import RegistrationReviewListView from './RegistrationReviewListView.vue'

// The one review queue page and the one detail layout, through the queues that use them.

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('the review queue page', () => {
  const row = {
    id: 'reg_1',
    unit_name: '厦门检测有限公司',
    uscc: '91350200MA2XXXXXX1',
    contact_name: '张三',
    state: 'submitted',
    submitted_at: '2026-03-01T02:00:00Z',
    warnings_count: 2,
  }

  it('lists a state of its queue with the queue’s columns, loads more and opens a row', async () => {
    const sent = serve((req) =>
      req.query.includes('cursor=c1')
        ? json(200, { items: [{ ...row, id: 'reg_2', unit_name: '泉州检测有限公司' }], next_cursor: null })
        : json(200, { items: [row], next_cursor: 'c1' }),
    )
    const { wrapper, router } = await render(RegistrationReviewListView, '/review/registrations')
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/api/v1/review/registrations', query: '?state=submitted&limit=20' })
    expect(wrapper.get('h1').text()).toBe('注册审核')
    const table = wrapper.get('[data-testid="review-table"]')
    expect(table.text()).toContain('厦门检测有限公司')
    expect(table.text()).toContain('2 项提示')

    await wrapper.get('[data-testid="review-load-more"]').trigger('click')
    await flushPromises()
    expect(sent[1].query).toBe('?state=submitted&limit=20&cursor=c1')
    expect(wrapper.get('[data-testid="review-table"]').text()).toContain('泉州检测有限公司')
    expect(wrapper.find('[data-testid="review-load-more"]').exists()).toBe(false)

    await wrapper.get('[data-testid="review-table"] .el-table__body tr').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/review/registrations/reg_1')
    wrapper.unmount()
  })

  it('offers each row an explicit 审核 link (查看 once decided)', async () => {
    serve(() => json(200, { items: [row], next_cursor: null }))
    const { wrapper } = await render(RegistrationReviewListView, '/review/registrations')
    const link = wrapper.get('[data-testid="review-table"] [data-testid="review-row-open"]')
    expect(link.text()).toBe('审核')
    expect(link.attributes('href')).toBe('/review/registrations/reg_1')
    wrapper.unmount()
  })

  it('adds up the overdue appeals over the pages loaded', async () => {
    const appeal = { id: 'ap_1', unit_name: '厦门检测有限公司', uscc: row.uscc, applicant_name: '李四', overdue: true }
    serve((req) =>
      req.query.includes('cursor=c1')
        ? json(200, { items: [{ ...appeal, id: 'ap_2' }], next_cursor: null, overdue_count: 1 })
        : json(200, { items: [appeal], next_cursor: 'c1', overdue_count: 1 }),
    )
    const { wrapper } = await render(AppealReviewListView, '/review/appeals')
    expect(wrapper.get('[data-testid="appeal-review-overdue"]').text()).toContain('1')
    await wrapper.get('[data-testid="appeal-review-load-more"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="appeal-review-overdue"]').text()).toContain('2')
    expect(wrapper.findAll('[data-testid="appeal-overdue"]')).toHaveLength(2)
    wrapper.unmount()
  })
})

describe('the review detail layout', () => {
  const application = underReviewApplication

  it('sends a publicity application’s approval as { outcome, reason } and shows the decision', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const decided = {
      ...application,
      state: 'approved',
      state_label: '已通过',
      decision: { approved: true, decided_at: '2026-03-02T02:00:00Z', decided_by: 'reviewer', reason: null },
    }
    const sent = serve((req) => json(200, { application: req.method === 'POST' ? decided : application }))
    const { wrapper } = await render(ApplicationReviewDetailView, '/review/applications', { id: 'app_1' })
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/api/v1/review/applications/app_1' })
    expect(wrapper.get('[data-testid="application-review-title"]').text()).toContain('GS2026000001')
    expect(wrapper.get('a.back').attributes('href')).toBe('/review/applications')

    await wrapper.get('[data-testid="review-approve"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    expect(sent[1]).toEqual({
      method: 'POST',
      path: '/api/v1/review/applications/app_1/decision',
      query: '',
      body: { outcome: 'approve', reason: null },
    })
    expect(wrapper.get('[data-testid="review-decision"]').text()).toContain('已通过')
    // Decided: no 通过 / 驳回 left to press.
    expect(wrapper.find('[data-testid="review-approve"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-reject"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('names the real former unit of a change beside its 离职证明, for the reviewer to check against', async () => {
    const change = {
      ...application,
      kind: 'change',
      kind_label: '变更',
      previous_unit: '厦门原执业单位检测有限公司',
      resignation_proof: { id: 'up_1', file_name: 'resignation.pdf', content_type: 'application/pdf', size: 2048 },
    }
    serve(() =>
      json(200, {
        application: change,
        documents: [],
        resignation_proof_url: 'https://blobs.example/resignation.pdf',
        previous_unit: { unit_name: '厦门原执业单位检测有限公司', certificate_no: 'GS2025000007', cancelled: false },
      }),
    )
    const { wrapper } = await render(ApplicationReviewDetailView, '/review/applications', { id: 'app_1' })
    const previous = wrapper.get('[data-testid="review-previous-unit"]')
    expect(previous.text()).toContain('原执业单位')
    expect(previous.get('[data-testid="review-previous-unit-name"]').text()).toBe('厦门原执业单位检测有限公司')
    expect(previous.get('[data-testid="review-previous-certificate-no"]').text()).toBe('GS2025000007')
    const link = previous.get('[data-testid="review-proof-link"]')
    expect(link.text()).toBe('resignation.pdf')
    expect(link.attributes('href')).toBe('https://blobs.example/resignation.pdf')
    expect(wrapper.find('[data-testid="review-proof-check"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('says no proof is needed when the former unit had cancelled, and shows no former unit for an initial application', async () => {
    const change = { ...application, kind: 'change', kind_label: '变更', previous_unit: '厦门原执业单位检测有限公司' }
    serve(() =>
      json(200, {
        application: change,
        documents: [],
        previous_unit: { unit_name: '厦门原执业单位检测有限公司', certificate_no: 'GS2025000007', cancelled: true },
      }),
    )
    const { wrapper } = await render(ApplicationReviewDetailView, '/review/applications', { id: 'app_1' })
    expect(wrapper.get('[data-testid="review-previous-unit-name"]').text()).toBe('厦门原执业单位检测有限公司')
    expect(wrapper.get('[data-testid="review-proof-not-needed"]').text()).toContain('无需离职证明')
    expect(wrapper.find('[data-testid="review-proof-link"]').exists()).toBe(false)
    wrapper.unmount()

    serve(() => json(200, { application, documents: [] }))
    const initial = (await render(ApplicationReviewDetailView, '/review/applications', { id: 'app_1' })).wrapper
    expect(initial.find('[data-testid="review-previous-unit"]').exists()).toBe(false)
    initial.unmount()
  })

  const review = {
    unit_name: '厦门检测有限公司',
    documents: [],
    request: {
      id: 'cr_1',
      state: 'pending',
      changes: [{ field: 'uscc', label: '统一社会信用代码', before: '91350200MA2XXXXXX1', after: '91350200MA2XXXXXX2' }],
      proofs: [],
      reason: '换发营业执照',
      submitted_at: '2026-03-01T02:00:00Z',
      submitted_by: 'unitadmin',
      decision: null,
    },
  }

  async function reject(wrapper: Awaited<ReturnType<typeof render>>['wrapper']) {
    await wrapper.get('[data-testid="review-reject"]').trigger('click')
    await flushPromises()
    await wrapper.get('textarea[data-testid="reject-reason"]').setValue('证明材料不全')
    await wrapper.get('[data-testid="reject-confirm"]').trigger('click')
    await flushPromises()
  }

  it('shows a conflict that is the reviewer’s to read in the dialog, without reloading', async () => {
    const sent = serve((req) => (req.method === 'POST' ? problem(409, 'uscc_taken', '该统一社会信用代码已被使用') : json(200, review)))
    const { wrapper } = await render(ChangeReviewDetailView, '/review/change-requests', { id: 'cr_1' })
    expect(wrapper.get('[data-testid="change-review-unit"]').text()).toBe('厦门检测有限公司')
    await reject(wrapper)
    expect(sent.map((r) => r.method)).toEqual(['GET', 'POST'])
    expect(sent[1].body).toEqual({ outcome: 'reject', reason: '证明材料不全' })
    expect(wrapper.get('[data-testid="reject-dialog"]').text()).toContain('该统一社会信用代码已被使用')
    wrapper.unmount()
  })

  it('loads the item again when it was decided meanwhile', async () => {
    let decided = false
    const sent = serve((req) => {
      if (req.method === 'POST') {
        decided = true
        return problem(409, 'state_conflict', '该申请已被处理')
      }
      const state = decided ? 'rejected' : 'pending'
      return json(200, { ...review, request: { ...review.request, state } })
    })
    const { wrapper } = await render(ChangeReviewDetailView, '/review/change-requests', { id: 'cr_1' })
    await reject(wrapper)
    expect(sent.map((r) => r.method)).toEqual(['GET', 'POST', 'GET'])
    // Decided: no 通过 / 驳回 left to press.
    expect(wrapper.find('[data-testid="review-approve"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-reject"]').exists()).toBe(false)
    wrapper.unmount()
  })

  const appealReview = {
    appeal: {
      id: 'ap_1',
      state: 'submitted',
      uscc: '91350200MA2XXXXXX1',
      unit_name: '厦门检测有限公司',
      applicant_name: '赵六',
      applicant_mobile_masked: '139****9001',
      contact_email: 'appeal@example.com',
      reason: '原授权联系人已离职',
      submitted_at: '2026-03-01T02:00:00Z',
      due_date: '2026-03-04',
      overdue: false,
      decision: null,
    },
    documents: [],
    unit: { name: '厦门检测有限公司', name_matches: true, contact: '李四 138****8000', admin_usernames: ['admin1'] },
  }

  it('decides an appeal with its own form, which is gone once decided, with no 通过 / 驳回 bar', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const decided = {
      ...appealReview,
      appeal: {
        ...appealReview.appeal,
        state: 'rejected',
        decision: { outcome: 'rejected', decided_at: '2026-03-02T02:00:00Z', decided_by: 'reviewer', reason: '材料不符' },
      },
    }
    const sent = serve((req) => json(200, req.method === 'POST' ? decided : appealReview))
    const { wrapper } = await render(AppealReviewDetailView, '/review/appeals', { id: 'ap_1' })
    expect(wrapper.get('[data-testid="appeal-review-unit"]').text()).toBe('厦门检测有限公司')
    expect(wrapper.find('[data-testid="review-approve"]').exists()).toBe(false)

    await wrapper.get('[data-testid="appeal-outcome-reject"] input').setValue(true)
    await wrapper.get('textarea[data-testid="appeal-reply-input"]').setValue('材料不符')
    await wrapper.get('[data-testid="appeal-decide"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    expect(sent[1]).toMatchObject({
      method: 'POST',
      path: '/api/v1/review/appeals/ap_1/decision',
      body: { outcome: 'reject', reason: '材料不符', reset_password_for: null },
    })
    expect(wrapper.get('[data-testid="review-decision"]').text()).toContain('材料不符')
    expect(wrapper.find('[data-testid="appeal-decision-form"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="review-approve"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import type { Session } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { testI18n } from '@/test/i18n'
import ChangeRequestDetails from '@/components/ChangeRequestDetails.vue'
import ApplicationDetailView from './publicity/ApplicationDetailView.vue'
import AppealReviewDetailView from './review/AppealReviewDetailView.vue'
import ChangeReviewDetailView from './review/ChangeReviewDetailView.vue'
import RegistrationReviewDetailView from './review/RegistrationReviewDetailView.vue'
import UnitChangeRequestView from './unit/UnitChangeRequestView.vue'

// #17 bug 13: the labels the server words in Chinese beside a stable code (a document's purpose,
// a changed field) are shown in the page's language by that code; the server's label only for a
// code the SPA does not know. In Chinese the server's words stay as they are.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

/** Answers every GET by its path. */
function serve(answers: Record<string, unknown>): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname
      return path in answers ? json(200, answers[path]) : json(404, { status: 404, code: 'not_found', title: '', detail: '', errors: [] })
    }),
  )
}

function i18nIn(locale: 'en' | 'zh-CN') {
  const i18n = testI18n()
  i18n.global.locale.value = locale
  return i18n
}

/** A review detail page at /review/{queue}/{id}, as the router opens it. */
async function renderReview(view: Component, queue: string, id: string, locale: 'en' | 'zh-CN' = 'en') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/review/:queue/:id', component: view, props: (r) => ({ id: r.params.id }) },
      { path: '/review/:queue', component: { template: '<div />' } },
    ],
  })
  await router.push(`/review/${queue}/${id}`)
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18nIn(locale), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const licence = {
  purpose: 'business_licence',
  label: '营业执照',
  file_name: 'licence.png',
  content_type: 'image/png',
  url: 'http://127.0.0.1/_blobs/verified/up_l?sig=x',
}
const letter = {
  purpose: 'authorisation_letter',
  label: '授权委托书',
  file_name: 'letter.pdf',
  content_type: 'application/pdf',
  url: 'http://127.0.0.1/_blobs/verified/up_a?sig=x',
}
const unitName = { field: 'unit_name', label: '单位名称', before: '厦门检测有限公司', after: '厦门检测技术有限公司' }

const changeRequest = {
  id: 'cr_1',
  state: 'pending' as const,
  changes: [unitName],
  proofs: [{ upload_id: 'up_p', file_name: 'proof.pdf', content_type: 'application/pdf', size: 2048 }],
  reason: '单位更名',
  submitted_at: '2026-03-01T02:00:00Z',
  submitted_by: 'unitadmin',
  decision: null,
}

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('documents in English, by their purpose', () => {
  const appealReview = {
    appeal: {
      id: 'ap_1',
      state: 'submitted',
      uscc: '91350200MA2XXXXXX1',
      unit_name: '厦门检测有限公司',
      applicant_name: '赵六',
      applicant_mobile_masked: '139****9001',
      mobile_verified: true,
      contact_email: 'appeal@example.com',
      reason: '原授权联系人已离职',
      submitted_at: '2026-03-01T02:00:00Z',
      due_date: '2026-03-04',
      overdue: false,
      decision: null,
    },
    documents: [licence, letter],
    unit: { name: '厦门检测有限公司', name_matches: true, contact: '李四 138****8000', admin_usernames: ['admin1'] },
  }

  it('names an appeal’s proofs in English (营业执照 → Business licence, 授权委托书 → Letter of authorisation)', async () => {
    serve({ '/api/v1/review/appeals/ap_1': appealReview })
    const wrapper = await renderReview(AppealReviewDetailView, 'appeals', 'ap_1')
    const titles = wrapper.findAll('[data-testid="appeal-review-documents"] .doc-title').map((d) => d.text())
    expect(titles).toEqual(['Business licence · licence.png', 'Letter of authorisation · letter.pdf'])
    expect(wrapper.get('[data-testid="appeal-review-documents"]').text()).not.toContain('营业执照')
    expect(wrapper.get('[data-testid="appeal-review-documents"] [data-testid="doc-image"] img').attributes('alt')).toBe(
      'Business licence: licence.png',
    )
    wrapper.unmount()
  })

  it('keeps the server’s Chinese label in Chinese, and for a purpose it does not know', async () => {
    const unknown = { ...letter, purpose: 'notarised_copy', label: '公证书' }
    serve({ '/api/v1/review/appeals/ap_1': { ...appealReview, documents: [licence, unknown] } })
    const zh = await renderReview(AppealReviewDetailView, 'appeals', 'ap_1', 'zh-CN')
    expect(zh.findAll('.doc-title').map((d) => d.text())).toEqual(['营业执照 · licence.png', '公证书 · letter.pdf'])
    zh.unmount()
    const en = await renderReview(AppealReviewDetailView, 'appeals', 'ap_1')
    expect(en.findAll('.doc-title').map((d) => d.text())).toEqual(['Business licence · licence.png', '公证书 · letter.pdf'])
    en.unmount()
  })

  it('names the unit’s uploaded scan on its application’s page in English', async () => {
    const application = {
      id: 'app_1',
      number: 'SB20260301-AAAAAAAA',
      kind: 'initial',
      kind_label: '初始',
      state: 'under_review',
      state_label: '审核中',
      person_name: '王五',
      id_number_masked: '440524********0014',
      created_at: '2026-03-01T02:00:00Z',
      deadline: '2026-03-08T02:00:00Z',
      seconds_left: null,
      unit_name: '厦门电梯检测技术有限公司',
      person: { name: '王五', id_number_masked: '440524********0014', mobile_masked: '139****0010' },
      items: [],
      clauses: { version: 1, title: '执业公示承诺书', confirmed_by: 'unitadmin', confirmed_at: '2026-03-01T02:00:00Z' },
      scan: { upload_id: 'up_1', file_name: 'signed.png', content_type: 'image/png', size: 2048 },
      decision: null,
      history: [],
      actions: { print: false, upload: false, resend_code: false, withdraw: false },
      created_by: 'unitadmin',
      documents: [{ purpose: 'signed_form', label: '签字盖章的申请表', file_name: 'signed.png', content_type: 'image/png', url: 'http://127.0.0.1/x' }],
    }
    serve({ '/api/v1/unit/applications/app_1': application })
    const wrapper = mount(ApplicationDetailView, {
      props: { id: 'app_1' },
      global: { plugins: [i18nIn('en')], stubs: { RouterLink: RouterLinkStub } },
      attachTo: document.body,
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="application-document-signed_form"]').exists()).toBe(true))
    const shown = wrapper.get('[data-testid="application-document-signed_form"]')
    expect(shown.text()).toContain('Signed and stamped application form: signed.png')
    expect(shown.find('img').attributes('alt')).toBe('Signed and stamped application form: signed.png')
    wrapper.unmount()
  })

  it('names a registration’s business licence in English on the reviewer’s page, and its warning by code', async () => {
    const registration = {
      id: 'reg_1',
      state: 'submitted',
      basic: {
        unit_name: '厦门检测有限公司',
        uscc: '91350200MA2XXXXXX1',
        legal_representative: '张三',
        address: '厦门市思明区',
        postcode: '361000',
        username: 'xmjc',
      },
      licence: { upload_id: 'up_l', file_name: 'licence.png', content_type: 'image/png', size: 2048 },
      qualification: null,
      contact: null,
      decision: null,
      created_at: '2026-03-01T02:00:00Z',
      updated_at: '2026-03-01T02:00:00Z',
      submitted_at: '2026-03-01T02:00:00Z',
      warnings: [{ field: 'uscc', code: 'uscc_checksum', message: '统一社会信用代码校验位不符，请人工核对营业执照' }],
    }
    serve({ '/api/v1/review/registrations/reg_1': { registration, documents: [licence], history: [] } })
    const wrapper = await renderReview(RegistrationReviewDetailView, 'registrations', 'reg_1')
    expect(wrapper.get('[data-testid="detail-licence"] .doc-title').text()).toBe('Business licence · licence.png')
    expect(wrapper.get('[data-testid="review-warnings"] .warning').text()).toBe(
      'The check character of the unified social credit code does not match: check the business licence by hand',
    )
    wrapper.unmount()
  })
})

describe('changed fields in English, by their field', () => {
  it('names a change request’s field in English on the reviewer’s page (单位名称 → Unit name)', async () => {
    serve({ '/api/v1/review/change-requests/cr_1': { unit_name: '厦门检测有限公司', documents: [], request: changeRequest } })
    const wrapper = await renderReview(ChangeReviewDetailView, 'change-requests', 'cr_1')
    expect(wrapper.get('[data-testid="change-field"]').text()).toBe('Unit name')
    expect(wrapper.get('[data-testid="change-diff"]').text()).not.toContain('单位名称')
    wrapper.unmount()
  })

  it('names the unit’s own change request’s field in English on its change page', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSessionStore().set({
      access_token: 'a',
      refresh_token: 'r',
      expires_in: 900,
      account: { username: 'admin1', display_name: '李四', role: 'unit_admin', unit_id: 'unit_1', password_change_required: false },
    } as Session)
    serve({
      '/api/v1/unit': {
        id: 'unit_1',
        name: '厦门检测技术有限公司',
        uscc: '91350200MA2XXXXXX1',
        legal_representative: '张三',
        address: '厦门市思明区',
        postcode: '361000',
        approved_at: '2026-01-01T00:00:00Z',
        contact: { name: '李四', id_number_masked: '350***********0031', mobile_masked: '138****8000', email: 'a@example.com' },
        qualifications: [],
      },
      '/api/v1/unit/change-requests': { items: [{ ...changeRequest, state: 'approved' as const }] },
    })
    const wrapper = mount(UnitChangeRequestView, {
      global: { plugins: [i18nIn('en'), pinia], stubs: { RouterLink: RouterLinkStub } },
      attachTo: document.body,
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="change-field"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="change-history"] [data-testid="change-field"]').text()).toBe('Unit name')
    wrapper.unmount()
  })

  it('keeps the server’s label in Chinese (新增资质证书 as it came) and for a field it does not know', async () => {
    const request = {
      ...changeRequest,
      changes: [
        unitName,
        { field: 'qualification', label: '新增资质证书', before: '（无）', after: '许可证 TS-1' },
        { field: 'branch_name', label: '二级单位名称', before: '甲', after: '乙' },
      ],
    }
    const labels = async (locale: 'en' | 'zh-CN') => {
      const wrapper = mount(ChangeRequestDetails, { props: { request }, global: { plugins: [i18nIn(locale)] }, attachTo: document.body })
      await flushPromises()
      const shown = wrapper.findAll('[data-testid="change-field"]').map((c) => c.text())
      wrapper.unmount()
      return shown
    }
    expect(await labels('zh-CN')).toEqual(['单位名称', '新增资质证书', '二级单位名称'])
    expect(await labels('en')).toEqual(['Unit name', 'Qualification certificate', '二级单位名称'])
  })
})

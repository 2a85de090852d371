import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import CertificatesView from './CertificatesView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const items = [{ code: 'DT', name: '电梯', level: '检验员', valid_until: '2029-12-31' }]
const active = {
  certificate_no: 'GS2024000001',
  name: '王五',
  id_number_masked: '440524********0014',
  items,
  valid_from: '2024-01-15',
  valid_until: '2029-12-31',
  state: 'active',
  state_label: '有效',
  ended_on: null,
  ending_soon: false,
  may_cancel: true,
}
const endingSoon = { ...active, certificate_no: 'GS2024000002', name: '赵六', valid_until: '2026-12-31', ending_soon: true }
const cancelled = {
  ...active,
  certificate_no: 'GS2023000009',
  name: '钱七',
  state: 'cancelled',
  state_label: '已注销',
  ended_on: '2026-02-01',
  may_cancel: false,
}
const page = { items: [endingSoon, active, cancelled], active: 2, ending_soon: 1 }

interface Sent {
  method: string
  path: string
  query: URLSearchParams
  headers: Headers
  body: unknown
}

async function render(answer: (req: Request, path: string) => Response | Promise<Response>, start = '/publicity/certificates') {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      sent.push({
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: req.method === 'GET' ? null : await req.clone().json(),
      })
      return answer(req, url.pathname)
    }),
  )
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/publicity/certificates', component: CertificatesView },
      { path: '/publicity/applications/:id', component: { template: '<div data-testid="detail">detail</div>' } },
      { path: '/publicity/apply', component: { template: '<div data-testid="apply">apply</div>' } },
    ],
  })
  await router.push(start)
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, sent }
}

const body = () => document.body
const dialog = () => body().querySelector<HTMLElement>('[data-testid="cancel-dialog"]')
const click = async (el: Element | null) => {
  ;(el as HTMLElement).click()
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('CertificatesView (公示证书管理, F19)', () => {
  it('lists the certificates with their state, the 即将到期 mark, the counts and what may be done', async () => {
    const { wrapper, sent } = await render(() => json(200, page))
    expect(sent[0].path).toBe('/api/v1/unit/publicities')
    expect([...sent[0].query.keys()]).toEqual([])
    const rows = wrapper.findAll('[data-testid="certificates-table"] .el-table__body tr')
    expect(rows).toHaveLength(3)
    expect(rows[0].text()).toContain('GS2024000002')
    expect(rows[0].find('[data-testid="certificate-ending-soon"]').text()).toBe('即将到期')
    expect(rows[0].find('[data-testid="certificate-renew"]').exists()).toBe(true)
    expect(rows[0].find('[data-testid="certificate-cancel"]').exists()).toBe(true)
    expect(rows[1].find('[data-testid="certificate-ending-soon"]').exists()).toBe(false)
    expect(rows[1].find('[data-testid="certificate-renew"]').exists()).toBe(false)
    expect(rows[1].text()).toContain('电梯（DT，检验员）')
    expect(rows[2].get('[data-testid="status-tag"]').text()).toBe('已注销')
    expect(rows[2].text()).toContain('2026-02-01 结束')
    expect(rows[2].find('[data-testid="certificate-cancel"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="certificates-counts"]').text()).toBe('共 3 张，有效 2 张，即将到期 1 张')
    wrapper.unmount()
  })

  it('sends the filters, keeps them in the URL and says when nothing matches', async () => {
    const { wrapper, router, sent } = await render(
      (req) => json(200, new URL(req.url).searchParams.size ? { items: [], active: 0, ending_soon: 0 } : page),
    )
    await wrapper.get('[data-testid="certificates-search"]').setValue(' 王五 ')
    await wrapper.get('form.filters').trigger('submit')
    await flushPromises()
    await wrapper.get('[data-testid="certificates-ending-soon"]').trigger('click')
    await flushPromises()
    const last = sent[sent.length - 1].query
    expect(last.get('q')).toBe('王五')
    expect(last.get('ending_soon')).toBe('true')
    expect(router.currentRoute.value.query).toEqual({ q: '王五', ending_soon: 'true' })
    expect(wrapper.get('[data-testid="certificates-empty"]').text()).toContain('没有符合条件的公示证书')
    wrapper.unmount()
  })

  it('reads the filters of the URL it was opened with', async () => {
    const { wrapper, sent } = await render(() => json(200, { items: [cancelled], active: 0, ending_soon: 0 }), '/publicity/certificates?state=cancelled')
    expect(sent[0].query.get('state')).toBe('cancelled')
    expect(wrapper.get('[data-testid="certificates-tabs"] .el-tabs__item.is-active').text()).toBe('已注销')
    wrapper.unmount()
  })

  it('exports the list as CSV with the same filters, through the session', async () => {
    const saved: string[] = []
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download)
    })
    const { wrapper, sent } = await render((req) =>
      new URL(req.url).searchParams.get('format') === 'csv'
        ? new Response('\uFEFF公示证书编号,姓名\n', { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8' } })
        : json(200, page),
    )
    await wrapper.get('[data-testid="certificates-export"]').trigger('click')
    await flushPromises()
    const csv = sent.find((s) => s.query.get('format') === 'csv')
    expect(csv?.path).toBe('/api/v1/unit/publicities')
    expect(saved).toEqual(['publicities.csv'])
    wrapper.unmount()
  })

  it('exports the list as Excel (format=xlsx) with the same filters, beside the CSV', async () => {
    const saved: { name: string; blob: Blob }[] = []
    let made: Blob | null = null
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      made = blob as Blob
      return 'blob:xlsx'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: made! })
    })
    const workbook = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])
    const { wrapper, sent } = await render((req) =>
      new URL(req.url).searchParams.get('format') === 'xlsx'
        ? new Response(workbook, { status: 200, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } })
        : json(200, page),
      '/publicity/certificates?state=active&q=王五',
    )
    const button = wrapper.get('[data-testid="certificates-export-xlsx"]')
    expect(button.text()).toBe('导出 Excel')
    await button.trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    const xlsx = sent.find((s) => s.query.get('format') === 'xlsx')
    expect(xlsx?.path).toBe('/api/v1/unit/publicities')
    expect(xlsx?.query.get('state')).toBe('active')
    expect(xlsx?.query.get('q')).toBe('王五')
    expect(saved[0].name).toBe('publicities.xlsx')
    expect(new Uint8Array(await saved[0].blob.arrayBuffer())).toEqual(workbook)
    wrapper.unmount()
  })

  it('renews a certificate that ends soon through the apply wizard', async () => {
    const { wrapper, router } = await render(() => json(200, page))
    await wrapper.get('[data-testid="certificate-renew"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/publicity/apply?certificate_no=GS2024000002')
    wrapper.unmount()
  })

  it('asks for the reason, creates the cancellation once and opens it', async () => {
    const { wrapper, router, sent } = await render((req) =>
      req.method === 'POST' ? json(201, { id: 'app_9', number: 'ZX20261126-ABCDEFGH', kind: 'cancellation' }) : json(200, page),
    )
    const rows = wrapper.findAll('[data-testid="certificates-table"] .el-table__body tr')
    await rows[1].get('[data-testid="certificate-cancel"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(dialog()).not.toBeNull())
    expect(dialog()!.querySelector('[data-testid="cancel-certificate-no"]')!.textContent).toBe('GS2024000001')

    // Nothing chosen: asked for a reason, nothing sent.
    await click(dialog()!.querySelector('[data-testid="cancel-submit"]'))
    await vi.waitFor(() => expect(dialog()!.querySelector('[data-testid="cancel-reason-item"]')!.textContent).toContain('请选择注销原因'))
    expect(sent.filter((s) => s.method === 'POST')).toHaveLength(0)

    await click(dialog()!.querySelector('[data-testid="cancel-reason-resigned"] input'))
    const note = dialog()!.querySelector<HTMLTextAreaElement>('[data-testid="cancel-reason-note"]')!
    note.value = '2026年3月离职'
    note.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(dialog()!.querySelector('[data-testid="cancel-reason-preview"]')!.textContent).toContain('离职：2026年3月离职')
    await click(dialog()!.querySelector('[data-testid="cancel-submit"]'))

    const posts = sent.filter((s) => s.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0].path).toBe('/api/v1/unit/cancellations')
    expect(posts[0].body).toEqual({ certificate_no: 'GS2024000001', reason: '离职：2026年3月离职' })
    expect(posts[0].headers.get('Idempotency-Key')).toBeTruthy()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/publicity/applications/app_9'))
    wrapper.unmount()
  })

  it('shows why a cancellation is refused (409) and reads the list again', async () => {
    const { wrapper, sent } = await render((req) =>
      req.method === 'POST'
        ? json(409, { status: 409, code: 'application_open', title: '', detail: '该人员有进行中的申报单，请待其结束后再申请注销', errors: [] })
        : json(200, page),
    )
    await wrapper.findAll('[data-testid="certificate-cancel"]')[0].trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(dialog()).not.toBeNull())
    await click(dialog()!.querySelector('[data-testid="cancel-reason-other"] input'))
    const note = dialog()!.querySelector<HTMLTextAreaElement>('[data-testid="cancel-reason-note"]')!
    note.value = '单位撤销检验业务'
    note.dispatchEvent(new Event('input'))
    await flushPromises()
    const lists = sent.filter((s) => s.method === 'GET').length
    await click(dialog()!.querySelector('[data-testid="cancel-submit"]'))
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({ certificate_no: 'GS2024000002', reason: '单位撤销检验业务' })
    expect(dialog()!.querySelector('[data-testid="cancel-error"]')!.textContent).toContain('该人员有进行中的申报单')
    expect(sent.filter((s) => s.method === 'GET').length).toBe(lists + 1)
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import PublicityApplyView from './PublicityApplyView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const person = {
  name: '王五',
  id_number_masked: '440524********0014',
  mobile_masked: '139****0010',
  items: [
    {
      certificate_no: 'TS-JY-0001',
      code: 'DT-1',
      name: '电梯检验员',
      level: '检验员',
      issuer: '国家市场监督管理总局',
      issued_on: '2020-06-01',
      valid_until: '2028-05-31',
      status: 'valid',
      valid: true,
    },
  ],
}
const eligible = {
  eligible: true,
  kind: 'initial',
  kind_label: '初始',
  person,
  refusal: null,
  resignation_proof_required: false,
  items_to_publish: [{ code: 'DT-1', name: '电梯检验员', level: '检验员', valid_until: '2028-05-31' }],
}
const clauses = { version: 3, title: '执业公示承诺书', clauses: ['本单位承诺所填信息真实。', '执业人仅在本单位执业。'], published_at: '2026-01-02T03:04:05Z' }

interface Sent {
  method: string
  path: string
  query: string
  headers: Headers
  body: unknown
}

async function render(
  answer: (req: Request, path: string) => Response | Promise<Response>,
  start = '/publicity/apply',
  locale: 'zh-CN' | 'en' = 'zh-CN',
) {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      sent.push({
        method: req.method,
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: req.method === 'GET' ? null : await req.clone().json(),
      })
      return answer(req, url.pathname)
    }),
  )
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/publicity/apply', component: PublicityApplyView },
      { path: '/publicity/applications/:id', component: { template: '<div>detail</div>' } },
      { path: '/publicity/appends', component: { template: '<div>appends</div>' } },
    ],
  })
  await router.push(start)
  const i18n = testI18n()
  i18n.global.locale.value = locale
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, sent }
}

async function searchFor(wrapper: Awaited<ReturnType<typeof render>>['wrapper']): Promise<void> {
  await wrapper.get('[data-testid="apply-id-number"]').setValue('440524188001010014')
  await wrapper.get('[data-testid="apply-name"]').setValue('王五')
  await wrapper.get('[data-testid="apply-search"]').trigger('submit')
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.find('[data-testid="apply-search-submit"]').classes()).not.toContain('is-loading'))
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('PublicityApplyView (§3.3.1 steps 1–2)', () => {
  it('shows the four steps the page of the application goes on with', async () => {
    const { wrapper } = await render(() => json(200, {}))
    const steps = wrapper.findAll('[data-testid="apply-steps"] .el-step__title').map((w) => w.text())
    expect(steps).toEqual(['人员检索', '提交', '打印并上传申请表', '查看结果'])
    wrapper.unmount()
  })

  it('shows the reason of a refusal in a dialog, with the registration link for a missing mobile', async () => {
    const { wrapper, sent } = await render(() =>
      json(200, {
        eligible: false,
        kind: null,
        kind_label: null,
        person: null,
        refusal: { code: 'mobile_not_registered', message: '该人员尚未登记手机号码，请提醒其本人完成登记' },
        resignation_proof_required: false,
        items_to_publish: [],
      }),
    )
    await searchFor(wrapper)
    expect(sent[0].path).toBe('/api/v1/unit/practitioners/search')
    expect(new URLSearchParams(sent[0].query).get('id_number')).toBe('440524188001010014')
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="apply-refusal-message"]')).not.toBeNull())
    expect(document.body.querySelector('[data-testid="apply-refusal-message"]')!.textContent).toContain('该人员尚未登记手机号码')
    expect(document.body.querySelector<HTMLInputElement>('[data-testid="apply-refusal-mobile"] input')!.value).toBe(
      'http://localhost:5173/practitioner/mobile',
    )
    expect(wrapper.find('[data-testid="apply-person-name"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('words a refusal in English by its code, and one whose words name data as the server words it', async () => {
    const refused = (code: string, message: string) => () =>
      json(200, {
        eligible: false,
        kind: null,
        kind_label: null,
        person: null,
        refusal: { code, message },
        resignation_proof_required: false,
        items_to_publish: [],
      })
    const shown = () => document.body.querySelector('[data-testid="apply-refusal-message"]')?.textContent ?? ''
    const first = await render(refused('person_not_found', '未查询到该人员的资格证书信息'), '/publicity/apply', 'en')
    await searchFor(first.wrapper)
    await vi.waitFor(() => expect(shown()).toContain('No certificate of this person was found in the registry'))
    expect(shown()).not.toContain('未查询到')
    first.wrapper.unmount()
    document.body.innerHTML = ''

    const items = '该人员没有有效的资格证书项目：电梯检验员（DT-1）已于 2025-01-01 过期'
    const second = await render(refused('no_valid_item', items), '/publicity/apply', 'en')
    await searchFor(second.wrapper)
    await vi.waitFor(() => expect(shown()).toContain(items))
    second.wrapper.unmount()
  })

  it('links an open application that is the unit’s own from the refusal, and says when it is another unit’s', async () => {
    const openRefusal = {
      eligible: false,
      kind: null,
      kind_label: null,
      person,
      refusal: { code: 'application_open', message: '该人员已有一份待上传申请表的执业公示申报单（本单位或另一单位），请待其结束后再申报' },
      resignation_proof_required: false,
      items_to_publish: [],
    }
    const own = {
      id: 'app_9',
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
      seconds_left: 3600,
    }
    // An ended application of the same person is not the one that holds them.
    const ended = { ...own, id: 'app_1', number: 'SB20260101-OLD00000', state: 'withdrawn', state_label: '已撤回' }
    let items = [ended, own]
    const { wrapper, router, sent } = await render((_req, path) =>
      path === '/api/v1/unit/applications' ? json(200, { items, next_cursor: null }) : json(200, openRefusal),
    )
    await searchFor(wrapper)
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="apply-refusal-own"]')).not.toBeNull())
    const list = sent.find((s) => s.path === '/api/v1/unit/applications')!
    expect(new URLSearchParams(list.query).get('q')).toBe('440524188001010014')
    const hint = document.body.querySelector('[data-testid="apply-refusal-own"]')!
    expect(hint.textContent).toContain('SB20261201-ABCDEFGH')
    hint.querySelector<HTMLAnchorElement>('a')!.click()
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/publicity/applications/app_9'))

    // Held by another unit: nothing of the unit's own to open, and the dialog says so.
    await router.push('/publicity/apply')
    await flushPromises()
    items = [ended]
    await searchFor(wrapper)
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="apply-refusal-other"]')).not.toBeNull())
    expect(document.body.querySelector('[data-testid="apply-refusal-own"]')).toBeNull()
    expect(document.body.querySelector('[data-testid="apply-refusal-other"]')!.textContent).toContain('另一单位')
    wrapper.unmount()
  })

  it('lists an eligible person with the type, then submits with the clauses and an Idempotency-Key', async () => {
    const { wrapper, router, sent } = await render((req, path) => {
      if (path === '/api/v1/unit/practitioners/search') return json(200, eligible)
      if (path === '/api/v1/clauses') return json(200, clauses)
      if (path === '/api/v1/unit/applications' && req.method === 'POST') return json(201, { id: 'app_1', number: 'GS2026000001' })
      return json(404, {})
    })
    await searchFor(wrapper)
    expect(wrapper.get('[data-testid="apply-person-name"]').text()).toBe('王五')
    expect(wrapper.get('[data-testid="apply-result"] [data-testid="kind-tag"]').text()).toBe('初始')
    expect(wrapper.get('[data-testid="apply-result"]').text()).toContain('电梯检验员（DT-1，检验员）')

    // 下一步 needs the row ticked.
    await wrapper.get('[data-testid="apply-next"]').trigger('click')
    expect(wrapper.get('[data-testid="apply-next-error"]').text()).toContain('请勾选检索出来的待公示人员')
    await wrapper.get('.el-table__body .el-checkbox input').setValue(true)
    await flushPromises()
    await wrapper.get('[data-testid="apply-next"]').trigger('click')
    await flushPromises()

    expect(wrapper.get('[data-testid="clauses-list"]').text()).toContain('执业人仅在本单位执业。')
    expect(wrapper.get('[data-testid="apply-submit"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="clauses-confirm"] input').setValue(true)
    await wrapper.get('[data-testid="apply-submit"]').trigger('click')
    await flushPromises()

    const post = sent.find((s) => s.method === 'POST')!
    expect(post.body).toEqual({
      id_number: '440524188001010014',
      name: '王五',
      kind: 'initial',
      clause_version: 3,
      clauses_confirmed: true,
    })
    expect(post.headers.get('Idempotency-Key')).toBeTruthy()
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/publicity/applications/app_1'))
    wrapper.unmount()
  })

  it('asks for the 离职证明 before 下一步 for a change whose previous unit has not cancelled', async () => {
    const { wrapper } = await render(() =>
      json(200, { ...eligible, kind: 'change', kind_label: '变更', resignation_proof_required: true }),
    )
    await searchFor(wrapper)
    expect(wrapper.get('[data-testid="apply-proof-note"]').text()).toContain('请上传原单位离职证明')
    await wrapper.get('.el-table__body .el-checkbox input').setValue(true)
    await flushPromises()
    await wrapper.get('[data-testid="apply-next"]').trigger('click')
    expect(wrapper.get('[data-testid="apply-next-error"]').text()).toContain('请先上传原单位离职证明')
    expect(wrapper.find('[data-testid="clauses"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('searches by certificate number for a renewal from the list', async () => {
    const { wrapper, sent } = await render(
      () => json(200, { ...eligible, kind: 'renewal', kind_label: '续期' }),
      '/publicity/apply?certificate_no=GSZ-2026-0001',
    )
    expect(new URLSearchParams(sent[0].query).get('certificate_no')).toBe('GSZ-2026-0001')
    expect(wrapper.get('[data-testid="apply-renewal"]').text()).toContain('GSZ-2026-0001')
    expect(wrapper.get('[data-testid="apply-result"] [data-testid="kind-tag"]').text()).toBe('续期')
    wrapper.unmount()
  })
})

describe('PublicityApplyView for a person with items to append', () => {
  it('sends the unit to the 追加 list instead of submitting here', async () => {
    const { wrapper } = await render(() => json(200, { ...eligible, kind: 'append', kind_label: '追加' }))
    await searchFor(wrapper)
    expect(wrapper.get('[data-testid="apply-append-note"]').text()).toContain('请在“追加”页面批量申报')
    expect(wrapper.get('[data-testid="apply-next"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import RosterView from './RosterView.vue'
import { testI18n } from '@/test/i18n'

vi.mock('@/utils/download', () => ({ saveBlob: vi.fn() }))
import { saveBlob } from '@/utils/download'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  })

const publicity = (state: 'active' | 'cancelled' | 'lapsed', label: string) => ({
  name: '王五',
  id_number_masked: '440***********0014',
  certificate_no: 'GS2024000001',
  unit_name: '厦门电梯检测技术有限公司',
  items: [{ code: 'DT', name: '电梯', level: '检验员', valid_until: '2029-12-31' }],
  valid_until: '2029-12-31',
  state,
  state_label: label,
})

const verified = {
  rows: 4,
  active: 1,
  inactive: 1,
  not_found: 1,
  invalid: 1,
  source: 'csv_gb18030',
  items: [
    { line: 2, query: 'GS2024000001', result: 'found', result_label: '已公示', message: null, practitioner: publicity('active', '有效') },
    {
      line: 3,
      query: '350***********1234',
      result: 'found',
      result_label: '已公示',
      message: null,
      practitioner: { ...publicity('cancelled', '已注销'), name: '李四', certificate_no: 'GS2023000009' },
    },
    { line: 4, query: 'GS2099000000', result: 'not_found', result_label: '未找到', message: null, practitioner: null },
    { line: 5, query: '', result: 'invalid', result_label: '格式错误', message: '身份证号格式不正确', practitioner: null },
  ],
}

/** A GBK roster, as Excel on Chinese Windows saves it: bytes that are not UTF-8 (公示证书编号 …). */
const GBK_ROSTER = new Uint8Array([
  0xb9, 0xab, 0xca, 0xbe, 0xd6, 0xa4, 0xca, 0xe9, 0xb1, 0xe0, 0xba, 0xc5, 0x0d, 0x0a, 0x47, 0x53, 0x32, 0x30, 0x32, 0x34, 0x0d, 0x0a,
])

interface Sent {
  url: URL
  method: string
  contentType: string | null
  body: Uint8Array
}

async function render(answer: (req: Request) => Response, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      sent.push({
        url: new URL(req.url),
        method: req.method,
        contentType: req.headers.get('Content-Type'),
        body: new Uint8Array(await req.clone().arrayBuffer()),
      })
      return answer(req)
    }),
  )
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/lookup/roster', component: RosterView },
      { path: '/:rest(.*)', component: { template: '<div />' } },
    ],
  })
  await router.push('/lookup/roster')
  const i18n = testI18n()
  i18n.global.locale.value = locale
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, sent }
}

async function choose(wrapper: VueWrapper, file: File): Promise<void> {
  const input = wrapper.get('[data-testid="roster-file-input"]')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

async function submit(wrapper: VueWrapper): Promise<void> {
  await wrapper.get('[data-testid="roster-form"]').trigger('submit')
  await flushPromises()
}

const rows = (wrapper: VueWrapper) => wrapper.findAll('[data-testid="roster-table"] .el-table__body-wrapper tbody tr')
const texts = (wrapper: VueWrapper, id: string) => wrapper.findAll(`[data-testid="roster-table"] [data-testid="${id}"]`).map((w) => w.text())

beforeEach(() => {
  vi.mocked(saveBlob).mockClear()
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RosterView (名册核验, public)', () => {
  it('shows what the columns are and an empty result before any upload', async () => {
    const { wrapper, sent } = await render(() => json(200, verified))
    expect(wrapper.get('[data-testid="roster-columns"]').text()).toContain('公示证书编号')
    expect(wrapper.get('[data-testid="roster-columns"]').text()).toContain('id_number')
    expect(wrapper.get('[data-testid="roster-empty"]').text()).toContain('在此显示每一行的核验结果')
    expect(wrapper.find('[data-testid="roster-result"]').exists()).toBe(false)
    expect(sent).toHaveLength(0)
    wrapper.unmount()
  })

  it('sends the file’s bytes unchanged and shows the counts and every row', async () => {
    const { wrapper, sent } = await render(() => json(200, verified))
    await choose(wrapper, new File([GBK_ROSTER], '名册.csv', { type: 'text/csv' }))
    expect(wrapper.get('[data-testid="roster-file-name"]').text()).toContain('名册.csv')
    await submit(wrapper)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="roster-result"]').exists()).toBe(true))

    expect(sent).toHaveLength(1)
    expect(sent[0].method).toBe('POST')
    expect(sent[0].url.pathname).toBe('/api/v1/public/verifications')
    expect([...sent[0].url.searchParams]).toEqual([])
    expect(sent[0].contentType).toBe('application/octet-stream')
    expect([...sent[0].body]).toEqual([...GBK_ROSTER])

    expect(wrapper.get('[data-testid="roster-count-rows"]').text()).toBe('4')
    expect(wrapper.get('[data-testid="roster-count-active"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="roster-count-inactive"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="roster-count-not_found"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="roster-count-invalid"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="roster-counts"]').text()).toContain('未在有效期')
    expect(wrapper.get('[data-testid="roster-read-as"]').text()).toBe('已按 CSV（GBK/GB18030 编码）读取')

    expect(rows(wrapper)).toHaveLength(4)
    expect(texts(wrapper, 'roster-line')).toEqual(['2', '3', '4', '5'])
    expect(texts(wrapper, 'roster-query')).toEqual(['GS2024000001', '350***********1234', 'GS2099000000', '—'])
    expect(texts(wrapper, 'roster-result-tag')).toEqual(['已公示', '已公示', '未找到', '格式错误'])
    expect(texts(wrapper, 'roster-state')).toEqual(['有效', '已注销'])
    const first = rows(wrapper)[0]
    expect(first.get('[data-testid="roster-name"]').text()).toBe('王五')
    expect(first.get('[data-testid="masked-id"]').text()).toBe('440***********0014')
    expect(first.get('[data-testid="roster-certificate-no"]').text()).toBe('GS2024000001')
    expect(first.get('[data-testid="roster-unit"]').text()).toBe('厦门电梯检测技术有限公司')
    expect(first.get('[data-testid="roster-item"]').text()).toBe('电梯（DT，检验员）')
    expect(first.get('[data-testid="roster-valid-until"]').text()).toBe('2029-12-31')
    expect(rows(wrapper)[3].get('[data-testid="roster-message"]').text()).toBe('身份证号格式不正确')
    expect(wrapper.find('[data-testid="roster-empty"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('words the results and states by their codes in English, not by the server’s labels', async () => {
    const { wrapper } = await render(() => json(200, verified), 'en')
    await choose(wrapper, new File([GBK_ROSTER], 'roster.csv'))
    await submit(wrapper)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="roster-result"]').exists()).toBe(true))
    expect(texts(wrapper, 'roster-result-tag')).toEqual(['Published', 'Published', 'Not found', 'Invalid'])
    expect(texts(wrapper, 'roster-state')).toEqual(['In force', 'Cancelled'])
    expect(wrapper.get('[data-testid="roster-counts"]').text()).toContain('Not in force')
    expect(wrapper.get('[data-testid="roster-read-as"]').text()).toBe('Read as CSV (GBK/GB18030)')
    expect(wrapper.get('[data-testid="roster-table"]').text()).not.toMatch(/已公示|未找到|格式错误|有效|已注销/)
    wrapper.unmount()
  })

  it('shows a refused file’s field error next to the picker, as an alert', async () => {
    const refusal = {
      status: 422,
      code: 'validation_failed',
      title: '',
      detail: '',
      errors: [{ field: 'file', code: 'columns_missing', message: '名册应有“公示证书编号”列，或“身份证号”和“姓名”两列' }],
    }
    for (const [locale, expected] of [
      ['zh-CN', '名册应有“公示证书编号”列，或“身份证号”和“姓名”两列'],
      ['en', 'The roster needs a “公示证书编号” (certificate_no) column, or both “身份证号” (id_number) and “姓名” (name)'],
    ] as const) {
      const { wrapper } = await render(() => json(422, refusal), locale)
      await choose(wrapper, new File(['姓名\n王五\n'], 'roster.csv'))
      await submit(wrapper)
      const item = wrapper.get('[data-testid="roster-file-item"]')
      await vi.waitFor(() => expect(item.find('[role="alert"]').exists()).toBe(true))
      expect(item.get('[role="alert"]').text()).toBe(expected)
      expect(wrapper.find('[data-testid="roster-result"]').exists()).toBe(false)
      expect(wrapper.find('[data-testid="roster-error"]').exists()).toBe(false)
      wrapper.unmount()
      document.body.innerHTML = ''
    }
  })

  it('shows a missing sheet next to the sheet input, and sends the sheet named', async () => {
    const refusal = {
      status: 422,
      code: 'validation_failed',
      title: '',
      detail: '',
      errors: [{ field: 'file', code: 'sheet_not_found', message: '工作簿中没有名为“名单”的工作表（有：Sheet1）' }],
    }
    const { wrapper, sent } = await render(() => json(422, refusal))
    await choose(wrapper, new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04])], 'roster.xlsx'))
    await wrapper.get('[data-testid="roster-sheet"]').setValue(' 名单 ')
    await submit(wrapper)
    expect(sent[0].url.searchParams.get('sheet')).toBe('名单')
    expect(sent[0].url.searchParams.get('format')).toBeNull()
    await vi.waitFor(() => expect(wrapper.text()).toContain('工作簿中没有名为“名单”的工作表（有：Sheet1）'))
    expect(wrapper.get('[data-testid="roster-file-item"]').find('[role="alert"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('asks for a file, and refuses an empty or too large one, before sending anything', async () => {
    const { wrapper, sent } = await render(() => json(200, verified))
    const said = () => wrapper.get('[data-testid="roster-file-item"]').find('[role="alert"]').text()
    await submit(wrapper)
    await vi.waitFor(() => expect(said()).toBe('请先选择名册文件'))
    await choose(wrapper, new File([new Uint8Array(2 * 1024 * 1024 + 1)], 'big.csv'))
    await submit(wrapper)
    await vi.waitFor(() => expect(said()).toBe('文件不能超过 2 MB'))
    await choose(wrapper, new File([], 'empty.csv'))
    await submit(wrapper)
    await vi.waitFor(() => expect(said()).toBe('文件内容为空'))
    expect(sent).toHaveLength(0)
    wrapper.unmount()
  })

  it('downloads the Excel result by posting the same bytes with format=xlsx', async () => {
    const workbook = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])
    const { wrapper, sent } = await render((req) =>
      new URL(req.url).searchParams.get('format') === 'xlsx'
        ? new Response(workbook, {
            status: 200,
            headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
          })
        : json(200, verified),
    )
    await choose(wrapper, new File([GBK_ROSTER], '名册.csv'))
    await submit(wrapper)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="roster-download"]').exists()).toBe(true))
    await wrapper.get('[data-testid="roster-download"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(saveBlob).toHaveBeenCalledTimes(1))
    expect(sent).toHaveLength(2)
    expect(sent[1].url.pathname).toBe('/api/v1/public/verifications')
    expect(sent[1].url.searchParams.get('format')).toBe('xlsx')
    expect(sent[1].contentType).toBe('application/octet-stream')
    expect([...sent[1].body]).toEqual([...GBK_ROSTER])
    const [blob, name] = vi.mocked(saveBlob).mock.calls[0]
    expect(name).toBe('名册核验结果.xlsx')
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...workbook])
    wrapper.unmount()
  })

  it('pages a large result 50 rows at a time and filters the rows not in force', async () => {
    const many = {
      ...verified,
      rows: 120,
      active: 110,
      inactive: 0,
      not_found: 10,
      invalid: 0,
      items: Array.from({ length: 120 }, (_, i) =>
        i % 12 === 11
          ? { line: i + 2, query: `GS9${i}`, result: 'not_found', result_label: '未找到', message: null, practitioner: null }
          : { line: i + 2, query: `GS${i}`, result: 'found', result_label: '已公示', message: null, practitioner: publicity('active', '有效') },
      ),
    }
    const { wrapper } = await render(() => json(200, many))
    await choose(wrapper, new File(['公示证书编号\n'], 'roster.csv'))
    await submit(wrapper)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="roster-result"]').exists()).toBe(true))
    expect(rows(wrapper)).toHaveLength(50)
    expect(wrapper.get('[data-testid="roster-pagination"]').text()).toContain('120')
    await wrapper.get('[data-testid="roster-pagination"] .btn-next').trigger('click')
    await flushPromises()
    expect(texts(wrapper, 'roster-line')[0]).toBe('52')

    await wrapper.get('[data-testid="roster-only-not-in-force"] input').setValue(true)
    await flushPromises()
    expect(rows(wrapper)).toHaveLength(10)
    expect(texts(wrapper, 'roster-result-tag').every((x) => x === '未找到')).toBe(true)
    expect(wrapper.find('[data-testid="roster-pagination"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('holds the button while the day’s files are used up, saying how long', async () => {
    const { wrapper } = await render(() =>
      json(429, { status: 429, code: 'rate_limited', title: '', detail: '查询过于频繁，请 7200 秒后再试', errors: [] }, { 'Retry-After': '7200' }),
    )
    await choose(wrapper, new File(['公示证书编号\nGS1\n'], 'roster.csv'))
    await submit(wrapper)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="roster-rate-limited"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="roster-rate-limited"]').text()).toMatch(/核验次数已达上限，请 (2 小时 0 分钟|120 分钟)后再试/)
    expect(wrapper.get('[data-testid="roster-submit"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import LegacyImportView from './LegacyImportView.vue'
import { testI18n } from '@/test/i18n'
import { bytesOf, messages, signIn, signOut, watchDownloads, WORKBOOK, xlsxResponse } from '@/test/downloads'

// #18: the old system's accounts go as the chosen file's bytes (a CSV in GBK as Excel saves it on
// Chinese Windows, or a workbook); the server reads them and says what it read them as.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

// python3 -c "print(list('厦门旧系统检测有限公司'.encode('gbk')))", after an ASCII header.
const GBK_NAME = [0xcf, 0xc3, 0xc3, 0xc5, 0xbe, 0xc9, 0xcf, 0xb5, 0xcd, 0xb3, 0xbc, 0xec, 0xb2, 0xe2, 0xd3, 0xd0, 0xcf, 0xde, 0xb9, 0xab, 0xcb, 0xbe]
const GBK_CSV = new Uint8Array([...new TextEncoder().encode('username,unit_name\nlegacy1,'), ...GBK_NAME, 0x0a])

const report = {
  rows: 2,
  created: 1,
  updated: 0,
  unchanged: 0,
  failed: 1,
  errors: [{ line: 3, field: 'unit_name', code: 'example_row', message: '这是模板中的示例行，请删除后填写真实帐号再导入' }],
  warnings: [],
  source: 'csv_gb18030',
  source_label: 'CSV（GBK/GB18030 编码）',
}

interface Sent {
  method: string
  path: string
  query: URLSearchParams
  contentType: string | null
  authorization: string | null
  bytes: Uint8Array
}

function serve(answer: (sent: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      const one = {
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers.get('Content-Type'),
        authorization: req.headers.get('Authorization'),
        bytes: new Uint8Array(await req.clone().arrayBuffer()),
      }
      sent.push(one)
      return answer(one)
    }),
  )
  return sent
}

function mountView(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = testI18n()
  i18n.global.locale.value = locale
  return mount(LegacyImportView, { global: { plugins: [i18n] }, attachTo: document.body })
}

async function importFile(wrapper: ReturnType<typeof mountView>, file: File, sheet?: string) {
  const input = wrapper.get('[data-testid="legacy-file-input"]')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
  if (sheet !== undefined) await wrapper.get('[data-testid="legacy-sheet"]').setValue(sheet)
  await wrapper.get('[data-testid="legacy-import-submit"]').trigger('click')
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.find('[data-testid="legacy-report"], [data-testid="legacy-error"]').exists()).toBe(true))
}

afterEach(() => {
  signOut()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('LegacyImportView (原系统帐号导入, F2, #18)', () => {
  it('offers workbooks as well as CSV files', () => {
    const wrapper = mountView()
    const accept = wrapper.get('[data-testid="legacy-file-input"]').attributes('accept')!.split(',')
    expect(accept).toEqual(expect.arrayContaining(['.csv', '.xlsx', '.xls']))
    wrapper.unmount()
  })

  it('sends the bytes of a GBK CSV exactly as on disk and says what they were read as', async () => {
    const sent = serve(() => json(200, report))
    const wrapper = mountView()
    await importFile(wrapper, new File([GBK_CSV], 'legacy.csv', { type: 'text/csv' }))
    expect(sent).toHaveLength(1)
    expect(sent[0].path).toBe('/api/v1/admin/legacy-accounts/import')
    expect(sent[0].contentType).toBe('application/octet-stream')
    expect(sent[0].bytes).toEqual(GBK_CSV)
    expect(wrapper.get('[data-testid="legacy-read-as"]').text()).toBe('已按 CSV（GBK/GB18030 编码）读取')
    expect(wrapper.get('[data-testid="legacy-created"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="legacy-errors"]').text()).toContain('这是模板中的示例行，请删除后填写真实帐号再导入')
    wrapper.unmount()
  })

  it('names the sheet of a workbook; in English the new codes in English', async () => {
    const book = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14])
    const sent = serve(() => json(200, { ...report, source: 'xlsx', source_label: 'Excel 工作簿' }))
    const wrapper = mountView('en')
    await importFile(wrapper, new File([book], 'accounts.xlsx'), '帐号')
    expect(sent[0].query.get('sheet')).toBe('帐号')
    expect(sent[0].bytes).toEqual(book)
    expect(wrapper.get('[data-testid="legacy-read-as"]').text()).toBe('Read as Excel workbook')
    expect(wrapper.get('[data-testid="legacy-errors"]').text()).toContain('This is the template’s example row')
    wrapper.unmount()
  })

  it('says why a file is refused as a whole', async () => {
    serve(() =>
      json(422, {
        status: 422,
        code: 'validation_failed',
        title: '提交的信息有误',
        detail: '',
        errors: [{ field: 'body', code: 'csv_columns', message: '文件缺少列：password_hash' }],
      }),
    )
    const wrapper = mountView()
    await importFile(wrapper, new File([GBK_CSV], 'legacy.csv'))
    expect(wrapper.get('[data-testid="legacy-error"]').text()).toContain('文件缺少列：password_hash')
    wrapper.unmount()
  })

  it('downloads the server’s Excel template (原系统帐号导入模板.xlsx) through the session', async () => {
    signIn('tok-admin')
    let release = () => {}
    const sent = serve(() => new Promise<Response>((resolve) => (release = () => resolve(xlsxResponse()))))
    const saved = watchDownloads()
    const wrapper = mountView()
    const button = wrapper.get('[data-testid="legacy-template"]')
    expect(button.text()).toBe('下载模板（Excel）')
    await button.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="legacy-template"]').attributes('disabled')).toBeDefined()
    release()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    await flushPromises()
    expect(sent.map((s) => `${s.method} ${s.path}${s.query.size ? `?${s.query}` : ''}`)).toEqual(['GET /api/v1/admin/legacy-accounts/template'])
    expect(sent[0].authorization).toBe('Bearer tok-admin')
    expect(saved[0].name).toBe('原系统帐号导入模板.xlsx')
    expect(await bytesOf(saved[0].blob)).toEqual(WORKBOOK)
    expect(wrapper.get('[data-testid="legacy-template"]').attributes('disabled')).toBeUndefined()

    // The CSV template stays beside it, made here.
    await wrapper.get('[data-testid="legacy-template-csv"]').trigger('click')
    expect(saved.map((s) => s.name)).toEqual(['原系统帐号导入模板.xlsx', 'legacy-accounts-template.csv'])
    expect(sent).toHaveLength(1)
    wrapper.unmount()
  })

  it('says why the template could not be downloaded', async () => {
    serve(() => json(403, { status: 403, code: 'forbidden', title: '', detail: '仅协会管理员可下载模板', errors: [] }))
    const saved = watchDownloads()
    const wrapper = mountView()
    await wrapper.get('[data-testid="legacy-template"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(messages()).toContain('仅协会管理员可下载模板'))
    expect(saved).toEqual([])
    wrapper.unmount()
  })

  it('offers the error report of a file with refused rows: the same bytes and sheet again, as a workbook', async () => {
    signIn('tok-admin')
    const book = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08])
    const errorReport = [0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00]
    let release = () => {}
    const sent = serve((one) =>
      one.query.get('format') === 'xlsx'
        ? new Promise<Response>((resolve) => (release = () => resolve(xlsxResponse(errorReport))))
        : json(200, { ...report, source: 'xlsx', source_label: 'Excel 工作簿' }),
    )
    const saved = watchDownloads()
    const wrapper = mountView()
    await importFile(wrapper, new File([book], 'accounts.xlsx'), '帐号')
    expect([...sent[0].query.keys()]).toEqual(['sheet'])

    const button = wrapper.get('[data-testid="legacy-error-report"]')
    expect(button.text()).toBe('下载错误报告')
    await button.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="legacy-error-report"]').attributes('disabled')).toBeDefined()
    release()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    await flushPromises()

    expect(sent).toHaveLength(2)
    const again = sent[1]
    expect(again.method).toBe('POST')
    expect(again.path).toBe('/api/v1/admin/legacy-accounts/import')
    expect(Object.fromEntries(again.query)).toEqual({ sheet: '帐号', format: 'xlsx' })
    expect(again.contentType).toBe('application/octet-stream')
    expect(again.authorization).toBe('Bearer tok-admin')
    expect(again.bytes).toEqual(book)
    expect(saved[0].name).toBe('原系统帐号导入报告.xlsx')
    expect(await bytesOf(saved[0].blob)).toEqual(errorReport)
    // The report on screen stays the import's.
    expect(wrapper.get('[data-testid="legacy-failed"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="legacy-error-report"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('offers no error report when every row went in, and says why a report failed', async () => {
    serve(() => json(200, { ...report, created: 2, failed: 0, errors: [] }))
    const clean = mountView()
    await importFile(clean, new File([GBK_CSV], 'legacy.csv'))
    expect(clean.get('[data-testid="legacy-created"]').text()).toBe('2')
    expect(clean.find('[data-testid="legacy-error-report"]').exists()).toBe(false)
    clean.unmount()

    const sent = serve((one) =>
      one.query.get('format') === 'xlsx'
        ? json(413, { status: 413, code: 'payload_too_large', title: '', detail: '文件过大', errors: [] })
        : json(200, report),
    )
    const saved = watchDownloads()
    const wrapper = mountView()
    await importFile(wrapper, new File([GBK_CSV], 'legacy.csv'))
    await wrapper.get('[data-testid="legacy-error-report"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(messages().some((m) => m.includes('文件过大'))).toBe(true))
    // A CSV has no sheet: only the format is asked for.
    expect(Object.fromEntries(sent[1].query)).toEqual({ format: 'xlsx' })
    expect(sent[1].bytes).toEqual(GBK_CSV)
    expect(saved).toEqual([])
    wrapper.unmount()
  })
})

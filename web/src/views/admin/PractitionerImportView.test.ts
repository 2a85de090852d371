import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import PractitionerImportView from './PractitionerImportView.vue'
import { testI18n } from '@/test/i18n'

// #18: the registry import sends the chosen file's bytes as they are on disk (a GBK CSV saved by
// Excel on Chinese Windows, an .xlsx workbook); the server reads them and says what it read them
// as. A file with refused rows may be had back as an error report (导入错误报告.xlsx).

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const xlsx = (bytes: number[]) => new Response(new Uint8Array(bytes), { status: 200, headers: { 'Content-Type': XLSX } })

// python3 -c "print(list('id_number,name\n440524188001010014,欧阳娜\n'.encode('gbk')))": GBK, not valid UTF-8.
const GBK_CSV = new Uint8Array([
  ...new TextEncoder().encode('id_number,name\n440524188001010014,'),
  0xc5, 0xb7, 0xd1, 0xf4, 0xc4, 0xc8, 0x0a,
])

const report = (over: Record<string, unknown> = {}) => ({
  rows: 2,
  imported: 1,
  people: 1,
  failed: 1,
  errors: [{ row: 3, field: 'id_number', code: 'cell_number_lost_digits', message: '该单元格是数字，Excel 只保留 15 位有效数字（服务器原文）' }],
  source: 'csv_gb18030',
  source_label: 'CSV（GBK/GB18030 编码）',
  ...over,
})

interface Sent {
  method: string
  path: string
  query: URLSearchParams
  contentType: string | null
  bytes: Uint8Array
}

function serve(answer: (path: string) => Response) {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      sent.push({
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers.get('Content-Type'),
        bytes: new Uint8Array(await req.clone().arrayBuffer()),
      })
      return answer(url.pathname)
    }),
  )
  return sent
}

function mountView(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = testI18n()
  i18n.global.locale.value = locale
  return mount(PractitionerImportView, { global: { plugins: [i18n] }, attachTo: document.body })
}

async function choose(wrapper: ReturnType<typeof mountView>, file: File) {
  const input = wrapper.get('[data-testid="practitioner-file-input"]')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

async function submit(wrapper: ReturnType<typeof mountView>) {
  await wrapper.get('[data-testid="practitioner-import-submit"]').trigger('click')
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.find('[data-testid="practitioner-report"], [data-testid="practitioner-error"]').exists()).toBe(true))
}

/** The downloads saveBlob offered, by name, with their blobs. */
function watchDownloads() {
  const saved: { name: string; blob: Blob }[] = []
  const blobs: Blob[] = []
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    blobs.push(blob as Blob)
    return `blob:${blobs.length}`
  })
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs[Number(this.href.split(':').pop()) - 1] })
  })
  return saved
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('PractitionerImportView (人员库导入, F22, #18)', () => {
  it('sends the bytes of a GBK CSV exactly as on disk and says what they were read as', async () => {
    const sent = serve(() => json(200, report({ failed: 0, errors: [], imported: 2, people: 2 })))
    const wrapper = mountView()
    await choose(wrapper, new File([GBK_CSV], '人员库.csv', { type: 'text/csv' }))
    expect(wrapper.get('[data-testid="practitioner-file-name"]').text()).toContain('人员库.csv')
    // A CSV has no sheet to name.
    expect(wrapper.find('[data-testid="practitioner-sheet"]').exists()).toBe(false)
    await submit(wrapper)

    expect(sent).toHaveLength(1)
    expect(sent[0].method).toBe('POST')
    expect(sent[0].path).toBe('/api/v1/admin/practitioners/import')
    expect(sent[0].contentType).toBe('application/octet-stream')
    expect([...sent[0].query.keys()]).toEqual([])
    // The very bytes: not decoded as UTF-8 (which would make 欧阳娜 three U+FFFD).
    expect(sent[0].bytes).toEqual(GBK_CSV)
    expect(new TextDecoder().decode(sent[0].bytes)).toContain('\uFFFD')
    expect(wrapper.get('[data-testid="practitioner-read-as"]').text()).toBe('已按 CSV（GBK/GB18030 编码）读取')
    expect(wrapper.get('[data-testid="practitioner-imported"]').text()).toBe('2')
    expect(wrapper.find('[data-testid="practitioner-error-report"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('names the sheet of a workbook and offers the error report of the same bytes when rows failed', async () => {
    const book = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]
    const errorReport = [0x50, 0x4b, 0x03, 0x04, 0x0a]
    const sent = serve((path) =>
      path.endsWith('/check') ? xlsx(errorReport) : json(200, report({ source: 'xlsx', source_label: 'Excel 工作簿' })),
    )
    const saved = watchDownloads()
    const wrapper = mountView()
    await choose(wrapper, new File([new Uint8Array(book)], 'registry.xlsx', { type: XLSX }))
    await wrapper.get('[data-testid="practitioner-sheet"]').setValue('人员库')
    await submit(wrapper)

    expect(sent[0].query.get('sheet')).toBe('人员库')
    expect(sent[0].bytes).toEqual(new Uint8Array(book))
    expect(wrapper.get('[data-testid="practitioner-read-as"]').text()).toBe('已按 Excel 工作簿读取')
    expect(wrapper.get('[data-testid="practitioner-failed"]').text()).toBe('1')
    // In Chinese the server's own words for the refused cell.
    expect(wrapper.get('[data-testid="practitioner-errors"]').text()).toContain('（服务器原文）')

    await wrapper.get('[data-testid="practitioner-error-report"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    const check = sent[1]
    expect(check.method).toBe('POST')
    expect(check.path).toBe('/api/v1/admin/practitioners/import/check')
    expect(check.contentType).toBe('application/octet-stream')
    expect(check.query.get('sheet')).toBe('人员库')
    expect(check.bytes).toEqual(new Uint8Array(book))
    expect(saved[0].name).toBe('导入错误报告.xlsx')
    expect(new Uint8Array(await saved[0].blob.arrayBuffer())).toEqual(new Uint8Array(errorReport))
    wrapper.unmount()
  })

  it('downloads the Excel template through the session', async () => {
    const template = [0x50, 0x4b, 0x03, 0x04, 0x01]
    const sent = serve(() => xlsx(template))
    const saved = watchDownloads()
    const wrapper = mountView()
    await wrapper.get('[data-testid="practitioner-template"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v1/admin/practitioners/template'])
    expect(saved[0].name).toBe('人员库导入模板.xlsx')
    expect(new Uint8Array(await saved[0].blob.arrayBuffer())).toEqual(new Uint8Array(template))
    wrapper.unmount()
  })

  it('keeps pasted text as text, and offers no error report for it', async () => {
    const sent = serve(() => json(200, report({ source: 'csv_utf8', source_label: 'CSV（UTF-8 编码）' })))
    const wrapper = mountView()
    await wrapper.get('[data-testid="practitioner-source-paste"] input').setValue(true)
    await flushPromises()
    await wrapper.get('[data-testid="practitioner-paste"]').setValue('id_number,name\n440524188001010014,王五\n')
    await submit(wrapper)
    expect(sent[0].contentType).toBe('text/csv')
    expect(new TextDecoder().decode(sent[0].bytes)).toBe('id_number,name\n440524188001010014,王五\n')
    expect(wrapper.get('[data-testid="practitioner-read-as"]').text()).toBe('已按 CSV（UTF-8 编码）读取')
    expect(wrapper.find('[data-testid="practitioner-error-report"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says why a file is refused as a whole, and words the new codes in English', async () => {
    serve(() =>
      json(422, {
        status: 422,
        code: 'validation_failed',
        title: '提交的信息有误',
        detail: '无法识别文件的编码（服务器原文）',
        errors: [{ field: 'file', code: 'file_encoding', message: '无法识别文件的编码（服务器原文）' }],
      }),
    )
    const zh = mountView()
    await choose(zh, new File([new Uint8Array([0xff, 0x00, 0x81])], 'bad.csv'))
    await submit(zh)
    expect(zh.get('[data-testid="practitioner-error"]').text()).toContain('无法识别文件的编码（服务器原文）')
    zh.unmount()

    const en = mountView('en')
    await choose(en, new File([new Uint8Array([0xff, 0x00, 0x81])], 'bad.csv'))
    await submit(en)
    expect(en.get('[data-testid="practitioner-error"]').text()).toContain('The file’s encoding is not recognised')
    en.unmount()

    serve(() => json(200, report({ errors: [{ row: 2, field: 'name', code: 'example_row', message: '这是模板中的示例行（服务器原文）' }] })))
    const rows = mountView('en')
    await choose(rows, new File([GBK_CSV], 'registry.csv'))
    await submit(rows)
    expect(rows.get('[data-testid="practitioner-read-as"]').text()).toBe('Read as CSV (GBK/GB18030)')
    expect(rows.get('[data-testid="practitioner-errors"]').text()).toContain('This is the template’s example row')
    expect(rows.get('[data-testid="practitioner-error-report"]').text()).toBe('Download error report')
    rows.unmount()
  })
})

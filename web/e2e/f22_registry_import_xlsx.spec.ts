// F22 人员库导入 with the files the association's staff have (#18): the Excel template the
// server gives (its example row never imports), a CSV saved in GBK as Excel does on Chinese
// Windows (the names kept exactly, as the unit's person search shows them afterwards), a
// workbook whose registry is on its second sheet, and the error report (导入错误报告.xlsx) of a
// file with refused rows. The browser sends the files' bytes; it never decodes them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from './fixtures'
import { apiLogin, idNumber, REGISTRY_HEADER, registerApprovedUnit, registerPractitionerMobile, uscc } from './api'
import { SEED_PASSWORD, WEB_DIR } from './env'
import { gbkBytes, xlsxFill, xlsxRows, xlsxSheets } from './files'
import { login, logout, shot } from './ui'

const F22_USCC = uscc('91350200MA8F22XL0')
const UNIT_PASSWORD = 'Unit-pass-2024'
/** The workbook the API tests read too: a 说明 sheet first, the registry on 人员库 under a title row. */
const OPENPYXL_FIXTURE = path.join(WEB_DIR, '..', 'tests', 'fixtures', 'registry-openpyxl.xlsx')

/** Two characters outside GB2312 (喆, 镕): GBK, not GB2312, nor UTF-8. */
const GONG = { idNumber: idNumber('35020319900222121'), name: '龚喆', mobile: '13950002201' }
const XIAN = { idNumber: idNumber('35020319900222232'), name: '冼镕' }
const SITU = { idNumber: idNumber('35020319900222343'), name: '司徒静' }
/** 司徒静's ID number with a wrong check character: her row is refused. */
const SITU_BAD_ID = SITU.idNumber.slice(0, 17) + (SITU.idNumber.endsWith('0') ? '1' : '0')

/** Two people a clerk types into the template; 欧阳明's ID is mistyped at first. */
const OUYANG = { idNumber: idNumber('35020319900303121'), name: '欧阳明' }
const SHANGGUAN = { idNumber: idNumber('35020319900303232'), name: '上官婉' }
const OUYANG_TYPO = OUYANG.idNumber.slice(0, 17) + (OUYANG.idNumber.endsWith('0') ? '1' : '0')

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-f22-'))

/** Opens 人员库导入. */
async function openImport(page: Page): Promise<void> {
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-practitioner-import').click()
  await expect(page).toHaveURL(/\/admin\/practitioners-import$/)
}

/** Chooses a file and imports it; returns the report the server sent. */
async function importFile(page: Page, file: string, sheet?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  await page.getByTestId('practitioner-file-input').setInputFiles(file)
  await expect(page.getByTestId('practitioner-file-name')).toContainText(path.basename(file))
  if (sheet !== undefined) await page.getByTestId('practitioner-sheet').fill(sheet)
  const answer = page.waitForResponse((r) => r.url().includes('/api/v1/admin/practitioners/import') && r.request().method() === 'POST')
  await page.getByTestId('practitioner-import-submit').click()
  const response = await answer
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> }
}

interface SentBody {
  url: string
  contentType: string | null
  bytes: number[]
}
type Recording = Window & { sentImportBodies?: SentBody[] }

/**
 * Records the bodies the page POSTs to the imports, as fetch is given them (Chromium does not
 * tell Playwright the body of a fetch made with a Request object).
 */
async function recordImportBodies(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as Recording
    if (w.sentImportBodies) return
    w.sentImportBodies = []
    const original = window.fetch.bind(window)
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (input instanceof Request && input.method === 'POST' && input.url.includes('/api/v1/admin/practitioners/import')) {
        const bytes = Array.from(new Uint8Array(await input.clone().arrayBuffer()))
        w.sentImportBodies!.push({ url: input.url, contentType: input.headers.get('Content-Type'), bytes })
      }
      return original(input, init)
    }
  })
}

/** What recordImportBodies recorded, and starts again. */
async function sentImportBodies(page: Page): Promise<SentBody[]> {
  return page.evaluate(() => (window as Recording).sentImportBodies!.splice(0))
}

/** Clicks a download button and keeps the file under its offered name. */
async function download(page: Page, testId: string, dir: string): Promise<{ name: string; file: string; bytes: Buffer }> {
  const started = page.waitForEvent('download')
  await page.getByTestId(testId).click()
  const done = await started
  const file = path.join(dir, done.suggestedFilename())
  await done.saveAs(file)
  return { name: done.suggestedFilename(), file, bytes: readFileSync(file) }
}

test('f22_registry_import_reads_the_xlsx_template_a_gbk_csv_and_a_workbook_sheet_and_gives_the_error_report', async ({ page }) => {
  const dir = tmp()
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await openImport(page)

  // 下载模板: the server's workbook, fetched with the session; its example row never imports.
  const template = await download(page, 'practitioner-template', dir)
  expect(template.name).toBe('人员库导入模板.xlsx')
  expect(template.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
  expect(xlsxSheets(template.bytes)).toContain('人员库')
  const [header, example] = xlsxRows(template.bytes)
  expect(header).toEqual(REGISTRY_HEADER.split(','))
  expect(example[1]).toContain('示例')

  const fromTemplate = await importFile(page, template.file)
  expect(fromTemplate.status).toBe(200)
  expect(fromTemplate.body).toMatchObject({ rows: 1, imported: 0, failed: 1, source: 'xlsx' })
  expect(fromTemplate.body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'example_row' })])
  await expect(page.getByTestId('practitioner-read-as')).toHaveText('已按 Excel 工作簿读取')
  await expect(page.getByTestId('practitioner-failed')).toHaveText('1')
  await expect(page.getByTestId('practitioner-errors')).toContainText('这是模板中的示例行')

  // A CSV as Excel saves it on Chinese Windows (GBK): read as GBK, the names exactly as written.
  const rows = [
    [GONG.idNumber, GONG.name, 'TS-GBK-2024-1', 'DT', '电梯', '检验员', '国家市场监督管理总局', '2024-01-15', '2029-12-31', '有效'],
    [XIAN.idNumber, XIAN.name, 'TS-GBK-2024-2', 'QZ', '起重机械', '检验师', '国家市场监督管理总局', '2024-01-15', '2029-12-31', '有效'],
    [SITU_BAD_ID, SITU.name, 'TS-GBK-2024-3', 'DT', '电梯', '检验员', '国家市场监督管理总局', '2024-01-15', '2029-12-31', '有效'],
  ]
  const csv = path.join(dir, '人员库（GBK）.csv')
  // Excel ends CSV lines with CRLF; the rows are numbered as Excel shows them all the same.
  const eol = '\r\n'
  const bytes = gbkBytes(`${REGISTRY_HEADER}${eol}${rows.map((r) => r.join(',')).join(eol)}${eol}`)
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
  writeFileSync(csv, bytes)
  await recordImportBodies(page)
  const fromCsv = await importFile(page, csv)
  // The bytes as on disk, not text the browser decoded.
  const [sent] = await sentImportBodies(page)
  expect(Buffer.from(sent.bytes).equals(bytes)).toBe(true)
  expect(sent.contentType).toBe('application/octet-stream')
  expect(fromCsv.body).toMatchObject({ rows: 3, imported: 2, people: 2, failed: 1, source: 'csv_gb18030' })
  await expect(page.getByTestId('practitioner-read-as')).toHaveText('已按 CSV（GBK/GB18030 编码）读取')
  await expect(page.getByTestId('practitioner-imported')).toHaveText('2')
  await expect(page.getByTestId('practitioner-errors').getByRole('row').filter({ hasText: 'id_number' })).toContainText('4')
  await expect(page.getByTestId('practitioner-error-report')).toBeVisible()
  await shot(page, '220-registry-import-gbk-csv')

  // 下载错误报告 of the same bytes: every row with 行号 and 错误, 司徒静 named as written.
  const csvReport = await download(page, 'practitioner-error-report', dir)
  expect(csvReport.name).toBe('导入错误报告.xlsx')
  const [reportHeader, ...reportRows] = xlsxRows(csvReport.bytes)
  expect(reportHeader[0]).toBe('行号')
  expect(reportHeader[reportHeader.length - 1]).toBe('错误')
  expect(reportRows.map((r) => [r[0], r[2]])).toEqual([
    ['2', GONG.name],
    ['3', XIAN.name],
    ['4', SITU.name],
  ])
  expect(reportRows[0][reportHeader.length - 1] ?? '').toBe('')
  expect(reportRows[2][reportHeader.length - 1]).toContain('id_number')

  // A workbook whose first sheet (说明) has no columns: refused, then read from the sheet named.
  const refused = await importFile(page, OPENPYXL_FIXTURE)
  expect(refused.status).toBe(422)
  await expect(page.getByTestId('practitioner-error')).toContainText('缺少列')
  await expect(page.getByTestId('practitioner-report')).toHaveCount(0)
  const fromBook = await importFile(page, OPENPYXL_FIXTURE, '人员库')
  expect(fromBook.body).toMatchObject({ rows: 2, imported: 1, failed: 1, source: 'xlsx' })
  expect(fromBook.body.errors).toEqual([expect.objectContaining({ field: 'id_number', code: 'cell_number_lost_digits' })])
  await expect(page.getByTestId('practitioner-read-as')).toHaveText('已按 Excel 工作簿读取')
  await expect(page.getByTestId('practitioner-errors')).toContainText('15 位有效数字')
  await expect(page.getByTestId('practitioner-report')).toContainText('下载错误报告')
  await shot(page, '221-registry-import-error-report-button')

  await sentImportBodies(page)
  const bookReport = await download(page, 'practitioner-error-report', dir)
  // The check is sent the same bytes and sheet as the import.
  const [check] = await sentImportBodies(page)
  expect(new URL(check.url).pathname).toBe('/api/v1/admin/practitioners/import/check')
  expect(new URL(check.url).searchParams.get('sheet')).toBe('人员库')
  expect(Buffer.from(check.bytes).equals(readFileSync(OPENPYXL_FIXTURE))).toBe(true)
  expect(bookReport.name).toBe('导入错误报告.xlsx')
  const bookRows = xlsxRows(bookReport.bytes)
  const lost = bookRows.find((r) => r[2] === '司马懿')!
  expect(lost[0]).toBe('5')
  expect(lost[lost.length - 1]).toContain('15 位有效数字')
  await logout(page)

  // The names as the unit's person search shows them: exactly as written in the GBK file.
  await registerPractitionerMobile(page.request, GONG)
  const unit = await registerApprovedUnit(page.request, {
    username: `gbk${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门人员库编码测试检测有限公司',
    uscc: F22_USCC,
  })
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-apply').click()
  await page.getByTestId('apply-id-number').fill(GONG.idNumber)
  await page.getByTestId('apply-name').fill(GONG.name)
  await page.getByTestId('apply-search-submit').click()
  const result = page.getByTestId('apply-result')
  await expect(result.getByTestId('apply-person-name')).toHaveText(GONG.name)
  await expect(result).toContainText('电梯')
  await result.locator('.el-table__expand-icon').first().click()
  await expect(result.getByTestId('apply-certificate-items')).toContainText('国家市场监督管理总局')
  await expect(result.getByTestId('apply-certificate-items')).toContainText('TS-GBK-2024-1')
  await shot(page, '222-registry-gbk-name-in-person-search')

  // 冼镕 (no mobile yet) as the search API answers it.
  const token = await apiLogin(page.request, unit.username, unit.password, 'unit')
  const found = await page.request.get('/api/v1/unit/practitioners/search', {
    headers: { Authorization: `Bearer ${token}` },
    params: { id_number: XIAN.idNumber, name: XIAN.name },
  })
  expect(found.status()).toBe(200)
  const answer = (await found.json()) as { person: { name: string; items: { name: string; level: string }[] } | null }
  expect(answer.person?.name).toBe(XIAN.name)
  expect(answer.person?.items.map((i) => `${i.name}/${i.level}`)).toEqual(['起重机械/检验师'])
})

test('f22_the_xlsx_template_filled_in_imports_and_its_error_report_corrected_imports_the_rest', async ({ page }) => {
  const dir = tmp()
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await openImport(page)

  // The clerk downloads 人员库导入模板.xlsx and types two people over its example row, one ID
  // mistyped: the template's header, formats, drop-downs and 选项 sheet stay as the server wrote.
  const template = await download(page, 'practitioner-template', dir)
  const item = (who: { idNumber: string; name: string }, id: string, no: string) =>
    [id, who.name, no, 'RQ', '压力容器', '检验员', '国家市场监督管理总局', '2024-03-01', '2030-02-28', '有效']
  const filled = xlsxFill(template.bytes, [
    item(OUYANG, OUYANG_TYPO, 'TS-XLSX-2024-1'),
    item(SHANGGUAN, SHANGGUAN.idNumber, 'TS-XLSX-2024-2'),
  ])
  expect(xlsxSheets(filled)).toEqual(xlsxSheets(template.bytes))
  const file = path.join(dir, '人员库（已填写）.xlsx')
  writeFileSync(file, filled)
  const first = await importFile(page, file)
  expect(first.status).toBe(200)
  expect(first.body).toMatchObject({ rows: 2, imported: 1, failed: 1, source: 'xlsx' })
  expect(first.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'id_number' })])
  await expect(page.getByTestId('practitioner-imported')).toHaveText('1')
  await expect(page.getByTestId('practitioner-failed')).toHaveText('1')
  await expect(page.getByTestId('practitioner-errors').getByRole('row').filter({ hasText: 'id_number' })).toContainText('2')
  await shot(page, '223-registry-template-filled-one-refused')

  // 下载错误报告: the uploaded rows with 行号 and 错误; the clerk corrects the ID in the report
  // itself and uploads the report again (行号 and 错误 are not registry columns): both rows import,
  // the good one written again as it was (a person's items are replaced, never doubled).
  const report = await download(page, 'practitioner-error-report', dir)
  const [header, ...rows] = xlsxRows(report.bytes)
  const error = header.length - 1
  expect(header[0]).toBe('行号')
  expect(header[error]).toBe('错误')
  expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
    ['2', OUYANG_TYPO, OUYANG.name],
    ['3', SHANGGUAN.idNumber, SHANGGUAN.name],
  ])
  expect(rows[0][error]).toContain('id_number')
  expect(rows[1][error] ?? '').toBe('')
  const corrected = rows.map((r) => r.map((cell, c) => (c === 1 && cell === OUYANG_TYPO ? OUYANG.idNumber : c === error ? '' : cell)))
  const again = path.join(dir, '导入错误报告（已改正）.xlsx')
  writeFileSync(again, xlsxFill(report.bytes, corrected))
  const second = await importFile(page, again)
  expect(second.status).toBe(200)
  expect(second.body).toMatchObject({ rows: 2, imported: 2, people: 2, failed: 0, source: 'xlsx' })
  await expect(page.getByTestId('practitioner-failed')).toHaveText('0')
  await expect(page.getByTestId('practitioner-report')).not.toContainText('下载错误报告')
  await shot(page, '224-registry-error-report-corrected-imported')
})

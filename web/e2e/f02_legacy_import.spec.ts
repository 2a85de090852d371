// F2 原系统帐号导入: the association admin imports a CSV exported from the old system; a
// good row becomes a unit whose admin logs in with the old password, a bad row is reported
// by line, and an imported row whose USCC fails its check character is listed to check by hand.
// A CSV saved in GBK (Excel on Chinese Windows) is sent as its bytes and read as GBK (#18). The
// template is the server's workbook, and the refused rows come back as one (下载错误报告, #18).
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from './fixtures'
import { uscc } from './api'
import { SEED_PASSWORD } from './env'
import { gbkBytes, xlsxFill, xlsxRows } from './files'
import { login, logout, shot } from './ui'

const F02_USCC = '91350200MA8F02C3PY'
/** 91350100M000100Y43 with its check character changed: imported, but flagged. */
const F02_BAD_CHECK_USCC = '91350100M000100Y44'
const F02_GBK_USCC = uscc('91350200MA8F02G4X')
const HEADER =
  'username,password_hash,hash_format,salt,unit_name,uscc,legal_representative,address,postcode,contact_name,contact_id_number,contact_mobile,contact_email'

test('f02_admin_imports_old_accounts_and_one_logs_in_with_the_old_password', async ({ page }) => {
  const username = `legacy${Date.now().toString(36)}`
  const oldPassword = 'Old-pass-2015'
  const unitName = '厦门旧系统特种设备检测有限公司'
  const md5 = createHash('md5').update(oldPassword).digest('hex')
  const good = [username, md5, 'md5', '', unitName, F02_USCC, '张三', '福建省厦门市湖里区长岸路1号', '361006', '李四', '11010519491231002X', '13800138000', 'lisi@example.com']
  const bad = ['x', 'zz', 'md9', '', '厦门某某公司', '123', '张三', '福建省厦门市湖里区长岸路2号', '361006', '李四', '11010519491231002X', '13800138000', 'lisi@example.com']
  const flagged = [`${username}b`, md5, 'md5', '', '福建省旧系统检验有限公司', F02_BAD_CHECK_USCC, '张三', '福州市鼓楼区五四路100号', '350001', '李四', '11010519491231002X', '13800138000', 'lisi@example.com']
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-csv-'))
  const csv = path.join(dir, 'legacy-accounts.csv')
  writeFileSync(csv, `${HEADER}\n${good.join(',')}\n${bad.join(',')}\n${flagged.join(',')}\n`)

  await login(page, 'admin', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-legacy-import').click()
  await expect(page).toHaveURL(/\/admin\/legacy-import$/)
  await expect(page.getByTestId('legacy-columns')).toContainText('md5_salted')
  await expect(page.getByTestId('legacy-columns')).toContainText('contact_email')

  // The template: the server's workbook (an .xlsx is a zip: PK), fetched with the session; the
  // CSV one beside it with the documented header.
  const workbook = page.waitForEvent('download')
  await page.getByTestId('legacy-template').click()
  const xlsx = await workbook
  expect(xlsx.suggestedFilename()).toBe('原系统帐号导入模板.xlsx')
  expect(readFileSync(await xlsx.path()).subarray(0, 2).toString('latin1')).toBe('PK')
  const download = page.waitForEvent('download')
  await page.getByTestId('legacy-template-csv').click()
  const template = await download
  expect(template.suggestedFilename()).toBe('legacy-accounts-template.csv')
  expect(readFileSync(await template.path(), 'utf8')).toContain(HEADER)

  await page.getByTestId('legacy-file-input').setInputFiles(csv)
  await expect(page.getByTestId('legacy-file-name')).toContainText('legacy-accounts.csv')
  await page.getByTestId('legacy-import-submit').click()
  await expect(page.getByTestId('legacy-rows')).toHaveText('3')
  await expect(page.getByTestId('legacy-created')).toHaveText('2')
  await expect(page.getByTestId('legacy-failed')).toHaveText('1')
  const errors = page.getByTestId('legacy-errors')
  await expect(errors.getByRole('row').filter({ hasText: 'hash_format' })).toContainText('3')
  await expect(errors.getByRole('row').filter({ hasText: 'uscc' })).toContainText('统一社会信用代码应为18位')
  // The row with the failing check character is imported, and listed apart to check by hand.
  const warnings = page.getByTestId('legacy-warnings')
  await expect(warnings).toContainText('需人工核对')
  await expect(warnings.getByRole('row')).toHaveCount(2)
  const flaggedRow = warnings.getByRole('row').filter({ hasText: 'uscc' })
  await expect(flaggedRow).toContainText('4')
  await expect(flaggedRow).toContainText('校验位')
  await expect(errors).not.toContainText('校验位')
  await shot(page, '72-legacy-import-report')

  // 下载错误报告: the same file again (nothing changes), its rows back as a workbook.
  const reported = page.waitForEvent('download')
  await page.getByTestId('legacy-error-report').click()
  const errorReport = await reported
  expect(errorReport.suggestedFilename()).toMatch(/\.xlsx$/)
  expect(readFileSync(await errorReport.path()).subarray(0, 2).toString('latin1')).toBe('PK')
  await expect(page.getByTestId('legacy-created')).toHaveText('2')
  await logout(page)

  // The imported unit logs in with its old password.
  await login(page, username, oldPassword, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unitName)
  await shot(page, '73-legacy-unit-home')
})

test('f02_legacy_import_reads_a_gbk_csv_as_excel_saves_it_and_keeps_the_names', async ({ page }) => {
  const username = `gbk${Date.now().toString(36)}`
  const oldPassword = 'Old-pass-2016'
  // 冼 and 镕 (镕 is outside GB2312): what a UTF-8 reading would turn into U+FFFD.
  const unitName = '厦门冼镕检测有限公司'
  const md5 = createHash('md5').update(oldPassword).digest('hex')
  const row = [username, md5, 'md5', '', unitName, F02_GBK_USCC, '龚喆', '厦门市思明区湖滨南路200号', '361001', '司徒静', '11010519491231002X', '13800138000', 'situ@example.com']
  const csv = path.join(mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-csv-')), '原系统帐号.csv')
  writeFileSync(csv, gbkBytes(`${HEADER}\n${row.join(',')}\n`))

  await login(page, 'admin', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-legacy-import').click()
  await expect(page.getByTestId('legacy-file-input')).toHaveAttribute('accept', /\.xlsx/)
  await page.getByTestId('legacy-file-input').setInputFiles(csv)
  await page.getByTestId('legacy-import-submit').click()
  await expect(page.getByTestId('legacy-read-as')).toHaveText('已按 CSV（GBK/GB18030 编码）读取')
  await expect(page.getByTestId('legacy-created')).toHaveText('1')
  await expect(page.getByTestId('legacy-failed')).toHaveText('0')
  await shot(page, '74-legacy-import-gbk')
  await logout(page)

  // The unit's name exactly as the old system had it.
  await login(page, username, oldPassword, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unitName)
})

test('f02_the_xlsx_template_filled_in_imports_an_account_whose_admin_logs_in', async ({ page }) => {
  const username = `xlsx${Date.now().toString(36)}`
  const oldPassword = 'Old-pass-2017'
  const unitName = '厦门模板导入特种设备检测有限公司'
  const md5 = createHash('md5').update(oldPassword).digest('hex')
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-legacy-import').click()

  // 下载模板, typed over its example row as a clerk does, saved as a workbook and imported.
  const started = page.waitForEvent('download')
  await page.getByTestId('legacy-template').click()
  const template = readFileSync(await (await started).path())
  const [header, example] = xlsxRows(template)
  expect(header).toEqual(HEADER.split(','))
  expect(example.join(',')).toContain('示例')
  const row = [username, md5, 'md5', '', unitName, uscc('91350200MA8F02X5Q'), '张三', '厦门市湖里区长岸路3号', '361006', '林五', '11010519491231002X', '13800138002', 'linwu@example.com']
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-xlsx-')), '原系统帐号（已填写）.xlsx')
  writeFileSync(file, xlsxFill(template, [row]))
  await page.getByTestId('legacy-file-input').setInputFiles(file)
  await page.getByTestId('legacy-import-submit').click()
  await expect(page.getByTestId('legacy-read-as')).toHaveText('已按 Excel 工作簿读取')
  await expect(page.getByTestId('legacy-rows')).toHaveText('1')
  await expect(page.getByTestId('legacy-created')).toHaveText('1')
  await expect(page.getByTestId('legacy-failed')).toHaveText('0')
  await shot(page, '75-legacy-import-filled-template')
  await logout(page)

  await login(page, username, oldPassword, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unitName)
})

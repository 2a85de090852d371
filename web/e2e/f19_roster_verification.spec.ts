// 名册核验 (F19, #18 item 5) in the browser: anyone, without logging in, opens 批量核验名册 from the
// public lookup, uploads a roster (a CSV of 公示证书编号) and sees each row's publicity: the
// published person found and in force, an unknown number not found, a bad row invalid, with the
// counts; downloads the same as an Excel workbook; a file without the columns is refused next to
// the picker. The page has no WCAG 2.1 AA violation (axe). The publicity is made through the API.
import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from './fixtures'
import { idNumber, importPractitioners, publishThroughApi, registerApprovedUnit, registerPractitionerMobile, uscc } from './api'
import { shot } from './ui'

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
// A USCC, an ID number and a mobile no other spec uses (all specs share one gateway per run).
const ROSTER_USCC = uscc('91350200MA8RC19MX')
const PERSON = { idNumber: idNumber('35020319910707197'), name: '陈名册', mobile: '13950007070' }
const UNKNOWN = 'TS-JY-2099-NONE0'

/** Runs axe on the page as it is and fails on any violation, listing them. */
async function audit(page: Page, screen: string): Promise<void> {
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await page.waitForTimeout(300)
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const rules = violations.map((v) => `${v.id}(${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  console.log(`axe ${screen}: ${violations.length} violations${rules.length ? '\n  ' + rules.join('\n  ') : ''}`)
  expect(rules, `axe violations on ${screen}`).toEqual([])
}

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') })

test('f19_roster_verification_finds_the_published_person_and_not_the_unknown_number_and_downloads_excel', async ({ page }) => {
  await importPractitioners(page.request, [
    { ...PERSON, certificateNo: 'TS-JY-2024-R19', itemCode: 'DT', itemName: '电梯', validUntil: '2029-12-31' },
  ])
  await registerPractitionerMobile(page.request, PERSON)
  const unit = await registerApprovedUnit(page.request, {
    username: `mc${Date.now().toString(36)}`,
    password: 'Unit-pass-2024',
    unitName: '厦门名册核验测试检测有限公司',
    uscc: ROSTER_USCC,
  })
  const published = await publishThroughApi(page.request, unit, PERSON)
  const certificateNo = published.publicity_certificate_no!
  expect(certificateNo).toBeTruthy()
  const maskedId = `${PERSON.idNumber.slice(0, 3)}***********${PERSON.idNumber.slice(-4)}`

  // From the public lookup, not logged in: 批量核验名册.
  await page.goto('/lookup')
  await page.getByTestId('lookup-roster-link').click()
  await expect(page).toHaveURL(/\/lookup\/roster$/)
  await expect(page).toHaveTitle(/^名册核验 - /)
  await expect(page.getByTestId('roster-empty')).toBeVisible()
  await audit(page, 'roster (empty)')

  // A file without the columns: refused next to the picker (it counts none of the day's files).
  await page.getByTestId('roster-file-input').setInputFiles(csv('名单.csv', '姓名\n陈名册\n'))
  await page.getByTestId('roster-submit').click()
  const fileError = page.getByTestId('roster-file-item').getByRole('alert')
  await expect(fileError).toContainText('名册应有“公示证书编号”列')
  await expect(page.getByTestId('roster-choose')).toHaveAttribute('aria-describedby', /gs-field-error-/)
  await expect(page.getByTestId('roster-result')).toHaveCount(0)

  // The roster: the published number, an unknown one, a row that is no query.
  await page.getByTestId('roster-file-input').setInputFiles(csv('名册.csv', `公示证书编号,身份证号,姓名\n${certificateNo},,\n${UNKNOWN},,\n,12345,某某\n`))
  await expect(page.getByTestId('roster-file-name')).toContainText('名册.csv')
  await expect(fileError).toHaveCount(0)
  await page.getByTestId('roster-submit').click()
  const result = page.getByTestId('roster-result')
  await expect(result).toBeVisible()
  await expect(page.getByTestId('roster-count-rows')).toHaveText('3')
  await expect(page.getByTestId('roster-count-active')).toHaveText('1')
  await expect(page.getByTestId('roster-count-inactive')).toHaveText('0')
  await expect(page.getByTestId('roster-count-not_found')).toHaveText('1')
  await expect(page.getByTestId('roster-count-invalid')).toHaveText('1')
  await expect(page.getByTestId('roster-read-as')).toHaveText('已按 CSV（UTF-8 编码）读取')

  const table = page.getByTestId('roster-table')
  const found = table.getByRole('row').filter({ has: page.getByTestId('roster-query').getByText(certificateNo, { exact: true }) })
  await expect(found.getByTestId('roster-result-tag')).toHaveText('已公示')
  await expect(found.getByTestId('roster-state')).toHaveText('有效')
  await expect(found.getByTestId('roster-name')).toHaveText(PERSON.name)
  await expect(found.getByTestId('masked-id')).toHaveText(maskedId)
  await expect(found.getByTestId('roster-unit')).toHaveText(unit.unitName)
  await expect(found.getByTestId('roster-item')).toHaveText('电梯（DT，检验员）')
  const unknown = table.getByRole('row').filter({ has: page.getByTestId('roster-query').getByText(UNKNOWN, { exact: true }) })
  await expect(unknown.getByTestId('roster-result-tag')).toHaveText('未找到')
  await expect(unknown.getByTestId('roster-state')).toHaveCount(0)
  const invalid = table.getByRole('row').filter({ has: page.getByTestId('roster-line').getByText('4', { exact: true }) })
  await expect(invalid.getByTestId('roster-result-tag')).toHaveText('格式错误')
  await expect(invalid.getByTestId('roster-message')).not.toBeEmpty()
  expect(await page.content()).not.toContain(PERSON.idNumber)
  await shot(page, '193-roster-verification')
  await audit(page, 'roster (result)')

  // Only the rows not in force.
  await page.getByTestId('roster-only-not-in-force').click()
  await expect(table.getByTestId('roster-result-tag')).toHaveText(['未找到', '格式错误'])
  await page.getByTestId('roster-only-not-in-force').click()
  await expect(table.getByTestId('roster-result-tag')).toHaveCount(3)

  // 下载 Excel: the same roster as a workbook.
  const download = page.waitForEvent('download')
  await page.getByTestId('roster-download').click()
  const workbook = await download
  expect(workbook.suggestedFilename()).toBe('名册核验结果.xlsx')
  const bytes = readFileSync(await workbook.path())
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')
  expect(bytes.length).toBeGreaterThan(1000)
})

// F12 变更: a person published at one unit moves to another. The new unit's search decides
// 变更 and, as the previous unit has not cancelled, asks for the previous unit's 离职证明
// before 下一步; the application never names the previous unit. Once approved the person is
// published at the new unit and the old certificate ends (已变更至其他单位). The reviewer, unlike
// the unit, reads the real former unit beside the 离职证明. The old certificate stays verifiable
// in the public lookup, as 已终止 with its end date, the new one as 有效. The person, both units
// and the first publicity are made through the API (api.ts).
import { expect, test, type Page } from './fixtures'
import {
  completeThroughApi,
  idNumber,
  importPractitioners,
  publishThroughApi,
  registerApprovedUnit,
  registerPractitionerMobile,
  uscc,
} from './api'
import { SEED_PASSWORD } from './env'
import { chinaDateIn, writeUploadFiles } from './files'
import { login, logout, shot } from './ui'

const OLD_USCC = uscc('91350200MA8F12A01')
const NEW_USCC = uscc('91350200MA8F12B01')
const UNIT_PASSWORD = 'Unit-pass-2024'
const PERSON = { idNumber: idNumber('35020319860405121'), name: '许志远', mobile: '13950001212' }

/** `YYYY-MM-DD` of today in China, as the server dates the end of a publicity. */
const chinaToday = () => chinaDateIn(0)

async function lookUp(page: Page, certificateNo: string, name: string) {
  await page.goto('/lookup')
  await page.getByTestId('lookup-certificate-no-input').fill(certificateNo)
  await page.getByTestId('lookup-name-input').fill(name)
  await page.getByTestId('lookup-submit').click()
  return page.getByTestId('lookup-result').filter({ has: page.getByTestId('lookup-certificate-no').getByText(certificateNo, { exact: true }) })
}

async function publicityMenu(page: Page, item: string): Promise<void> {
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId(item).click()
}

test('f12_change_of_unit_needs_the_resignation_proof_and_ends_the_old_certificate', async ({ page }) => {
  await importPractitioners(page.request, [
    { ...PERSON, certificateNo: 'TS-JY-2024-F12', itemCode: 'DT', itemName: '电梯', validUntil: '2029-12-31' },
  ])
  await registerPractitionerMobile(page.request, PERSON)
  const stamp = Date.now().toString(36)
  const oldUnit = await registerApprovedUnit(page.request, {
    username: `old${stamp}`,
    password: UNIT_PASSWORD,
    unitName: '厦门原执业单位检测有限公司',
    uscc: OLD_USCC,
  })
  const first = await publishThroughApi(page.request, oldUnit, PERSON)
  const newUnit = await registerApprovedUnit(page.request, {
    username: `new${stamp}`,
    password: UNIT_PASSWORD,
    unitName: '厦门新执业单位检测有限公司',
    uscc: NEW_USCC,
  })
  const files = writeUploadFiles()

  // The new unit searches: 变更, and the proof is asked for.
  await login(page, newUnit.username, newUnit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await publicityMenu(page, 'nav-publicity-apply')
  await page.getByTestId('apply-id-number').fill(PERSON.idNumber)
  await page.getByTestId('apply-name').fill(PERSON.name)
  await page.getByTestId('apply-search-submit').click()
  const result = page.getByTestId('apply-result')
  await expect(result.getByTestId('apply-person-name')).toHaveText(PERSON.name)
  await expect(result.getByTestId('kind-tag')).toHaveText('变更')
  await expect(page.getByTestId('apply-proof-note')).toContainText('离职证明')
  await result.locator('.el-table__body .el-checkbox').first().click()
  await page.getByTestId('apply-next').click()
  await expect(page.getByTestId('apply-next-error')).toContainText('请先上传原单位离职证明')
  await page.getByTestId('apply-resignation-proof-input').setInputFiles(files.pdf)
  await expect(page.getByTestId('apply-resignation-proof').getByTestId('upload-done')).toBeVisible()
  // The proof is there: 请先上传原单位离职证明 goes.
  await expect(page.getByTestId('apply-next-error')).toHaveCount(0)
  await shot(page, '120-change-resignation-proof')
  await page.getByTestId('apply-next').click()
  await expect(page.getByTestId('apply-summary')).toContainText('qualification-scan.pdf')
  await page.getByTestId('clauses-confirm').click()
  await page.getByTestId('apply-submit').click()

  // The application: 变更, the proof among the files, the previous unit not named.
  await expect(page).toHaveURL(/\/publicity\/applications\/[^/]+$/)
  const detail = page.getByTestId('application-detail')
  await expect(detail.locator('.title-row').getByTestId('kind-tag')).toHaveText('变更')
  await expect(page.getByTestId('application-files')).toContainText('原单位离职证明')
  await expect(page.getByTestId('application-info')).toContainText('另一单位')
  await expect(page.getByTestId('application-info')).not.toContainText(oldUnit.unitName)
  const applicationId = page.url().split('/').pop()!
  await shot(page, '121-change-application')

  // Signed, confirmed and approved (through the API): published at the new unit.
  const approved = await completeThroughApi(page.request, newUnit, PERSON, applicationId)
  expect(approved.publicity_certificate_no).toBeTruthy()
  await page.reload()
  await expect(detail.locator('.title-row').getByTestId('status-tag')).toHaveText('通过')
  await expect(page.getByTestId('publicity-certificate-no')).toHaveText(approved.publicity_certificate_no!)
  await logout(page)

  // The previous unit: its certificate ended, 已变更至其他单位.
  await login(page, oldUnit.username, oldUnit.password, 'unit')
  await publicityMenu(page, 'nav-publicity-certificates')
  const row = page.getByTestId('certificates-table').getByRole('row').filter({ hasText: first.publicity_certificate_no! })
  await expect(row.getByTestId('status-tag')).toHaveText('已变更至其他单位')
  await shot(page, '122-change-old-certificate-moved')
  await logout(page)

  // The reviewer: the real former unit and its certificate beside the 离职证明 (not 另一单位).
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await expect(page).not.toHaveURL(/\/login$/)
  await page.goto(`/review/applications/${applicationId}`)
  await expect(page.getByTestId('application-review-title')).toBeVisible()
  const previous = page.getByTestId('review-previous-unit')
  await expect(previous).toContainText('原执业单位')
  await expect(previous.getByTestId('review-previous-unit-name')).toHaveText(oldUnit.unitName)
  await expect(previous.getByTestId('review-previous-certificate-no')).toHaveText(first.publicity_certificate_no!)
  await expect(previous.getByTestId('review-proof-link')).toBeVisible()
  await expect(page.getByTestId('application-review-documents')).not.toContainText('另一单位')
  await expect(page.getByTestId('application-info')).toContainText(oldUnit.unitName)
  await expect(page.getByTestId('application-info')).not.toContainText('另一单位')
  await shot(page, '123-change-review-previous-unit')
  await logout(page)

  // The public: the old certificate is still found, as 已终止 with its end date, not in force.
  const old = await lookUp(page, first.publicity_certificate_no!, PERSON.name)
  await expect(old.getByTestId('status-tag')).toHaveText('已终止（变更至其他单位）')
  await expect(old.getByTestId('lookup-ended-on')).toHaveText(chinaToday())
  await expect(old.getByTestId('lookup-not-in-force')).toContainText('不再有效')
  await expect(old.getByTestId('lookup-unit')).toHaveText(oldUnit.unitName)
  await shot(page, '124-change-lookup-old-certificate-ended')
  const current = await lookUp(page, approved.publicity_certificate_no!, PERSON.name)
  await expect(current.getByTestId('status-tag')).toHaveText('有效')
  await expect(current.getByTestId('lookup-unit')).toHaveText(newUnit.unitName)
  await expect(current.getByTestId('lookup-ended-on')).toHaveCount(0)
  await expect(current.getByTestId('lookup-not-in-force')).toHaveCount(0)
  await shot(page, '125-change-lookup-new-certificate-active')
})

// F17 续期 (§3.3.3): a person published at the unit has the certificate item renewed in the
// personnel registry (a later 有效期至). The person shows in the 续期 list with the reason;
// 申报续期 searches by the 公示证书编号, the system decides 续期, and the application goes
// through the same steps. Approval keeps the certificate number. The person, the unit and the
// first publicity are made through the API (api.ts).
import { expect, test } from './fixtures'
import {
  completeThroughApi,
  idNumber,
  importPractitioners,
  listApplicationsThroughApi,
  publishThroughApi,
  registerApprovedUnit,
  registerPractitionerMobile,
  uscc,
} from './api'
import { chinaDateIn } from './files'
import { login, shot } from './ui'

const F17_USCC = uscc('91350200MA8F17R01')
const F17_WAITING_USCC = uscc('91350200MA8F17W02')
const PERSON = { idNumber: idNumber('35020319870909171'), name: '郑续期', mobile: '13950001717' }
const WAITING = { idNumber: idNumber('35020319870909172'), name: '林待换', mobile: '13950001718' }
/** What the API says when a renewal would extend nothing (code `renewal_not_extended`). */
const NOT_EXTENDED = '续期不会延长公示有效期'

/** The day `days` from now in China (the registry's and the publicity's dates), YYYY-MM-DD. */

test('f17_renewed_certificate_item_shows_in_the_renewal_list_and_keeps_the_certificate_number', async ({ page }) => {
  const item = { ...PERSON, certificateNo: 'TS-JY-2024-F17', itemCode: 'DT', itemName: '电梯' }
  await importPractitioners(page.request, [{ ...item, validUntil: '2029-12-31' }])
  await registerPractitionerMobile(page.request, PERSON)
  const unit = await registerApprovedUnit(page.request, {
    username: `ren${Date.now().toString(36)}`,
    password: 'Unit-pass-2024',
    unitName: '厦门续期电梯检测有限公司',
    uscc: F17_USCC,
  })
  const published = await publishThroughApi(page.request, unit, PERSON)
  const certificateNo = published.publicity_certificate_no!
  // The personnel system reports the item renewed.
  await importPractitioners(page.request, [{ ...item, validUntil: '2033-12-31' }])

  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-renewals').click()
  await expect(page).toHaveURL(/\/publicity\/renewals$/)
  await expect(page.getByTestId('renewal-hint')).toContainText('90 天')
  const row = page.getByTestId('renewal-table').getByRole('row').filter({ hasText: PERSON.name })
  await expect(row).toContainText(certificateNo)
  await shot(page, '170-renewal-list')
  await row.getByTestId('renewal-apply').click()

  // 人员检索 by the certificate number: 续期.
  await expect(page).toHaveURL(/\/publicity\/apply\?certificate_no=/)
  await expect(page.getByTestId('apply-renewal')).toContainText(certificateNo)
  const result = page.getByTestId('apply-result')
  await expect(result.getByTestId('kind-tag')).toHaveText('续期')
  await result.locator('.el-table__body .el-checkbox').first().click()
  await page.getByTestId('apply-next').click()
  await page.getByTestId('clauses-confirm').click()
  await page.getByTestId('apply-submit').click()
  await expect(page).toHaveURL(/\/publicity\/applications\/[^/]+$/)
  const detail = page.getByTestId('application-detail')
  await expect(detail.locator('.title-row').getByTestId('kind-tag')).toHaveText('续期')
  await expect(page.getByTestId('application-steps')).toHaveAttribute('data-active', '2')
  await shot(page, '171-renewal-application')

  // Signed, confirmed and approved (through the API): the same certificate number, renewed.
  const applicationId = page.url().split('/').pop()!
  const approved = await completeThroughApi(page.request, unit, PERSON, applicationId)
  expect(approved.publicity_certificate_no).toBe(certificateNo)
  await page.reload()
  await expect(detail.locator('.title-row').getByTestId('status-tag')).toHaveText('通过')
  await expect(page.getByTestId('publicity-certificate-no')).toHaveText(certificateNo)
  await expect(page.getByTestId('application-items')).toContainText('2033-12-31')
})

test('f17_a_renewal_that_would_extend_nothing_shows_why_and_creates_nothing', async ({ page }) => {
  // The publicity ends with its certificate item in 30 days (within the renewal window), and
  // the certificate has not been renewed: a renewal would extend nothing.
  const ends = chinaDateIn(30)
  const item = { ...WAITING, certificateNo: 'TS-JY-2024-F17W', itemCode: 'DT', itemName: '电梯' }
  await importPractitioners(page.request, [{ ...item, validUntil: ends }])
  await registerPractitionerMobile(page.request, WAITING)
  const unit = await registerApprovedUnit(page.request, {
    username: `rew${Date.now().toString(36)}`,
    password: 'Unit-pass-2024',
    unitName: '厦门待换证电梯检测有限公司',
    uscc: F17_WAITING_USCC,
  })
  const published = await publishThroughApi(page.request, unit, WAITING)
  const certificateNo = published.publicity_certificate_no!

  // 续期: nobody to renew now; the person is listed under 暂不能续期 with the API's reason, and
  // has no 申报续期.
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-renewals').click()
  await expect(page).toHaveURL(/\/publicity\/renewals$/)
  await expect(page.getByTestId('renewal-empty')).toContainText('暂无可申报续期的人员')
  const waiting = page.getByTestId('renewal-waiting')
  await expect(waiting).toContainText('暂不能续期（1 人）')
  const row = page.getByTestId('renewal-waiting-table').getByRole('row').filter({ hasText: WAITING.name })
  await expect(row).toContainText(certificateNo)
  await expect(row).toContainText(ends)
  const reason = row.getByTestId('renewal-waiting-reason')
  await expect(reason).toContainText('尚未换证')
  await expect(reason).toContainText(NOT_EXTENDED)
  await expect(reason).toContainText(`电梯（DT）有效期至 ${ends}`)
  await expect(waiting.getByTestId('renewal-apply')).toHaveCount(0)
  await shot(page, '172-renewal-waiting')

  // A search for the person (人员检索) is refused with the same reason.
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-apply').click()
  await page.getByTestId('apply-id-number').fill(WAITING.idNumber)
  await page.getByTestId('apply-name').fill(WAITING.name)
  await page.getByTestId('apply-search-submit').click()
  const refusal = page.getByTestId('apply-refusal')
  await expect(refusal).toBeVisible()
  await expect(refusal.getByTestId('apply-refusal-message')).toContainText(NOT_EXTENDED)
  await expect(refusal.getByTestId('apply-refusal-message')).toContainText(`公示有效期至 ${ends}`)
  await shot(page, '173-renewal-search-refused')
  await refusal.getByTestId('apply-refusal-close').click()
  await expect(refusal).toBeHidden()
  await expect(page.getByTestId('apply-next')).toBeDisabled()

  // The certificate is renewed: the person can be renewed, and the unit gets as far as 提交…
  await importPractitioners(page.request, [{ ...item, validUntil: '2033-12-31' }])
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-renewals').click()
  await expect(page.getByTestId('renewal-waiting')).toHaveCount(0)
  const due = page.getByTestId('renewal-table').getByRole('row').filter({ hasText: WAITING.name })
  await due.getByTestId('renewal-apply').click()
  await expect(page).toHaveURL(/\/publicity\/apply\?certificate_no=/)
  const result = page.getByTestId('apply-result')
  await expect(result.getByTestId('kind-tag')).toHaveText('续期')
  await result.locator('.el-table__body .el-checkbox').first().click()
  await page.getByTestId('apply-next').click()
  await page.getByTestId('clauses-confirm').click()

  // …when the registry is corrected back: the submission is refused with the reason, and
  // the page stays where it is.
  await importPractitioners(page.request, [{ ...item, validUntil: ends }])
  await page.getByTestId('apply-submit').click()
  await expect(page.getByTestId('apply-submit-error')).toContainText(NOT_EXTENDED)
  await expect(page).toHaveURL(/\/publicity\/apply\?certificate_no=/)
  await shot(page, '174-renewal-submit-refused')

  // Nothing was created: the unit has only the initial application, in the browser and in the API.
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-applications').click()
  await expect(page).toHaveURL(/\/publicity\/applications(\?|$)/)
  const table = page.getByTestId('application-table')
  await expect(table.getByTestId('application-row-number')).toHaveText([published.number])
  await expect(table.getByTestId('kind-tag')).toHaveText(['初始'])
  const applications = await listApplicationsThroughApi(page.request, unit)
  expect(applications.map((a) => a.kind)).toEqual(['initial'])
})

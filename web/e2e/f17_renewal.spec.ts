// F17 续期 (§3.3.3): a person published at the unit has the certificate item renewed in the
// personnel registry (a later 有效期至). The person shows in the 续期 list with the reason;
// 申报续期 searches by the 公示证书编号, the system decides 续期, and the application goes
// through the same steps. Approval keeps the certificate number. The person, the unit and the
// first publicity are made through the API (api.ts).
import { expect, test } from '@playwright/test'
import {
  completeThroughApi,
  idNumber,
  importPractitioners,
  publishThroughApi,
  registerApprovedUnit,
  registerPractitionerMobile,
  uscc,
} from './api'
import { login, shot } from './ui'

const F17_USCC = uscc('91350200MA8F17R01')
const PERSON = { idNumber: idNumber('35020319870909171'), name: '郑续期', mobile: '13950001717' }

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

// F21 认领 in 执业公示审核: two reviewers at once. The seeded reviewer claims an application in
// review; the association admin, in a second browser, sees who holds it in the queue and on the
// detail, where 通过 / 驳回 are disabled; the reviewer releases it, and the admin claims it and
// approves it. The unit, the person and the confirmed application are made through the API
// (api.ts); the claims and the decision are made in the browser.
import { CSP_VIOLATION, expect, test, type Page } from './fixtures'
import {
  applyThroughApi,
  idNumber,
  importPractitioners,
  registerApprovedUnit,
  registerPractitionerMobile,
  uploadScanThroughApi,
  uscc,
} from './api'
import { BASE_URL, SEED_PASSWORD } from './env'
import { login, shot } from './ui'

// A USCC and a person no other spec registers (all specs share one gateway per run).
const CLAIM_USCC = uscc('91350200MA8F21C01')
const PERSON = { idNumber: idNumber('35020319891224211'), name: '王认领', mobile: '13950002411' }

/** "HH:MM" of a claim: what the pages show after 至. */
const TIME = /至 \d{2}:\d{2}/

/** Opens 执业公示审核 and the application numbered `number` from its queue. */
async function openFromQueue(page: Page, number: string): Promise<void> {
  await page.getByTestId('nav-publicity-review').click()
  await expect(page).toHaveURL(/\/review\/applications/)
  await page.getByTestId('application-review-table').getByRole('row').filter({ hasText: number }).click()
  await expect(page.getByTestId('application-review-title')).toContainText(number)
}

test('f21_a_reviewer_claims_an_application_and_another_sees_it_held_and_cannot_decide', async ({ page, browser }) => {
  // Through the API: the person with a mobile, the unit, and the application confirmed by the
  // person, so that it waits in review (not decided).
  await importPractitioners(page.request, [
    { ...PERSON, certificateNo: 'TS-JY-2024-F21C', itemCode: 'DT', itemName: '电梯', validUntil: '2029-12-31' },
  ])
  await registerPractitionerMobile(page.request, PERSON)
  const unit = await registerApprovedUnit(page.request, {
    username: `claim${Date.now().toString(36)}`,
    password: 'Unit-pass-2024',
    unitName: '厦门认领电梯检测有限公司',
    uscc: CLAIM_USCC,
  })
  const created = await applyThroughApi(page.request, unit, PERSON)
  const code = await uploadScanThroughApi(page.request, unit, PERSON, created.id)
  const confirmed = await page.request.post('/api/v1/confirmations', { data: { id_number: PERSON.idNumber, code } })
  expect(confirmed.status(), await confirmed.text()).toBe(200)
  const number = created.number

  // The reviewer: nobody holds it yet; 认领.
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await openFromQueue(page, number)
  await expect(page.getByTestId('review-claim-bar')).toContainText('尚无人认领')
  await expect(page.getByTestId('review-approve')).toBeEnabled()
  await page.getByTestId('review-claim').click()
  await expect(page.getByTestId('review-claim-mine')).toContainText('您已认领')
  await expect(page.getByTestId('review-claim-mine')).toContainText(TIME)
  await expect(page.getByTestId('review-claim-renew')).toBeVisible()
  await expect(page.getByTestId('review-claim-release')).toBeVisible()
  await expect(page.getByTestId('review-approve')).toBeEnabled()
  await shot(page, '241-review-claim-mine')
  // The queue names the reviewer's own claim with 我.
  await page.getByTestId('nav-publicity-review').click()
  const ownRow = page.getByTestId('application-review-table').getByRole('row').filter({ hasText: number })
  await expect(ownRow.getByTestId('application-review-claim')).toContainText('协会审核员')
  await expect(ownRow.getByTestId('application-review-claim')).toContainText('我')
  await ownRow.click()
  await expect(page.getByTestId('review-claim-mine')).toBeVisible()

  // The admin, in a second browser: the queue names the holder, and the detail may be read
  // but not decided.
  const other = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const admin = await other.newPage()
  const violations: string[] = []
  admin.on('console', (message) => {
    if (message.text().includes(CSP_VIOLATION)) violations.push(message.text())
  })
  await login(admin, 'admin', SEED_PASSWORD, 'association')
  await admin.getByTestId('nav-publicity-review').click()
  const row = admin.getByTestId('application-review-table').getByRole('row').filter({ hasText: number })
  const holder = row.getByTestId('application-review-claim')
  await expect(holder).toContainText('协会审核员')
  await expect(holder).toContainText(TIME)
  await expect(holder).not.toContainText('我')
  await shot(admin, '240-review-claim-queue')
  await row.click()
  await expect(admin.getByTestId('application-review-title')).toContainText(number)
  const held = admin.getByTestId('review-claim-held')
  await expect(held).toHaveAttribute('role', 'alert')
  await expect(held).toContainText('该申报单已由协会审核员认领（至 ')
  await expect(held).toContainText('您可以查看，但不能作出决定')
  await expect(admin.getByTestId('review-claim')).toHaveCount(0)
  await expect(admin.getByTestId('review-approve')).toBeDisabled()
  await expect(admin.getByTestId('review-reject')).toBeDisabled()
  await expect(admin.getByTestId('application-items')).toContainText('电梯')
  await shot(admin, '240-review-claim-held')

  // The reviewer releases it.
  await page.getByTestId('review-claim-release').click()
  await expect(page.getByTestId('review-claim-bar')).toContainText('尚无人认领')
  await expect(page.getByTestId('review-claim')).toBeVisible()

  // The admin, once the page is loaded again: nobody holds it; the admin claims it and approves.
  await admin.reload()
  await expect(admin.getByTestId('review-claim-bar')).toContainText('尚无人认领')
  await expect(admin.getByTestId('review-approve')).toBeEnabled()
  await admin.getByTestId('review-claim').click()
  await expect(admin.getByTestId('review-claim-mine')).toContainText('您已认领')
  await shot(admin, '242-review-claim-admin-mine')

  // Meanwhile the reviewer, loading the page again, sees it held by the admin.
  await page.reload()
  await expect(page.getByTestId('review-claim-held')).toContainText('该申报单已由协会管理员认领')
  await expect(page.getByTestId('review-approve')).toBeDisabled()

  await admin.getByTestId('review-approve').click()
  const box = admin.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toBeVisible()
  await box.getByRole('button', { name: '确定' }).click()
  await expect(box).toBeHidden()
  await expect(admin.getByTestId('review-decision')).toContainText('通过')
  await expect(admin.getByTestId('review-approve')).toHaveCount(0)
  // Decided: the claim has ended with it, and no claim bar is left.
  await expect(admin.getByTestId('review-claim-bar')).toHaveCount(0)
  await expect(admin.getByTestId('review-claim-held')).toHaveCount(0)
  await shot(admin, '243-review-claim-approved')
  expect(violations, 'the admin’s browser logged Content Security Policy violations').toEqual([])
  await other.close()
})

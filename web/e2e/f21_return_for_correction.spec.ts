// F21 退回补正 (#19): the reviewer returns an application in review to the unit (缺少签字或盖章
// and 其他 with a note); the unit, in a second browser, reads why and until when at the top of
// the application, uploads a corrected scan through the page, and the application goes back to
// review without the practitioner confirming again (no new confirmation SMS); the reviewer then
// approves it. The unit, the person and the confirmed application are made through the API
// (api.ts); the return, the correction and the approval are made in the browser.
import { CSP_VIOLATION, expect, test, type Page } from './fixtures'
import {
  applyThroughApi,
  idNumber,
  importPractitioners,
  latestSms,
  outbox,
  registerApprovedUnit,
  registerPractitionerMobile,
  uploadScanThroughApi,
  uscc,
} from './api'
import { AWS_MODE, BASE_URL, SEED_PASSWORD } from './env'
import { writeUploadFiles } from './files'
import { login, shot } from './ui'

// A USCC, a person and mobiles no other spec uses (all specs share one gateway per run).
const RETURN_USCC = uscc('91350200MA8F21R01')
const PERSON = { idNumber: idNumber('35020319890525251'), name: '林补正', mobile: '13950002511' }
/** The unit's authorised contact, who is texted the return. */
const CONTACT_MOBILE = '13950002512'
const NOTE = '单位公章不清晰，请重新加盖公章后扫描上传'

/** Opens 执业公示审核 and the application numbered `number` from its 待审核 tab. */
async function openFromQueue(page: Page, number: string): Promise<void> {
  await page.getByTestId('nav-publicity-review').click()
  await expect(page).toHaveURL(/\/review\/applications/)
  // The menu keeps the tab shown last (退回补正, below): 待审核 explicitly.
  await page.getByTestId('application-review-tabs').getByRole('tab', { name: '待审核' }).click()
  await page.getByTestId('application-review-table').getByRole('row').filter({ hasText: number }).click()
  await expect(page.getByTestId('application-review-title')).toContainText(number)
}

/** The SMS sent so far to `mobile` (the local gateway's outbox; none counted on the emulator). */
async function smsTo(page: Page, mobile: string): Promise<number> {
  if (AWS_MODE) return 0
  return (await outbox(page.request)).filter((m) => m.channel === 'sms' && m.to.includes(mobile)).length
}

test('f21_a_reviewer_returns_an_application_for_correction_and_the_unit_corrects_it', async ({ page, browser }) => {
  // Through the API: the person with a mobile, the unit, and the application confirmed by the
  // person, so that it waits in review.
  await importPractitioners(page.request, [
    { ...PERSON, certificateNo: 'TS-JY-2024-F21R', itemCode: 'DT', itemName: '电梯', validUntil: '2029-12-31' },
  ])
  await registerPractitionerMobile(page.request, PERSON)
  const unit = await registerApprovedUnit(page.request, {
    username: `ret${Date.now().toString(36)}`,
    password: 'Unit-pass-2024',
    unitName: '厦门补正电梯检测有限公司',
    uscc: RETURN_USCC,
    contactMobile: CONTACT_MOBILE,
  })
  const created = await applyThroughApi(page.request, unit, PERSON)
  const code = await uploadScanThroughApi(page.request, unit, PERSON, created.id)
  const confirmed = await page.request.post('/api/v1/confirmations', { data: { id_number: PERSON.idNumber, code } })
  expect(confirmed.status(), await confirmed.text()).toBe(200)
  const number = created.number
  const practitionerTexts = await smsTo(page, PERSON.mobile)

  // The reviewer: 退回补正, with 缺少签字或盖章 and 其他 and a note.
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await openFromQueue(page, number)
  await expect(page.getByTestId('review-return')).toBeEnabled()
  await page.getByTestId('review-return').click()
  const dialog = page.getByTestId('return-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('扫描件不清晰')
  await dialog.getByTestId('return-reason-signature_or_seal_missing').click()
  await dialog.getByTestId('return-reason-other').click()
  // 其他 asks for the note: it is now required.
  await expect(dialog.getByTestId('return-note-item')).toHaveClass(/is-required/)
  await dialog.getByTestId('return-note').fill(NOTE)
  await expect(dialog).toContainText(`${NOTE.length} / 500`)
  await shot(page, '250-return-dialog')
  const answer = page.waitForResponse((r) => r.url().endsWith(`/review/applications/${created.id}/return`) && r.request().method() === 'POST')
  await dialog.getByTestId('return-confirm').click()
  const returned = (await (await answer).json()) as { application: { state: string; correction: { due: string } } }
  expect(returned.application.state).toBe('returned')
  const due = returned.application.correction.due
  await expect(page.locator('.el-message').filter({ hasText: '已退回补正，单位将收到短信和邮件通知' })).toBeVisible()
  await expect(page.locator('.title-row').getByTestId('status-tag')).toHaveText('退回补正')
  const card = page.getByTestId('correction-card')
  await expect(card.getByTestId('correction-reasons')).toContainText('缺少签字或盖章')
  await expect(card.getByTestId('correction-reasons')).toContainText('其他')
  await expect(card.getByTestId('correction-note')).toHaveText(NOTE)
  await expect(card.getByTestId('correction-due')).toContainText(due)
  await expect(card.getByTestId('correction-status')).toHaveText('待单位重新上传')
  await expect(page.getByTestId('review-approve')).toHaveCount(0)
  await expect(page.getByTestId('review-return')).toHaveCount(0)
  await expect(page.getByTestId('review-claim-bar')).toHaveCount(0)
  await shot(page, '251-return-reviewer-returned')
  // It waits under 退回补正 in the queue, with the time left to correct it.
  await page.getByTestId('nav-publicity-review').click()
  await page.getByTestId('application-review-tabs').getByRole('tab', { name: '退回补正' }).click()
  await expect(page).toHaveURL(/state=returned/)
  const queued = page.getByTestId('application-review-table').getByRole('row').filter({ hasText: number })
  await expect(queued.getByTestId('status-tag')).toHaveText('退回补正')
  await expect(queued.getByTestId('deadline-countdown')).toContainText('剩余')
  // The unit's contact is texted what to correct.
  if (!AWS_MODE) expect(await latestSms(page.request, CONTACT_MOBILE, '退回补正')).toContain('缺少签字或盖章')

  // The unit, in a second browser: the list shows it 退回补正; the application says why and until when.
  const other = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const unitPage = await other.newPage()
  const violations: string[] = []
  unitPage.on('console', (message) => {
    if (message.text().includes(CSP_VIOLATION)) violations.push(message.text())
  })
  await login(unitPage, unit.username, unit.password, 'unit')
  await expect(unitPage).toHaveURL(/\/home$/)
  // The home (F6, #19): the returned application is the first to-do, with what to correct, and counted.
  const firstTodo = unitPage.getByTestId('home-todo').first()
  await expect(firstTodo).toContainText(`申报单 ${number}（${PERSON.name}，初始）已被退回补正：`)
  await expect(firstTodo).toContainText('缺少签字或盖章')
  await expect(firstTodo).toContainText('请重新上传申请表扫描件，剩余')
  const returnedCount = unitPage.getByTestId('home-count-returned')
  await expect(returnedCount.getByTestId('home-count-value')).toHaveText('1')
  await shot(unitPage, '252a-return-unit-home')
  await returnedCount.click()
  await expect(unitPage).toHaveURL(/\/publicity\/applications\?state=returned$/)
  const listed = unitPage.getByTestId('application-table').getByRole('row').filter({ hasText: number })
  await expect(listed.getByTestId('status-tag')).toHaveText('退回补正')
  await expect(listed.getByTestId('status-tag')).toHaveClass(/el-tag--dark/)
  await listed.click()
  await expect(unitPage).toHaveURL(new RegExp(`/publicity/applications/${created.id}$`))
  const alert = unitPage.getByTestId('application-returned')
  await expect(alert).toHaveAttribute('role', 'alert')
  await expect(alert).toContainText('申报单已被退回补正')
  await expect(alert.getByTestId('application-returned-reasons')).toContainText('缺少签字或盖章')
  await expect(alert.getByTestId('application-returned-reasons')).toContainText('其他')
  await expect(alert.getByTestId('application-returned-note')).toContainText(NOTE)
  await expect(alert.getByTestId('application-returned-due')).toContainText(`请于 ${due}`)
  await expect(alert.getByTestId('application-returned-due')).toContainText('前重新上传签字盖章后的申请表扫描件')
  await expect(alert.getByTestId('deadline-countdown')).toContainText('剩余')
  await expect(alert).toContainText('无需执业人再次确认')
  await expect(unitPage.locator('.title-row').getByTestId('status-tag')).toHaveText('退回补正')
  await expect(unitPage.getByTestId('application-resend')).toHaveCount(0)
  await shot(unitPage, '252-return-unit-alert')

  // The corrected scan through the page: back in review, no SMS to the practitioner.
  await unitPage.getByTestId('application-scan-input').setInputFiles(writeUploadFiles().pdf)
  await expect(unitPage.getByTestId('application-scan').getByTestId('upload-done')).toBeVisible()
  await expect(unitPage.getByTestId('application-scan-submit')).toHaveText('重新提交审核')
  await unitPage.getByTestId('application-scan-submit').click()
  await expect(unitPage.locator('.el-message').filter({ hasText: '已重新提交审核' })).toBeVisible()
  await expect(unitPage.locator('.el-message').filter({ hasText: '确认短信' })).toHaveCount(0)
  await expect(unitPage.locator('.title-row').getByTestId('status-tag')).toHaveText('审核中')
  await expect(unitPage.getByTestId('application-returned')).toHaveCount(0)
  await expect(unitPage.getByTestId('application-corrected')).toContainText('曾退回补正 1 次')
  await expect(unitPage.getByTestId('history-action').last()).toHaveText('重新上传补正后的申请表，重新提交审核')
  await shot(unitPage, '253-return-unit-corrected')
  expect(await smsTo(page, PERSON.mobile), 'no new confirmation SMS to the practitioner').toBe(practitionerTexts)

  // The reviewer: the correction is noted, and the application approved.
  await openFromQueue(page, number)
  await expect(page.getByTestId('correction-status')).toContainText('已补正，重新提交于')
  await expect(page.getByTestId('review-return')).toBeEnabled()
  await shot(page, '254-return-reviewer-corrected')
  await page.getByTestId('review-approve').click()
  const box = page.getByRole('dialog').filter({ hasText: '确认通过' })
  await expect(box).toBeVisible()
  await box.getByRole('button', { name: '确定' }).click()
  await expect(box).toBeHidden()
  await expect(page.getByTestId('review-decision')).toContainText('通过')
  await expect(page.locator('.title-row').getByTestId('status-tag')).toHaveText('通过')

  // And the unit reads it approved.
  await unitPage.reload()
  await expect(unitPage.locator('.title-row').getByTestId('status-tag')).toHaveText('通过')
  await expect(unitPage.getByTestId('application-approved')).toContainText('公示证书编号')
  expect(violations, 'the unit’s browser logged Content Security Policy violations').toEqual([])
  await other.close()
})

// F1 registration wizard → F21 review → F3 login, through the built SPA served by the
// local gateway, as a person would click through it.
import { expect, test, type Page } from './fixtures'
import { AWS_ENDPOINT, AWS_MODE, SEED_PASSWORD } from './env'
import { writeUploadFiles } from './files'
import { login, logout, shot } from './ui'

const USCC = '91350100M000100Y43'
/** A second valid code: a USCC can be registered only once. */
const OTHER_USCC = '91350200M000200X52'
const UNIT_PASSWORD = 'Unit-pass-2024'

async function fillBasicInfo(page: Page, info: { username: string; unitName: string; uscc: string }): Promise<void> {
  await page.getByTestId('reg-username').fill(info.username)
  await page.getByTestId('reg-password').fill(UNIT_PASSWORD)
  await page.getByTestId('reg-confirm-password').fill(UNIT_PASSWORD)
  await page.getByTestId('reg-unit-name').fill(info.unitName)
  await page.getByTestId('reg-uscc').fill(info.uscc)
  await page.getByTestId('reg-legal-rep').fill('张三')
  await page.getByTestId('reg-address').fill('福建省福州市鼓楼区五四路100号')
  await page.getByTestId('reg-postcode').fill('350001')
}

/**
 * F1: starts on the login page, goes through the four steps with real uploads and submits.
 * With `shots`, takes a screenshot of each page.
 */
async function registerUnit(page: Page, username: string, unitName: string, uscc: string, shots: boolean): Promise<string> {
  const files = writeUploadFiles()
  const name = (n: string) => (shots ? n : null)

  // Step 1: basic information, starting anonymously from the login page.
  await page.goto('/login')
  await expect(page.getByTestId('app-title')).toHaveText('执业公示综合业务管理系统')
  await shot(page, name('01-login'))
  await page.getByTestId('login-register-link').click()
  await expect(page).toHaveURL(/\/register$/)
  await expect(page.getByTestId('register-steps')).toContainText('填写基本信息')
  await fillBasicInfo(page, { username, unitName, uscc })
  await shot(page, name('02-register-basic'))
  await page.getByTestId('wizard-next').click()

  // Step 2: business licence, a real PNG through the presigned upload.
  await expect(page.getByTestId('step-licence')).toBeVisible()
  await expect(page.getByTestId('draft-expires')).toContainText('草稿保留至')
  await page.getByTestId('licence-upload-input').setInputFiles(files.png)
  await expect(page.getByTestId('licence-upload').getByTestId('upload-done')).toBeVisible()
  await expect(page.getByTestId('licence-upload')).toContainText('business-licence.png')
  await shot(page, name('03-register-licence'))
  await page.getByTestId('wizard-next').click()

  // Step 3: qualification, with two items and the certificate scan as a PDF. The draft
  // is resumable: a reload reopens the first incomplete step.
  await expect(page.getByTestId('step-qualification')).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('step-qualification')).toBeVisible()
  await page.getByTestId('qual-kind-approval').click()
  await page.getByTestId('qual-certificate-no').fill('TS7110001-2028')
  await page.getByTestId('qual-authority').fill('国家市场监督管理总局')
  await page.getByTestId('qual-items').click()
  await page.keyboard.type('电梯')
  await page.keyboard.press('Enter')
  await page.keyboard.type('起重机械')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  const validFrom = page.getByTestId('qual-valid-from').locator('input')
  await validFrom.fill('2024-01-01')
  await validFrom.press('Enter')
  const validUntil = page.getByTestId('qual-valid-until').locator('input')
  await validUntil.fill('2028-12-31')
  await validUntil.press('Enter')
  await page.getByTestId('scan-upload-input').setInputFiles(files.pdf)
  await expect(page.getByTestId('scan-upload').getByTestId('upload-done')).toBeVisible()
  await page.getByTestId('step-qualification').click({ position: { x: 5, y: 5 } })
  await shot(page, name('04-register-qualification'))
  await page.getByTestId('wizard-next').click()

  // Step 4: the authorised contact, then submit.
  await expect(page.getByTestId('step-contact')).toBeVisible()
  await page.getByTestId('contact-name').fill('李四')
  await page.getByTestId('contact-id-number').fill('11010519491231002X')
  await page.getByTestId('contact-mobile').fill('13800138000')
  await page.getByTestId('contact-email').fill('lisi@example.com')
  await shot(page, name('05-register-contact'))
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('register-submitted')).toContainText(
    '注册申请已提交，等待协会审核，结果将以短信和邮件通知授权联系人',
  )
  // #17 bug 9: a reference number to quote, the one the reviewer sees.
  const reference = page.getByTestId('register-reference')
  await expect(reference).toHaveText(/^申请编号：[0-9A-Z]{26}$/)
  await shot(page, name('06-register-submitted'))
  return (await reference.innerText()).replace('申请编号：', '')
}

/** F21: the reviewer opens the unit's registration from the queue of pending ones. */
async function openPendingRegistration(page: Page, unitName: string, uscc: string, shots: boolean): Promise<void> {
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await expect(page).toHaveURL(/\/review\/registrations/)
  const row = page.getByTestId('review-table').getByRole('row').filter({ hasText: unitName })
  await expect(row).toBeVisible()
  await expect(row).toContainText(uscc)
  await shot(page, shots ? '08-review-list' : null)
  await row.click()
  await expect(page.getByTestId('detail-unit-name')).toHaveText(unitName)
}

test('f01_unit_registers_through_four_steps_then_f21_reviewer_approves_then_f03_unit_admin_logs_in', async ({ page }) => {
  const username = `unit${Date.now().toString(36)}`
  const unitName = '福州特种设备检验检测有限公司'
  const reference = await registerUnit(page, username, unitName, USCC, true)

  // Under review: the unit cannot log in yet.
  await login(page, username, UNIT_PASSWORD, 'unit')
  await expect(page.getByTestId('login-pending')).toBeVisible()
  await shot(page, '07-login-pending')

  // F21: the reviewer sees the documents and approves.
  await openPendingRegistration(page, unitName, USCC, true)
  await expect(page.getByTestId('detail-licence').getByTestId('doc-image')).toBeVisible()
  await expect(page.getByTestId('detail-qualification').getByTestId('doc-link')).toBeVisible()
  await expect(page.getByTestId('detail-qualification')).toContainText('电梯')
  await expect(page.getByTestId('detail-contact')).toContainText('13800138000')
  await expect(page.getByTestId('detail-reference')).toHaveText(reference)
  await shot(page, '09-review-detail')
  await page.getByTestId('review-approve').click()
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click()
  await expect(page.getByRole('dialog')).toBeHidden()
  await expect(page.getByTestId('review-decision')).toContainText('已通过')
  // Decided: 通过 / 驳回 are gone.
  await expect(page.getByTestId('review-approve')).toHaveCount(0)
  await expect(page.getByTestId('review-reject')).toHaveCount(0)
  await shot(page, '10-review-approved')
  // The result goes to the authorised contact by SMS and e-mail: the local outbox, or what
  // the AWS emulator recorded from SNS and SES in AWS mode.
  if (AWS_MODE) {
    const recorded = (await (await page.request.get(`${AWS_ENDPOINT}/moto-api/data.json`)).json()) as {
      sns: { SMS: { phone_number: string; message: string }[] }
    }
    expect(recorded.sns.SMS.some((m) => m.phone_number === '+8613800138000' && m.message.includes('审核通过'))).toBe(true)
    expect(JSON.stringify(recorded)).toContain('lisi@example.com')
  } else {
    const outbox = (await (await page.request.get('/_local/outbox.json')).json()) as { channel: string; to: string }[]
    expect(outbox.some((m) => m.channel === 'sms' && m.to.includes('13800138000'))).toBe(true)
    expect(outbox.some((m) => m.channel === 'email' && m.to === 'lisi@example.com')).toBe(true)
  }
  await logout(page)

  // F3: the new unit logs in and sees its home page.
  await login(page, username, UNIT_PASSWORD, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unitName)
  await expect(page.getByTestId('home-todo-empty')).toContainText('暂无待办事项')
  await shot(page, '11-unit-home')
})

test('f01_bad_uscc_shows_field_error', async ({ page }) => {
  await page.goto('/register')
  await fillBasicInfo(page, { username: `bad${Date.now().toString(36)}`, unitName: '错误代码测试单位', uscc: 'ABCDEFGHIJKLMNOPQR' })
  await page.getByTestId('wizard-next').click()
  const error = page.getByTestId('reg-uscc-item').locator('.el-form-item__error')
  await expect(error).toContainText('统一社会信用代码')
  // Still on step 1: nothing was created.
  await expect(page.getByTestId('step-basic')).toBeVisible()
  await shot(page, '12-register-bad-uscc')
})

test('f21_reviewer_rejects_with_reason_then_f01_unit_sees_reason_and_resubmits', async ({ page }) => {
  const username = `rej${Date.now().toString(36)}`
  const unitName = '厦门起重机械检验有限公司'
  await registerUnit(page, username, unitName, OTHER_USCC, false)

  // F21: a reason is required to reject.
  await openPendingRegistration(page, unitName, OTHER_USCC, false)
  await page.getByTestId('review-reject').click()
  await page.getByTestId('reject-confirm').click()
  await expect(page.getByTestId('reject-dialog')).toContainText('请填写驳回原因')
  await page.getByTestId('reject-reason').fill('营业执照照片不清晰，请重新上传')
  await shot(page, '13-review-reject-dialog')
  await page.getByTestId('reject-confirm').click()
  await expect(page.getByTestId('review-decision')).toContainText('营业执照照片不清晰')
  await expect(page.getByTestId('review-approve')).toHaveCount(0)
  await logout(page)

  // F1: the unit logs in, is taken back to the wizard with the reason, and resubmits.
  await login(page, username, UNIT_PASSWORD, 'unit')
  await expect(page).toHaveURL(/\/register$/)
  await expect(page.getByTestId('register-rejected')).toContainText('营业执照照片不清晰，请重新上传')
  await shot(page, '14-register-rejected')
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('step-licence')).toBeVisible()
  const uploader = page.getByTestId('licence-upload')
  const previous = await uploader.getAttribute('data-upload-id')
  expect(previous).toBeTruthy()
  await page.getByTestId('licence-upload-input').setInputFiles(writeUploadFiles().png)
  await expect.poll(() => uploader.getAttribute('data-upload-id')).not.toBe(previous)
  await expect(uploader.getByTestId('upload-done')).toBeVisible()
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('step-qualification')).toBeVisible()
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('step-contact')).toBeVisible()
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('register-submitted')).toBeVisible()
})

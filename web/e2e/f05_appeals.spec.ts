// F5 帐号申诉: SMS recovery is impossible (the authorised contact's phone is dead or the
// contact left), so the unit's NEW authorised contact appeals in the browser: the form with
// their ID number, a code to their mobile, the proofs. A reviewer sees the registered contact
// beside the appellant who replaces them and approves; the temporary password goes by SMS to
// the appellant's proven mobile — never to the old contact, never by e-mail — and logs in only
// to set a new password.
import { expect, test } from './fixtures'
import { apiLogin, idNumber, latestSms, latestSmsCode, outbox, registerApprovedUnit } from './api'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pdfBytes, pngBytes } from './files'
import { login, logout, shot } from './ui'
import { AWS_MODE, SEED_PASSWORD } from './env'

const F05_USCC = '91350200MA8F05A1XR'
/** The registered (old) authorised contact's mobile, which no longer receives anything. */
const OLD_CONTACT_MOBILE = '13800138005'
/** The appellant's, the new authorised contact's, mobile. */
const APPELLANT_MOBILE = '13900139050'
const APPELLANT_MASKED = '139****9050'
const APPEAL_EMAIL = 'appeal-f05@example.com'
const APPEAL_SMS_MARKER = '帐号申诉'

const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}`

test('f05_the_new_contact_appeals_with_a_proven_mobile_and_receives_the_temporary_password', async ({ page }) => {
  const unit = await registerApprovedUnit(page.request, {
    username: uniqueName('apl'),
    password: 'Unit-pass-2024',
    unitName: '厦门特种设备安全检测有限公司',
    uscc: F05_USCC,
    contactMobile: OLD_CONTACT_MOBILE,
  })
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-appeal-'))
  const files = { png: path.join(dir, 'business-licence.png'), pdf: path.join(dir, 'authorisation-letter.pdf') }
  writeFileSync(files.png, pngBytes())
  writeFileSync(files.pdf, pdfBytes())

  // From the login page, through password recovery, to the appeal.
  await page.goto('/login')
  await expect(page.getByTestId('login-appeal-link')).toHaveText('帐号申诉')
  await page.getByTestId('login-forgot-link').click()
  await page.getByTestId('recover-appeal-link').click()
  await expect(page).toHaveURL(/\/appeal$/)
  await expect(page.getByTestId('appeal-steps')).toContainText('填写申诉信息')
  await expect(page.getByTestId('appeal-contact-note')).toContainText(
    '申诉人即单位新的授权联系人；审核通过后，授权联系人变更为申诉人，临时密码以短信发送至申诉人手机',
  )

  // Step 1: the form; a wrong ID number and a too-short reason are refused before anything is sent.
  await page.getByTestId('appeal-uscc').fill(F05_USCC)
  await page.getByTestId('appeal-unit-name').fill(unit.unitName)
  await page.getByTestId('appeal-applicant-name').fill('王小明')
  const id = idNumber('35020319900101003')
  const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
  await page.getByTestId('appeal-applicant-id-number').fill(wrongCheck)
  await page.getByTestId('appeal-applicant-mobile').fill(APPELLANT_MOBILE)
  await page.getByTestId('appeal-contact-email').fill(APPEAL_EMAIL)
  await page.getByTestId('appeal-reason').fill('太短')
  await page.getByTestId('appeal-next').click()
  await expect(page.locator('.el-form-item.is-error')).toHaveCount(2)
  await expect(page.locator('.el-form-item.is-error').first()).toContainText('请填写正确的18位身份证号码')
  await expect(page.locator('.el-form-item.is-error').last()).toContainText('请说明申诉原因')
  await page.getByTestId('appeal-applicant-id-number').fill(id)
  await page.getByTestId('appeal-reason').fill('原授权联系人已离职，手机号码已停用，无法通过短信找回管理员密码，申请变更授权联系人。')
  await page.getByTestId('appeal-reason').blur()
  await page.getByTestId('appeal-applicant-id-number').blur()
  await expect(page.locator('.el-form-item.is-error')).toHaveCount(0)
  await shot(page, '60-appeal-form')
  await page.getByTestId('appeal-next').click()

  // Step 2: a code went to the appellant's mobile; resending waits for its minute.
  await expect(page.getByTestId('appeal-uploads')).toBeVisible()
  await expect(page.getByTestId('appeal-code-sent')).toHaveText(`验证码已发送至 ${APPELLANT_MASKED}`)
  await expect(page.getByTestId('appeal-resend')).toBeDisabled()
  await expect(page.getByTestId('appeal-resend')).toContainText('秒后可重新发送')

  // The proofs, through the appeal's own upload endpoints; a reload keeps the appeal.
  await page.getByTestId('appeal-licence-input').setInputFiles(files.png)
  await expect(page.getByTestId('appeal-licence').getByTestId('upload-done')).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('appeal-uploads')).toBeVisible()
  await expect(page.getByTestId('appeal-licence').getByTestId('upload-done')).toBeVisible()
  await expect(page.getByTestId('appeal-code-sent')).toHaveText(`验证码已发送至 ${APPELLANT_MASKED}`)
  await page.getByTestId('appeal-submit').click()
  await expect(page.getByTestId('appeal-submit-error')).toContainText('请先上传营业执照和授权委托书')
  await page.getByTestId('appeal-authorisation-input').setInputFiles(files.pdf)
  await expect(page.getByTestId('appeal-authorisation').getByTestId('upload-done')).toBeVisible()

  // No code, then a wrong code: nothing is submitted, the error shows at the code.
  await page.getByTestId('appeal-submit').click()
  await expect(page.locator('.el-form-item.is-error')).toContainText('请填写短信验证码')
  const code = await latestSmsCode(page.request, APPELLANT_MOBILE, APPEAL_SMS_MARKER)
  await page.getByTestId('appeal-code').fill(code === '000000' ? '111111' : '000000')
  await page.getByTestId('appeal-submit').click()
  await expect(page.locator('.el-form-item.is-error')).toContainText('验证码')
  await expect(page.getByTestId('appeal-uploads')).toBeVisible()
  await page.getByTestId('appeal-code').fill(code)
  await shot(page, '61-appeal-uploads')
  await page.getByTestId('appeal-submit').click()

  // Step 3: submitted, with the reply date and where the reply goes.
  const due = page.getByTestId('appeal-due')
  await expect(due).toContainText(`申诉已提交，协会将于 `)
  await expect(due).toContainText(`前将结果发送至 ${APPEAL_EMAIL}`)
  const dueDate = /\d{4}-\d{2}-\d{2}/.exec((await due.textContent()) ?? '')?.[0]
  expect(dueDate).toBeTruthy()
  await expect(page.getByTestId('appeal-summary')).toContainText('待审核')
  await expect(page.getByTestId('appeal-summary')).toContainText(`${APPELLANT_MASKED} 已验证`)
  await shot(page, '62-appeal-submitted')

  // The reviewer's queue.
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-appeal-review').click()
  await expect(page).toHaveURL(/\/review\/appeals/)
  const row = page.getByTestId('appeal-review-table').getByRole('row').filter({ hasText: F05_USCC })
  await expect(row).toContainText(unit.unitName)
  await expect(row).toContainText('王小明')
  await expect(row.getByTestId('appeal-row-due')).toHaveText(dueDate!)
  await expect(row.getByTestId('appeal-overdue')).toHaveCount(0)
  await shot(page, '63-appeal-review-list')
  await row.click()

  // The detail: the registered contact beside the appellant who replaces them, and the proofs.
  await expect(page.getByTestId('appeal-review-unit')).toHaveText(unit.unitName)
  await expect(page.getByTestId('appeal-unit-contact')).toHaveText('李四 138****8005')
  await expect(page.getByTestId('appeal-appellant-name')).toHaveText('王小明')
  await expect(page.getByTestId('appeal-appellant-id')).toHaveText(`${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(14)}`)
  await expect(page.getByTestId('appeal-appellant-mobile')).toHaveText(APPELLANT_MASKED)
  await expect(page.getByTestId('appeal-mobile-verified')).toHaveText('已验证')
  await expect(page.getByTestId('appeal-review-documents').getByTestId('doc-image')).toBeVisible()
  await expect(page.getByTestId('appeal-review-documents').getByTestId('doc-link')).toBeVisible()
  await expect(page.getByTestId('appeal-review-documents')).toContainText('授权委托书 · authorisation-letter.pdf')
  await expect(page.getByTestId('appeal-unit-record-name')).toHaveText(unit.unitName)
  await expect(page.getByTestId('appeal-name-mismatch')).toHaveCount(0)

  // One admin account: nothing to choose; the form says what approval does.
  await expect(page.getByTestId('appeal-reset-for')).toHaveCount(0)
  await expect(page.getByTestId('appeal-reset-account')).toHaveText(unit.username)
  await expect(page.getByTestId('appeal-reset-note')).toHaveText(`临时密码将以短信发送至申诉人手机 ${APPELLANT_MASKED}`)
  const effect = page.getByTestId('appeal-approve-effect')
  await expect(effect).toContainText('授权联系人由“李四 138****8005”变更为申诉人“王小明”')
  await expect(effect).toContainText(`帐号 ${unit.username} 的密码重置`)

  // 通过 needs a reply; the confirmation says who becomes the contact and where the password goes.
  await page.getByTestId('appeal-decide').click()
  await expect(page.locator('.el-form-item.is-error')).toContainText('请填写答复意见')
  await page.getByTestId('appeal-reply-input').fill('经核实，申诉属实，同意变更授权联系人并重置管理员密码。')
  await shot(page, '64-appeal-review-detail')
  await page.getByTestId('appeal-decide').click()
  const box = page.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toContainText(unit.username)
  await expect(box).toContainText('授权联系人将变更为王小明')
  await expect(box).toContainText(APPELLANT_MASKED)
  await box.getByRole('button', { name: '确定' }).click()
  await expect(page.getByTestId('review-decision')).toContainText('已通过')
  await expect(page.getByTestId('review-decision')).toContainText('答复意见')
  await expect(page.getByTestId('appeal-decision-form')).toHaveCount(0)
  await shot(page, '65-appeal-review-decided')
  await logout(page)

  // The temporary password went by SMS to the appellant's proven mobile only.
  test.skip(AWS_MODE, 'the e-mail checks read the local outbox')
  const sms = await latestSms(page.request, APPELLANT_MOBILE, '临时密码')
  const temporary = /临时密码为\s*(\S+?)，/.exec(sms ?? '')?.[1]
  expect(temporary, `SMS to ${APPELLANT_MOBILE}: ${sms}`).toBeTruthy()
  const sent = await outbox(page.request)
  expect(sent.filter((m) => m.body.includes(temporary!)).map((m) => m.to)).toEqual([APPELLANT_MOBILE])
  const toOld = sent.filter((m) => m.to === OLD_CONTACT_MOBILE && m.body.includes('授权联系人已变更为王小明'))
  expect(toOld.length, 'the old contact is told of the change').toBe(1)
  expect(toOld[0].body).not.toContain('临时密码为')
  const mails = sent.filter((m) => m.channel !== 'sms' && m.to.includes(APPEAL_EMAIL))
  expect(mails.length).toBeGreaterThan(0)
  for (const m of mails) expect(m.body).not.toContain(temporary!)

  // The temporary password logs in, but only to set a new password.
  const answer = await page.request.post('/api/v1/auth/login', {
    data: { username: unit.username, password: temporary!, user_type: 'unit' },
  })
  expect(answer.status()).toBe(200)
  const session = await answer.json()
  expect(session.account.password_change_required).toBe(true)
  expect(session.account.password_change_reason).toBe('appeal')
  await expect(apiLogin(page.request, unit.username, unit.password, 'unit')).rejects.toThrow(/401/)
  await login(page, unit.username, temporary!, 'unit')
  await expect(page).toHaveURL(/\/password\/change$/)
  await expect(page.getByTestId('password-change')).toBeVisible()
  await expect(page.getByTestId('password-change-reason')).toContainText('帐号申诉')
  await shot(page, '66-appeal-temporary-password-change')
})

// F18 注销 (§3.3.4) and F19 公示证书 in the browser: the unit exports 公示证书管理 (Excel and
// CSV, #18) and cancels a published person from it with a reason, prints the 注销申请表, uploads it
// stamped (straight to review, no SMS), the reviewer approves and the certificate shows 已注销;
// the public looks a published person up (masked ID only) and verifies a printed form by its
// number, genuine or forged.
// The people, their mobiles, the units and the first publicity are made through the API.
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from './fixtures'
import { idNumber, importPractitioners, publishThroughApi, registerApprovedUnit, registerPractitionerMobile, uscc } from './api'
import { SEED_PASSWORD } from './env'
import { writeUploadFiles, xlsxRows } from './files'
import { login, logout, shot } from './ui'

// USCCs no other spec registers (all specs share one gateway per run); valid check digits.
const F18_USCC = '91350200MA8F18C2XK'
const F19_USCC = '91350200MA8F19D3YL'
const UNIT_PASSWORD = 'Unit-pass-2024'

/** Opens an item of the 执业公示申请 menu. */
async function publicityMenu(page: Page, item: string): Promise<void> {
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId(item).click()
}

/** Confirms the open ElMessageBox. */
async function confirmBox(page: Page): Promise<void> {
  const box = page.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toBeVisible()
  await box.getByRole('button', { name: '确定' }).click()
  await expect(box).toBeHidden()
}

test('f19_unit_exports_its_publicity_certificates_as_csv_and_excel_with_the_id_masked', async ({ page }) => {
  const person = { idNumber: idNumber('35020319870519194'), name: '陈导出', mobile: '13950001929' }
  await importPractitioners(page.request, [
    { ...person, certificateNo: 'TS-JY-2024-F19X', itemCode: 'DT', itemName: '电梯', validUntil: '2029-12-31' },
  ])
  await registerPractitionerMobile(page.request, person)
  const unit = await registerApprovedUnit(page.request, {
    username: `dc${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门证书导出测试检验有限公司',
    uscc: uscc('91350200MA8F19E4K'),
  })
  const certificateNo = (await publishThroughApi(page.request, unit, person)).publicity_certificate_no!
  expect(certificateNo).toBeTruthy()
  await login(page, unit.username, unit.password, 'unit')
  await publicityMenu(page, 'nav-publicity-certificates')
  await expect(page.getByTestId('certificates-table')).toContainText(certificateNo)

  // 导出 CSV: the same list as a spreadsheet, fetched with the session.
  const download = page.waitForEvent('download')
  await page.getByTestId('certificates-export').click()
  const csv = await download
  expect(csv.suggestedFilename()).toBe('publicities.csv')
  const text = readFileSync(await csv.path(), 'utf8')
  expect(text).toContain('公示证书编号')
  expect(text).toContain(certificateNo)
  expect(text).not.toContain(person.idNumber)

  // 导出 Excel beside it (format=xlsx): the same list as a workbook, the ID number masked.
  const xlsxDownload = page.waitForEvent('download')
  await page.getByTestId('certificates-export-xlsx').click()
  const xlsx = await xlsxDownload
  expect(xlsx.suggestedFilename()).toBe('publicities.xlsx')
  const workbook = readFileSync(await xlsx.path())
  expect(workbook.subarray(0, 2).toString('latin1')).toBe('PK')
  const [header, ...rows] = xlsxRows(workbook)
  expect(header).toContain('公示证书编号')
  const exported = rows.find((r) => r.includes(certificateNo))
  expect(exported).toContain(person.name)
  expect(rows.flat().join(' ')).not.toContain(person.idNumber)

  await shot(page, '182-certificates-exported')
})

test('f18_unit_cancels_publicity_with_reason_uploads_stamped_form_reviewer_approves', async ({ page }) => {
  const person = { idNumber: idNumber('35020319870518183'), name: '林志强', mobile: '13950001818' }
  await importPractitioners(page.request, [
    { ...person, certificateNo: 'TS-JY-2024-F18', itemCode: 'DT', itemName: '电梯', validUntil: '2029-12-31' },
  ])
  await registerPractitionerMobile(page.request, person)
  const unit = await registerApprovedUnit(page.request, {
    username: `zx${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门注销测试检验有限公司',
    uscc: F18_USCC,
  })
  const published = await publishThroughApi(page.request, unit, person)
  const certificateNo = published.publicity_certificate_no!
  expect(certificateNo).toBeTruthy()
  const files = writeUploadFiles()

  // 公示证书管理: the person's certificate, valid, with 注销 offered.
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await publicityMenu(page, 'nav-publicity-certificates')
  await expect(page).toHaveURL(/\/publicity\/certificates/)
  const row = page.getByTestId('certificates-table').getByRole('row').filter({ hasText: certificateNo })
  await expect(row).toContainText(person.name)
  await expect(row).toContainText('电梯')
  await expect(row.getByTestId('status-tag')).toHaveText('有效')
  await expect(page.getByTestId('certificates-counts')).toContainText('有效 1 张')
  await shot(page, '180-certificates')

  // 公示证书注销申请: a reason is asked for, then the cancellation is created and opened.
  await row.getByTestId('certificate-cancel').click()
  const dialog = page.getByTestId('cancel-dialog')
  await expect(dialog.getByTestId('cancel-certificate-no')).toHaveText(certificateNo)
  await dialog.getByTestId('cancel-submit').click()
  await expect(dialog.getByTestId('cancel-reason-item')).toContainText('请选择注销原因')
  await dialog.getByTestId('cancel-reason-resigned').click()
  await dialog.getByTestId('cancel-reason-note').fill('2026年11月离职')
  await expect(dialog.getByTestId('cancel-reason-preview')).toContainText('离职：2026年11月离职')
  await shot(page, '181-certificate-cancel-dialog')
  await dialog.getByTestId('cancel-submit').click()

  // The cancellation: its own steps, the reason, no clauses, the 7 days running.
  await expect(page).toHaveURL(/\/publicity\/applications\/[^/]+$/)
  const detail = page.getByTestId('application-detail')
  const number = (await page.getByTestId('application-number').textContent())!.trim()
  expect(number).toMatch(/^ZX/)
  await expect(detail.locator('.title-row h1')).toContainText('公示证书注销申请')
  await expect(detail.locator('.title-row').getByTestId('kind-tag')).toHaveText('注销')
  await expect(detail.locator('.title-row').getByTestId('status-tag')).toHaveText('待上传申请表')
  await expect(detail.locator('.title-row').getByTestId('deadline-countdown')).toBeVisible()
  await expect(page.getByTestId('application-steps')).toHaveAttribute('data-active', '1')
  await expect(page.getByTestId('application-steps')).toContainText('打印注销申请表')
  await expect(page.getByTestId('application-steps')).not.toContainText('执业人确认')
  await expect(page.getByTestId('application-reason')).toHaveText('离职：2026年11月离职')
  await expect(page.getByTestId('publicity-certificate-no')).toHaveText(certificateNo)
  await expect(page.getByTestId('application-clauses')).toHaveCount(0)
  await expect(page.getByTestId('application-resend')).toHaveCount(0)
  await shot(page, '182-cancellation-created')

  // 打印注销申请表: a PDF.
  const formAnswer = page.waitForResponse((r) => r.url().endsWith('/form') && r.request().method() === 'GET')
  const popup = page.waitForEvent('popup')
  await page.getByTestId('application-print').click()
  const form = (await (await formAnswer).json()) as { url: string; file_name: string }
  await (await popup).close()
  const pdf = await page.request.get(form.url)
  expect(pdf.status()).toBe(200)
  expect(pdf.headers()['content-type']).toContain('application/pdf')
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-')

  // The stamped form goes straight to review: no practitioner confirmation.
  await page.getByTestId('application-scan-input').setInputFiles(files.pdf)
  await expect(page.getByTestId('application-scan').getByTestId('upload-done')).toBeVisible()
  await expect(page.getByTestId('application-scan-submit')).toHaveText('提交审核')
  await page.getByTestId('application-scan-submit').click()
  await expect(detail.locator('.title-row').getByTestId('status-tag')).toHaveText('审核中')
  await expect(page.getByTestId('application-steps')).toHaveAttribute('data-active', '3')
  await expect(page.getByTestId('application-actions')).toHaveCount(0)
  await expect(page.getByTestId('application-history')).toContainText('上传盖章的注销申请表，提交审核')
  await shot(page, '183-cancellation-under-review')

  // The 申报单 list shows it as of type 注销, under review.
  await publicityMenu(page, 'nav-publicity-applications')
  const listed = page.getByTestId('application-table').getByRole('row').filter({ hasText: number })
  await expect(listed.getByTestId('kind-tag')).toHaveText('注销')
  await expect(listed.getByTestId('status-tag')).toHaveText('审核中')
  await logout(page)

  // The reviewer: the reason beside the form and the scan; 通过.
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-publicity-review').click()
  const queued = page.getByTestId('application-review-table').getByRole('row').filter({ hasText: number })
  await expect(queued.getByTestId('kind-tag')).toHaveText('注销')
  await queued.click()
  await expect(page.getByTestId('application-review-title')).toContainText(number)
  await expect(page.getByTestId('application-reason')).toHaveText('离职：2026年11月离职')
  await expect(page.getByTestId('review-form').getByTestId('document-frame')).toBeVisible()
  await expect(page.getByTestId('review-scan').getByTestId('document-frame')).toBeVisible()
  await shot(page, '184-cancellation-review')
  await page.getByTestId('review-approve').click()
  await confirmBox(page)
  await expect(page.getByTestId('review-decision')).toContainText('通过')
  await logout(page)

  // The unit: the certificate is 已注销, nothing more to do with it.
  await login(page, unit.username, unit.password, 'unit')
  await publicityMenu(page, 'nav-publicity-certificates')
  const ended = page.getByTestId('certificates-table').getByRole('row').filter({ hasText: certificateNo })
  await expect(ended.getByTestId('status-tag')).toHaveText('已注销')
  await expect(ended.getByTestId('certificate-cancel')).toHaveCount(0)
  await page.getByTestId('certificates-tabs').getByRole('tab', { name: '有效' }).click()
  await expect(page.getByTestId('certificates-empty')).toBeVisible()
  await page.getByTestId('certificates-tabs').getByRole('tab', { name: '已注销' }).click()
  await expect(page).toHaveURL(/state=cancelled/)
  await expect(page.getByTestId('certificates-table').getByRole('row').filter({ hasText: certificateNo })).toBeVisible()
  await shot(page, '185-certificates-cancelled')
})

test('f19_public_lookup_shows_masked_practitioner_and_verify_tells_genuine_from_forged', async ({ page }) => {
  const person = { idNumber: idNumber('35020319930704184'), name: '吴丽娟', mobile: '13950001919' }
  await importPractitioners(page.request, [
    { ...person, certificateNo: 'TS-JY-2024-F19', itemCode: 'QZ', itemName: '起重机械', level: '检验师', validUntil: '2029-06-30' },
  ])
  await registerPractitionerMobile(page.request, person)
  const unit = await registerApprovedUnit(page.request, {
    username: `gs${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门公示查询测试检测有限公司',
    uscc: F19_USCC,
  })
  const published = await publishThroughApi(page.request, unit, person)
  const certificateNo = published.publicity_certificate_no!
  const maskedId = `${person.idNumber.slice(0, 3)}***********${person.idNumber.slice(-4)}`

  // 执业公示查询 from the login page, by certificate number and name.
  await page.goto('/login')
  await page.getByTestId('login-lookup-link').click()
  await expect(page).toHaveURL(/\/lookup$/)
  await page.getByTestId('lookup-certificate-no-input').fill(certificateNo)
  await page.getByTestId('lookup-name-input').fill('某某某')
  await page.getByTestId('lookup-submit').click()
  await expect(page.getByTestId('lookup-empty')).toContainText('未查询到执业公示信息')

  await page.getByTestId('lookup-name-input').fill(person.name)
  await page.getByTestId('lookup-submit').click()
  const card = page.getByTestId('lookup-result')
  await expect(card).toHaveCount(1)
  await expect(card.getByTestId('lookup-name')).toHaveText(person.name)
  await expect(card.getByTestId('lookup-id-number')).toHaveText(maskedId)
  await expect(card.getByTestId('lookup-unit')).toHaveText(unit.unitName)
  await expect(card.getByTestId('status-tag')).toHaveText('有效')
  await expect(card.getByTestId('lookup-items')).toContainText('起重机械')
  await expect(card.getByTestId('lookup-items')).toContainText('检验师')
  await expect(card.getByTestId('lookup-stay')).toContainText(unit.unitName)
  expect(await page.content()).not.toContain(person.idNumber)
  await shot(page, '190-public-lookup')

  // By the unit's USCC.
  await page.getByTestId('lookup-mode-unit').click()
  await page.getByTestId('lookup-uscc-input').fill(F19_USCC)
  await page.getByTestId('lookup-submit').click()
  await expect(page).toHaveURL(new RegExp(`uscc=${F19_USCC}`))
  await expect(page.getByTestId('lookup-result').filter({ hasText: person.name })).toBeVisible()
  expect(await page.content()).not.toContain(person.idNumber)

  // The QR code's link: a genuine number with its state.
  await page.goto(`/verify?number=${published.number}`)
  await expect(page.getByTestId('verify-genuine')).toContainText('真实有效的申报单')
  await expect(page.getByTestId('verify-number')).toHaveText(published.number)
  await expect(page.getByTestId('verify-state')).toHaveText('通过')
  await expect(page.getByTestId('verify-unit')).toHaveText(unit.unitName)
  await expect(page.getByTestId('verify-person')).toHaveText(`${person.name[0]}**`)
  expect(await page.content()).not.toContain(person.idNumber)
  await shot(page, '191-verify-genuine')

  // A forged number: the red warning.
  await page.goto('/verify?number=SB20261126-FORGED00')
  await expect(page.getByTestId('verify-not-found')).toContainText('未查询到该申报单')
  await expect(page.getByTestId('verify-genuine')).toHaveCount(0)
  await shot(page, '192-verify-forged')

  // Typed in by hand, in lower case.
  await page.getByTestId('verify-number-input').fill(published.number.toLowerCase())
  await page.getByTestId('verify-submit').click()
  await expect(page).toHaveURL(new RegExp(`number=${published.number}`))
  await expect(page.getByTestId('verify-genuine')).toBeVisible()
  await expect(page.getByTestId('verify-not-found')).toHaveCount(0)
})

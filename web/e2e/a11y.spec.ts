// Accessibility (WCAG 2.1 A/AA, measured with axe-core): every screen, public and logged in,
// with data made through the API so lists and details are not empty. Prints the violations
// per screen and fails on any.
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from './fixtures'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  applyThroughApi,
  idNumber,
  importPractitioners,
  publishThroughApi,
  registerApprovedUnit,
  registerPractitionerMobile,
  requestAddressChange,
  saveRegistrationStep,
  startRegistration,
  submitAppealThroughApi,
  uploadScanThroughApi,
  uscc,
} from './api'
import { RESULTS_DIR, SEED_PASSWORD, WEB_DIR } from './env'
import { writeUploadFiles } from './files'
import { login, logout, shot } from './ui'

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const A11Y_USCC = '91350200MA8A11Y0X8'
const DRAFT_USCC = '91350200MA8A11Y1X9'
const KEYBOARD_USCC = uscc('91350200MA8KBD01X')
const KEYBOARD_APPLY_USCC = uscc('91350200MA8KBD02X')
const ZOOM_USCC = uscc('91350200MA8RFW01X')
const UNIT_PASSWORD = 'Unit-pass-2024'
const PUBLISHED = { idNumber: idNumber('35020319880808111'), name: '郑无障', mobile: '13950001111' }
const APPLYING = { idNumber: idNumber('35020319880808222'), name: '周可达', mobile: '13950002222' }
/** Asked to confirm an application (F14): the public page's step 2 and its decline dialog. */
const CONFIRMING = { idNumber: idNumber('35020319880808555'), name: '吴确认', mobile: '13950005555' }

/** Waits until the page has loaded its data and its transitions are over. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-skeleton:visible, .el-loading-mask:visible')).toHaveCount(0)
  await page.waitForTimeout(300)
}

interface ScreenResult {
  screen: string
  violations: number
  nodes: number
  rules: string[]
  /** Colour pairs that fail, as axe measured them. */
  contrast: string[]
}

/** Runs axe on the page as it is, prints what it found, and fails (softly) on any violation. */
async function audit(page: Page, screen: string, results: ScreenResult[] = []): Promise<void> {
  await settle(page)
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const nodes = violations.reduce((n, v) => n + v.nodes.length, 0)
  const rules = violations.map((v) => `${v.id}(${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  const contrast = violations
    .filter((v) => v.id === 'color-contrast')
    .flatMap((v) => v.nodes.map((n) => n.any[0]?.data as { fgColor: string; bgColor: string; contrastRatio: number; fontSize: string } | undefined))
    .map((d) => (d ? `${d.fgColor} on ${d.bgColor} ${d.contrastRatio}:1 ${d.fontSize}` : '?'))
  results.push({ screen, violations: violations.length, nodes, rules, contrast })
  console.log(`axe ${screen}: ${violations.length} violations, ${nodes} nodes${rules.length ? '\n  ' + rules.join('\n  ') : ''}`)
  expect.soft(rules, `axe violations on ${screen}`).toEqual([])
}

test('a11y_every_screen_has_no_wcag_2_1_aa_violations', async ({ page }) => {
  test.setTimeout(240_000)
  const results: ScreenResult[] = []
  const check = (screen: string) => audit(page, screen, results)

  // Data: a unit with one published person and one application under way, a registration
  // draft, a change request and an appeal waiting for the reviewer.
  await importPractitioners(page.request, [
    { ...PUBLISHED, certificateNo: 'TS-JY-2024-A11', itemCode: 'DT', itemName: '电梯' },
    { ...APPLYING, certificateNo: 'TS-JY-2024-A12', itemCode: 'QZ', itemName: '起重机械' },
    { ...CONFIRMING, certificateNo: 'TS-JY-2024-A15', itemCode: 'QZ', itemName: '起重机械' },
  ])
  await registerPractitionerMobile(page.request, PUBLISHED)
  await registerPractitionerMobile(page.request, APPLYING)
  await registerPractitionerMobile(page.request, CONFIRMING)
  const unit = await registerApprovedUnit(page.request, {
    username: `a11y${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门无障碍检验检测有限公司',
    uscc: A11Y_USCC,
  })
  const published = await publishThroughApi(page.request, unit, PUBLISHED)
  const changeId = await requestAddressChange(page.request, unit)
  const appealId = await submitAppealThroughApi(page.request, unit)
  const awaiting = await applyThroughApi(page.request, unit, CONFIRMING)
  const confirmationCode = await uploadScanThroughApi(page.request, unit, CONFIRMING, awaiting.id)

  // Public screens.
  for (const [screen, url] of [
    ['login', '/login'],
    ['register-basic', '/register'],
    ['recover-password', '/recover-password'],
    ['appeal', '/appeal'],
    ['practitioner-mobile', '/practitioner/mobile'],
    ['confirm', '/confirm'],
    ['lookup', `/lookup?uscc=${A11Y_USCC}`],
    ['verify', `/verify?number=${published.number}`],
    ['not-found', '/no-such-page'],
  ] as const) {
    await page.goto(url)
    await check(screen)
  }
  // 执业人确认申报, step 2 (what is asked) and the 拒绝 dialog; nothing is answered.
  await page.goto('/confirm')
  await page.getByTestId('confirm-id-number').fill(CONFIRMING.idNumber)
  await page.getByTestId('confirm-code').fill(confirmationCode)
  await page.getByTestId('confirm-preview').click()
  await expect(page.getByTestId('confirm-number')).toHaveText(awaiting.number)
  await check('confirm-preview')
  await page.getByTestId('confirm-decline').click()
  await expect(page.getByTestId('confirm-reason')).toBeVisible()
  await check('confirm-decline-dialog')
  await page.getByTestId('confirm-decline-cancel').click()
  await expect(page.getByTestId('confirm-decline-dialog')).toBeHidden()

  // The registration wizard, steps 2–4, for a registrant whose draft was made through the API.
  const draft = await startRegistration(page.request, {
    username: `a11yreg${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门无障碍注册测试有限公司',
    uscc: DRAFT_USCC,
  })
  await page.evaluate((session) => localStorage.setItem('gongshi.session', JSON.stringify(session)), draft.session)
  await page.goto('/register')
  await expect(page.getByTestId('step-licence')).toBeVisible()
  await check('register-licence')
  await saveRegistrationStep(page.request, draft, 'licence')
  await page.reload()
  await expect(page.getByTestId('step-qualification')).toBeVisible()
  await check('register-qualification')
  await saveRegistrationStep(page.request, draft, 'qualification')
  await page.reload()
  await expect(page.getByTestId('step-contact')).toBeVisible()
  await check('register-contact')
  await page.evaluate(() => localStorage.removeItem('gongshi.session'))

  // The unit's screens.
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await check('unit-home')
  for (const [screen, url] of [
    ['unit-info', '/unit'],
    ['unit-accounts', '/unit/accounts'],
    ['unit-branches', '/unit/branches'],
    ['unit-qualifications', '/unit/qualifications'],
    ['unit-change-request', '/unit/change-request'],
    ['publicity-appends', '/publicity/appends'],
    ['publicity-renewals', '/publicity/renewals'],
    ['publicity-certificates', '/publicity/certificates'],
    ['publicity-practitioners', '/publicity/practitioners'],
    ['publicity-approved-detail', `/publicity/applications/${published.id}`],
  ] as const) {
    await page.goto(url)
    await check(screen)
  }
  // 人员检索 with its result, the clauses, and the new application.
  await page.goto('/publicity/apply')
  await page.getByTestId('apply-id-number').fill(APPLYING.idNumber)
  await page.getByTestId('apply-name').fill(APPLYING.name)
  await page.getByTestId('apply-search-submit').click()
  await expect(page.getByTestId('apply-person-name')).toHaveText(APPLYING.name)
  await check('publicity-apply-search')
  await page.getByTestId('apply-result').locator('.el-table__body .el-checkbox').first().click()
  await page.getByTestId('apply-next').click()
  await expect(page.getByTestId('clauses-list')).toBeVisible()
  await check('publicity-apply-clauses')
  await page.getByTestId('clauses-confirm').click()
  await page.getByTestId('apply-submit').click()
  await expect(page).toHaveURL(/\/publicity\/applications\/[^/]+$/)
  await check('publicity-created-detail')
  await page.goto('/publicity/applications')
  await check('publicity-applications')
  await logout(page)

  // The reviewer's queues and details.
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await expect(page).toHaveURL(/\/review\/registrations/)
  await check('review-registrations')
  for (const [screen, url] of [
    ['review-registration-detail', `/review/registrations/${unit.registrationId}`],
    ['review-applications', '/review/applications?state=approved'],
    ['review-application-detail', `/review/applications/${published.id}`],
    ['review-change-requests', '/review/change-requests'],
    ['review-change-request-detail', `/review/change-requests/${changeId}`],
    ['review-appeals', '/review/appeals'],
    ['review-appeal-detail', `/review/appeals/${appealId}`],
  ] as const) {
    await page.goto(url)
    await check(screen)
  }
  await logout(page)

  // The association admin's pages.
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await expect(page).toHaveURL(/\/review\/registrations/)
  for (const [screen, url] of [
    ['admin-practitioners-import', '/admin/practitioners-import'],
    ['admin-clauses', '/admin/clauses'],
    ['admin-legacy-import', '/admin/legacy-import'],
    ['admin-calendar', '/admin/calendar'],
    ['admin-notices', '/admin/notices'],
  ] as const) {
    await page.goto(url)
    await check(screen)
  }
  // 人员库导入 with a workbook's sheet named and its report: what it was read as, a refused row,
  // the error report offered (#18).
  await page.goto('/admin/practitioners-import')
  await page.getByTestId('practitioner-file-input').setInputFiles(path.join(WEB_DIR, '..', 'tests', 'fixtures', 'registry-openpyxl.xlsx'))
  await page.getByTestId('practitioner-sheet').fill('人员库')
  await page.getByTestId('practitioner-import-submit').click()
  await expect(page.getByTestId('practitioner-error-report')).toBeVisible()
  await check('admin-practitioners-import-report')

  const total = results.reduce((n, r) => n + r.nodes, 0)
  console.log(`axe summary: ${results.filter((r) => r.violations > 0).length} of ${results.length} screens with violations, ${total} nodes`)
  writeFileSync(path.join(RESULTS_DIR, 'a11y.json'), JSON.stringify(results, null, 2))
})

/** Presses Tab until the focus is in the element with `testid` (at most `max` presses). */
async function tabTo(page: Page, testid: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const there = await page.evaluate((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`)
      const active = document.activeElement
      return Boolean(el && active && (el === active || el.contains(active)))
    }, testid)
    if (there) return
  }
  throw new Error(`Tab did not reach [data-testid="${testid}"] within ${max} presses`)
}

/** Tabs to a field and types into it. */
async function typeInto(page: Page, testid: string, text: string): Promise<void> {
  await tabTo(page, testid)
  await page.keyboard.type(text)
}

/** Tabs to an uploader's button, presses Enter and gives the file chooser `file`. */
async function uploadByKeyboard(page: Page, testid: string, file: string): Promise<void> {
  await tabTo(page, testid)
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Enter')
  await (await chooser).setFiles(file)
  await expect(page.getByTestId(testid).getByTestId('upload-done')).toBeVisible()
}

test('a11y_keyboard_only_registration_with_field_errors_tied_to_their_inputs', async ({ page }) => {
  const files = writeUploadFiles()
  await page.goto('/register')
  await expect(page.getByTestId('step-basic')).toBeVisible()

  // Nothing typed: the errors are tied to their inputs (aria-invalid, aria-describedby).
  await tabTo(page, 'wizard-next')
  await page.keyboard.press('Enter')
  const username = page.getByTestId('reg-username')
  await expect(username).toHaveAttribute('aria-invalid', 'true')
  const describedBy = (await username.getAttribute('aria-describedby')) ?? ''
  const errorId = describedBy.split(' ').find((id) => id.startsWith('gs-field-error-'))
  expect(errorId, describedBy).toBeTruthy()
  await expect(page.locator(`[id="${errorId}"]`)).toContainText('请填写用户名')
  await audit(page, 'register-basic-errors')

  // Step 1 from the top, by keyboard alone; the password's eye is a button Tab reaches.
  await page.goto('/register')
  await typeInto(page, 'reg-username', `kbd${Date.now().toString(36)}`)
  await typeInto(page, 'reg-password', UNIT_PASSWORD)
  await page.keyboard.press('Tab')
  const eye = page.getByTestId('step-basic').getByRole('button', { name: '显示密码' }).first()
  await expect(eye).toBeFocused()
  await page.keyboard.press('Space')
  await expect(page.getByTestId('reg-password')).toHaveAttribute('type', 'text')
  await typeInto(page, 'reg-confirm-password', UNIT_PASSWORD)
  await typeInto(page, 'reg-unit-name', '厦门键盘操作检测有限公司')
  await typeInto(page, 'reg-uscc', KEYBOARD_USCC)
  await typeInto(page, 'reg-legal-rep', '张三')
  await typeInto(page, 'reg-address', '福建省厦门市思明区湖滨南路200号')
  await typeInto(page, 'reg-postcode', '361001')
  await tabTo(page, 'wizard-next')
  await page.keyboard.press('Enter')

  // Step 2: the licence through the uploader's button.
  await expect(page.getByTestId('step-licence')).toBeVisible()
  await uploadByKeyboard(page, 'licence-upload', files.png)
  await tabTo(page, 'wizard-next')
  await page.keyboard.press('Enter')

  // Step 3: the qualification (核准证 is the default kind).
  await expect(page.getByTestId('step-qualification')).toBeVisible()
  await typeInto(page, 'qual-certificate-no', 'TS7110009-2029')
  await typeInto(page, 'qual-authority', '福建省市场监督管理局')
  await typeInto(page, 'qual-items', '电梯')
  await page.keyboard.press('Enter')
  await typeInto(page, 'qual-valid-from', '2024-01-01')
  await page.keyboard.press('Enter')
  await typeInto(page, 'qual-valid-until', '2029-12-31')
  await page.keyboard.press('Enter')
  await uploadByKeyboard(page, 'scan-upload', files.pdf)
  await tabTo(page, 'wizard-next')
  await page.keyboard.press('Enter')

  // Step 4: the contact, then submit.
  await expect(page.getByTestId('step-contact')).toBeVisible()
  await typeInto(page, 'contact-name', '李四')
  await typeInto(page, 'contact-id-number', '11010519491231002X')
  await typeInto(page, 'contact-mobile', '13800138000')
  await typeInto(page, 'contact-email', 'lisi@example.com')
  await tabTo(page, 'wizard-submit')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('register-submitted')).toBeVisible()
})

test('a11y_keyboard_only_application_and_focus_on_the_heading_after_login', async ({ page }) => {
  const person = { idNumber: idNumber('35020319880808333'), name: '吴键盘', mobile: '13950003333' }
  await importPractitioners(page.request, [{ ...person, certificateNo: 'TS-JY-2024-A13', itemCode: 'DT', itemName: '电梯' }])
  await registerPractitionerMobile(page.request, person)
  const unit = await registerApprovedUnit(page.request, {
    username: `kbdapp${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门键盘申报检测有限公司',
    uscc: KEYBOARD_APPLY_USCC,
  })
  const files = writeUploadFiles()

  // Log in by keyboard: 单位用户 is chosen already; Enter submits.
  await page.goto('/login')
  await typeInto(page, 'login-username', unit.username)
  await typeInto(page, 'login-password', unit.password)
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/home$/)
  // The focus is on the new page's heading, not lost on body.
  await expect(page.getByRole('heading', { level: 1, name: '单位首页' })).toBeFocused()

  await page.goto('/publicity/apply')
  await typeInto(page, 'apply-id-number', person.idNumber)
  await typeInto(page, 'apply-name', person.name)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('apply-person-name')).toHaveText(person.name)
  // The row's checkbox, by Tab and Space.
  await tabTo(page, 'apply-result')
  await page.keyboard.press('Space')
  await tabTo(page, 'apply-next')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('clauses-list')).toBeVisible()
  await tabTo(page, 'clauses-confirm')
  await page.keyboard.press('Space')
  await tabTo(page, 'apply-submit')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/publicity\/applications\/[^/]+$/)

  // 打印申请表 opens the PDF in a new tab; the signed scan through the uploader's button.
  await tabTo(page, 'application-print')
  const popup = page.waitForEvent('popup')
  await page.keyboard.press('Enter')
  await (await popup).close()
  await uploadByKeyboard(page, 'application-scan', files.pdf)
  await tabTo(page, 'application-scan-submit')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('application-detail').locator('.title-row').getByTestId('status-tag')).toHaveText('待执业人确认')
})

/** No sideways scrolling: the page fits the viewport's width (WCAG 1.4.10 reflow). */
async function expectNoHorizontalOverflow(page: Page, screen: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
  expect.soft(scrollWidth, `${screen}: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`).toBeLessThanOrEqual(clientWidth)
}

test.describe('at 200 % zoom (a 1366 px screen shows 683 CSS px)', () => {
  test.use({ viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 })

  test('a11y_200_percent_zoom_logged_in_screens_reflow', async ({ page }) => {
    test.setTimeout(180_000)
    const person = { idNumber: idNumber('35020319880808444'), name: '林缩放', mobile: '13950004444' }
    await importPractitioners(page.request, [{ ...person, certificateNo: 'TS-JY-2024-A14', itemCode: 'DT', itemName: '电梯' }])
    await registerPractitionerMobile(page.request, person)
    const unit = await registerApprovedUnit(page.request, {
      username: `zoom${Date.now().toString(36)}`,
      password: UNIT_PASSWORD,
      unitName: '厦门二百倍缩放检验检测有限公司',
      uscc: ZOOM_USCC,
    })
    const published = await publishThroughApi(page.request, unit, person)

    const visit = async (screen: string, url: string | null) => {
      if (url) await page.goto(url)
      await settle(page)
      await expectNoHorizontalOverflow(page, screen)
      // The header reflows: the title on one line, 中文 on one line.
      const title = await page.getByTestId('app-title').boundingBox()
      expect.soft(title!.height, `${screen}: the system title wraps`).toBeLessThan(60)
      expect.soft(title!.width, `${screen}: the system title is squeezed`).toBeGreaterThan(150)
      const lang = await page.getByRole('button', { name: '中文' }).boundingBox()
      expect.soft(lang!.height, `${screen}: 中文 wraps`).toBeLessThan(32)
      await shot(page, `zoom200-${screen}`)
    }

    await visit('login', '/login')
    await login(page, unit.username, unit.password, 'unit')
    await expect(page).toHaveURL(/\/home$/)
    await visit('unit-home', null)
    await visit('publicity-applications', '/publicity/applications')
    await visit('publicity-detail', `/publicity/applications/${published.id}`)
    await visit('publicity-certificates', '/publicity/certificates')
    await visit('publicity-apply', '/publicity/apply')
    await visit('unit-info', '/unit')
    await logout(page)
    await login(page, 'reviewer', SEED_PASSWORD, 'association')
    await expect(page).toHaveURL(/\/review\/registrations/)
    await visit('review-registrations', null)
    await visit('review-application-detail', `/review/applications/${published.id}`)
    await logout(page)
    await login(page, 'admin', SEED_PASSWORD, 'association')
    await expect(page).toHaveURL(/\/review\/registrations/)
    await visit('admin-calendar', '/admin/calendar')
  })
})

test('a11y_larger_text_toggle_scales_the_root_font_and_is_remembered', async ({ page }) => {
  await page.goto('/login')
  const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
  // The locator waits for the login form: measured at once after goto, the input may not be there yet.
  const inputSize = () => page.getByTestId('login-username').evaluate((input) => getComputedStyle(input).fontSize)
  expect(await rootSize()).toBe('16px')
  const normal = parseFloat(await inputSize())
  const toggle = page.getByTestId('large-text-toggle')
  await expect(toggle).toHaveText('大字模式')
  await expect(toggle).toHaveAttribute('aria-pressed', 'false')
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-pressed', 'true')
  expect(await rootSize()).toBe('20px')
  expect(parseFloat(await inputSize())).toBeGreaterThanOrEqual(normal * 1.2)
  await shot(page, 'a11y-large-text-login')
  // Kept over a reload, and the page still fits.
  await page.reload()
  await expect(page.getByTestId('large-text-toggle')).toHaveAttribute('aria-pressed', 'true')
  expect(await rootSize()).toBe('20px')
  await expectNoHorizontalOverflow(page, 'login large text')
  await audit(page, 'login-large-text')
  await page.getByTestId('large-text-toggle').click()
  expect(await rootSize()).toBe('16px')
  expect(await page.evaluate(() => localStorage.getItem('gongshi.largeText'))).toBe('0')
})

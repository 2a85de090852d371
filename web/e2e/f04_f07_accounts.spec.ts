// F7 unit information and sub-accounts, F4 password recovery by SMS. The units are
// registered and approved through the API (api.ts); everything else is done in the browser.
import { expect, test, type Page } from './fixtures'
import { apiLogin, latestSmsCode, registerApprovedUnit, uscc } from './api'
import { login, logout, shot } from './ui'

// Each test registers its own unit: a USCC can be registered only once.
const F07_USCC = '91350200776049653A'
const F04_USCC = '913502000728319549'
const F04_WRONG_USCC = '123502001549897397'
const F07_OWN_USCC = uscc('91350200MA8F07PW0')
const UNIT_PASSWORD = 'Unit-pass-2024'
const CONTACT_MOBILE = '13800138000'

const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}`

/** The account table's row of one username. */
const accountRow = (page: Page, username: string) =>
  page.getByTestId('accounts-table').getByRole('row').filter({ has: page.getByText(username, { exact: true }) })

/** Confirms the open ElMessageBox. */
async function confirmBox(page: Page, shotName: string | null = null): Promise<void> {
  const box = page.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toBeVisible()
  await shot(page, shotName)
  await box.getByRole('button', { name: '确定' }).click()
  await expect(box).toBeHidden()
}

test('f07_unit_admin_creates_a_sub_account_that_cannot_manage_accounts', async ({ page }) => {
  const unit = await registerApprovedUnit(page.request, {
    username: uniqueName('adm'),
    password: UNIT_PASSWORD,
    unitName: '厦门电梯检测技术有限公司',
    uscc: F07_USCC,
  })
  const staff = {
    username: uniqueName('staff'),
    name: '王五',
    password: 'Staff-pass-2024',
    newPassword: 'Staff-pass-2025',
    ownPassword: 'Staff-own-2026',
  }

  // 单位信息: everything registered, read-only.
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-unit').click()
  await expect(page).toHaveURL(/\/unit$/)
  await expect(page.getByTestId('unit-uscc')).toHaveText(F07_USCC)
  await expect(page.getByTestId('unit-name')).toHaveText(unit.unitName)
  await expect(page.getByTestId('unit-contact')).toContainText('138****8000')
  await expect(page.getByTestId('unit-qualification')).toContainText('起重机械')
  await expect(page.getByTestId('unit-change-note')).toContainText('请提交信息变更申请并提供相应证明')
  await shot(page, '20-unit-info')

  // 帐号管理: only the admin so far.
  await page.getByTestId('nav-accounts').click()
  await expect(page).toHaveURL(/\/unit\/accounts$/)
  const self = accountRow(page, unit.username)
  await expect(self).toContainText('（当前帐号）')
  await expect(self).toContainText('管理员')
  await expect(self.getByTestId('account-toggle')).toHaveCount(0)
  await expect(page.getByTestId('accounts-empty')).toContainText('暂无子帐号，点击“新建子帐号”添加')
  await shot(page, '21-unit-accounts-empty')

  // A sub-account; the role defaults to 子帐号.
  await page.getByTestId('accounts-new').click()
  const dialog = page.getByTestId('account-dialog')
  await expect(dialog.getByTestId('account-role')).toContainText('子帐号')
  await dialog.getByTestId('account-username').fill(staff.username)
  await dialog.getByTestId('account-display-name').fill(staff.name)
  await dialog.getByTestId('account-password').fill(staff.password)
  await shot(page, '22-unit-account-new')
  await dialog.getByTestId('account-save').click()
  await expect(dialog).toBeHidden()
  const row = accountRow(page, staff.username)
  await expect(row).toContainText(staff.name)
  await expect(row).toContainText('子帐号')
  await expect(row).toContainText('正常')
  await expect(page.getByTestId('accounts-empty')).toBeHidden()
  await shot(page, '23-unit-accounts')

  // 停用 and 启用 again, each confirmed.
  await row.getByTestId('account-toggle').click()
  await confirmBox(page, '24-unit-account-disable-confirm')
  await expect(row).toContainText('已停用')
  await expect(row.getByTestId('account-toggle')).toHaveText('启用')
  await row.getByTestId('account-toggle').click()
  await confirmBox(page)
  await expect(row).toContainText('正常')

  // 重置密码 for the sub-account.
  await row.getByTestId('account-reset-password').click()
  const pwd = page.getByTestId('password-dialog')
  await pwd.getByTestId('password-new').fill(staff.newPassword)
  await pwd.getByTestId('password-confirm').fill(staff.newPassword)
  await shot(page, '25-unit-account-password')
  await pwd.getByTestId('password-save').click()
  await expect(pwd).toBeHidden()
  await expect(page.locator('.el-message--success').filter({ hasText: '密码已重置' })).toBeVisible()
  await logout(page)

  // The password the admin set is temporary (ASVS 2.3): the staff sets their own first.
  await login(page, staff.username, staff.newPassword, 'unit')
  await expect(page).toHaveURL(/\/password\/change$/)
  const change = page.getByTestId('password-change')
  await expect(change).toContainText('设置新密码')
  await expect(page.getByTestId('password-change-reason')).toBeVisible()
  await expect(page.getByTestId('password-change-rule')).toContainText('至少8位')
  // Kept there: other pages lead back.
  await page.goto('/unit')
  await expect(page).toHaveURL(/\/password\/change$/)
  await page.getByTestId('password-change-current').fill(staff.newPassword)
  await page.getByTestId('password-change-new').fill(staff.ownPassword)
  await page.getByTestId('password-change-confirm').fill(staff.ownPassword)
  await shot(page, '25b-unit-staff-set-new-password')
  await page.getByTestId('password-change-submit').click()
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.locator('.el-message--success').filter({ hasText: '新密码已设置' })).toBeVisible()
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
  await logout(page)

  // The sub-account works at the unit with its own password but has no 帐号管理.
  await login(page, staff.username, staff.ownPassword, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('nav-home')).toHaveText('单位首页')
  await expect(page.getByTestId('nav-unit')).toBeVisible()
  await expect(page.getByTestId('nav-accounts')).toHaveCount(0)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
  await shot(page, '26-unit-staff-home')
  await page.goto('/unit/accounts')
  await expect(page.getByTestId('accounts-forbidden')).toContainText('只有单位管理员可以管理帐号')
  await expect(page.getByTestId('accounts-new')).toHaveCount(0)
  await shot(page, '27-unit-accounts-forbidden')
})

test('f07_unit_admin_changes_their_own_password_and_stays_logged_in', async ({ page }) => {
  const unit = await registerApprovedUnit(page.request, {
    username: uniqueName('own'),
    password: UNIT_PASSWORD,
    unitName: '厦门锅炉改密检测有限公司',
    uscc: F07_OWN_USCC,
  })
  const newPassword = 'Own-pass-2025'

  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-accounts').click()
  await expect(page).toHaveURL(/\/unit\/accounts$/)
  const self = accountRow(page, unit.username)
  await expect(self.getByTestId('account-reset-password')).toHaveText('修改密码')
  await self.getByTestId('account-reset-password').click()
  const pwd = page.getByTestId('password-dialog')
  await expect(pwd).toContainText('修改本人密码')
  await expect(pwd.getByTestId('password-own-hint')).toContainText('其他设备上的登录将失效')
  await pwd.getByTestId('password-new').fill(newPassword)
  await pwd.getByTestId('password-confirm').fill(newPassword)
  await shot(page, '33-unit-own-password')
  await pwd.getByTestId('password-save').click()
  await expect(pwd).toBeHidden()
  await expect(page.locator('.el-message--success').filter({ hasText: '密码已修改' })).toBeVisible()
  await shot(page, '34-unit-own-password-changed')

  // The old session ended, yet the next actions work on the new one: no 登录已失效, no login page.
  await page.getByTestId('nav-unit').click()
  await expect(page).toHaveURL(/\/unit$/)
  await expect(page.getByTestId('unit-uscc')).toHaveText(F07_OWN_USCC)
  await expect(page.getByTestId('unit-name')).toHaveText(unit.unitName)
  await page.getByTestId('nav-home').click()
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
  // A reload reads the stored session: the new one, still valid.
  await page.reload()
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
  await expect(page.locator('.el-message--error')).toHaveCount(0)
  await logout(page)

  // The old password no longer works; a fresh login with the new one does.
  await expect(apiLogin(page.request, unit.username, unit.password, 'unit')).rejects.toThrow(/login/)
  await login(page, unit.username, unit.password, 'unit')
  await expect(page.getByTestId('login-error')).toBeVisible()
  await login(page, unit.username, newPassword, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
})

test('f04_unit_admin_resets_a_forgotten_password_by_sms', async ({ page }) => {
  const unit = await registerApprovedUnit(page.request, {
    username: uniqueName('rec'),
    password: UNIT_PASSWORD,
    unitName: '厦门压力容器检验有限公司',
    uscc: F04_USCC,
    contactMobile: CONTACT_MOBILE,
  })
  const newPassword = 'Reset-pass-2025'

  await page.goto('/login')
  await page.getByTestId('login-forgot-link').click()
  await expect(page).toHaveURL(/\/recover-password$/)
  await expect(page.getByTestId('recover-steps')).toContainText('验证身份')
  await page.getByTestId('recover-username').fill(unit.username)
  await page.getByTestId('recover-uscc').fill(F04_USCC)
  await page.getByTestId('recover-mobile').fill(CONTACT_MOBILE)
  await shot(page, '28-recover-verify')
  await page.getByTestId('recover-send-code').click()

  // Step 2: the code went to the contact's mobile; asking again waits.
  await expect(page.getByTestId('recover-sent')).toContainText('138****8000')
  await expect(page.getByTestId('recover-resend')).toContainText('秒后重新获取')
  await expect(page.getByTestId('recover-resend')).toBeDisabled()
  const code = await latestSmsCode(page.request, CONTACT_MOBILE, unit.username)
  expect(code).toMatch(/^\d{6}$/)
  await page.getByTestId('recover-code').fill(code)
  await page.getByTestId('recover-new-password').fill(newPassword)
  await page.getByTestId('recover-confirm-password').fill(newPassword)
  await shot(page, '29-recover-reset')
  await page.getByTestId('recover-submit').click()
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.locator('.el-message--success').filter({ hasText: '密码已重置，请使用新密码登录' })).toBeVisible()
  await shot(page, '30-recover-done')

  // The old password no longer works; the new one does.
  await login(page, unit.username, unit.password, 'unit')
  await expect(page.getByTestId('login-error')).toBeVisible()
  await login(page, unit.username, newPassword, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
})

test('f04_wrong_details_get_a_neutral_refusal', async ({ page }) => {
  // Up to a minute of waiting for the per-address sending limit, see below.
  test.setTimeout(180_000)
  const unit = await registerApprovedUnit(page.request, {
    username: uniqueName('wrong'),
    password: UNIT_PASSWORD,
    unitName: '厦门起重机械检测有限公司',
    uscc: F04_WRONG_USCC,
    contactMobile: CONTACT_MOBILE,
  })

  await page.goto('/recover-password')
  await page.getByTestId('recover-username').fill(unit.username)
  await page.getByTestId('recover-uscc').fill(F04_WRONG_USCC)
  await page.getByTestId('recover-mobile').fill('13900139000')
  const send = page.getByTestId('recover-send-code')
  const alert = page.getByTestId('recover-error')
  await send.click()
  await expect(alert).toBeVisible()
  // Every request for a code counts against a limit per caller address (one a minute), and
  // the local gateway gives every caller 127.0.0.1: right after the previous test this is
  // a 429, shown as a countdown on the button. Wait it out and ask again.
  if ((await alert.textContent())?.includes('频繁')) {
    await expect(send).toBeDisabled()
    await expect(send).toContainText('秒后重新获取')
    await shot(page, '32-recover-rate-limited')
    await expect(send).toBeEnabled({ timeout: 75_000 })
    await send.click()
  }
  await expect(alert).toContainText('输入的信息与系统中登记的不一致')
  // Neutral: no field is singled out, and nothing moves on to step 2.
  await expect(page.locator('.el-form-item.is-error')).toHaveCount(0)
  await expect(page.getByTestId('recover-reset')).toHaveCount(0)
  await shot(page, '31-recover-mismatch')
})

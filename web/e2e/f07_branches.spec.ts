// F7 二级单位: the unit admin creates a branch and an account for it; once the branch is
// disabled, that account can no longer log in. The unit is registered through the API.
import { expect, test } from './fixtures'
import { registerApprovedUnit } from './api'
import { login, logout, shot } from './ui'

const F07_BRANCH_USCC = '91350200MA8F07B2Y2'
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}`

test('f07_admin_creates_a_branch_whose_account_cannot_log_in_once_disabled', async ({ page }) => {
  const unit = await registerApprovedUnit(page.request, {
    username: uniqueName('brh'),
    password: 'Unit-pass-2024',
    unitName: '厦门机电设备检测有限公司',
    uscc: F07_BRANCH_USCC,
  })
  const branchName = '思明检测分部'
  const staff = { username: uniqueName('brs'), name: '周七', password: 'Branch-pass-2024' }

  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-branches').click()
  await expect(page).toHaveURL(/\/unit\/branches$/)
  await expect(page.getByTestId('branches-empty')).toContainText('暂无二级单位')

  // 新建二级单位; a wrong mobile is refused under its field.
  await page.getByTestId('branches-new').click()
  const dialog = page.getByTestId('branch-dialog')
  await dialog.getByTestId('branch-name').fill(branchName)
  await dialog.getByTestId('branch-address').fill('福建省厦门市思明区厦禾路100号')
  await dialog.getByTestId('branch-contact-name').fill('吴八')
  await dialog.getByTestId('branch-contact-mobile').fill('12345')
  await dialog.getByTestId('branch-save').click()
  await expect(dialog.locator('.el-form-item.is-error')).toBeVisible()
  await dialog.getByTestId('branch-contact-mobile').fill('13912345678')
  await shot(page, '67-branch-new')
  await dialog.getByTestId('branch-save').click()
  await expect(dialog).toBeHidden()
  const row = page.getByTestId('branches-table').getByRole('row').filter({ hasText: branchName })
  await expect(row).toContainText('吴八')
  await expect(row).toContainText('139****5678')
  await expect(row.getByTestId('branch-status')).toHaveText('正常')

  // A 子帐号 of the branch, created in 帐号管理.
  await page.getByTestId('nav-accounts').click()
  await page.getByTestId('accounts-new').click()
  const account = page.getByTestId('account-dialog')
  await account.getByTestId('account-username').fill(staff.username)
  await account.getByTestId('account-display-name').fill(staff.name)
  await account.getByTestId('account-password').fill(staff.password)
  await account.getByTestId('account-branch').click()
  await page.locator('.el-select-dropdown__item').filter({ hasText: branchName }).click()
  await expect(account.getByTestId('account-role')).toContainText('子帐号')
  await shot(page, '68-branch-account-new')
  await account.getByTestId('account-save').click()
  await expect(account).toBeHidden()
  const accountRow = page.getByTestId('accounts-table').getByRole('row').filter({ hasText: staff.username })
  await expect(accountRow.getByTestId('account-branch-name')).toHaveText(branchName)
  await shot(page, '69-branch-accounts')
  await logout(page)

  // The branch account logs in while its branch is enabled.
  await login(page, staff.username, staff.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await expect(page.getByTestId('home-unit-name')).toHaveText(unit.unitName)
  // #17 bug 19: its home and the header name its branch (GET /api/v1/me).
  await expect(page.getByTestId('home-branch')).toHaveText(branchName)
  await expect(page.getByTestId('header-branch')).toHaveText(`二级单位：${branchName}`)
  await shot(page, '69a-branch-account-home')
  await logout(page)

  // The admin disables the branch (confirmed).
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-branches').click()
  await expect(row).toContainText('1')
  await row.getByTestId('branch-toggle').click()
  const box = page.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toContainText(branchName)
  await box.getByRole('button', { name: '确定' }).click()
  await expect(row.getByTestId('branch-status')).toHaveText('已停用')
  await expect(row.getByTestId('branch-toggle')).toHaveText('启用')
  await shot(page, '70-branches-disabled')
  await logout(page)

  // Its account is refused with the reason.
  await login(page, staff.username, staff.password, 'unit')
  await expect(page.getByTestId('login-error')).toContainText('所属二级单位已停用，请联系单位管理员')
  await expect(page).toHaveURL(/\/login/)
  await shot(page, '71-branch-account-refused')
})

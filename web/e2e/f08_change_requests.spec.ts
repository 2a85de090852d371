// F8 单位信息变更: the unit admin asks to change the address with a proof; a reviewer
// approves it and the unit's information changes. The unit is registered and approved
// through the API (api.ts); everything else is done in the browser.
import { expect, test, type Page } from './fixtures'
import { registerApprovedUnit } from './api'
import { SEED_PASSWORD } from './env'
import { writeUploadFiles } from './files'
import { login, logout, shot } from './ui'

// A USCC no other spec registers (all specs share one gateway per run).
const F08_USCC = '91350206MA2Y8C4D7Q'
const UNIT_PASSWORD = 'Unit-pass-2024'
const OLD_ADDRESS = '福建省厦门市思明区湖滨南路200号'
const NEW_ADDRESS = '福建省厦门市湖里区枋湖北二路1号'

/** Confirms the open ElMessageBox. */
async function confirmBox(page: Page): Promise<void> {
  const box = page.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toBeVisible()
  await box.getByRole('button', { name: '确定' }).click()
  await expect(box).toBeHidden()
}

test('f08_unit_changes_its_address_and_a_reviewer_approves_it', async ({ page }) => {
  const unitName = `厦门起重机械检测有限公司${Date.now().toString(36)}`
  const unit = await registerApprovedUnit(page.request, {
    username: `chg${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName,
    uscc: F08_USCC,
  })
  const files = writeUploadFiles()

  // 单位信息 → 申请信息变更.
  await login(page, unit.username, unit.password, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  await page.getByTestId('nav-unit').click()
  await page.getByTestId('unit-request-change').click()
  await expect(page).toHaveURL(/\/unit\/change-request$/)
  await expect(page.getByTestId('change-empty')).toContainText('暂无变更申请')

  // Nothing changed yet: refused before anything is sent.
  await expect(page.getByTestId('change-address')).toHaveValue(OLD_ADDRESS)
  await page.getByTestId('change-reason-input').fill('单位办公地址搬迁')
  await page.getByTestId('proof-upload-0-input').setInputFiles(files.pdf)
  await expect(page.getByTestId('proof-upload-0').getByTestId('upload-done')).toBeVisible()
  await page.getByTestId('change-submit').click()
  await expect(page.getByTestId('change-error')).toContainText('请至少修改一项信息')

  // The new address, with the current one shown under it.
  await page.getByTestId('change-address').fill(NEW_ADDRESS)
  await expect(page.getByTestId('change-address-current')).toContainText(OLD_ADDRESS)
  await shot(page, '50-change-request-form')
  await page.getByTestId('change-submit').click()

  // Pending: listed with before → after, and no second request meanwhile.
  const request = page.getByTestId('change-history').getByTestId('change-request').first()
  await expect(request.getByTestId('status-tag')).toHaveText('待审核')
  await expect(request.getByTestId('change-before')).toHaveText(OLD_ADDRESS)
  await expect(request.getByTestId('change-after')).toHaveText(NEW_ADDRESS)
  await expect(request.getByTestId('change-proof')).toContainText('qualification-scan.pdf')
  await expect(page.getByTestId('change-open')).toContainText('已有待审核的变更申请')
  await expect(page.getByTestId('change-form')).toHaveCount(0)
  await shot(page, '51-change-request-pending')

  // The unit home lists it as a to-do leading back here (F6).
  await page.getByTestId('nav-home').click()
  const todo = page.getByTestId('home-todo').filter({ hasText: '单位信息变更申请正在审核中' })
  await expect(todo).toHaveCount(1)
  await shot(page, '56-home-change-pending')
  await todo.getByRole('link').click()
  await expect(page).toHaveURL(/\/unit\/change-request$/)
  await logout(page)

  // 变更审核: the reviewer finds it in the pending queue.
  await login(page, 'reviewer', SEED_PASSWORD, 'association')
  await expect(page).toHaveURL(/\/review\/registrations/)
  await page.getByTestId('nav-change-review').click()
  await expect(page).toHaveURL(/\/review\/change-requests/)
  const row = page.getByTestId('change-review-table').getByRole('row').filter({ hasText: unitName })
  await expect(row).toContainText('待审核')
  await shot(page, '52-change-review-list')
  await row.click()

  // Before/after, the reason and the proof; approve.
  await expect(page.getByTestId('change-review-unit')).toHaveText(unitName)
  const detail = page.getByTestId('change-review-detail')
  await expect(detail.getByTestId('change-before')).toHaveText(OLD_ADDRESS)
  await expect(detail.getByTestId('change-after')).toHaveText(NEW_ADDRESS)
  await expect(detail.getByTestId('change-reason')).toHaveText('单位办公地址搬迁')
  await expect(detail.getByTestId('doc-link')).toHaveCount(1)
  await shot(page, '53-change-review-detail')
  await page.getByTestId('review-approve').click()
  await confirmBox(page)
  await expect(page.getByTestId('review-decision')).toContainText('已通过')
  await expect(page.getByTestId('review-approve')).toHaveCount(0)
  await expect(page.getByTestId('review-reject')).toHaveCount(0)
  await shot(page, '54-change-review-approved')
  await logout(page)

  // The unit's information has the new address; the request is approved.
  await login(page, unit.username, unit.password, 'unit')
  await page.getByTestId('nav-unit').click()
  await expect(page.getByTestId('unit-basic')).toContainText(NEW_ADDRESS)
  await page.getByTestId('unit-request-change').click()
  await expect(page.getByTestId('change-history').getByTestId('status-tag').first()).toHaveText('已通过')
  await expect(page.getByTestId('change-form')).toBeVisible()
  await expect(page.getByTestId('change-address')).toHaveValue(NEW_ADDRESS)
  await shot(page, '55-change-request-approved')
})

// F6 通知公告 (#19): the association admin publishes a notice (a small markup: bold, links);
// every unit reads it on its home, beside the counts of its publicity business, 未读 until
// opened; withdrawn, it is no longer on the homes.
import { expect, test, CSP_VIOLATION } from './fixtures'
import { applyThroughApi, idNumber, importPractitioners, registerApprovedUnit, registerPractitionerMobile, uscc } from './api'
import { BASE_URL, SEED_PASSWORD } from './env'
import { login, shot } from './ui'

// A USCC, mobiles and a person no other spec uses (all specs share one gateway per run).
const UNIT_USCC = uscc('91350200MA8F06N01')
const CONTACT_MOBILE = '13950002611'
const PERSON = { idNumber: idNumber('35020319880611061'), name: '林公告', mobile: '13950002612' }
const UNIT_PASSWORD = 'Unit-pass-2024'
const TITLE = '关于2027年度执业公示换证安排的通知'
const BODY = [
  '## 换证安排',
  '',
  '请各单位于**2027年1月31日前**完成执业公示换证，',
  '详见[协会通知原文](https://www.example.cn/notice?id=2027)。',
  '',
  '- 核对执业人员手机号码',
  '- 上传签字盖章的申请表',
].join('\n')

test('f06_the_association_admin_publishes_a_notice_and_the_unit_reads_it_on_its_home', async ({ page, browser }) => {
  // The association admin: 通知公告管理 → 发布通知, pinned, with the preview.
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await expect(page).toHaveURL(/\/review\/registrations/)
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-notices').click()
  await expect(page).toHaveURL(/\/admin\/notices$/)
  await expect(page.getByRole('heading', { name: '通知公告管理' })).toBeVisible()
  await page.getByTestId('notices-publish').click()
  const dialog = page.getByTestId('notice-dialog')
  await expect(dialog.getByText('发布通知')).toBeVisible()
  await dialog.getByTestId('notice-title').fill(TITLE)
  await dialog.getByTestId('notice-body').fill(BODY)
  await dialog.getByTestId('notice-pinned').click()
  await expect(dialog.getByTestId('notice-body-help')).toContainText('**文字** 为加粗')
  const preview = dialog.getByTestId('notice-preview')
  await expect(preview.locator('h3')).toHaveText('换证安排')
  await expect(preview.locator('strong')).toHaveText('2027年1月31日前')
  await expect(preview.getByRole('link', { name: '协会通知原文' })).toHaveAttribute('href', 'https://www.example.cn/notice?id=2027')
  await expect(preview.locator('li')).toHaveText(['核对执业人员手机号码', '上传签字盖章的申请表'])
  await shot(page, '86-admin-notice-dialog')
  await dialog.getByTestId('notice-save').click()
  await expect(page.locator('.el-message--success').filter({ hasText: '通知公告已发布' })).toBeVisible()
  await expect(dialog).toBeHidden()
  const row = page.getByTestId('notices-table').getByRole('row').filter({ hasText: TITLE })
  await expect(row.getByTestId('notice-row-pinned')).toHaveText('置顶')
  await expect(row.getByTestId('notice-row-state')).toHaveText('已发布')
  await expect(row).toContainText('admin')
  await shot(page, '86a-admin-notices')

  // A unit with an application waiting for its signed form.
  await importPractitioners(page.request, [{ ...PERSON, certificateNo: 'TS-JY-2024-F06N', itemCode: 'DT', itemName: '电梯' }])
  await registerPractitionerMobile(page.request, PERSON)
  const unit = await registerApprovedUnit(page.request, {
    username: `ntc${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门通知公告电梯检测有限公司',
    uscc: UNIT_USCC,
    contactMobile: CONTACT_MOBILE,
  })
  const created = await applyThroughApi(page.request, unit, PERSON)

  // The unit, in a second browser: its home shows the counts row and the notice, 未读.
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const home = await context.newPage()
  const violations: string[] = []
  home.on('console', (message) => {
    if (message.text().includes(CSP_VIOLATION)) violations.push(message.text())
  })
  await login(home, unit.username, UNIT_PASSWORD, 'unit')
  await expect(home).toHaveURL(/\/home$/)
  const counts = home.getByTestId('home-counts')
  await expect(counts.getByTestId('home-count-toUpload').getByTestId('home-count-value')).toHaveText('1')
  await expect(counts.getByTestId('home-count-returned').getByTestId('home-count-value')).toHaveText('0')
  await expect(counts.getByTestId('home-count-active').getByTestId('home-count-value')).toHaveText('0')
  await expect(counts).toContainText('90天内到期')
  await expect(counts).toContainText('未登记手机号')
  await expect(home.getByTestId('home-todo').filter({ hasText: created.number })).toContainText('待打印并上传申请表')
  const item = home.getByTestId('home-notice').filter({ hasText: TITLE })
  await expect(item.getByTestId('home-notice-pinned')).toHaveText('置顶')
  await expect(item.getByTestId('home-notice-unread')).toHaveText('未读')
  await expect(home.getByTestId('home-notices-unread')).toHaveText('1 条未读')
  await shot(home, '87-home-counts-and-notices')

  // Opened: the body rendered (bold, a link opening in a new tab), and read.
  await item.getByTestId('home-notice-open').click()
  const opened = home.getByTestId('home-notice-dialog')
  await expect(opened).toBeVisible()
  await expect(opened).toContainText(TITLE)
  await expect(opened.locator('strong')).toHaveText('2027年1月31日前')
  const link = opened.getByRole('link', { name: '协会通知原文' })
  await expect(link).toHaveAttribute('href', 'https://www.example.cn/notice?id=2027')
  await expect(link).toHaveAttribute('target', '_blank')
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer')
  await expect(opened.locator('li')).toHaveCount(2)
  await shot(home, '88-home-notice-opened')
  await opened.getByTestId('home-notice-close').click()
  await expect(opened).toBeHidden()
  await expect(item.getByTestId('home-notice-unread')).toHaveCount(0)
  await expect(home.getByTestId('home-notices-unread')).toHaveCount(0)
  // Read for the account, not only on the page.
  await home.reload()
  await expect(home.getByTestId('home-notice').filter({ hasText: TITLE })).toBeVisible()
  await expect(home.getByTestId('home-notice').filter({ hasText: TITLE }).getByTestId('home-notice-unread')).toHaveCount(0)

  // The admin withdraws it (after a confirmation): kept in the list as 已撤回.
  await row.getByTestId('notice-withdraw').click()
  const confirm = page.getByRole('dialog', { name: '撤回通知公告' })
  await expect(confirm).toContainText(`确认撤回通知公告“${TITLE}”`)
  await confirm.getByRole('button', { name: '撤回' }).click()
  await expect(page.locator('.el-message--success').filter({ hasText: '通知公告已撤回' })).toBeVisible()
  await expect(row.getByTestId('notice-row-state')).toHaveText('已撤回')
  await expect(row.getByTestId('notice-withdraw')).toHaveCount(0)

  // The unit's home no longer shows it.
  await home.reload()
  await expect(home.getByTestId('home-counts')).toBeVisible()
  await expect(home.getByTestId('home-notice').filter({ hasText: TITLE })).toHaveCount(0)
  await expect(home.getByTestId('home-notices-empty')).toContainText('暂无通知公告')
  expect(violations).toEqual([])
  await context.close()
})

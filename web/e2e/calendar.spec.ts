// 工作日历: the association admin keeps the 法定节假日 and 调休上班日 that reply deadlines
// (F5, 3 working days) count with; a day cannot be both, and the refusal shows under the list.
import { expect, test } from './fixtures'
import { SEED_PASSWORD } from './env'
import { login, shot } from './ui'

test('calendar_admin_keeps_holidays_and_makeup_workdays', async ({ page }) => {
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-calendar').click()
  await expect(page).toHaveURL(/\/admin\/calendar$/)
  const holidays = page.getByTestId('calendar-holidays')
  const makeup = page.getByTestId('calendar-makeup')

  const pick = async (list: typeof holidays, date: string) => {
    const input = list.getByPlaceholder('选择日期')
    await input.fill(date)
    await input.press('Enter')
    await list.getByRole('button', { name: '添加' }).click()
  }
  await pick(holidays, '2027-10-01')
  await pick(holidays, '2027-10-04')
  await pick(makeup, '2027-10-09')
  // The same day as holiday and make-up workday: refused under the list.
  await pick(makeup, '2027-10-04')
  await page.getByTestId('calendar-save').click()
  await expect(page.getByTestId('calendar-makeup').locator('.error')).toContainText('2027-10-04')
  await shot(page, '74-calendar-conflict')
  await makeup.getByTestId('calendar-makeup-date').filter({ hasText: '2027-10-04' }).locator('.el-tag__close').click()
  await page.getByTestId('calendar-save').click()
  await expect(page.locator('.el-message--success').filter({ hasText: '工作日历已保存' })).toBeVisible()

  await page.reload()
  // Each date with its weekday.
  await expect(holidays.getByTestId('calendar-holidays-date')).toHaveText(['2027-10-01（周五）', '2027-10-04（周一）'])
  await expect(makeup.getByTestId('calendar-makeup-date')).toHaveText(['2027-10-09（周六）'])
  await shot(page, '75-calendar')
})

// F6 单位首页: what needs the unit's attention — a certificate about to expire and a pending
// information change — listed most urgent first, each leading to where it is dealt with.
import { expect, test } from '@playwright/test'
import { apiLogin, registerApprovedUnit, reviewCertificatesThroughApi, uploadFile } from './api'
import { chinaDateIn, pdfBytes, pngBytes } from './files'
import { login, shot } from './ui'

// A USCC no other spec registers (all specs share one gateway per run).
const F06_USCC = '91350200MA8F06D4X5'
const UNIT_PASSWORD = 'Unit-pass-2024'

test('f06_unit_home_lists_an_expiring_certificate_and_a_pending_change_most_urgent_first', async ({ page }) => {
  const unit = await registerApprovedUnit(page.request, {
    username: `home${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门特种设备首页测试有限公司',
    uscc: F06_USCC,
  })
  const token = await apiLogin(page.request, unit.username, UNIT_PASSWORD, 'unit')
  const auth = { Authorization: `Bearer ${token}` }
  const scan = await uploadFile(page.request, token, 'qualification_scan', 'licence.png', 'image/png', pngBytes())
  const certificate = {
    kind: 'licence',
    certificate_no: 'TS-F06-HOME',
    authority: '福建省市场监督管理局',
    items: ['电梯定期检验'],
    valid_from: '2023-01-01',
    valid_until: chinaDateIn(10),
    scan_upload_id: scan,
  }
  // A new certificate waits for the association's review; approved, it is in force.
  expect((await page.request.post('/api/v1/unit/qualifications', { headers: auth, data: certificate })).status()).toBe(202)
  expect(await reviewCertificatesThroughApi(page.request, 'approve')).toBe(1)
  const proof = await uploadFile(page.request, token, 'change_proof', 'proof.pdf', 'application/pdf', pdfBytes())
  const change = { postcode: '361009', reason: '邮政编码调整', proof_upload_ids: [proof] }
  expect((await page.request.post('/api/v1/unit/change-requests', { headers: auth, data: change })).status()).toBe(201)

  await login(page, unit.username, UNIT_PASSWORD, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  const todos = page.getByTestId('home-todo')
  await expect(todos).toHaveCount(2)
  await expect(todos.nth(0)).toContainText('TS-F06-HOME')
  await expect(todos.nth(0)).toContainText('剩 10 天')
  await expect(todos.nth(1)).toContainText('单位信息变更申请正在审核中')
  await shot(page, '80-home-todos')
  await todos.nth(0).getByRole('link').click()
  await expect(page).toHaveURL(/\/unit\/qualifications$/)
  await expect(page.getByText('TS-F06-HOME', { exact: true })).toBeVisible()
})

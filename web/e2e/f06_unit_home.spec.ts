// F6 单位首页: what needs the unit's attention — a certificate about to expire, a pending
// information change, an application waiting for its signed form on the 办理期限 — listed
// most urgent first, each leading to where it is dealt with.
import { expect, test } from './fixtures'
import {
  apiLogin,
  applyThroughApi,
  idNumber,
  importPractitioners,
  registerApprovedUnit,
  registerPractitionerMobile,
  reviewCertificatesThroughApi,
  uploadFile,
  uscc,
} from './api'
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
  // #17 bug 13: in English the to-dos are worded by the SPA from their data.
  await page.getByRole('button', { name: '中文' }).click()
  await page.getByRole('menuitem', { name: 'English' }).click()
  await expect(todos.nth(0)).toHaveText(`Licence TS-F06-HOME expires on ${chinaDateIn(10)} (10 days left): renew it in time and update it here`)
  await expect(todos.nth(1)).toHaveText('Your change of unit information is being reviewed')
  await shot(page, '80a-home-todos-en')
  await page.getByRole('button', { name: 'EN' }).click()
  await page.getByRole('menuitem', { name: '中文' }).click()
  await expect(todos.nth(1)).toContainText('单位信息变更申请正在审核中')
  await todos.nth(0).getByRole('link').click()
  await expect(page).toHaveURL(/\/unit\/qualifications$/)
  await expect(page.getByText('TS-F06-HOME', { exact: true })).toBeVisible()
})

const F06_APPLICATION_USCC = uscc('91350200MA8F06A01')
const PERSON = { idNumber: idNumber('35020319860606061'), name: '陈待传', mobile: '13950000606' }

test('f06_unit_home_lists_an_application_waiting_for_its_signed_form_and_the_refusal_links_it', async ({ page }) => {
  await importPractitioners(page.request, [{ ...PERSON, certificateNo: 'TS-JY-2024-F06', itemCode: 'DT', itemName: '电梯' }])
  await registerPractitionerMobile(page.request, PERSON)
  const unit = await registerApprovedUnit(page.request, {
    username: `hap${Date.now().toString(36)}`,
    password: UNIT_PASSWORD,
    unitName: '厦门首页待办电梯检测有限公司',
    uscc: F06_APPLICATION_USCC,
  })
  const created = await applyThroughApi(page.request, unit, PERSON)

  // #17 bug 3: the home named nothing while the application waited on its 7-day deadline.
  await login(page, unit.username, UNIT_PASSWORD, 'unit')
  await expect(page).toHaveURL(/\/home$/)
  const todo = page.getByTestId('home-todo')
  await expect(todo).toHaveCount(1)
  await expect(todo).toContainText(`申报单 ${created.number}（${PERSON.name}，初始）待打印并上传申请表，剩余 6 天`)
  await shot(page, '81-home-application-todo')
  await todo.getByRole('link').click()
  await expect(page).toHaveURL(new RegExp(`/publicity/applications/${created.id}$`))

  // #17 bug 10: searching the person again is refused; the dialog links the unit's own application.
  await page.goto('/publicity/apply')
  await page.getByTestId('apply-id-number').fill(PERSON.idNumber)
  await page.getByTestId('apply-name').fill(PERSON.name)
  await page.getByTestId('apply-search-submit').click()
  const dialog = page.getByTestId('apply-refusal')
  await expect(dialog.getByTestId('apply-refusal-message')).toContainText('该人员已有一份待上传申请表的执业公示申报单')
  await expect(dialog.getByTestId('apply-refusal-own')).toContainText(created.number)
  await shot(page, '82-apply-refusal-own-application')
  await dialog.getByRole('link', { name: '查看该申报单' }).click()
  await expect(page).toHaveURL(new RegExp(`/publicity/applications/${created.id}$`))
})

// F16 追加 (§3.3.2): a person published at the unit obtains a new item; the unit appends it
// from the 追加 list in the browser, with the clauses, and sees the outcome per person.
// F22 + F20 (§4): the association admin imports a person from the browser, and the person
// registers a mobile number on the public page with the SMS code. F11: the admin publishes a
// new version of the commitment clauses.
import { expect, test, type Page } from './fixtures'
import {
  idNumber,
  importPractitioners,
  latestSmsCode,
  narrowQualificationScope,
  publishThroughApi,
  registerApprovedUnit,
  registerPractitionerMobile,
  registryCsv,
  uscc,
  type UnitFixture,
} from './api'
import { SEED_PASSWORD } from './env'
import { login, logout, shot } from './ui'

// A USCC no other spec registers (all specs share one gateway per run).
const F16_USCC = '91350200MA8F16AP2U'
const F16_SCOPE_USCC = uscc('91350200MA8F16KC3')
/** What the API says of an item outside the unit's approved scope (code `item_outside_scope`). */
const OUTSIDE_SCOPE = '不在本单位核准/许可的项目范围内，无法追加'

type Person = { idNumber: string; name: string; mobile: string }

/**
 * A person with an 电梯 item, a registered mobile and a publicity at a new approved unit (for
 * 电梯 and 起重机械, api.ts); then the personnel system reports a new 起重机械 item, not published
 * yet. The unit logs in and opens 追加, where the person is listed with the new item.
 */
async function personToAppend(
  page: Page,
  person: Person,
  certificateNo: string,
  unitOf: { usernamePrefix: string; unitName: string; uscc: string },
): Promise<{ unit: UnitFixture; publicityNo: string }> {
  const elevator = { ...person, certificateNo, itemCode: 'DT', itemName: '电梯' }
  await importPractitioners(page.request, [elevator])
  await registerPractitionerMobile(page.request, person)
  const unit = await registerApprovedUnit(page.request, {
    username: `${unitOf.usernamePrefix}${Date.now().toString(36)}`,
    password: 'Unit-pass-2024',
    unitName: unitOf.unitName,
    uscc: unitOf.uscc,
  })
  const published = await publishThroughApi(page.request, unit, person)
  const publicityNo = published.publicity_certificate_no!
  await importPractitioners(page.request, [elevator, { ...elevator, itemCode: 'QZ', itemName: '起重机械' }])

  await login(page, unit.username, unit.password, 'unit')
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-appends').click()
  await expect(page).toHaveURL(/\/publicity\/appends$/)
  const row = page.getByTestId('append-table').getByRole('row').filter({ hasText: person.name })
  await expect(row).toContainText(publicityNo)
  await expect(row).toContainText('起重机械')
  return { unit, publicityNo }
}

test('f16_unit_appends_a_new_item_from_the_append_list', async ({ page }) => {
  const person = { idNumber: idNumber('35020319800607161'), name: '黄志明', mobile: '13950001616' }
  const { publicityNo } = await personToAppend(page, person, 'TS-JY-2024-F16', {
    usernamePrefix: 'app',
    unitName: '厦门起重电梯追加检测有限公司',
    uscc: F16_USCC,
  })
  await expect(page.getByTestId('append-submit')).toBeDisabled()

  // Select all (the header checkbox), confirm the clauses, done.
  await page.getByTestId('append-table').locator('.el-table__header .el-checkbox').click()
  await page.getByTestId('clauses-confirm').click()
  await expect(page.getByTestId('append-submit')).toContainText('已选 1 人')
  await shot(page, '110-publicity-appends')
  await page.getByTestId('append-submit').click()

  const results = page.getByTestId('append-results')
  await expect(results).toContainText('成功 1 人，失败 0 人')
  const outcome = results.getByRole('row').filter({ hasText: person.name })
  await expect(outcome.getByTestId('append-result-outcome')).toHaveText('成功')
  await expect(outcome.getByTestId('append-result-detail')).toContainText('起重机械')
  await expect(page.getByTestId('append-empty')).toBeVisible()
  await shot(page, '111-publicity-appends-done')

  // The appended item is published: 本单位执业人员 lists both.
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-practitioners').click()
  const listed = page.getByTestId('practitioner-table').getByRole('row').filter({ hasText: person.name })
  await expect(listed).toContainText(publicityNo)
  await expect(listed).toContainText('电梯')
  await expect(listed).toContainText('起重机械')
  await expect(listed.getByTestId('practitioner-mobile')).toHaveText('已登记')
})

test('f16_an_item_outside_the_units_scope_is_not_appended_and_the_screen_says_why', async ({ page }) => {
  const person = { idNumber: idNumber('35020319800607162'), name: '许范围', mobile: '13950001617' }
  // The new 起重机械 item is within the unit's scope, so the person is to append.
  const { unit } = await personToAppend(page, person, 'TS-JY-2024-F16S', {
    usernamePrefix: 'sco',
    unitName: '厦门范围电梯检测有限公司',
    uscc: F16_SCOPE_USCC,
  })

  // Meanwhile the unit's certificate is corrected to 电梯 only: 起重机械 is outside its scope.
  await narrowQualificationScope(page.request, unit, ['电梯'])
  await page.getByTestId('append-table').locator('.el-table__header .el-checkbox').click()
  await page.getByTestId('clauses-confirm').click()
  await page.getByTestId('append-submit').click()

  const results = page.getByTestId('append-results')
  await expect(results).toContainText('成功 0 人，失败 1 人')
  const outcome = results.getByRole('row').filter({ hasText: person.name })
  await expect(outcome.getByTestId('append-result-outcome')).toHaveText('失败')
  await expect(outcome.getByTestId('append-result-detail')).toContainText(OUTSIDE_SCOPE)
  await expect(outcome.getByTestId('append-result-detail')).toContainText('起重机械（QZ）')
  // The person is no longer offered for appending.
  await expect(page.getByTestId('append-empty')).toBeVisible()
  await shot(page, '117-publicity-append-outside-scope')

  // A search for the person says the same; the publicity still has 电梯 only.
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-apply').click()
  await page.getByTestId('apply-id-number').fill(person.idNumber)
  await page.getByTestId('apply-name').fill(person.name)
  await page.getByTestId('apply-search-submit').click()
  const refusal = page.getByTestId('apply-refusal')
  await expect(refusal.getByTestId('apply-refusal-message')).toContainText(OUTSIDE_SCOPE)
  await shot(page, '118-publicity-search-outside-scope')
  await refusal.getByTestId('apply-refusal-close').click()
  await page.getByTestId('nav-publicity').click()
  await page.getByTestId('nav-publicity-practitioners').click()
  const listed = page.getByTestId('practitioner-table').getByRole('row').filter({ hasText: person.name })
  await expect(listed).toContainText('电梯')
  await expect(listed).not.toContainText('起重机械')
})

test('f22_f20_admin_imports_a_practitioner_who_registers_a_mobile_on_the_public_page', async ({ page }) => {
  const person = { idNumber: idNumber('35020319920815202'), name: '郑晓燕', mobile: '13950002020' }
  const row = { ...person, certificateNo: 'TS-JY-2024-F20', itemCode: 'DT', itemName: '电梯' }

  // 人员库导入: pasted CSV, with one bad row reported by its row number.
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-practitioner-import').click()
  await expect(page).toHaveURL(/\/admin\/practitioners-import$/)
  await expect(page.getByTestId('practitioner-columns')).toContainText('certificate_no')
  await page.getByTestId('practitioner-source-paste').click()
  const bad = registryCsv([{ ...row, idNumber: '350203199208152022' }]).split('\n')[1]
  await page.getByTestId('practitioner-paste').fill(`${registryCsv([row]).trimEnd()}\n${bad}\n`)
  await page.getByTestId('practitioner-import-submit').click()
  await expect(page.getByTestId('practitioner-rows')).toHaveText('2')
  await expect(page.getByTestId('practitioner-imported')).toHaveText('1')
  await expect(page.getByTestId('practitioner-people')).toHaveText('1')
  await expect(page.getByTestId('practitioner-failed')).toHaveText('1')
  await expect(page.getByTestId('practitioner-errors').getByRole('row').filter({ hasText: 'id_number' })).toContainText('3')
  await shot(page, '112-practitioner-import')
  await logout(page)

  // §4 执业人手机号码登记与修改, from the login page.
  await page.getByTestId('login-mobile-link').click()
  await expect(page).toHaveURL(/\/practitioner\/mobile$/)
  await page.getByTestId('mobile-id-number').fill(person.idNumber)
  await page.getByTestId('mobile-name').fill(person.name)
  await page.getByTestId('mobile-mobile').fill(person.mobile)
  await page.getByTestId('mobile-send-code').click()
  await expect(page.getByTestId('mobile-sent')).toContainText('139****2020')
  await expect(page.getByTestId('mobile-send-code')).toBeDisabled()
  await expect(page.getByTestId('mobile-send-code')).toContainText('秒后重新获取')
  const code = await latestSmsCode(page.request, person.mobile, '登记执业人手机号码')
  await page.getByTestId('mobile-code').fill(code)
  await shot(page, '113-practitioner-mobile')
  await page.getByTestId('mobile-submit').click()
  await expect(page.getByTestId('mobile-done')).toContainText('139****2020')
  await expect(page.getByTestId('mobile-done')).toContainText(person.name)
  await shot(page, '114-practitioner-mobile-done')
})

test('f11_admin_publishes_a_new_version_of_the_commitment_clauses', async ({ page }) => {
  const clause = `本单位承诺按时为执业人办理注销公示（${Date.now().toString(36)}）。`
  await login(page, 'admin', SEED_PASSWORD, 'association')
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('nav-clauses').click()
  await expect(page).toHaveURL(/\/admin\/clauses$/)
  const version = Number(/第 (\d+) 版/.exec((await page.getByTestId('clauses-current-version').textContent()) ?? '')?.[1])
  expect(version).toBeGreaterThan(0)

  // Edit: the current clauses plus one more; publishing asks first.
  await page.getByTestId('clauses-edit').click()
  await expect(page.getByTestId('clauses-editor')).toContainText(`第 ${version + 1} 版`)
  const count = await page.locator('[data-testid^="clauses-item-"]').count()
  await page.getByTestId('clauses-add').click()
  await page.getByTestId(`clauses-item-${count}`).fill(clause)
  await shot(page, '115-clauses-editor')
  await page.getByTestId('clauses-publish').click()
  const box = page.getByRole('dialog').filter({ hasText: '确认' })
  await expect(box).toContainText(`第 ${version + 1} 版`)
  await box.getByRole('button', { name: '确定' }).click()

  await expect(page.getByTestId('clauses-current-version')).toContainText(`第 ${version + 1} 版`)
  await expect(page.getByTestId('clauses-current')).toContainText(clause)
  await shot(page, '116-clauses-published')
})

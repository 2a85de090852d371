// Fixtures made through the API, not the browser: a registered unit approved by the
// seeded reviewer, ready to log in. Uses Playwright's request context (page.request).
import { expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test'
import type { components } from '../src/api/schema'
import { AWS_ENDPOINT, AWS_MODE, SEED_PASSWORD } from './env'
import { pdfBytes, pngBytes } from './files'

type S = components['schemas']

/** The browser refuses these; the presigned URL's signature does not need them. */
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection'])

export interface UnitFixture {
  username: string
  password: string
  unitName: string
  uscc: string
  /** The authorised contact's mobile; password reset codes go here. */
  contactMobile: string
  registrationId: string
}

/** The JSON body of a response with the expected status, or a failure showing what came back. */
async function expectJson<T>(res: APIResponse, status: number, what: string): Promise<T> {
  if (res.status() !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${res.status()}: ${await res.text()}`)
  }
  return (status === 204 ? undefined : await res.json()) as T
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

/** Presigned upload: ask for a slot, PUT the bytes with exactly its headers, complete it. */
export async function uploadFile(
  request: APIRequestContext,
  token: string,
  purpose: S['UploadPurpose'],
  fileName: string,
  contentType: 'image/png' | 'application/pdf',
  bytes: Buffer,
): Promise<string> {
  const body: S['UploadRequest'] = { purpose, file_name: fileName, content_type: contentType, size: bytes.length }
  const slot = await expectJson<S['PresignedUpload']>(
    await request.post('/api/v1/uploads', { headers: bearer(token), data: body }),
    201,
    `POST /api/v1/uploads (${purpose})`,
  )
  const headers = Object.fromEntries(Object.entries(slot.headers).filter(([name]) => !FORBIDDEN_HEADERS.has(name.toLowerCase())))
  const put = await request.fetch(slot.url, { method: slot.method || 'PUT', headers, data: bytes })
  expect(put.status(), `PUT presigned upload: ${await put.text()}`).toBeLessThan(300)
  const done = await expectJson<S['Upload']>(
    await request.post(`/api/v1/uploads/${slot.upload_id}/complete`, { headers: bearer(token) }),
    200,
    `POST /api/v1/uploads/${slot.upload_id}/complete`,
  )
  return done.upload_id
}

/** Logs in through the API and returns the access token. */
export async function apiLogin(
  request: APIRequestContext,
  username: string,
  password: string,
  userType: S['UserType'],
): Promise<string> {
  const body: S['LoginRequest'] = { username, password, user_type: userType }
  const session = await expectJson<S['Session']>(await request.post('/api/v1/auth/login', { data: body }), 200, `login ${username}`)
  return session.access_token
}

/**
 * F1 + F21 through the API: registers a unit in four steps with real uploads, submits it,
 * and has the seeded reviewer approve it. The unit admin can log in afterwards.
 */
export async function registerApprovedUnit(
  request: APIRequestContext,
  unit: { username: string; password: string; unitName: string; uscc: string; contactMobile?: string },
): Promise<UnitFixture> {
  const contactMobile = unit.contactMobile ?? '13800138000'
  const basic: S['BasicInfoUpdate'] = {
    unit_name: unit.unitName,
    uscc: unit.uscc,
    legal_representative: '张三',
    address: '福建省厦门市思明区湖滨南路200号',
    postcode: '361001',
  }
  const start: S['BasicInfoInput'] = { username: unit.username, password: unit.password, ...basic }
  const created = await expectJson<S['RegistrationCreated']>(
    await request.post('/api/v1/registrations', { data: start }),
    201,
    'POST /api/v1/registrations',
  )
  const id = created.registration.id
  const token = created.session.access_token
  const step = async (name: string, data: unknown) =>
    expectJson<S['Registration']>(
      await request.put(`/api/v1/registrations/${id}/${name}`, { headers: bearer(token), data }),
      200,
      `PUT /api/v1/registrations/{id}/${name}`,
    )

  await step('basic', basic)
  const licence: S['LicenceInput'] = {
    upload_id: await uploadFile(request, token, 'business_licence', 'business-licence.png', 'image/png', pngBytes()),
  }
  await step('licence', licence)
  const qualification: S['QualificationInput'] = {
    kind: 'approval',
    certificate_no: 'TS7110002-2029',
    authority: '福建省市场监督管理局',
    items: ['电梯', '起重机械'],
    valid_from: '2024-01-01',
    valid_until: '2029-12-31',
    scan_upload_id: await uploadFile(request, token, 'qualification_scan', 'qualification-scan.pdf', 'application/pdf', pdfBytes()),
  }
  await step('qualification', qualification)
  const contact: S['ContactInput'] = { name: '李四', id_number: '11010519491231002X', mobile: contactMobile, email: 'lisi@example.com' }
  await step('contact', contact)
  await expectJson<S['Registration']>(
    await request.post(`/api/v1/registrations/${id}/submit`, { headers: bearer(token) }),
    200,
    'POST /api/v1/registrations/{id}/submit',
  )

  const reviewer = await apiLogin(request, 'reviewer', SEED_PASSWORD, 'association')
  const decision: S['DecisionInput'] = { outcome: 'approve' }
  const review = await expectJson<S['RegistrationReview']>(
    await request.post(`/api/v1/review/registrations/${id}/decision`, { headers: bearer(reviewer), data: decision }),
    200,
    'POST /api/v1/review/registrations/{id}/decision',
  )
  expect(review.registration.state).toBe('approved')
  return { ...unit, contactMobile, registrationId: id }
}

/** One message of the local gateway's outbox (GET /_local/outbox.json, newest first). */
export interface OutboxMessage {
  channel: string
  to: string
  body: string
}

/** Everything the local gateway has sent (SMS and e-mail), newest first. */
export async function outbox(request: APIRequestContext): Promise<OutboxMessage[]> {
  return expectJson<OutboxMessage[]>(await request.get('/_local/outbox.json'), 200, 'GET /_local/outbox.json')
}

/** SMS sent so far, newest first: the local outbox, or what the AWS emulator recorded from SNS. */
async function sentSms(request: APIRequestContext): Promise<{ to: string; text: string }[]> {
  if (AWS_MODE) {
    const res = await request.get(`${AWS_ENDPOINT}/moto-api/data.json`)
    const recorded = await expectJson<{ sns: { SMS: { phone_number: string; message: string }[] } }>(res, 200, 'moto data.json')
    return recorded.sns.SMS.map((m) => ({ to: m.phone_number, text: m.message })).reverse()
  }
  return (await outbox(request)).filter((m) => m.channel === 'sms').map((m) => ({ to: m.to, text: m.body }))
}

/** The newest SMS to `mobile` whose text contains `marker`, or null. */
export async function latestSms(request: APIRequestContext, mobile: string, marker: string): Promise<string | null> {
  return (await sentSms(request)).find((m) => m.to.includes(mobile) && m.text.includes(marker))?.text ?? null
}

/** The newest 6-digit code sent by SMS to `mobile` in a text containing `marker`. */
export async function latestSmsCode(request: APIRequestContext, mobile: string, marker: string): Promise<string> {
  const sms = await sentSms(request)
  for (const m of sms) {
    if (m.to.includes(mobile) && m.text.includes(marker)) {
      // The code follows its name (验证码, 确认码); other numbers in the text (an application
      // number's random tail) may also have six digits.
      const code = (/码\D{0,6}(\d{6})(?!\d)/.exec(m.text) ?? /(?<!\d)(\d{6})(?!\d)/.exec(m.text))?.[1]
      if (code) return code
    }
  }
  throw new Error(`no SMS with "${marker}" and a 6-digit code to ${mobile}; newest: ${JSON.stringify(sms.slice(0, 3))}`)
}

/**
 * The newest 6-digit code to `mobile` in a text containing `marker`, read as a developer would:
 * from the local outbox page (/_local/outbox) in the browser. Leaves the page there.
 */
export async function codeFromOutboxPage(page: Page, mobile: string, marker: string): Promise<string> {
  await page.goto('/_local/outbox')
  await expect(page.getByRole('heading', { name: '本地发件箱' })).toBeVisible()
  const rows = page.locator('tbody tr').filter({ hasText: mobile }).filter({ hasText: marker })
  await expect(rows.first()).toBeVisible()
  const text = (await rows.first().locator('pre').innerText()).trim()
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1]
  if (!code) throw new Error(`no 6-digit code in the outbox row: ${text}`)
  return code
}

/** The GB 11643 check character of the first 17 digits of an ID number. */
export function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/** One certificate item of a person, as the practitioner registry import (F22) reads it. */
export interface RegistryRow {
  idNumber: string
  name: string
  certificateNo: string
  itemCode: string
  itemName: string
  level?: string
  validUntil?: string
}

export const REGISTRY_HEADER = 'id_number,name,certificate_no,item_code,item_name,level,issuer,issued_on,valid_until,status'

/** The CSV the import reads, one line per item. */
export function registryCsv(rows: RegistryRow[]): string {
  const lines = rows.map((r) =>
    [r.idNumber, r.name, r.certificateNo, r.itemCode, r.itemName, r.level ?? '检验员', '国家市场监督管理总局', '2024-01-15', r.validUntil ?? '2029-12-31', 'valid'].join(','),
  )
  return `${REGISTRY_HEADER}\n${lines.join('\n')}\n`
}

/** F22 through the API: the association admin imports people and items into the registry. */
export async function importPractitioners(request: APIRequestContext, rows: RegistryRow[]): Promise<S['PractitionerImportReport']> {
  const admin = await apiLogin(request, 'admin', SEED_PASSWORD, 'association')
  const report = await expectJson<S['PractitionerImportReport']>(
    await request.post('/api/v1/admin/practitioners/import', {
      headers: { ...bearer(admin), 'Content-Type': 'text/csv' },
      data: registryCsv(rows),
    }),
    200,
    'POST /api/v1/admin/practitioners/import',
  )
  expect(report.errors, JSON.stringify(report.errors)).toEqual([])
  return report
}

/** F20 through the public API: the person registers a mobile with the code sent to it. */
export async function registerPractitionerMobile(
  request: APIRequestContext,
  person: { idNumber: string; name: string; mobile: string },
): Promise<void> {
  const who: S['MobileCodeRequest'] = { id_number: person.idNumber, name: person.name, mobile: person.mobile }
  await expectJson(await request.post('/api/v1/practitioners/mobile/code', { data: who }), 202, 'POST /api/v1/practitioners/mobile/code')
  const registration: S['MobileRegistration'] = { ...who, code: await latestSmsCode(request, person.mobile, '登记执业人手机号码') }
  await expectJson(await request.post('/api/v1/practitioners/mobile', { data: registration }), 200, 'POST /api/v1/practitioners/mobile')
}

/** What the confirmation SMS of an application (F14) says, to find it in the outbox. */
export const CONFIRMATION_SMS_MARKER = '确认码'

/**
 * F10 + F11 through the API: the unit searches the person and submits an application of the
 * type the search decided (with a resignation proof when one is required). Returns the
 * application as created (待上传申请表).
 */
export async function applyThroughApi(
  request: APIRequestContext,
  unit: { username: string; password: string },
  person: { idNumber: string; name: string },
): Promise<S['ApplicationView']> {
  const token = await apiLogin(request, unit.username, unit.password, 'unit')
  const found = await expectJson<S['PersonSearchResult']>(
    await request.get('/api/v1/unit/practitioners/search', {
      headers: bearer(token),
      params: { id_number: person.idNumber, name: person.name },
    }),
    200,
    'GET /api/v1/unit/practitioners/search',
  )
  expect(found.eligible, JSON.stringify(found.refusal)).toBe(true)
  const clauses = await expectJson<S['Clauses']>(await request.get('/api/v1/clauses', { headers: bearer(token) }), 200, 'GET /api/v1/clauses')
  const input: S['ApplicationInput'] = {
    id_number: person.idNumber,
    name: person.name,
    kind: found.kind!,
    clause_version: clauses.version,
    clauses_confirmed: true,
  }
  if (found.resignation_proof_required) {
    input.resignation_upload_id = await uploadFile(request, token, 'resignation_proof', 'resignation.pdf', 'application/pdf', pdfBytes())
  }
  return expectJson<S['ApplicationView']>(
    await request.post('/api/v1/unit/applications', { headers: bearer(token), data: input }),
    201,
    'POST /api/v1/unit/applications',
  )
}

/**
 * F10–F15 and F21 through the API: the unit applies for the person (initial), uploads the
 * signed form, the person confirms with the SMS code and the seeded reviewer approves.
 * Returns the application as approved.
 */
export async function publishThroughApi(
  request: APIRequestContext,
  unit: { username: string; password: string },
  person: { idNumber: string; name: string; mobile: string },
): Promise<S['ApplicationView']> {
  const created = await applyThroughApi(request, unit, person)
  return completeThroughApi(request, unit, person, created.id)
}

/**
 * F14 through the API: the unit uploads the signed form of an application it created, which
 * then awaits the practitioner's confirmation. Returns the code the confirmation SMS sent.
 */
export async function uploadScanThroughApi(
  request: APIRequestContext,
  unit: { username: string; password: string },
  person: { mobile: string },
  applicationId: string,
): Promise<string> {
  const token = await apiLogin(request, unit.username, unit.password, 'unit')
  const scan = await uploadFile(request, token, 'signed_form', 'signed-form.pdf', 'application/pdf', pdfBytes())
  const scanInput: S['ScanInput'] = { upload_id: scan }
  const uploaded = await expectJson<S['ApplicationView']>(
    await request.post(`/api/v1/unit/applications/${applicationId}/scan`, { headers: bearer(token), data: scanInput }),
    200,
    'POST /api/v1/unit/applications/{id}/scan',
  )
  expect(uploaded.state).toBe('awaiting_confirmation')
  return latestSmsCode(request, person.mobile, CONFIRMATION_SMS_MARKER)
}

/**
 * F14 + F21 through the API for an application the unit created: the signed scan, the
 * practitioner's confirmation with the SMS code and the seeded reviewer's approval.
 */
export async function completeThroughApi(
  request: APIRequestContext,
  unit: { username: string; password: string },
  person: { idNumber: string; mobile: string },
  applicationId: string,
): Promise<S['ApplicationView']> {
  const code = await uploadScanThroughApi(request, unit, person, applicationId)
  const confirmation: S['ConfirmationInput'] = { id_number: person.idNumber, code }
  await expectJson(await request.post('/api/v1/confirmations', { data: confirmation }), 200, 'POST /api/v1/confirmations')
  const reviewer = await apiLogin(request, 'reviewer', SEED_PASSWORD, 'association')
  const decision: S['DecisionInput'] = { outcome: 'approve' }
  const decided = await expectJson<S['ApplicationReview']>(
    await request.post(`/api/v1/review/applications/${applicationId}/decision`, { headers: bearer(reviewer), data: decision }),
    200,
    'POST /api/v1/review/applications/{id}/decision',
  )
  expect(decided.application.state).toBe('approved')
  return decided.application
}

/** A registration draft made through the API (F1 step 1): its id and the registrant's session. */
export async function startRegistration(
  request: APIRequestContext,
  unit: { username: string; password: string; unitName: string; uscc: string },
): Promise<{ id: string; session: S['Session'] }> {
  const start: S['BasicInfoInput'] = {
    username: unit.username,
    password: unit.password,
    unit_name: unit.unitName,
    uscc: unit.uscc,
    legal_representative: '张三',
    address: '福建省厦门市思明区湖滨南路200号',
    postcode: '361001',
  }
  const created = await expectJson<S['RegistrationCreated']>(
    await request.post('/api/v1/registrations', { data: start }),
    201,
    'POST /api/v1/registrations',
  )
  return { id: created.registration.id, session: created.session }
}

/** Saves one more step of a registration draft through the API: `licence` or `qualification`. */
export async function saveRegistrationStep(
  request: APIRequestContext,
  draft: { id: string; session: S['Session'] },
  step: 'licence' | 'qualification',
): Promise<void> {
  const token = draft.session.access_token
  const data: S['LicenceInput'] | S['QualificationInput'] =
    step === 'licence'
      ? { upload_id: await uploadFile(request, token, 'business_licence', 'business-licence.png', 'image/png', pngBytes()) }
      : {
          kind: 'approval',
          certificate_no: 'TS7110003-2029',
          authority: '福建省市场监督管理局',
          items: ['电梯'],
          valid_from: '2024-01-01',
          valid_until: '2029-12-31',
          scan_upload_id: await uploadFile(request, token, 'qualification_scan', 'qualification-scan.pdf', 'application/pdf', pdfBytes()),
        }
  await expectJson(
    await request.put(`/api/v1/registrations/${draft.id}/${step}`, { headers: bearer(token), data }),
    200,
    `PUT /api/v1/registrations/{id}/${step}`,
  )
}

/** F8 through the API: the unit asks to change its address, with a proof. Returns the request's id. */
export async function requestAddressChange(request: APIRequestContext, unit: { username: string; password: string }): Promise<string> {
  const token = await apiLogin(request, unit.username, unit.password, 'unit')
  const proof = await uploadFile(request, token, 'change_proof', 'change-proof.pdf', 'application/pdf', pdfBytes())
  const body: S['ChangeRequestInput'] = { address: '福建省厦门市湖里区高林中路500号', reason: '单位搬迁至新址', proof_upload_ids: [proof] }
  const created = await expectJson<S['ChangeRequest']>(
    await request.post('/api/v1/unit/change-requests', { headers: bearer(token), data: body }),
    201,
    'POST /api/v1/unit/change-requests',
  )
  return created.id
}

/** F5 through the public API: an appeal with both proofs, submitted. Returns its id. */
export async function submitAppealThroughApi(request: APIRequestContext, unit: { unitName: string; uscc: string }): Promise<string> {
  // A fresh number each time: codes to one number are limited to one a minute.
  const mobile = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
  const input: S['AppealInput'] = {
    uscc: unit.uscc,
    unit_name: unit.unitName,
    applicant_name: '赵六',
    applicant_id_number: idNumber('35020319900101003'),
    applicant_mobile: mobile,
    contact_email: 'appeal-api@example.com',
    reason: '原授权联系人已离职，手机号码已停用，无法通过短信找回密码。',
  }
  const created = await expectJson<S['AppealCreated']>(await request.post('/api/v1/appeals', { data: input }), 201, 'POST /api/v1/appeals')
  const id = created.appeal.id
  const headers = { 'X-Appeal-Token': created.token }
  const upload = async (purpose: S['UploadPurpose'], fileName: string, contentType: 'image/png' | 'application/pdf', bytes: Buffer) => {
    const body: S['UploadRequest'] = { purpose, file_name: fileName, content_type: contentType, size: bytes.length }
    const slot = await expectJson<S['PresignedUpload']>(
      await request.post(`/api/v1/appeals/${id}/uploads`, { headers, data: body }),
      201,
      'POST /api/v1/appeals/{id}/uploads',
    )
    const put = await request.fetch(slot.url, {
      method: slot.method || 'PUT',
      headers: Object.fromEntries(Object.entries(slot.headers).filter(([name]) => !FORBIDDEN_HEADERS.has(name.toLowerCase()))),
      data: bytes,
    })
    expect(put.status(), `PUT presigned upload: ${await put.text()}`).toBeLessThan(300)
    await expectJson(
      await request.post(`/api/v1/appeals/${id}/uploads/${slot.upload_id}/complete`, { headers }),
      200,
      'POST /api/v1/appeals/{id}/uploads/{upload_id}/complete',
    )
    return slot.upload_id
  }
  const submit: S['AppealSubmit'] = {
    licence_upload_id: await upload('business_licence', 'business-licence.png', 'image/png', pngBytes()),
    authorisation_upload_id: await upload('authorisation_letter', 'authorisation-letter.pdf', 'application/pdf', pdfBytes()),
    // The code sent to the appellant's mobile when the appeal was made proves that number.
    code: await latestSmsCode(request, mobile, '帐号申诉'),
  }
  await expectJson(await request.post(`/api/v1/appeals/${id}/submit`, { headers, data: submit }), 200, 'POST /api/v1/appeals/{id}/submit')
  return id
}

/** A 统一社会信用代码 with its GB 32100 check character after the first 17 characters. */
export function uscc(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0)
  return first17 + chars[(31 - (sum % 31)) % 31]
}

/**
 * F9/F8 through the API: the seeded reviewer decides every waiting qualification certificate
 * request (new or corrected) of the change-request queue. Returns how many.
 */
export async function reviewCertificatesThroughApi(request: APIRequestContext, outcome: 'approve' | 'reject'): Promise<number> {
  const reviewer = await apiLogin(request, 'reviewer', SEED_PASSWORD, 'association')
  const queue = await expectJson<{ items: { id: string; fields: string[] }[] }>(
    await request.get('/api/v1/review/change-requests?limit=100', { headers: bearer(reviewer) }),
    200,
    'GET /api/v1/review/change-requests',
  )
  let decided = 0
  for (const item of queue.items.filter((i) => i.fields.some((f) => f.includes('资质证书')))) {
    await expectJson(
      await request.post(`/api/v1/review/change-requests/${item.id}/decision`, {
        headers: bearer(reviewer),
        data: { outcome, reason: '证书扫描件与填写内容一致' },
      }),
      200,
      'POST /api/v1/review/change-requests/{id}/decision',
    )
    decided += 1
  }
  return decided
}

/**
 * F9 through the API: the unit asks to correct its (first) qualification certificate to approve
 * only `items`, and the reviewer approves it — its scope narrows then. Returns the certificate's id.
 */
export async function narrowQualificationScope(
  request: APIRequestContext,
  unit: { username: string; password: string },
  items: string[],
): Promise<string> {
  const token = await apiLogin(request, unit.username, unit.password, 'unit')
  const list = await expectJson<S['QualificationList']>(
    await request.get('/api/v1/unit/qualifications', { headers: bearer(token) }),
    200,
    'GET /api/v1/unit/qualifications',
  )
  const current = list.items[0]
  const body: S['QualificationInput'] = {
    kind: current.kind,
    certificate_no: current.certificate_no,
    authority: current.authority,
    items,
    valid_from: current.valid_from,
    valid_until: current.valid_until,
    scan_upload_id: await uploadFile(request, token, 'qualification_scan', 'qualification-scan.pdf', 'application/pdf', pdfBytes()),
  }
  const asked = await expectJson<S['UnitQualificationView']>(
    await request.put(`/api/v1/unit/qualifications/${current.id}`, { headers: bearer(token), data: body }),
    202,
    `PUT /api/v1/unit/qualifications/${current.id}`,
  )
  expect(asked.pending?.items).toEqual(items)
  await reviewCertificatesThroughApi(request, 'approve')
  const after = await expectJson<S['QualificationList']>(
    await request.get('/api/v1/unit/qualifications', { headers: bearer(token) }),
    200,
    'GET /api/v1/unit/qualifications',
  )
  expect(after.items.find((q) => q.id === current.id)?.items).toEqual(items)
  return current.id
}

/** The unit's applications through the API (F15), newest first: to check what was (not) created. */
export async function listApplicationsThroughApi(
  request: APIRequestContext,
  unit: { username: string; password: string },
): Promise<S['ApplicationSummary'][]> {
  const token = await apiLogin(request, unit.username, unit.password, 'unit')
  const page = await expectJson<S['ApplicationList']>(
    await request.get('/api/v1/unit/applications', { headers: bearer(token) }),
    200,
    'GET /api/v1/unit/applications',
  )
  return page.items
}

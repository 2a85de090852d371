// Fixtures made through the API, not the browser: a registered unit approved by the
// seeded reviewer, ready to log in. Uses Playwright's request context (page.request).
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test'
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
      const code = (/验证码\D{0,6}(\d{6})(?!\d)/.exec(m.text) ?? /(?<!\d)(\d{6})(?!\d)/.exec(m.text))?.[1]
      if (code) return code
    }
  }
  throw new Error(`no SMS with "${marker}" and a 6-digit code to ${mobile}; newest: ${JSON.stringify(sms.slice(0, 3))}`)
}

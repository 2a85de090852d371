// Every call the SPA makes to the API, typed from docs/openapi.json (src/api/schema.d.ts), over
// the one client. Views, components and stores call these; none calls `api` itself.
import { api, unwrap } from './client'
import type { paths } from './schema'
import type {
  AccountStatusChange,
  AppealInput,
  AppealSubmit,
  AppendInput,
  ApplicationKind,
  ApplicationState,
  BasicInfoInput,
  BasicInfoUpdate,
  BranchStatusChange,
  CancellationInput,
  ChangeRequestInput,
  ClausesInput,
  ConfirmationInput,
  PreviewInput,
  ContactInput,
  LicenceInput,
  LoginRequest,
  MobileCodeRequest,
  MobileRegistration,
  NewApplication,
  NewBranch,
  NewUnitAccount,
  NoticeInput,
  PasswordResetRequest,
  PasswordSet,
  PublicityState,
  ReturnInput,
  QualificationInput,
  RecoveryCodeRequest,
  UploadRequest,
  WorkCalendarInput,
} from './types'

/** Only the cursor of a page when there is one. */
const after = (cursor: string | null) => (cursor ? { cursor } : {})

/** The query that turns a list (or an import's report) into an Excel download (#18). */
const AS_XLSX = { format: 'xlsx' }

/**
 * GET of an Excel download (an .xlsx attachment) through the one client, so that it carries the
 * session's token (refreshed when expired). For the downloads src/api/schema.d.ts does not type
 * yet: it was generated before docs/openapi.json gained them (`npm run gen:api` types them).
 */
const getWorkbook = (path: string, query: Record<string, string> = {}) =>
  unwrap(
    (api.GET as unknown as (path: string, init: object) => Promise<{ data?: Blob; error?: unknown; response: Response }>)(path, {
      params: { query },
      parseAs: 'blob',
    }),
  ) as Promise<Blob>

// ---- Session (F3) ----

/** POST /api/v1/auth/login (F3). */
export const login = (body: LoginRequest) => unwrap(api.POST('/api/v1/auth/login', { body }))

/** POST /api/v1/auth/logout: ends the session of the refresh token. */
export const logout = (refreshToken: string) =>
  unwrap(api.POST('/api/v1/auth/logout', { body: { refresh_token: refreshToken } }))

/** GET /api/v1/me: the account logged in and its unit. */
export const getMe = () => unwrap(api.GET('/api/v1/me'))

/**
 * PUT /api/v1/auth/password (ASVS 2.3): one's own new password; the answer is the new session
 * (the old one has ended). The one call, with GET /api/v1/me, left while a change is required.
 */
export const changeOwnPassword = (body: paths['/api/v1/auth/password']['put']['requestBody']['content']['application/json']) =>
  unwrap(api.PUT('/api/v1/auth/password', { body }))

/** POST /api/v1/password-recovery/code (F4): the SMS code to the unit's registered mobile. */
export const sendRecoveryCode = (body: RecoveryCodeRequest) => unwrap(api.POST('/api/v1/password-recovery/code', { body }))

/** POST /api/v1/password-recovery/reset (F4): a new password with the SMS code. */
export const resetPassword = (body: PasswordResetRequest) => unwrap(api.POST('/api/v1/password-recovery/reset', { body }))

// ---- Uploads (presigned; the bytes go straight to storage, see upload.ts) ----

/** POST /api/v1/uploads: an upload slot for the session's user. */
export const presignUpload = (body: UploadRequest) => unwrap(api.POST('/api/v1/uploads', { body }))

/** POST /api/v1/uploads/{id}/complete: the bytes are there; the API checks them. */
export const completeUpload = (id: string) => unwrap(api.POST('/api/v1/uploads/{id}/complete', { params: { path: { id } } }))

// ---- Registration (F1) ----

/** POST /api/v1/registrations (F1 step 1): the registrant's account and the registration. */
export const createRegistration = (body: BasicInfoInput) => unwrap(api.POST('/api/v1/registrations', { body }))

/** GET /api/v1/registrations/{id} (F1): the registration, to resume the wizard. */
export const getRegistration = (id: string) => unwrap(api.GET('/api/v1/registrations/{id}', { params: { path: { id } } }))

/** PUT /api/v1/registrations/{id}/basic (F1 step 1). */
export const saveRegistrationBasic = (id: string, body: BasicInfoUpdate) =>
  unwrap(api.PUT('/api/v1/registrations/{id}/basic', { params: { path: { id } }, body }))

/** PUT /api/v1/registrations/{id}/licence (F1 step 2). */
export const saveRegistrationLicence = (id: string, body: LicenceInput) =>
  unwrap(api.PUT('/api/v1/registrations/{id}/licence', { params: { path: { id } }, body }))

/** PUT /api/v1/registrations/{id}/qualification (F1 step 3). */
export const saveRegistrationQualification = (id: string, body: QualificationInput) =>
  unwrap(api.PUT('/api/v1/registrations/{id}/qualification', { params: { path: { id } }, body }))

/** PUT /api/v1/registrations/{id}/contact (F1 step 4). */
export const saveRegistrationContact = (id: string, body: ContactInput) =>
  unwrap(api.PUT('/api/v1/registrations/{id}/contact', { params: { path: { id } }, body }))

/** POST /api/v1/registrations/{id}/submit (F1): to the association's review. */
export const submitRegistration = (id: string) =>
  unwrap(api.POST('/api/v1/registrations/{id}/submit', { params: { path: { id } } }))

/**
 * GET /api/v1/registry/items (public, F1 step 3 and F9): the registry's item dictionary
 * (项目代号 with 项目名称), by code; empty before the first registry import.
 */
export const getRegistryItems = () => unwrap(api.GET('/api/v1/registry/items'))

// ---- The unit (F6–F9) ----

/** GET /api/v1/unit (F7): the unit's information. */
export const getUnit = () => unwrap(api.GET('/api/v1/unit'))

/**
 * GET /api/v1/unit/home (F6): what needs action — the to-dos, every open publicity application
 * (returned ones first), the counts and the 通知公告 in force — in one request.
 */
export const getUnitHome = () => unwrap(api.GET('/api/v1/unit/home'))

/**
 * POST /api/v1/notices/{id}/read (F6, #19): marks a notice of the home read by the caller
 * (204, again too); 404 once it was withdrawn.
 */
export const markNoticeRead = (id: string) => unwrap(api.POST('/api/v1/notices/{id}/read', { params: { path: { id } } }))

/** GET /api/v1/unit/accounts (F7): the unit's login accounts (unit admin only). */
export const listAccounts = () => unwrap(api.GET('/api/v1/unit/accounts'))

/** POST /api/v1/unit/accounts (F7): a sub-account. */
export const createAccount = (body: NewUnitAccount) => unwrap(api.POST('/api/v1/unit/accounts', { body }))

/** PUT /api/v1/unit/accounts/{username}/status (F7): enables or disables a sub-account. */
export const setAccountStatus = (username: string, body: AccountStatusChange) =>
  unwrap(api.PUT('/api/v1/unit/accounts/{username}/status', { params: { path: { username } }, body }))

/** PUT /api/v1/unit/accounts/{username}/password (F7): sets a sub-account's password. */
export const setAccountPassword = (username: string, body: PasswordSet) =>
  unwrap(api.PUT('/api/v1/unit/accounts/{username}/password', { params: { path: { username } }, body }))

/** GET /api/v1/unit/branches (F7): the unit's 二级单位, oldest first. */
export const listBranches = () => unwrap(api.GET('/api/v1/unit/branches'))

/** POST /api/v1/unit/branches (F7): a 二级单位. */
export const createBranch = (body: NewBranch) => unwrap(api.POST('/api/v1/unit/branches', { body }))

/** PUT /api/v1/unit/branches/{id}/status (F7): enables or disables a 二级单位. */
export const setBranchStatus = (id: string, body: BranchStatusChange) =>
  unwrap(api.PUT('/api/v1/unit/branches/{id}/status', { params: { path: { id } }, body }))

/** GET /api/v1/unit/qualifications (F9). */
export const listQualifications = () => unwrap(api.GET('/api/v1/unit/qualifications'))

/** POST /api/v1/unit/qualifications (F9): a certificate added. */
export const addQualification = (body: QualificationInput) => unwrap(api.POST('/api/v1/unit/qualifications', { body }))

/** PUT /api/v1/unit/qualifications/{id} (F9): a certificate corrected. */
export const correctQualification = (id: string, body: QualificationInput) =>
  unwrap(api.PUT('/api/v1/unit/qualifications/{id}', { params: { path: { id } }, body }))

/** GET /api/v1/unit/change-requests (F8). */
export const listChangeRequests = () => unwrap(api.GET('/api/v1/unit/change-requests'))

/** POST /api/v1/unit/change-requests (F8). */
export const submitChangeRequest = (body: ChangeRequestInput) => unwrap(api.POST('/api/v1/unit/change-requests', { body }))

// ---- Appeals (F5, public) ----

/** The token of an appeal travels in this header (F5: appeals are public, without a session). */
const appealHeader = (token: string) => ({ 'X-Appeal-Token': token })

/** POST /api/v1/appeals (F5): a draft appeal and its token. */
export const createAppeal = (body: AppealInput) => unwrap(api.POST('/api/v1/appeals', { body }))

/** GET /api/v1/appeals/{id} (F5), for the holder of its token. */
export const getAppeal = (id: string, token: string) =>
  unwrap(api.GET('/api/v1/appeals/{id}', { params: { path: { id }, header: appealHeader(token) } }))

/** POST /api/v1/appeals/{id}/uploads (F5): an upload slot for one of the appeal's proofs. */
export const presignAppealUpload = (id: string, token: string, body: UploadRequest) =>
  unwrap(api.POST('/api/v1/appeals/{id}/uploads', { params: { path: { id }, header: appealHeader(token) }, body }))

/** POST /api/v1/appeals/{id}/uploads/{upload_id}/complete (F5). */
export const completeAppealUpload = (id: string, token: string, uploadId: string) =>
  unwrap(
    api.POST('/api/v1/appeals/{id}/uploads/{upload_id}/complete', {
      params: { path: { id, upload_id: uploadId }, header: appealHeader(token) },
    }),
  )

/** POST /api/v1/appeals/{id}/submit (F5) with both proofs and the SMS code sent to the appellant. */
export const submitAppeal = (id: string, token: string, body: AppealSubmit) =>
  unwrap(api.POST('/api/v1/appeals/{id}/submit', { params: { path: { id }, header: appealHeader(token) }, body }))

/** POST /api/v1/appeals/{id}/code (F5): another code to the appellant's mobile (429 within a minute). */
export const resendAppealCode = (id: string, token: string) =>
  unwrap(api.POST('/api/v1/appeals/{id}/code', { params: { path: { id }, header: appealHeader(token) } }))

// ---- Practice publicity (F10–F23) ----

/** GET /api/v1/clauses (F11): the current commitment clauses. */
export const getClauses = () => unwrap(api.GET('/api/v1/clauses'))

/** GET /api/v1/unit/practitioners/search (F10): a person by ID number and name, or by certificate (renewal). */
export const searchPractitioner = (query: { id_number: string; name: string } | { certificate_no: string }) =>
  unwrap(api.GET('/api/v1/unit/practitioners/search', { params: { query } }))

/** POST /api/v1/unit/applications (F12): an application; a retry with the same key gets the same one. */
export const submitApplication = (body: NewApplication, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/unit/applications', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }))

/** The filters of 执业公示申报单 (F15); empty ones are left out. */
export interface ApplicationFilter {
  state?: ApplicationState | null
  kind?: ApplicationKind | null
  q?: string
}

const applicationQuery = (filter: ApplicationFilter) => ({
  ...(filter.state ? { state: filter.state } : {}),
  ...(filter.kind ? { kind: filter.kind } : {}),
  ...(filter.q ? { q: filter.q } : {}),
})

/** GET /api/v1/unit/applications (F15): a page of the unit's applications, newest first. */
export const listApplications = (filter: ApplicationFilter, cursor: string | null, limit: number) =>
  unwrap(api.GET('/api/v1/unit/applications', { params: { query: { limit, ...applicationQuery(filter), ...after(cursor) } } }))

/**
 * GET /api/v1/unit/applications?format=xlsx (F15, #18): the whole list as filtered (at most
 * 5,000), as 执业公示申报单.xlsx, fetched with the session's token.
 */
export const exportApplications = (filter: ApplicationFilter) =>
  unwrap(api.GET('/api/v1/unit/applications', { params: { query: { ...applicationQuery(filter), ...AS_XLSX } }, parseAs: 'blob' })) as Promise<Blob>

/** GET /api/v1/unit/applications/{id} (F15). */
export const getApplication = (id: string) => unwrap(api.GET('/api/v1/unit/applications/{id}', { params: { path: { id } } }))

/** GET /api/v1/unit/applications/{id}/form (F13): a short-lived link to the 申请表 PDF. */
export const getApplicationForm = (id: string) =>
  unwrap(api.GET('/api/v1/unit/applications/{id}/form', { params: { path: { id } } }))

/**
 * POST /api/v1/unit/applications/{id}/scan (F14): the signed and stamped form; the practitioner
 * gets the SMS. For an application returned for correction (退回补正, #19) it is the corrected
 * scan: the application goes back to review on the confirmation already given, with no SMS.
 */
export const submitApplicationScan = (id: string, uploadId: string) =>
  unwrap(api.POST('/api/v1/unit/applications/{id}/scan', { params: { path: { id } }, body: { upload_id: uploadId } }))

/** POST /api/v1/unit/applications/{id}/confirmation-code (F14): the confirmation SMS again (rate limited). */
export const resendConfirmationCode = (id: string) =>
  unwrap(api.POST('/api/v1/unit/applications/{id}/confirmation-code', { params: { path: { id } } }))

/** POST /api/v1/unit/applications/{id}/withdraw. */
export const withdrawApplication = (id: string, reason: string | null) =>
  unwrap(api.POST('/api/v1/unit/applications/{id}/withdraw', { params: { path: { id } }, body: { reason } }))

/** GET /api/v1/unit/appends (F16): the people with new items not yet published. */
export const listAppendCandidates = () => unwrap(api.GET('/api/v1/unit/appends'))

/** POST /api/v1/unit/appends (F16): publishes their items, in batch; a retry with the same key gets the same answer. */
export const appendItems = (body: AppendInput, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/unit/appends', { body, headers: { 'Idempotency-Key': idempotencyKey } }))

/** GET /api/v1/unit/renewals (F17): the publicities due for renewal. */
export const listRenewals = () => unwrap(api.GET('/api/v1/unit/renewals'))

/** GET /api/v1/unit/practitioners (F20): the people published at the unit, with their mobile registration. */
export const listUnitPractitioners = () => unwrap(api.GET('/api/v1/unit/practitioners'))

/** GET /api/v1/unit/practitioners?format=xlsx (F20, #18): the same list as 执业人员.xlsx, the unregistered mobiles marked. */
export const exportUnitPractitioners = () => getWorkbook('/api/v1/unit/practitioners', AS_XLSX)

/** The filters of 公示证书管理 (F19); empty ones are left out. */
export interface PublicityFilter {
  state?: PublicityState | null
  q?: string
  endingSoon?: boolean
}

function publicityQuery(filter: PublicityFilter) {
  const q = filter.q?.trim()
  return {
    ...(filter.state ? { state: filter.state } : {}),
    ...(q ? { q } : {}),
    ...(filter.endingSoon ? { ending_soon: true } : {}),
  }
}

/** GET /api/v1/unit/publicities (F19): the unit's publicity certificates, active and past. */
export const listPublicities = (filter: PublicityFilter) =>
  unwrap(api.GET('/api/v1/unit/publicities', { params: { query: publicityQuery(filter) } }))

/** The spreadsheets 公示证书管理 exports (F19): Excel (.xlsx) or CSV. */
export type PublicityExportFormat = 'xlsx' | 'csv'

/**
 * GET /api/v1/unit/publicities?format=xlsx|csv (F19): the same list as a spreadsheet, fetched
 * with the session's token.
 */
export const exportPublicities = (filter: PublicityFilter, format: PublicityExportFormat = 'csv') =>
  unwrap(api.GET('/api/v1/unit/publicities', { params: { query: { ...publicityQuery(filter), format } }, parseAs: 'blob' })) as Promise<Blob>

/** POST /api/v1/unit/cancellations (F18): a cancellation application; a retry with the same key gets the same one. */
export const requestCancellation = (body: CancellationInput, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/unit/cancellations', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }))

/** POST /api/v1/confirmations/preview (F14, public): what the ID number and SMS code are asked to confirm; answers nothing. */
export const previewConfirmation = (body: PreviewInput) => unwrap(api.POST('/api/v1/confirmations/preview', { body }))

/** POST /api/v1/confirmations (F14, public): the practitioner confirms (or declines) an application with the SMS code. */
export const confirmApplication = (body: ConfirmationInput) => unwrap(api.POST('/api/v1/confirmations', { body }))

/** POST /api/v1/practitioners/mobile/code (F20, public): the SMS code to the mobile being registered. */
export const sendMobileCode = (body: MobileCodeRequest) => unwrap(api.POST('/api/v1/practitioners/mobile/code', { body }))

/** POST /api/v1/practitioners/mobile (F20, public): registers the mobile with the SMS code. */
export const registerMobile = (body: MobileRegistration) => unwrap(api.POST('/api/v1/practitioners/mobile', { body }))

/** GET /api/v1/public/practitioners (F19, public): by 公示证书编号 and 姓名, or by the unit's USCC. */
export const searchPublicPractitioners = (query: { certificate_no: string; name: string } | { uscc: string }) =>
  unwrap(api.GET('/api/v1/public/practitioners', { params: { query } }))

/** GET /api/v1/public/applications (public): verifies a printed 申请表 by its number (the QR code's link). */
export const verifyApplication = (number: string) => unwrap(api.GET('/api/v1/public/applications', { params: { query: { number } } }))

/**
 * A document behind a presigned link (a 申请表 PDF, a scan), as a blob. The link is the storage's,
 * not the API's: it is fetched as it is, without the session's token.
 */
export async function fetchDocument(url: string): Promise<Blob> {
  const response = await globalThis.fetch(url)
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return response.blob()
}

// ---- Administration (association admin) ----

/** PUT /api/v1/admin/clauses (F11): publishes a new version of the clauses. */
export const publishClauses = (body: ClausesInput) => unwrap(api.PUT('/api/v1/admin/clauses', { body }))

/** GET /api/v1/admin/calendar: the work calendar reply deadlines (F5) count by. */
export const getCalendar = () => unwrap(api.GET('/api/v1/admin/calendar'))

/** PUT /api/v1/admin/calendar: replaces the holidays and make-up workdays. */
export const saveCalendar = (body: WorkCalendarInput) => unwrap(api.PUT('/api/v1/admin/calendar', { body }))

/** GET /api/v1/admin/notices (F6, #19): a page of the 通知公告, newest first, withdrawn ones too. */
export const listNotices = (cursor: string | null, limit: number) =>
  unwrap(api.GET('/api/v1/admin/notices', { params: { query: { limit, ...after(cursor) } } }))

/**
 * POST /api/v1/admin/notices (F6, #19): publishes a notice to every unit's home; a title or a
 * body of the wrong length is 422 on `title` or `body`.
 */
export const publishNotice = (body: NoticeInput) => unwrap(api.POST('/api/v1/admin/notices', { body }))

/**
 * PUT /api/v1/admin/notices/{id} (F6, #19): a notice's title, body or pin changed; a withdrawn
 * one is 409 `notice_withdrawn`, a racing edit 409 `notice_changed`.
 */
export const editNotice = (id: string, body: NoticeInput) =>
  unwrap(api.PUT('/api/v1/admin/notices/{id}', { params: { path: { id } }, body }))

/** DELETE /api/v1/admin/notices/{id} (F6, #19): 撤回 — kept in the list, no longer on the homes; again is 409. */
export const withdrawNotice = (id: string) => unwrap(api.DELETE('/api/v1/admin/notices/{id}', { params: { path: { id } } }))

/** A CSV (or TSV) body, sent as it is with its content type. */
const textBody = (text: string, contentType: string) => ({
  body: text,
  bodySerializer: (body: string) => body,
  headers: { 'Content-Type': contentType },
})

/** A file to import: its bytes exactly as on disk, and the workbook's sheet to read (none: the first). */
export interface ImportFile {
  bytes: ArrayBuffer
  /** `application/octet-stream`; `application/json` for a JSON file (registry import only). */
  contentType: string
  sheet?: string
}

/**
 * A file's bytes as they are on disk, never decoded here: the server detects the format (.xlsx
 * or CSV) and the encoding (UTF-8, GBK, GB18030, …) itself (#18). The schema types a binary
 * body as a string; the serializer hands the bytes to fetch untouched.
 */
const fileBody = (file: ImportFile) => {
  const sheet = file.sheet?.trim()
  return {
    body: file.bytes as unknown as string,
    bodySerializer: (body: unknown) => body,
    headers: { 'Content-Type': file.contentType },
    params: { query: sheet ? { sheet } : {} },
  }
}

/** POST /api/v1/admin/legacy-accounts/import (F2): the old system's accounts, as a CSV file or a workbook. */
export const importLegacyAccounts = (file: ImportFile) =>
  unwrap(api.POST('/api/v1/admin/legacy-accounts/import', fileBody(file)))

/** GET /api/v1/admin/legacy-accounts/template (F2, #18): the Excel template (原系统帐号导入模板.xlsx), fetched with the session's token. */
export const getLegacyTemplate = () => getWorkbook('/api/v1/admin/legacy-accounts/template')

/**
 * POST /api/v1/admin/legacy-accounts/import?format=xlsx (F2, #18): the report of the same file as
 * a workbook (原系统帐号导入报告.xlsx: its rows with 行号 and 错误, the refused cells red). The
 * import is idempotent: sending the file again changes nothing that went in.
 */
export const legacyImportReport = (file: ImportFile) => {
  const body = fileBody(file)
  return unwrap(
    api.POST('/api/v1/admin/legacy-accounts/import', { ...body, params: { query: { ...body.params.query, ...AS_XLSX } }, parseAs: 'blob' }),
  ) as Promise<Blob>
}

/** POST /api/v1/admin/practitioners/import (F22): the registry as a file (.xlsx, CSV or JSON), its bytes as they are. */
export const importPractitionerFile = (file: ImportFile) =>
  unwrap(api.POST('/api/v1/admin/practitioners/import', fileBody(file)))

/** POST /api/v1/admin/practitioners/import (F22): the registry as pasted text, CSV or TSV (sent as UTF-8) or JSON. */
export const importPractitioners = (text: string, contentType: string) =>
  unwrap(api.POST('/api/v1/admin/practitioners/import', textBody(text, contentType)))

/** GET /api/v1/admin/practitioners/template (F22): the Excel template (人员库导入模板.xlsx), fetched with the session's token. */
export const getPractitionerTemplate = () =>
  unwrap(api.GET('/api/v1/admin/practitioners/template', { parseAs: 'blob' })) as Promise<Blob>

/**
 * POST /api/v1/admin/practitioners/import/check (F22): the error report of the same file
 * (导入错误报告.xlsx: its rows with 行号 and 错误); nothing is imported.
 */
export const checkPractitionerFile = (file: ImportFile) =>
  unwrap(api.POST('/api/v1/admin/practitioners/import/check', { ...fileBody(file), parseAs: 'blob' })) as Promise<Blob>

// ---- Review (F5, F8, F21): the four queues share one shape ----

/** The queues a reviewer works through, by their path under /api/v1/review/. */
export type ReviewQueue = 'registrations' | 'change-requests' | 'appeals' | 'applications'

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never
type QueuePath<Q extends ReviewQueue> = `/api/v1/review/${Q}`
type ReviewPath<Q extends ReviewQueue> = `/api/v1/review/${Q}/{id}`
type DecisionPath<Q extends ReviewQueue> = `/api/v1/review/${Q}/{id}/decision`

/** A page of a queue: GET /api/v1/review/{queue}. */
export type ReviewPage<Q extends ReviewQueue> = Json<paths[QueuePath<Q>]['get']['responses'][200]>
/** One item of a queue with what the reviewer needs to decide: GET /api/v1/review/{queue}/{id}. */
export type Review<Q extends ReviewQueue> = Json<paths[ReviewPath<Q>]['get']['responses'][200]>

/**
 * The body of a decision: `{ outcome: 'approve' | 'reject', reason? }` for every queue, an
 * appeal's also naming the account whose password is reset.
 */
export type ReviewDecisionInput<Q extends ReviewQueue> = Json<paths[DecisionPath<Q>]['post']['requestBody']>

/** GET /api/v1/review/{queue} (F5, F8, F21): one page of a state's queue. */
export const listReviewQueue = <Q extends ReviewQueue>(queue: Q, state: string, cursor: string | null, limit: number) =>
  unwrap(
    api.GET(`/api/v1/review/${queue}` as QueuePath<ReviewQueue>, { params: { query: { state, limit, ...after(cursor) } } }),
  ) as Promise<ReviewPage<Q>>

/** GET /api/v1/review/{queue}?state=…&format=xlsx (#18): the whole queue in a state, as Excel. */
export const exportReviewQueue = (queue: ReviewQueue, state: string) =>
  unwrap(
    api.GET(`/api/v1/review/${queue}` as QueuePath<'applications'>, {
      params: { query: { state, ...AS_XLSX } as never },
      parseAs: 'blob',
    }),
  ) as Promise<Blob>

/** GET /api/v1/review/{queue}/{id} (F5, F8, F21). */
export const getReview = <Q extends ReviewQueue>(queue: Q, id: string) =>
  unwrap(api.GET(`/api/v1/review/${queue}/{id}` as ReviewPath<ReviewQueue>, { params: { path: { id } } })) as Promise<Review<Q>>

/** POST /api/v1/review/{queue}/{id}/decision (F5, F8, F21): 通过 or 驳回; the item as decided. */
export const decideReview = <Q extends ReviewQueue>(queue: Q, id: string, body: ReviewDecisionInput<Q>) =>
  unwrap(
    api.POST(`/api/v1/review/${queue}/{id}/decision` as DecisionPath<ReviewQueue>, {
      params: { path: { id } },
      body: body as Json<paths[DecisionPath<ReviewQueue>]['post']['requestBody']>,
    }),
  ) as Promise<Review<Q>>

/**
 * POST /api/v1/review/applications/{id}/claim (F21): claims an application in review (认领) for
 * 30 minutes, or renews one's own claim; the claim as it now stands. Another reviewer's live
 * claim is 409 `claimed_by_other`, an application no longer in review 409 `state_conflict`.
 */
export const claimApplication = (id: string) =>
  unwrap(api.POST('/api/v1/review/applications/{id}/claim', { params: { path: { id } } }))

/**
 * DELETE /api/v1/review/applications/{id}/claim (F21): releases one's claim (释放), so another
 * reviewer may take it; nothing to release is fine too. Another's live claim is 409 `claimed_by_other`.
 */
export const releaseApplicationClaim = (id: string) =>
  unwrap(api.DELETE('/api/v1/review/applications/{id}/claim', { params: { path: { id } } }))

/**
 * POST /api/v1/review/applications/{id}/return (F21, #19): 退回补正 — returns an application in
 * review to the unit with one or more reasons (and a note, which `other` requires); the review
 * as it now stands. The return ends a claim, like a decision. Another reviewer's live claim is
 * 409 `claimed_by_other`, an application no longer in review 409 `application_state`; a
 * missing reason or a note of the wrong length is 422 on `reasons` or `note`.
 */
export const returnApplication = (id: string, body: ReturnInput) =>
  unwrap(api.POST('/api/v1/review/applications/{id}/return', { params: { path: { id } }, body }))

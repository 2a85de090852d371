// Typed calls used by more than one screen or with a path parameter, over the one client.
import { api, unwrap } from './client'
import type {
  AppealInput,
  AppealSubmit,
  CancellationInput,
  ChangeRequestInput,
  DecisionInput,
  PublicityDecisionInput,
  PublicityState,
} from './types'

/** GET /api/v1/unit/qualifications (F9). */
export const listQualifications = () => unwrap(api.GET('/api/v1/unit/qualifications'))

/** GET /api/v1/review/registrations/{id} (F21). */
export const getRegistrationReview = (id: string) => unwrap(api.GET('/api/v1/review/registrations/{id}', { params: { path: { id } } }))

/** POST /api/v1/review/registrations/{id}/decision (F21). */
export const decideRegistration = (id: string, body: DecisionInput) =>
  unwrap(api.POST('/api/v1/review/registrations/{id}/decision', { params: { path: { id } }, body }))

/** GET /api/v1/unit/change-requests (F8). */
export const listChangeRequests = () => unwrap(api.GET('/api/v1/unit/change-requests'))

/** POST /api/v1/unit/change-requests (F8). */
export const submitChangeRequest = (body: ChangeRequestInput) => unwrap(api.POST('/api/v1/unit/change-requests', { body }))

/** The token of an appeal travels in this header (F5: appeals are public, without a session). */
const appealHeader = (token: string) => ({ 'X-Appeal-Token': token })

/** POST /api/v1/appeals (F5): a draft appeal and its token. */
export const createAppeal = (body: AppealInput) => unwrap(api.POST('/api/v1/appeals', { body }))

/** GET /api/v1/appeals/{id} (F5), for the holder of its token. */
export const getAppeal = (id: string, token: string) =>
  unwrap(api.GET('/api/v1/appeals/{id}', { params: { path: { id }, header: appealHeader(token) } }))

/** POST /api/v1/appeals/{id}/submit (F5) with both proofs. */
export const submitAppeal = (id: string, token: string, body: AppealSubmit) =>
  unwrap(api.POST('/api/v1/appeals/{id}/submit', { params: { path: { id }, header: appealHeader(token) }, body }))

/** GET /api/v1/unit/branches (F7): the unit's 二级单位, oldest first. */
export const listBranches = () => unwrap(api.GET('/api/v1/unit/branches'))

/** GET /api/v1/clauses (F11): the current commitment clauses. */
export const getClauses = () => unwrap(api.GET('/api/v1/clauses'))

/** GET /api/v1/unit/applications/{id} (F15). */
export const getApplication = (id: string) => unwrap(api.GET('/api/v1/unit/applications/{id}', { params: { path: { id } } }))

/** GET /api/v1/unit/applications/{id}/form (F13): a short-lived link to the 申请表 PDF. */
export const getApplicationForm = (id: string) =>
  unwrap(api.GET('/api/v1/unit/applications/{id}/form', { params: { path: { id } } }))

/** POST /api/v1/unit/applications/{id}/scan (F14): the signed and stamped form; the practitioner gets the SMS. */
export const submitApplicationScan = (id: string, uploadId: string) =>
  unwrap(api.POST('/api/v1/unit/applications/{id}/scan', { params: { path: { id } }, body: { upload_id: uploadId } }))

/** POST /api/v1/unit/applications/{id}/confirmation-code (F14): the confirmation SMS again (rate limited). */
export const resendConfirmationCode = (id: string) =>
  unwrap(api.POST('/api/v1/unit/applications/{id}/confirmation-code', { params: { path: { id } } }))

/** POST /api/v1/unit/applications/{id}/withdraw. */
export const withdrawApplication = (id: string, reason: string | null) =>
  unwrap(api.POST('/api/v1/unit/applications/{id}/withdraw', { params: { path: { id } }, body: { reason } }))

/** GET /api/v1/review/applications/{id} (F21): the application with links to its form and scan. */
export const getApplicationReview = (id: string) =>
  unwrap(api.GET('/api/v1/review/applications/{id}', { params: { path: { id } } }))

/** POST /api/v1/review/applications/{id}/decision (F21). */
export const decideApplication = (id: string, body: PublicityDecisionInput) =>
  unwrap(api.POST('/api/v1/review/applications/{id}/decision', { params: { path: { id } }, body }))

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

/** GET /api/v1/unit/publicities?format=csv (F19): the same list as a spreadsheet, fetched with the session's token. */
export const exportPublicities = (filter: PublicityFilter) =>
  unwrap(api.GET('/api/v1/unit/publicities', { params: { query: { ...publicityQuery(filter), format: 'csv' } }, parseAs: 'blob' })) as Promise<Blob>

/** POST /api/v1/unit/cancellations (F18): a cancellation application; a retry with the same key gets the same one. */
export const requestCancellation = (body: CancellationInput, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/unit/cancellations', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }))

/** GET /api/v1/public/practitioners (F19, public): by 公示证书编号 and 姓名, or by the unit's USCC. */
export const searchPublicPractitioners = (query: { certificate_no: string; name: string } | { uscc: string }) =>
  unwrap(api.GET('/api/v1/public/practitioners', { params: { query } }))

/** GET /api/v1/public/applications (public): verifies a printed 申请表 by its number (the QR code's link). */
export const verifyApplication = (number: string) => unwrap(api.GET('/api/v1/public/applications', { params: { query: { number } } }))

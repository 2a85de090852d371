// Typed calls used by more than one screen or with a path parameter, over the one client.
import { api, unwrap } from './client'
import type { AppealInput, AppealSubmit, ChangeRequestInput, DecisionInput, PublicityDecisionInput } from './types'

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

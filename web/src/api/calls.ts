// Typed calls used by more than one screen or with a path parameter, over the one client.
import { api, unwrap } from './client'
import type { AppealInput, AppealSubmit, ChangeRequestInput, DecisionInput } from './types'

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

// Typed calls used by more than one screen or with a path parameter, over the one client.
import { api, unwrap } from './client'
import type { ChangeRequestInput, DecisionInput } from './types'

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

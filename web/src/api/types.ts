// Names for the generated OpenAPI schemas used across the app, so views never spell
// out `components["schemas"][...]`. Derived only from the component schemas.
import type { components } from './schema'

type S = components['schemas']

export type Problem = S['Problem']
export type FieldError = S['FieldError']
export type Session = S['Session']
export type Account = S['Account']
export type Role = Account['role']
export type UserType = S['LoginRequest']['user_type']
export type Me = S['Me']
export type Unit = S['Unit']
export type Registration = S['Registration']
export type RegistrationState = Registration['state']
export type BasicInfoInput = S['BasicInfoInput']
export type BasicInfoUpdate = S['BasicInfoUpdate']
export type QualificationInput = S['QualificationInput']
export type QualificationKind = QualificationInput['kind']
export type ContactInput = S['ContactInput']
export type UploadRef = S['UploadRef']
export type UploadPurpose = S['UploadRequest']['purpose']
export type UploadContentType = S['UploadRequest']['content_type']
export type PresignedUpload = S['PresignedUpload']
export type RegistrationSummary = S['RegistrationSummary']
export type RegistrationPage = S['RegistrationPage']
export type RegistrationReview = S['RegistrationReview']
export type DocumentLink = S['DocumentLink']
export type DecisionInput = S['DecisionInput']
export type ReviewQueueState = 'submitted' | 'approved' | 'rejected'

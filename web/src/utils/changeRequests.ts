// F8 单位信息变更: what a change request sends (only what differs) and how it is shown.
import type { ChangeRequest, ChangeRequestInput, UnitDetail, UploadRef } from '@/api/types'

/** The server field names of the change form; `contact.mobile` etc. map to their last segment. */
export const CHANGE_FIELDS = [
  'unit_name',
  'legal_representative',
  'uscc',
  'address',
  'postcode',
  'name',
  'id_number',
  'mobile',
  'email',
  'reason',
  'proof_upload_ids',
] as const
export type ChangeField = (typeof CHANGE_FIELDS)[number]

/** The basic fields a unit may ask to change, in the form's order. */
export const BASIC_FIELDS = ['unit_name', 'legal_representative', 'uscc', 'address', 'postcode'] as const
export type BasicField = (typeof BASIC_FIELDS)[number]

export interface ChangeForm {
  unit_name: string
  legal_representative: string
  uscc: string
  address: string
  postcode: string
  /** Whether a new authorised contact is given (the current one is only shown masked). */
  changeContact: boolean
  contact: { name: string; id_number: string; mobile: string; email: string }
  reason: string
  /** One slot per proof uploader; empty slots are ignored. */
  proofs: (UploadRef | null)[]
}

/** The unit's current values: a form that changes nothing yet. */
export function changeFormOf(unit: UnitDetail): ChangeForm {
  return {
    unit_name: unit.name,
    legal_representative: unit.legal_representative,
    uscc: unit.uscc,
    address: unit.address,
    postcode: unit.postcode,
    changeContact: false,
    contact: { name: '', id_number: '', mobile: '', email: '' },
    reason: '',
    proofs: [null],
  }
}

const CURRENT: Record<BasicField, (u: UnitDetail) => string> = {
  unit_name: (u) => u.name,
  legal_representative: (u) => u.legal_representative,
  uscc: (u) => u.uscc,
  address: (u) => u.address,
  postcode: (u) => u.postcode,
}

const normalise = (field: BasicField, value: string) => (field === 'uscc' ? value.trim().toUpperCase() : value.trim())

/** The fields whose value differs from the unit's. */
export function changedFields(unit: UnitDetail, form: ChangeForm): BasicField[] {
  return BASIC_FIELDS.filter((f) => normalise(f, form[f]) !== normalise(f, CURRENT[f](unit)))
}

/** The request: only the changed fields, the contact when one is given, reason and proofs. */
export function changeRequestBody(unit: UnitDetail, form: ChangeForm): ChangeRequestInput {
  const body: ChangeRequestInput = {
    reason: form.reason.trim(),
    proof_upload_ids: form.proofs.filter((p): p is UploadRef => p !== null).map((p) => p.upload_id),
  }
  for (const f of changedFields(unit, form)) body[f] = normalise(f, form[f])
  if (form.changeContact) {
    const c = form.contact
    body.contact = { name: c.name.trim(), id_number: c.id_number.trim().toUpperCase(), mobile: c.mobile.trim(), email: c.email.trim() }
  }
  return body
}

/** Whether the body asks for any change at all. */
export const changesSomething = (body: ChangeRequestInput) =>
  BASIC_FIELDS.some((f) => typeof body[f] === 'string') || Boolean(body.contact)

/** The unit's open (pending) request, if any: only one at a time. */
export const openRequest = (items: readonly ChangeRequest[]) => items.find((r) => r.state === 'pending') ?? null

// F9 单位资质管理: how a certificate's validity is shown.
import type { QualificationKind, UnitQualification, UploadRef, Validity } from '@/api/types'
import type { TagType } from './status'

/** The server field names of a qualification form (QualificationInput). */
export const QUALIFICATION_FIELDS = [
  'kind',
  'certificate_no',
  'authority',
  'items',
  'valid_from',
  'valid_until',
  'scan_upload_id',
] as const
export type QualificationField = (typeof QUALIFICATION_FIELDS)[number]

/** What a qualification form starts from: a stored certificate (step 3 or 资质管理). */
export interface QualificationValue {
  kind: QualificationKind
  certificate_no: string
  authority: string
  items: string[]
  valid_from: string
  valid_until: string
  scan: UploadRef
}

/** A message key with its values, for `t(key, values)`. */
export interface Message {
  key: string
  values: Record<string, string | number>
}

/** The validity tag: 有效 green, 即将到期（N天） orange, 已过期 red. */
export function validityTagOf(q: Pick<UnitQualification, 'validity' | 'days_left'>): Message & { type: TagType } {
  const tags: Record<Validity, TagType> = { valid: 'success', expiring: 'warning', expired: 'danger' }
  const type = tags[q.validity] ?? 'info'
  return { key: `qualifications.validity.${q.validity}`, values: { days: Math.max(q.days_left, 0) }, type }
}

/** Label key of 核准证 / 许可证. */
export const kindKey = (kind: QualificationKind) =>
  kind === 'licence' ? 'register.qualification.licence' : 'register.qualification.approval'

/** Puts `q` in place of the certificate with its id, or adds it; soonest to end first. */
export function upsertQualification(items: readonly UnitQualification[], q: UnitQualification): UnitQualification[] {
  return [...items.filter((i) => i.id !== q.id), q].sort(
    (a, b) => a.valid_until.localeCompare(b.valid_until) || a.certificate_no.localeCompare(b.certificate_no),
  )
}

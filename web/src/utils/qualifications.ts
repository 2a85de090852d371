// F9 单位资质管理: how a certificate's validity is shown.
import type { QualificationKind, RegistryItem, UnitQualification, UploadRef, Validity } from '@/api/types'
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

/** One choice of the scope's item select: stores the item's name, shows `code 名称`. */
export interface ItemOption {
  key: string
  value: string
  label: string
}

/**
 * The choices of the registry's item dictionary (GET /api/v1/registry/items). The value is the
 * item's 项目名称, the string the form has always stored (the server matches a scope entry
 * against an item's code or its name); one choice per name.
 */
export function itemOptions(dictionary: readonly RegistryItem[]): ItemOption[] {
  const seen = new Set<string>()
  const options: ItemOption[] = []
  for (const item of dictionary) {
    if (seen.has(item.name)) continue
    seen.add(item.name)
    options.push({ key: item.code, value: item.name, label: `${item.code} ${item.name}` })
  }
  return options
}

/**
 * The entries of a scope that name no item of the dictionary, neither by 项目代号 nor by
 * 项目名称 (exactly, as the server compares), once each and in order; none when the dictionary
 * is empty (nothing imported yet to compare with).
 */
export function unknownItems(items: readonly string[], dictionary: readonly RegistryItem[]): string[] {
  if (dictionary.length === 0) return []
  const known = new Set(dictionary.flatMap((i) => [i.code, i.name]))
  const entries = items.map((i) => i.trim()).filter((i) => i.length > 0)
  return [...new Set(entries)].filter((i) => !known.has(i))
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

/** The review tag of a certificate (F9 reviewed by the association): 待审核 / 未通过, none once approved. */
export function reviewTagOf(q: Pick<UnitQualification, 'review_state'>): (Message & { type: TagType }) | null {
  if (q.review_state === 'pending') return { key: 'qualifications.review.pending', values: {}, type: 'warning' }
  if (q.review_state === 'rejected') return { key: 'qualifications.review.rejected', values: {}, type: 'danger' }
  return null
}

/** One field a waiting correction changes: the column's label key, in force, asked for. */
export interface PendingChange {
  key: string
  before: string
  after: string
}

/**
 * What the version waiting for review changes against the one in force; empty for a brand-new
 * certificate (nothing in force: the listed fields are the ones asked for) or when none waits.
 */
export function pendingChangesOf(q: UnitQualification, to: string): PendingChange[] {
  const p = q.pending
  if (!p) return []
  const pairs: [string, string, string][] = [
    ['qualifications.columns.certificateNo', q.certificate_no, p.certificate_no],
    ['qualifications.columns.authority', q.authority, p.authority],
    ['qualifications.columns.items', q.items.join('、'), p.items.join('、')],
    ['qualifications.columns.validity', `${q.valid_from} ${to} ${q.valid_until}`, `${p.valid_from} ${to} ${p.valid_until}`],
    ['qualifications.columns.scan', q.scan.file_name, p.scan.file_name],
  ]
  const changes = pairs.filter(([, before, after]) => before !== after).map(([key, before, after]) => ({ key, before, after }))
  // A new scan under the same file name is still a change.
  if (p.scan.upload_id !== q.scan.upload_id && q.scan.file_name === p.scan.file_name) {
    changes.push({ key: 'qualifications.columns.scan', before: q.scan.file_name, after: p.scan.file_name })
  }
  return changes
}

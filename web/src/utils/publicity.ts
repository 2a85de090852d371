// 执业公示 (§3.3): how applications, their 7-day countdown and their progress are shown.
import type { TagType } from './status'

type T = (key: string, values?: Record<string, unknown>) => string

/** The application types (公示类型) the system decides. */
export const APPLICATION_KINDS = ['initial', 'change', 'renewal', 'append'] as const
export type ApplicationKindName = (typeof APPLICATION_KINDS)[number]

/** The application states, in the order of the flow. */
export const APPLICATION_STATES = [
  'created',
  'awaiting_confirmation',
  'under_review',
  'approved',
  'rejected',
  'expired',
  'withdrawn',
] as const
export type ApplicationStateName = (typeof APPLICATION_STATES)[number]

const KIND_TAGS: Record<ApplicationKindName, TagType | 'primary'> = {
  initial: 'primary',
  change: 'warning',
  renewal: 'success',
  append: 'info',
}

/** Label key and colour of a 公示类型 tag. */
export function kindTagOf(kind: string): { labelKey: string; type: TagType | 'primary' } {
  const type = KIND_TAGS[kind as ApplicationKindName]
  return type ? { labelKey: `publicity.kinds.${kind}`, type } : { labelKey: 'state.unknown', type: 'info' }
}

const DAY = 86_400
const HOUR = 3_600
const MINUTE = 60

/**
 * The time left until an application's deadline, as the countdown shows it: days and hours
 * while more than a day is left, then hours and minutes, then minutes. Never rounds up, so
 * "剩余 0 天" never appears while time is left.
 */
export function remainingText(seconds: number, t: T): string {
  const s = Math.max(0, Math.floor(seconds))
  if (s <= 0) return t('countdown.ended')
  if (s >= DAY) return t('countdown.daysHours', { days: Math.floor(s / DAY), hours: Math.floor((s % DAY) / HOUR) })
  if (s >= HOUR) return t('countdown.hoursMinutes', { hours: Math.floor(s / HOUR), minutes: Math.floor((s % HOUR) / MINUTE) })
  if (s >= MINUTE) return t('countdown.minutes', { minutes: Math.floor(s / MINUTE) })
  return t('countdown.lessThanMinute')
}

/** The countdown's colour: red in the last day, orange in the last three days. */
export function remainingType(seconds: number): 'danger' | 'warning' | 'primary' {
  if (seconds < DAY) return 'danger'
  if (seconds < 3 * DAY) return 'warning'
  return 'primary'
}

/** "第 2 版，2026-03-01 10:00 发布"; the built-in first version has no publication time. */
export function clausesVersionText(clauses: { version: number; published_at: string }, t: T, format: (at: string) => string): string {
  const at = Date.parse(clauses.published_at)
  return Number.isNaN(at) || at <= 0
    ? t('clauses.versionBuiltIn', { version: clauses.version })
    : t('clauses.versionLine', { version: clauses.version, time: format(clauses.published_at) })
}

/** The steps of an application as the detail shows them (检索 → … → 审核). */
export const APPLICATION_STEPS = ['search', 'submit', 'print', 'upload', 'confirm', 'review'] as const

export interface StepProgress {
  /** Index of the current step; the length of APPLICATION_STEPS when all are done. */
  active: number
  /** How the current step is drawn: under way, or where the application stopped. */
  status: 'process' | 'error' | 'finish'
}

/**
 * Where an application stands in the step bar. An application ended early (expired,
 * withdrawn) stops at the step it had reached: before the upload, or at the confirmation.
 */
export function applicationProgress(state: string, scanUploaded: boolean): StepProgress {
  switch (state) {
    case 'created':
      return { active: 2, status: 'process' }
    case 'awaiting_confirmation':
      return { active: 4, status: 'process' }
    case 'under_review':
      return { active: 5, status: 'process' }
    case 'approved':
      return { active: APPLICATION_STEPS.length, status: 'finish' }
    case 'rejected':
      return { active: 5, status: 'error' }
    case 'expired':
    case 'withdrawn':
      return { active: scanUploaded ? 4 : 2, status: 'error' }
    default:
      return { active: 0, status: 'process' }
  }
}

/** Whole days from `since` (RFC 3339) to `now`: how long an application has waited in a queue. */
export function daysSince(since: string, now: number = Date.now()): number {
  const start = Date.parse(since)
  return Number.isNaN(start) ? 0 : Math.max(0, Math.floor((now - start) / 86_400_000))
}

/** A certificate item as one short line: "电梯检验员（DT-1，高级）". */
export function itemText(item: { name: string; code?: string | null; level?: string | null }): string {
  const extra = [item.code, item.level].filter((v): v is string => Boolean(v))
  return extra.length ? `${item.name}（${extra.join('，')}）` : item.name
}

/** A fresh value for the `Idempotency-Key` header of one intended submission. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/** The CSV columns of the practitioner registry import (F22), in this order. */
export const PRACTITIONER_COLUMNS = [
  'id_number',
  'name',
  'certificate_no',
  'item_code',
  'item_name',
  'level',
  'issuer',
  'issued_on',
  'valid_until',
  'status',
] as const

/** The values of the `status` column. */
export const ITEM_STATUSES = ['valid', 'expired', 'revoked'] as const

/** The downloadable template: the header and one example row (UTF-8 with a BOM, for Excel). */
export function practitionerTemplate(): string {
  const example = [
    '440524188001010014',
    '王五',
    'TS-JY-2020-0001',
    'DT-1',
    '电梯检验员',
    '检验员',
    '国家市场监督管理总局',
    '2020-06-01',
    '2028-05-31',
    'valid',
  ]
  return `\uFEFF${PRACTITIONER_COLUMNS.join(',')}\r\n${example.join(',')}\r\n`
}

/** How a pasted or chosen import file is sent: JSON when it looks like a JSON array, else CSV. */
export function importContentType(text: string, fileName = ''): 'application/json' | 'text/csv' {
  if (fileName.toLowerCase().endsWith('.json')) return 'application/json'
  if (fileName.toLowerCase().endsWith('.csv')) return 'text/csv'
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('[') ? 'application/json' : 'text/csv'
}

/** The public page where a practitioner registers or changes the mobile number (§4, F20). */
export function mobileRegistrationLink(origin: string = window.location.origin): string {
  return `${origin}/practitioner/mobile`
}

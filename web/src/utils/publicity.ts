// 执业公示 (§3.3): how applications, their deadline countdown and their progress are shown.
import type { ApplicationView } from '@/api/types'
import type { TagType } from './status'

type T = (key: string, values?: Record<string, unknown>) => string

/** The application types (公示类型): decided by the system, or 注销 asked for by the unit (F18). */
export const APPLICATION_KINDS = ['initial', 'change', 'renewal', 'append', 'cancellation'] as const
export type ApplicationKindName = (typeof APPLICATION_KINDS)[number]

/** The application states, in the order of the flow. */
export const APPLICATION_STATES = [
  'created',
  'awaiting_confirmation',
  'under_review',
  'returned',
  'approved',
  'rejected',
  'expired',
  'withdrawn',
  'declined',
] as const
export type ApplicationStateName = (typeof APPLICATION_STATES)[number]

/**
 * The message key of an application state's label (the step bar, the list's tabs, the
 * history): `publicity.states.<state>`; 退回补正 (#19) has its words in `correction`.
 */
export function applicationStateKey(state: string): string {
  return state === 'returned' ? 'correction.state' : `publicity.states.${state}`
}

/** Why an application is returned for correction (退回补正, #19), in the dialog's order; labels under `correction.reasons`. */
export const CORRECTION_REASONS = ['scan_unreadable', 'signature_or_seal_missing', 'wrong_person', 'data_mismatch', 'other'] as const
export type CorrectionReasonName = (typeof CORRECTION_REASONS)[number]

/** The server's limits of a 补正说明 (required with 其他), in characters. */
export const CORRECTION_NOTE_MIN = 2
export const CORRECTION_NOTE_MAX = 500

const KIND_TAGS: Record<ApplicationKindName, TagType | 'primary'> = {
  initial: 'primary',
  change: 'warning',
  renewal: 'success',
  append: 'info',
  cancellation: 'danger',
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
 * What the countdown says once the deadline has passed: "已超过7天办理期限" with the configured
 * 办理期限 as the server words it, or "已超过办理期限" while it is not known.
 */
export function endedText(t: T, deadline?: string | null): string {
  return deadline ? t('countdown.ended', { deadline }) : t('countdown.endedGeneric')
}

/**
 * The time left until an application's deadline, as the countdown shows it: days and hours
 * while more than a day is left, then hours and minutes, then minutes. Never rounds up, so
 * "剩余 0 天" never appears while time is left. `deadline` is the configured 办理期限 (see
 * `endedText`).
 */
export function remainingText(seconds: number, t: T, deadline?: string | null): string {
  const s = Math.max(0, Math.floor(seconds))
  if (s <= 0) return endedText(t, deadline)
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

/**
 * The steps of an application (§3.3.1): the apply wizard's four, which the application's page
 * goes on with. The practitioner's confirmation belongs to step 3 (打印并上传申请表), as in the
 * manual; the page says under the step what it waits for.
 */
export const APPLICATION_STEPS = ['search', 'submit', 'print', 'result'] as const

/** The steps of a cancellation (§3.3.4): no search and no practitioner confirmation. */
export const CANCELLATION_STEPS = ['submit', 'print', 'upload', 'review'] as const

export type ApplicationStepName = (typeof APPLICATION_STEPS)[number] | (typeof CANCELLATION_STEPS)[number]

/** The steps an application of `kind` goes through, with the message keys of their titles. */
export function applicationSteps(kind: string): { name: ApplicationStepName; labelKey: string }[] {
  return kind === 'cancellation'
    ? CANCELLATION_STEPS.map((name) => ({ name, labelKey: `publicity.cancellationSteps.${name}` }))
    : APPLICATION_STEPS.map((name) => ({ name, labelKey: `publicity.steps.${name}` }))
}

export interface StepProgress {
  /** Index of the current step; the number of steps when all are done. */
  active: number
  /** How the current step is drawn: under way, or where the application stopped. */
  status: 'process' | 'error' | 'finish'
}

/** The step an application in `state` is at; `null` once approved (all done). */
function stepReached(
  state: string,
  scanUploaded: boolean,
  cancellation: boolean,
): { step: ApplicationStepName | null; status: StepProgress['status'] } {
  const last: ApplicationStepName = cancellation ? 'review' : 'result'
  switch (state) {
    case 'created':
      return { step: 'print', status: 'process' }
    case 'awaiting_confirmation':
      return { step: 'print', status: 'process' }
    case 'under_review':
      return { step: last, status: 'process' }
    // 退回补正 (#19): back at the upload of the signed form, to be done again.
    case 'returned':
      return { step: cancellation ? 'upload' : 'print', status: 'process' }
    case 'approved':
      return { step: null, status: 'finish' }
    case 'rejected':
      return { step: last, status: 'error' }
    case 'expired':
    case 'withdrawn':
    case 'declined':
      return { step: cancellation && scanUploaded ? 'upload' : 'print', status: 'error' }
    default:
      return { step: cancellation ? 'submit' : 'search', status: 'process' }
  }
}

/**
 * Where an application stands in the step bar of its kind. An application ended early
 * (expired, withdrawn, declined by the practitioner) stops at the step it had reached: 打印并上传申请表 (which includes the
 * practitioner's confirmation).
 */
export function applicationProgress(state: string, scanUploaded: boolean, kind = 'initial'): StepProgress {
  const steps = applicationSteps(kind).map((s) => s.name)
  const { step, status } = stepReached(state, scanUploaded, kind === 'cancellation')
  if (step === null) return { active: steps.length, status }
  const index = steps.indexOf(step)
  return { active: index >= 0 ? index : 0, status }
}

/** What DecisionCard shows of an application's decision (approved or not), or null before one. */
export function decisionOf(application: Pick<ApplicationView, 'decision'>) {
  const d = application.decision
  return d ? { outcome: d.approved ? 'approved' : 'rejected', decided_at: d.decided_at, decided_by: d.decided_by, reason: d.reason } : null
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

/** The values of the `status` column (the server also takes 有效 and 注销; empty is valid). */
export const ITEM_STATUSES = ['valid', 'revoked'] as const

/** How pasted text is sent: JSON when it looks like a JSON array, else CSV. */
export function importContentType(text: string, fileName = ''): 'application/json' | 'text/csv' {
  if (fileName.toLowerCase().endsWith('.json')) return 'application/json'
  if (fileName.toLowerCase().endsWith('.csv')) return 'text/csv'
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('[') ? 'application/json' : 'text/csv'
}

/** The public page where a practitioner registers or changes the mobile number (§4, F20). */
export function mobileRegistrationLink(origin: string = window.location.origin): string {
  return `${origin}/practitioner/mobile`
}

/** The states of a publicity certificate (F19), as the 公示证书管理 filter offers them. */
export const PUBLICITY_STATES = ['active', 'cancelled', 'moved', 'lapsed'] as const
export type PublicityStateName = (typeof PUBLICITY_STATES)[number]

/**
 * The common 注销原因 (F18). The reason goes on the printed Chinese form and to the
 * association, so it is written in Chinese whatever the language of the screen.
 */
export const CANCELLATION_REASONS = {
  resigned: '离职',
  retired: '退休',
  transferred: '调离检验岗位',
} as const
export type CancellationReasonChoice = keyof typeof CANCELLATION_REASONS | 'other'
export const CANCELLATION_REASON_CHOICES: readonly CancellationReasonChoice[] = ['resigned', 'retired', 'transferred', 'other']

/** The server's limits of a 注销原因, in characters. */
export const CANCELLATION_REASON_MIN = 2
export const CANCELLATION_REASON_MAX = 200

/**
 * The 注销原因 sent: a common reason with the optional note after it ("离职：2026年3月辞职"),
 * or, for 其他, the note alone.
 */
export function cancellationReason(choice: CancellationReasonChoice, note: string): string {
  const text = note.trim()
  if (choice === 'other') return text
  const base = CANCELLATION_REASONS[choice]
  return text ? `${base}：${text}` : base
}

/** Message key of what is wrong with the reason, or null when it may be sent. */
export function cancellationReasonProblem(choice: CancellationReasonChoice | null, note: string): string | null {
  if (choice === null) return 'publicity.cancel.chooseReason'
  const reason = cancellationReason(choice, note)
  if (choice === 'other' && reason.length === 0) return 'publicity.cancel.otherRequired'
  const length = [...reason].length
  if (length < CANCELLATION_REASON_MIN || length > CANCELLATION_REASON_MAX) return 'publicity.cancel.reasonLength'
  return null
}

/** States in which an application still holds its person (at most one open application per person). */
const OPEN_STATES = new Set(['created', 'awaiting_confirmation', 'under_review', 'returned'])

/** Whether an application is still open (待上传申请表, 待执业人确认, 审核中, 退回补正). */
export function isOpenApplication(state: string): boolean {
  return OPEN_STATES.has(state)
}

/** States in which a genuine application no longer leads to (or ends) a publicity. */
const ENDED_WITHOUT_EFFECT = new Set(['rejected', 'expired', 'withdrawn', 'declined'])

/** Whether a verified application ended without taking effect (不通过, 逾期, 撤回, 执业人拒绝). */
export function endedWithoutEffect(state: string): boolean {
  return ENDED_WITHOUT_EFFECT.has(state)
}

/**
 * A 申报单号 as typed or scanned: spaces removed, upper case. Empty when there is nothing;
 * the server says whether the rest is well-formed.
 */
export function normaliseApplicationNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase()
}

/** 公示期间 of a stay at a unit: "2024-01-15 至 2026-03-01", or "2024-01-15 至今". */
export function stayPeriod(stay: { from: string; until?: string | null }, t: T): string {
  return stay.until ? t('lookup.period', { from: stay.from, until: stay.until }) : t('lookup.periodOpen', { from: stay.from })
}

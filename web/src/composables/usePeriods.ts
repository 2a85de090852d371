// The configured periods of the workflow (办理期限, 确认码有效期, 续期期限): the server's
// configuration decides them (an operator may set 5天 or 12小时), and GET /api/v1/clauses
// says them. Read once and shared by every screen; until they are known a screen says its
// sentence without a number rather than a number that may be wrong.
import { computed, ref, type ComputedRef, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { getClauses } from '@/api/calls'
import type { Periods } from '@/api/types'

const periods = ref<Periods | null>(null)
let pending: Promise<Periods | null> | null = null

/** Takes the periods from a GET /api/v1/clauses made anyway (e.g. by ClausesConfirm). */
export function primePeriods(next: Periods | null | undefined): void {
  if (next) periods.value = next
}

/** Forgets the periods, so the next screen asks again (tests; a new login). */
export function resetPeriods(): void {
  periods.value = null
  pending = null
}

/** One GET per page load; a failed one (not logged in, offline) is tried again by the next screen. */
export function loadPeriods(): Promise<Periods | null> {
  if (periods.value) return Promise.resolve(periods.value)
  if (!pending) {
    pending = getClauses()
      .then((clauses) => {
        primePeriods(clauses.periods)
        return periods.value
      })
      .catch(() => {
        pending = null
        return null
      })
  }
  return pending
}

/** The values the period messages interpolate: `{deadline}`, `{code}`, `{renewalDays}`. */
export interface PeriodValues {
  deadline: string
  code: string
  renewalDays: number
}

/** A number of hours in English the way the server words it in Chinese: whole days from two days on. */
function englishHours(hours: number, fallback: string): string {
  if (!Number.isFinite(hours) || hours <= 0) return fallback
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`
  return hours === 1 ? '1 hour' : `${hours} hours`
}

/** The periods as the messages of `locale` say them: the server's own words in Chinese. */
export function periodValues(p: Periods, locale: string): PeriodValues {
  const english = locale.startsWith('en')
  return {
    deadline: english ? englishHours(p.application_deadline_hours, p.application_deadline) : p.application_deadline,
    code: english ? englishHours(p.confirmation_code_hours, p.confirmation_code) : p.confirmation_code,
    renewalDays: p.renewal_window_days,
  }
}

export interface UsePeriods {
  periods: Readonly<Ref<Periods | null>>
  values: ComputedRef<PeriodValues | null>
  /**
   * A message that names a period: `key` with `{deadline}`, `{code}` and `{renewalDays}` once the
   * periods are known, else `${key}Generic`, the same sentence without a number.
   */
  tp: (key: string, values?: Record<string, unknown>) => string
  /** Asks for the periods unless known or asked for already (for `immediate: false`). */
  load: () => Promise<Periods | null>
}

/** The periods for a screen; with `immediate: false` they are asked for only once `load()` is called. */
export function usePeriods(options: { immediate?: boolean } = {}): UsePeriods {
  const { t, locale } = useI18n()
  if (options.immediate ?? true) void loadPeriods()
  const values = computed(() => (periods.value ? periodValues(periods.value, locale.value) : null))
  const tp = (key: string, extra: Record<string, unknown> = {}) =>
    values.value ? t(key, { ...extra, ...values.value }) : t(`${key}Generic`, extra)
  return { periods, values, tp, load: loadPeriods }
}

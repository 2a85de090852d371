// F6 单位首页: how the server's to-dos (GET /api/v1/unit/home) are shown, with the unit's
// applications that wait on their 办理期限 (GET /api/v1/unit/applications).
import type { ApplicationSummary, HomeTodo, TodoKind } from '@/api/types'
import { kindTagOf, remainingText, remainingType } from './publicity'
import { kindKey } from './qualifications'

type T = (key: string, values?: Record<string, unknown>) => string
/** `t` with a count choosing the plural form (the English "1 day" / "10 days"). */
type TN = (key: string, values: Record<string, unknown>, plural: number) => string

/** The to-do's colour: red for what already went wrong, orange for what is coming, grey for waiting. */
const TYPES: Record<TodoKind, 'warning' | 'danger' | 'info'> = {
  qualification_expiring: 'warning',
  qualification_expired: 'danger',
  change_request_pending: 'info',
  change_request_rejected: 'danger',
}

export interface TodoLine {
  key: string
  text: string
  to: string
  type: 'warning' | 'danger' | 'info'
  /** Days until it is due (fractional for an application), for the order; none: last. */
  days: number
}

/**
 * What a to-do says, in the language shown, from its kind and data (the Chinese the same as the
 * server's `title`); the server's `title` for a kind this SPA does not know or a to-do without
 * the data its wording needs.
 */
export function todoText(todo: HomeTodo, t: TN): string {
  const { certificate_no: number, qualification_kind: kind, due, days_left: days } = todo
  switch (todo.kind) {
    case 'qualification_expiring':
      if (!number || !kind || !due || days == null) return todo.title
      return t('home.todos.qualificationExpiring', { kind: t(kindKey(kind), {}, 1), number, due, days }, days)
    case 'qualification_expired':
      if (!number || !kind || !due) return todo.title
      return t('home.todos.qualificationExpired', { kind: t(kindKey(kind), {}, 1), number, due }, 1)
    case 'change_request_pending':
      return t('home.todos.changeRequestPending', {}, 1)
    case 'change_request_rejected':
      if (todo.reason == null) return todo.title
      return t(todo.reason ? 'home.todos.changeRequestRejected' : 'home.todos.changeRequestRejectedNoReason', { reason: todo.reason }, 1)
    default:
      return todo.title
  }
}

/** One line per to-do, in the server's order (most urgent first), worded by `todoText`. */
export function todoLines(todos: readonly HomeTodo[], t: TN): TodoLine[] {
  return todos.map((todo, i) => ({
    key: `${todo.kind}-${todo.link}-${i}`,
    text: todoText(todo, t),
    to: todo.link,
    type: TYPES[todo.kind] ?? 'info',
    days: todo.days_left ?? Number.POSITIVE_INFINITY,
  }))
}

/** What the unit has to do for an application in each state that waits on it. */
const WAITING: Record<string, string> = {
  created: 'home.applicationCreated',
  awaiting_confirmation: 'home.applicationAwaiting',
}

/**
 * One line per application still counting down its 办理期限 — 待打印并上传申请表 or 待执业人确认
 * — with the time left; the SPA's own words, in the language shown.
 */
export function applicationTodoLines(applications: readonly ApplicationSummary[], t: T): TodoLine[] {
  return applications
    .filter((a) => WAITING[a.state] && a.seconds_left != null)
    .map((a) => {
      const seconds = a.seconds_left ?? 0
      const key = a.kind === 'cancellation' && a.state === 'created' ? 'home.cancellationCreated' : WAITING[a.state]
      const type = remainingType(seconds)
      return {
        key: `application-${a.id}`,
        text: t(key, {
          number: a.number,
          name: a.person_name,
          kind: t(kindTagOf(a.kind).labelKey),
          remaining: remainingText(seconds, t),
        }),
        to: `/publicity/applications/${a.id}`,
        type: type === 'primary' ? 'info' : type,
        days: seconds / 86_400,
      }
    })
}

/** All the lines, most urgent first (the server's order kept among equals). */
export function mergeTodoLines(...lists: TodoLine[][]): TodoLine[] {
  return lists.flat().sort((a, b) => a.days - b.days)
}

// F6 单位首页: how the server's to-dos (GET /api/v1/unit/home) are shown, with the unit's
// open applications the same answer lists (returned for correction, or waiting on their 办理期限).
import type { HomeApplication, HomeTodo, TodoKind } from '@/api/types'
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
  /** Before every line that is not, whatever the days: an application returned for correction (退回补正). */
  first?: boolean
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
  returned: 'notices.home.applicationReturned',
}

/** The message key of an application's line. */
function waitingKey(a: HomeApplication): string {
  if (a.state === 'returned') return a.correction ? 'notices.home.applicationReturned' : 'notices.home.applicationReturnedNoDetail'
  return a.kind === 'cancellation' && a.state === 'created' ? 'home.cancellationCreated' : WAITING[a.state]
}

/**
 * One line per application that waits on the unit: returned for correction (退回补正, with what
 * to correct) — first of all — and those counting down their 办理期限 (待打印并上传申请表,
 * 待执业人确认), with the time left; the SPA's own words, in the language shown. Those in review
 * wait on the association: no line.
 */
export function applicationTodoLines(applications: readonly HomeApplication[], t: T): TodoLine[] {
  return applications
    .filter((a) => WAITING[a.state] && a.seconds_left != null)
    .map((a) => {
      const seconds = a.seconds_left ?? 0
      const returned = a.state === 'returned'
      const type = returned ? 'danger' : remainingType(seconds)
      return {
        key: `application-${a.id}`,
        text: t(waitingKey(a), {
          number: a.number,
          name: a.person_name,
          kind: t(kindTagOf(a.kind).labelKey),
          // The server's words end with the line's own full stop.
          correction: (a.correction ?? '').replace(/[\s。．.；;，,]+$/u, ''),
          remaining: remainingText(seconds, t),
        }),
        to: `/publicity/applications/${a.id}`,
        type: type === 'primary' ? 'info' : type,
        days: seconds / 86_400,
        ...(returned ? { first: true } : {}),
      }
    })
}

/** All the lines: returned applications first, then the most urgent first (the server's order kept among equals). */
export function mergeTodoLines(...lists: TodoLine[][]): TodoLine[] {
  return lists.flat().sort((a, b) => Number(Boolean(b.first)) - Number(Boolean(a.first)) || a.days - b.days)
}

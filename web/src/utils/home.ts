// F6 单位首页: how the server's to-dos (GET /api/v1/unit/home) are shown.
import type { HomeTodo, TodoKind } from '@/api/types'

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
}

/** One line per to-do, in the server's order (most urgent first). */
export function todoLines(todos: readonly HomeTodo[]): TodoLine[] {
  return todos.map((todo, i) => ({
    key: `${todo.kind}-${todo.link}-${i}`,
    text: todo.title,
    to: todo.link,
    type: TYPES[todo.kind] ?? 'info',
  }))
}

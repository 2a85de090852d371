// Problem details (RFC 9457) from the API, turned into something a view can show:
// field errors under form items, everything else as one message.
import type { FieldError, Problem } from './types'

/** A failed API call: the problem body (or a stand-in) plus the HTTP status. */
export class ApiError extends Error {
  readonly problem: Problem
  readonly status: number
  /** Seconds from the Retry-After header of a 429, when present. */
  readonly retryAfter: number | null

  constructor(problem: Problem, status: number, retryAfter: number | null = null) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.name = 'ApiError'
    this.problem = problem
    this.status = status
    this.retryAfter = retryAfter
  }

  get code(): string {
    return this.problem.code
  }
}

/** Builds a Problem from whatever the server sent (JSON problem, text, nothing). */
export function toProblem(body: unknown, status: number): Problem {
  if (body && typeof body === 'object') {
    const b = body as Partial<Problem>
    return {
      type: b.type ?? 'about:blank',
      title: b.title ?? '',
      status: b.status ?? status,
      detail: b.detail ?? '',
      code: b.code ?? '',
      errors: Array.isArray(b.errors) ? b.errors : [],
      request_id: b.request_id ?? '',
    }
  }
  return {
    type: 'about:blank',
    title: '',
    status,
    detail: typeof body === 'string' ? body : '',
    code: '',
    errors: [],
    request_id: '',
  }
}

/** Form-item error messages keyed by form field, plus errors no field of the form shows. */
export interface FormProblem {
  fields: Record<string, string>
  unmatched: FieldError[]
}

/**
 * Maps the field errors of a 422 onto a form's items. A field matches by its full JSON
 * name (`uscc`) or, for nested names such as `contact.mobile`, by its last segment.
 * Several errors for one field are joined.
 */
export function mapFieldErrors(errors: FieldError[], formFields: readonly string[]): FormProblem {
  const fields: Record<string, string> = {}
  const unmatched: FieldError[] = []
  for (const e of errors) {
    const last = e.field.split('.').pop() ?? e.field
    const key = formFields.includes(e.field) ? e.field : formFields.includes(last) ? last : null
    if (key === null) {
      unmatched.push(e)
      continue
    }
    fields[key] = fields[key] ? `${fields[key]}；${e.message}` : e.message
  }
  return { fields, unmatched }
}

/** Text for a problem shown as a whole (toast or alert). `t` renders message keys. */
export function problemMessage(err: unknown, t: (key: string, values?: Record<string, unknown>) => string): string {
  if (!(err instanceof ApiError)) {
    return t('errors.network')
  }
  const { problem, status } = err
  if (status === 429) {
    if (problem.detail) return problem.detail
    return t('errors.tooManyRequests', { seconds: err.retryAfter ?? 60 })
  }
  if (status === 413) return problem.detail || t('errors.fileTooLarge')
  if (problem.detail) return problem.detail
  if (problem.errors.length > 0) return problem.errors.map((e) => e.message).join('；')
  if (status === 401) return t('errors.unauthorized')
  if (status === 403) return t('errors.forbidden')
  if (status === 404) return t('errors.notFound')
  if (problem.title) return problem.title
  return t('errors.server', { status })
}

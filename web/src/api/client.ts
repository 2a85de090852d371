// The one API client, typed from docs/openapi.json (src/api/schema.d.ts). A middleware
// adds the bearer token and, when the access token has expired, refreshes the session
// once and retries the request.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError, toProblem } from './problem'
import type { Session } from './types'

/** How the client reaches the session; wired to the session store in main.ts. */
export interface AuthHooks {
  session(): Session | null
  refreshed(session: Session): void
  expired(): void
  /** A call answered 403 `password_change_required`: a new password must be set first (ASVS 2.3). */
  passwordChangeRequired?(): void
}

let hooks: AuthHooks = {
  session: () => null,
  refreshed: () => {},
  expired: () => {},
}

export function configureAuth(next: AuthHooks): void {
  hooks = next
}

const baseUrl = typeof window !== 'undefined' ? window.location.origin : 'http://localhost'

// Fetch is looked up at call time so tests can replace globalThis.fetch. The client types the
// JSON answers (application/json, application/problem+json); routes that also answer a
// spreadsheet (`format=xlsx`) are read as files by the download helpers, not through `data`.
export const api = createClient<paths, `${string}/json`>({ baseUrl, fetch: (req: Request) => globalThis.fetch(req) })

const REFRESH_PATH = '/api/v1/auth/refresh'
const pending = new Map<string, Request>()
let refreshing: Promise<Session | null> | null = null

function isAuthPath(url: string): boolean {
  return new URL(url).pathname.startsWith('/api/v1/auth/')
}

/** One refresh at a time; concurrent 401s share it. */
function refreshOnce(): Promise<Session | null> {
  if (!refreshing) {
    const current = hooks.session()
    refreshing = (async () => {
      if (!current) return null
      const { data } = await api.POST(REFRESH_PATH, { body: { refresh_token: current.refresh_token } })
      return data ?? null
    })().finally(() => {
      refreshing = null
    })
  }
  return refreshing
}

const auth: Middleware = {
  onRequest({ request, id }) {
    const session = hooks.session()
    if (session && !request.headers.has('Authorization') && !request.url.endsWith(REFRESH_PATH)) {
      request.headers.set('Authorization', `Bearer ${session.access_token}`)
    }
    if (!isAuthPath(request.url)) {
      // Kept (unread) so the request can be sent again after a refresh.
      pending.set(id, request.clone())
    }
    return request
  },
  async onResponse({ response, id }) {
    const original = pending.get(id)
    pending.delete(id)
    if (response.status === 403 && original) {
      const denied = await response.clone().json().catch(() => null)
      if ((denied as { code?: string } | null)?.code === 'password_change_required') hooks.passwordChangeRequired?.()
      return response
    }
    if (response.status !== 401 || !original) return response
    const body = await response.clone().json().catch(() => null)
    if (!body || (body as { code?: string }).code !== 'token_expired') return response
    const session = await refreshOnce()
    if (!session) {
      hooks.expired()
      return response
    }
    hooks.refreshed(session)
    const retry = new Request(original, { headers: new Headers(original.headers) })
    retry.headers.set('Authorization', `Bearer ${session.access_token}`)
    const second = await globalThis.fetch(retry)
    if (second.status === 401) hooks.expired()
    return second
  },
  onError({ id }) {
    pending.delete(id)
  },
}

api.use(auth)

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

/** Returns the data of a call or throws an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>
  try {
    result = await call
  } catch (cause) {
    throw new ApiError(toProblem(String(cause), 0), 0)
  }
  const { data, error, response } = result
  if (response.ok) return data as T
  const retry = Number(response.headers.get('Retry-After'))
  throw new ApiError(toProblem(error, response.status), response.status, Number.isFinite(retry) && retry > 0 ? retry : null)
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api, configureAuth, unwrap } from './client'
import { ApiError } from './problem'
import type { Session } from './types'

const account = {
  username: 'unit1',
  role: 'unit_admin' as const,
  display_name: '测试单位',
  unit_id: 'u1',
  unit_name: '测试单位',
  registration_id: null,
  password_change_required: false,
}
const session = (access: string): Session => ({ access_token: access, refresh_token: `r-${access}`, expires_in: 900, account })
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ status, code, title: '', detail: '', errors: [], ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...(extra.retryAfter ? { 'Retry-After': '17' } : {}) },
  })
const me = () =>
  new Response(JSON.stringify({ account, unit: null }), { status: 200, headers: { 'Content-Type': 'application/json' } })

let current: Session | null
const refreshed = vi.fn()
const expired = vi.fn()
const passwordChangeRequired = vi.fn()

beforeEach(() => {
  current = session('old')
  refreshed.mockReset()
  expired.mockReset()
  passwordChangeRequired.mockReset()
  configureAuth({
    session: () => current,
    refreshed: (s) => {
      current = s
      refreshed(s)
    },
    expired,
    passwordChangeRequired,
  })
})

afterEach(() => vi.unstubAllGlobals())

describe('api client', () => {
  it('sends the bearer token', async () => {
    const fetchMock = vi.fn(async () => me())
    vi.stubGlobal('fetch', fetchMock)
    await unwrap(api.GET('/api/v1/me'))
    expect((fetchMock.mock.calls[0] as unknown as [Request])[0].headers.get('Authorization')).toBe('Bearer old')
  })

  it('refreshes once on token_expired and retries with the new token', async () => {
    const seen: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname
        seen.push(`${path} ${req.headers.get('Authorization') ?? ''}`)
        if (path === '/api/v1/auth/refresh') {
          expect(await req.json()).toEqual({ refresh_token: 'r-old' })
          return new Response(JSON.stringify(session('new')), { status: 200, headers: { 'Content-Type': 'application/json' } })
        }
        return req.headers.get('Authorization') === 'Bearer new' ? me() : problem(401, 'token_expired')
      }),
    )
    const data = await unwrap(api.GET('/api/v1/me'))
    expect(data.account.username).toBe('unit1')
    expect(seen).toEqual(['/api/v1/me Bearer old', '/api/v1/auth/refresh ', '/api/v1/me Bearer new'])
    expect(refreshed).toHaveBeenCalledOnce()
    expect(expired).not.toHaveBeenCalled()
  })

  it('gives up when the refresh is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) =>
        new URL(req.url).pathname === '/api/v1/auth/refresh' ? problem(401, 'invalid_token') : problem(401, 'token_expired'),
      ),
    )
    const err = await unwrap(api.GET('/api/v1/me')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(401)
    expect(expired).toHaveBeenCalledOnce()
  })

  it('does not refresh for invalid credentials at login', async () => {
    const fetchMock = vi.fn(async () => problem(401, 'invalid_credentials', { detail: '用户名或密码错误' }))
    vi.stubGlobal('fetch', fetchMock)
    const err = await unwrap(
      api.POST('/api/v1/auth/login', { body: { username: 'a', password: 'b', user_type: 'unit' } }),
    ).catch((e: unknown) => e)
    expect((err as ApiError).code).toBe('invalid_credentials')
    expect(fetchMock).toHaveBeenCalledOnce()
  })

  it('reports a 403 password_change_required (ASVS 2.3), but no other 403', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(403, 'password_change_required')))
    const err = (await unwrap(api.GET('/api/v1/unit/home')).catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('password_change_required')
    expect(passwordChangeRequired).toHaveBeenCalledOnce()
    vi.stubGlobal('fetch', vi.fn(async () => problem(403, 'unit_admin_only')))
    await unwrap(api.GET('/api/v1/unit/home')).catch(() => undefined)
    expect(passwordChangeRequired).toHaveBeenCalledOnce()
    expect(expired).not.toHaveBeenCalled()
  })

  it('carries Retry-After of a 429', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(429, 'rate_limited', { retryAfter: true })))
    const err = (await unwrap(api.GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError
    expect(err.status).toBe(429)
    expect(err.retryAfter).toBe(17)
  })
})

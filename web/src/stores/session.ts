// The logged-in (or registering) user's session, kept in localStorage so a reload, or
// an unfinished registration draft, survives.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { getMe, login as openSession, logout as closeSession } from '@/api/calls'
import type { Account, Me, MyBranch, Role, Session, UserType } from '@/api/types'

const STORAGE_KEY = 'gongshi.session'

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

export const UNIT_ROLES: readonly Role[] = ['unit_admin', 'unit_staff']
export const ASSOCIATION_ROLES: readonly Role[] = ['reviewer', 'association_admin']

/** Where a user lands after logging in. */
export function homeFor(account: Account | null): string {
  if (!account) return '/login'
  if (account.role === 'registrant') return '/register'
  if (ASSOCIATION_ROLES.includes(account.role)) return '/review/registrations'
  return '/home'
}

export const useSessionStore = defineStore('session', () => {
  const session = ref<Session | null>(load())

  const account = computed(() => session.value?.account ?? null)
  const role = computed(() => account.value?.role ?? null)
  const isLoggedIn = computed(() => session.value !== null)
  /**
   * GET /api/v1/me of the account logged in, once read (not stored: read again after a reload):
   * what the session does not carry, such as a branch account's branch.
   */
  const me = ref<Me | null>(null)
  /** The branch (二级单位) of a branch account; null for the unit's own accounts and others. */
  const branch = computed<MyBranch | null>(() => me.value?.branch ?? null)
  let reading: Promise<Me> | null = null

  /** Reads GET /api/v1/me (again with `force`, else once per account) and keeps it. */
  async function loadMe(force = false): Promise<Me> {
    if (me.value && !force) return me.value
    if (reading && !force) return reading
    const username = account.value?.username
    const call = getMe()
    reading = call
    try {
      const answer = await call
      // A logout or another login meanwhile: the answer is not about the account now shown.
      if (account.value?.username === username) me.value = answer
      return answer
    } finally {
      if (reading === call) reading = null
    }
  }

  function set(next: Session | null): void {
    // The same account (a refresh) keeps what /me said; another account reads it again.
    if (!next || next.account.username !== session.value?.account.username) {
      me.value = null
      reading = null
    }
    session.value = next
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
    else localStorage.removeItem(STORAGE_KEY)
  }

  async function login(username: string, password: string, userType: UserType): Promise<Session> {
    const next = await openSession({ username, password, user_type: userType })
    set(next)
    return next
  }

  async function logout(): Promise<void> {
    const current = session.value
    set(null)
    if (current) {
      // Best effort: the local session is gone either way.
      await closeSession(current.refresh_token).catch(() => undefined)
    }
  }

  return { session, account, role, isLoggedIn, me, branch, set, login, logout, loadMe }
})

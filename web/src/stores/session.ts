// The logged-in (or registering) user's session, kept in localStorage so a reload, or
// an unfinished registration draft, survives.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { login as openSession, logout as closeSession } from '@/api/calls'
import type { Account, Role, Session, UserType } from '@/api/types'

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

  function set(next: Session | null): void {
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

  return { session, account, role, isLoggedIn, set, login, logout }
})

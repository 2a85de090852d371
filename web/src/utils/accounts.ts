// What the accounts table (F7) shows and offers for each account of the unit.
import type { Branch, UnitAccount, UnitAccountRole } from '@/api/types'
import type { TagType } from './status'

export interface StatusAction {
  /** The body of the PUT …/status call. */
  enabled: boolean
  labelKey: string
  confirmKey: string
  doneKey: string
  buttonType: 'danger' | 'success'
}

export interface AccountActions {
  /** 停用 / 启用; none for the caller's own account, which cannot disable itself. */
  status: StatusAction | null
  resetPassword: boolean
}

const DISABLE: StatusAction = {
  enabled: false,
  labelKey: 'accounts.disable',
  confirmKey: 'accounts.confirmDisable',
  doneKey: 'accounts.disabled',
  buttonType: 'danger',
}
const ENABLE: StatusAction = {
  enabled: true,
  labelKey: 'accounts.enable',
  confirmKey: 'accounts.confirmEnable',
  doneKey: 'accounts.enabled',
  buttonType: 'success',
}

export function accountActions(account: UnitAccount): AccountActions {
  const status = account.is_self ? null : account.status === 'active' ? DISABLE : ENABLE
  return { status, resetPassword: true }
}

/** Label key and colour of the role tag: 管理员 / 子帐号. */
export function roleTagOf(role: UnitAccountRole): { labelKey: string; type: TagType | 'primary' } {
  return role === 'unit_admin' ? { labelKey: 'accounts.roles.unit_admin', type: 'primary' } : { labelKey: 'accounts.roles.unit_staff', type: 'info' }
}

/** The accounts other than the caller's own: when there are none, the page says how to add one. */
export function subAccounts(accounts: readonly UnitAccount[]): UnitAccount[] {
  return accounts.filter((a) => !a.is_self)
}

/** The list after one account changed (in place) or was added (at the end). */
export function upsertAccount(accounts: readonly UnitAccount[], changed: UnitAccount): UnitAccount[] {
  const rest = accounts.filter((a) => a.username !== changed.username)
  const index = accounts.findIndex((a) => a.username === changed.username)
  if (index < 0) return [...accounts, changed]
  return [...rest.slice(0, index), changed, ...rest.slice(index)]
}

/** The name of the 二级单位 an account works for; '' for the unit's own accounts or an unknown id. */
export function branchNameOf(branches: readonly Branch[], branchId: string | null | undefined): string {
  if (!branchId) return ''
  return branches.find((b) => b.id === branchId)?.name ?? ''
}

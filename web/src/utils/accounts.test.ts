import { describe, expect, it } from 'vitest'
import type { UnitAccount } from '@/api/types'
import { accountActions, branchNameOf, roleTagOf, subAccounts, upsertAccount } from './accounts'
import { statusTagOf } from './status'
import { t } from '@/test/i18n'

const account = (over: Partial<UnitAccount> = {}): UnitAccount => ({
  username: 'staff1',
  display_name: '王五',
  role: 'unit_staff',
  status: 'active',
  created_at: '2026-01-02T03:04:05Z',
  is_self: false,
  ...over,
})

describe('accountActions', () => {
  it('offers 停用 for an active account, sending enabled: false', () => {
    const { status, resetPassword } = accountActions(account())
    expect(status?.enabled).toBe(false)
    expect(t(status!.labelKey)).toBe('停用')
    expect(t(status!.confirmKey, { username: 'staff1' })).toContain('确认停用帐号“staff1”')
    expect(resetPassword).toBe(true)
  })

  it('offers 启用 for a disabled account, sending enabled: true', () => {
    const { status } = accountActions(account({ status: 'disabled' }))
    expect(status?.enabled).toBe(true)
    expect(t(status!.labelKey)).toBe('启用')
    expect(t(status!.doneKey)).toBe('帐号已启用')
  })

  it('offers no 停用 on the caller’s own row', () => {
    expect(accountActions(account({ is_self: true, role: 'unit_admin' })).status).toBeNull()
  })
})

describe('account tags', () => {
  it('labels roles 管理员 / 子帐号 and statuses 正常 / 已停用', () => {
    expect(t(roleTagOf('unit_admin').labelKey)).toBe('管理员')
    expect(t(roleTagOf('unit_staff').labelKey)).toBe('子帐号')
    expect(t(statusTagOf('active').labelKey)).toBe('正常')
    expect(statusTagOf('disabled')).toEqual({ labelKey: 'state.disabled', type: 'danger' })
    expect(t('state.disabled')).toBe('已停用')
  })
})

describe('account list', () => {
  const admin = account({ username: 'admin1', role: 'unit_admin', is_self: true })

  it('has no sub-accounts when only the admin exists', () => {
    expect(subAccounts([admin])).toEqual([])
    expect(subAccounts([admin, account()])).toHaveLength(1)
  })

  it('replaces a changed account in place and appends a new one', () => {
    const list = [admin, account(), account({ username: 'staff2' })]
    const changed = upsertAccount(list, account({ status: 'disabled' }))
    expect(changed.map((a) => `${a.username}:${a.status}`)).toEqual(['admin1:active', 'staff1:disabled', 'staff2:active'])
    expect(upsertAccount([admin], account({ username: 'new1' })).map((a) => a.username)).toEqual(['admin1', 'new1'])
  })
})

describe('branchNameOf', () => {
  const branch = {
    id: 'br_1',
    name: '思明分部',
    address: '厦门',
    contact_name: '周七',
    contact_mobile_masked: '139****0000',
    enabled: true,
    account_count: 1,
    created_at: '2026-01-01T00:00:00Z',
  }
  it('names the branch of an account, nothing for the unit itself', () => {
    expect(branchNameOf([branch], 'br_1')).toBe('思明分部')
    expect(branchNameOf([branch], null)).toBe('')
    expect(branchNameOf([branch], 'br_x')).toBe('')
  })
})

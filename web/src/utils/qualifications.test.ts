import { describe, expect, it } from 'vitest'
import type { UnitQualification } from '@/api/types'
import { t } from '@/test/i18n'
import { itemOptions, pendingChangesOf, reviewTagOf, unknownItems, upsertQualification, validityTagOf } from './qualifications'

const cert = (over: Partial<UnitQualification>): UnitQualification => ({
  id: 'q1',
  kind: 'approval',
  certificate_no: 'TS7110002-2029',
  authority: '福建省市场监督管理局',
  items: ['电梯'],
  valid_from: '2024-01-01',
  valid_until: '2029-12-31',
  scan: { upload_id: 'u1', file_name: 'scan.pdf', content_type: 'application/pdf', size: 1234 },
  validity: 'valid',
  days_left: 1130,
  updated_at: '2026-11-26T08:00:00Z',
  review_state: 'approved',
  pending: null,
  ...over,
})
const label = (tag: ReturnType<typeof validityTagOf>) => t(tag.key, tag.values)

describe('validityTagOf', () => {
  it('shows a valid certificate as 有效 in green', () => {
    const tag = validityTagOf(cert({ validity: 'valid', days_left: 400 }))
    expect(tag.type).toBe('success')
    expect(label(tag)).toBe('有效')
  })

  it('shows an expiring certificate as 即将到期 with its days left, in orange', () => {
    const tag = validityTagOf(cert({ validity: 'expiring', days_left: 60 }))
    expect(tag.type).toBe('warning')
    expect(label(tag)).toBe('即将到期（60天）')
  })

  it('shows an expired certificate as 已过期 in red', () => {
    const tag = validityTagOf(cert({ validity: 'expired', days_left: -3 }))
    expect(tag.type).toBe('danger')
    expect(label(tag)).toBe('已过期')
  })
})

describe('upsertQualification', () => {
  it('replaces an edited certificate and keeps the soonest to end first', () => {
    const a = cert({ id: 'a', valid_until: '2027-01-25' })
    const b = cert({ id: 'b', valid_until: '2028-01-01' })
    const editedA = { ...a, valid_until: '2031-11-26' }
    expect(upsertQualification([a, b], editedA).map((q) => q.id)).toEqual(['b', 'a'])
    expect(upsertQualification([b], a).map((q) => q.id)).toEqual(['a', 'b'])
  })
})

describe('reviewTagOf', () => {
  it('tags a certificate waiting for review 待审核, a refused one 未通过, an approved one not at all', () => {
    expect(t(reviewTagOf(cert({ review_state: 'pending' }))!.key)).toBe('待审核')
    expect(t(reviewTagOf(cert({ review_state: 'rejected' }))!.key)).toBe('未通过')
    expect(reviewTagOf(cert({ review_state: 'approved' }))).toBeNull()
  })
})

describe('pendingChangesOf', () => {
  const base = cert({})
  const waiting = {
    kind: base.kind,
    certificate_no: base.certificate_no,
    authority: base.authority,
    items: base.items,
    valid_from: base.valid_from,
    valid_until: base.valid_until,
    scan: base.scan,
    change_request_id: 'cr1',
    requested_at: '2026-11-30T08:00:00Z',
  }

  it('lists what a waiting correction changes against the version in force', () => {
    const q = cert({ review_state: 'pending', pending: { ...waiting, items: ['电梯', '起重机械'], valid_until: '2031-12-31' } })
    expect(pendingChangesOf(q, '至')).toEqual([
      { key: 'qualifications.columns.items', before: '电梯', after: '电梯、起重机械' },
      { key: 'qualifications.columns.validity', before: '2024-01-01 至 2029-12-31', after: '2024-01-01 至 2031-12-31' },
    ])
  })

  it('has nothing for a brand-new certificate (the listed fields are the ones asked for) or none waiting', () => {
    expect(pendingChangesOf(cert({ review_state: 'pending', pending: waiting }), '至')).toEqual([])
    expect(pendingChangesOf(cert({}), '至')).toEqual([])
  })
})

describe('the registry’s item dictionary (bug 7)', () => {
  const dictionary = [
    { code: 'DT', name: '电梯' },
    { code: 'DT-2', name: '电梯' },
    { code: 'QZ', name: '起重机械' },
  ]

  it('offers one choice per name, stored by name and shown as “code 名称”', () => {
    expect(itemOptions(dictionary)).toEqual([
      { key: 'DT', value: '电梯', label: 'DT 电梯' },
      { key: 'QZ', value: '起重机械', label: 'QZ 起重机械' },
    ])
  })

  it('names the entries that match no code and no name, once each, and none without a dictionary', () => {
    expect(unknownItems([' 电梯 ', 'QZ', '锅炉', '锅炉', '', 'dt'], dictionary)).toEqual(['锅炉', 'dt'])
    expect(unknownItems(['锅炉'], [])).toEqual([])
  })
})

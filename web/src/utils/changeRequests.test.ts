import { describe, expect, it } from 'vitest'
import type { ChangeRequest, UnitDetail } from '@/api/types'
import { changeFormOf, changeRequestBody, changedFields, changesSomething, openRequest } from './changeRequests'

const unit: UnitDetail = {
  id: 'u1',
  name: '厦门电梯检测技术有限公司',
  uscc: '91350206MA2Y8C4D7Q',
  legal_representative: '张三',
  address: '福建省厦门市思明区湖滨南路200号',
  postcode: '361001',
  contact: { name: '李四', id_number_masked: '110***********002X', mobile_masked: '138****8000', email: 'lisi@example.com' },
  qualifications: [],
  licence: null,
  approved_at: '2026-11-26T08:00:00Z',
}
const proof = { upload_id: 'p1', file_name: 'proof.pdf', content_type: 'application/pdf', size: 600 }

describe('changeRequestBody', () => {
  it('sends only what differs, with the reason and the proofs', () => {
    const form = { ...changeFormOf(unit), address: ' 福建省厦门市湖里区枋湖北二路1号 ', reason: ' 单位搬迁 ', proofs: [proof, null] }
    expect(changedFields(unit, form)).toEqual(['address'])
    expect(changeRequestBody(unit, form)).toEqual({
      address: '福建省厦门市湖里区枋湖北二路1号',
      reason: '单位搬迁',
      proof_upload_ids: ['p1'],
    })
  })

  it('ignores case and spaces in an unchanged USCC, and sends a new contact only when asked', () => {
    const form = { ...changeFormOf(unit), uscc: ' 91350206ma2y8c4d7q', reason: '联系人变更', proofs: [proof] }
    form.contact = { name: '王五', id_number: '11010519491231002x', mobile: '13900139000', email: 'wangwu@example.com' }
    expect(changesSomething(changeRequestBody(unit, form))).toBe(false)
    form.changeContact = true
    const body = changeRequestBody(unit, form)
    expect(body.uscc).toBeUndefined()
    expect(body.contact).toEqual({ name: '王五', id_number: '11010519491231002X', mobile: '13900139000', email: 'wangwu@example.com' })
    expect(changesSomething(body)).toBe(true)
  })
})

describe('openRequest', () => {
  const req = (id: string, state: ChangeRequest['state']) => ({ id, state }) as ChangeRequest
  it('finds the pending request, if any', () => {
    expect(openRequest([req('a', 'approved'), req('b', 'rejected')])).toBeNull()
    expect(openRequest([req('c', 'pending'), req('a', 'approved')])?.id).toBe('c')
  })
})

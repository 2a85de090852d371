import { describe, expect, it } from 'vitest'
import { appealStep, loadStoredAppeal, storeAppeal } from './appeals'

describe('stored appeal', () => {
  it('round-trips id and token and ignores junk', () => {
    storeAppeal({ id: 'ap_1', token: 'tok' })
    expect(loadStoredAppeal()).toEqual({ id: 'ap_1', token: 'tok', licence: null, authorisation: null })
    const licence = { upload_id: 'up_1', file_name: 'l.png', content_type: 'image/png', size: 8 }
    storeAppeal({ id: 'ap_1', token: 'tok', licence })
    expect(loadStoredAppeal()?.licence).toEqual(licence)
    localStorage.setItem('gongshi.appeal', '{"id":1}')
    expect(loadStoredAppeal()).toBeNull()
    storeAppeal(null)
    expect(loadStoredAppeal()).toBeNull()
  })

  it('puts drafts at the upload step and everything else at the result', () => {
    expect(appealStep('draft')).toBe(1)
    expect(appealStep('submitted')).toBe(2)
    expect(appealStep('approved')).toBe(2)
  })
})

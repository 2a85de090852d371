import { describe, expect, it } from 'vitest'
import { appealStep, isIdNumber, loadStoredAppeal, storeAppeal } from './appeals'

describe('stored appeal', () => {
  it('round-trips id and token and ignores junk', () => {
    storeAppeal({ id: 'ap_1', token: 'tok' })
    expect(loadStoredAppeal()).toEqual({
      id: 'ap_1',
      token: 'tok',
      licence: null,
      authorisation: null,
      codeSentTo: null,
      resendAt: null,
    })
    storeAppeal({ id: 'ap_1', token: 'tok', codeSentTo: '139****9000', resendAt: 1_800_000_000_000 })
    expect(loadStoredAppeal()).toMatchObject({ codeSentTo: '139****9000', resendAt: 1_800_000_000_000 })
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

describe('isIdNumber', () => {
  it('wants 17 digits and the GB 11643 check character', () => {
    expect(isIdNumber('11010519491231002X')).toBe(true)
    expect(isIdNumber('11010519491231002x')).toBe(true)
    expect(isIdNumber('110105194912310021')).toBe(false)
    expect(isIdNumber('1101051949123100')).toBe(false)
    expect(isIdNumber('11010519491231002A')).toBe(false)
  })
})

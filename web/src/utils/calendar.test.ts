import { describe, expect, it } from 'vitest'
import { addDate, removeDate } from './calendar'

describe('calendar dates', () => {
  it('adds sorted, without duplicates, and removes', () => {
    expect(addDate(['2026-10-01', '2026-10-03'], '2026-10-02')).toEqual(['2026-10-01', '2026-10-02', '2026-10-03'])
    expect(addDate(['2026-10-01'], '2026-10-01')).toEqual(['2026-10-01'])
    expect(addDate(['2026-10-01'], null)).toEqual(['2026-10-01'])
    expect(removeDate(['2026-10-01', '2026-10-02'], '2026-10-01')).toEqual(['2026-10-02'])
  })
})

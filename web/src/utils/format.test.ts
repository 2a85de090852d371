import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatDateTime, formatDateWithWeekday, formatTime } from './format'

describe('formatDateTime', () => {
  // A browser far from China: the page must still show China time.
  const zone = process.env.TZ
  beforeAll(() => {
    process.env.TZ = 'America/New_York'
  })
  afterAll(() => {
    process.env.TZ = zone
  })

  it('shows China time (UTC+8) whatever the browser’s time zone', () => {
    // 00:42 UTC is 08:42 in Beijing: the time the PDF form and the SMS give.
    expect(formatDateTime('2026-03-01T00:42:00Z')).toBe('2026-03-01 08:42')
    // Past midnight in China while still the day before in UTC.
    expect(formatDateTime('2026-02-28T16:42:00Z')).toBe('2026-03-01 00:42')
    expect(formatDateTime('2026-03-01T08:42:00+08:00')).toBe('2026-03-01 08:42')
  })

  it('leaves nothing for nothing and an unreadable value as it is', () => {
    expect(formatDateTime(null)).toBe('')
    expect(formatDateTime('')).toBe('')
    expect(formatDateTime('soon')).toBe('soon')
  })
})

describe('formatTime', () => {
  it('gives the China time of day (a claim’s 至 17:30), nothing for nothing', () => {
    expect(formatTime('2026-12-02T09:30:00Z')).toBe('17:30')
    expect(formatTime('2026-12-02T16:05:00Z')).toBe('00:05')
    expect(formatTime(null)).toBe('')
    expect(formatTime('soon')).toBe('soon')
  })
})

describe('formatDateWithWeekday', () => {
  it('names the weekday of a calendar date', () => {
    expect(formatDateWithWeekday('2027-10-01', 'zh-CN')).toBe('2027-10-01（周五）')
    expect(formatDateWithWeekday('2027-10-04', 'zh-CN')).toBe('2027-10-04（周一）')
    expect(formatDateWithWeekday('2027-10-10', 'en')).toBe('2027-10-10 (Sun)')
    expect(formatDateWithWeekday('not a date', 'zh-CN')).toBe('not a date')
  })
})

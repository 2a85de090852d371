import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useCountdown } from './useCountdown'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => vi.useRealTimers())

describe('useCountdown', () => {
  it('counts down whole seconds and stops at zero', () => {
    const c = useCountdown()
    expect(c.running.value).toBe(false)
    c.start(3)
    expect(c.remaining.value).toBe(3)
    expect(c.running.value).toBe(true)
    vi.advanceTimersByTime(1000)
    expect(c.remaining.value).toBe(2)
    vi.advanceTimersByTime(2000)
    expect(c.remaining.value).toBe(0)
    expect(c.running.value).toBe(false)
  })

  it('keeps the later deadline when started again', () => {
    const c = useCountdown()
    c.start(60)
    vi.advanceTimersByTime(10_000)
    c.start(5)
    expect(c.remaining.value).toBe(50)
    c.start(120)
    expect(c.remaining.value).toBe(120)
  })

  it('stops with its scope', () => {
    const scope = effectScope()
    const c = scope.run(() => useCountdown())!
    c.start(30)
    scope.stop()
    expect(c.running.value).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('useCountdown for a deadline', () => {
  it('ticks at the interval asked for', () => {
    const c = useCountdown(60_000)
    c.start(6 * 86_400)
    vi.advanceTimersByTime(59_000)
    expect(c.remaining.value).toBe(6 * 86_400)
    vi.advanceTimersByTime(1_000)
    expect(c.remaining.value).toBe(6 * 86_400 - 60)
    c.stop()
  })

  it('starts over at a shorter time when reset', () => {
    const c = useCountdown()
    c.start(600)
    c.reset(30)
    expect(c.remaining.value).toBe(30)
    c.stop()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { testI18n } from '@/test/i18n'
import { loadPeriods, periodValues, resetPeriods, usePeriods, type UsePeriods } from './usePeriods'

const PERIODS = {
  application_deadline_hours: 120,
  application_deadline: '5天',
  confirmation_code_hours: 12,
  confirmation_code: '12小时',
  renewal_window_days: 60,
}
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } })

/** Mounts a component using usePeriods; returns what it got. */
async function harness(locale = 'zh-CN'): Promise<UsePeriods> {
  let got!: UsePeriods
  const i18n = testI18n()
  i18n.global.locale.value = locale as 'zh-CN'
  mount(
    defineComponent({
      setup() {
        got = usePeriods()
        return () => h('div')
      },
    }),
    { global: { plugins: [i18n] } },
  )
  await flushPromises()
  return got
}

beforeEach(() => resetPeriods())
afterEach(() => vi.unstubAllGlobals())

describe('usePeriods', () => {
  it('words the unit screens with the configured periods, asked for once', async () => {
    const fetch = vi.fn(async () => json(200, { version: 1, title: '', clauses: [], published_at: '', periods: PERIODS }))
    vi.stubGlobal('fetch', fetch)
    const first = await harness()
    const second = await harness()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(first.tp('publicity.apply.created', { number: 'SB1' })).toBe('申报单 SB1 已创建，请在5天内完成打印、上传和执业人确认')
    expect(second.tp('publicity.detail.createdHint')).toContain('确认短信（12小时内有效）')
    expect(second.tp('publicity.detail.createdHint')).not.toContain('7')
  })

  it('says the sentence without a number until the periods are known, and tries again later', async () => {
    let answer = json(401, { status: 401, code: 'authentication_required', title: '', detail: '请先登录', errors: [] })
    vi.stubGlobal('fetch', vi.fn(async () => answer.clone()))
    const before = await harness()
    expect(before.tp('publicity.apply.created', { number: 'SB1' })).toBe('申报单 SB1 已创建，请在办理期限内完成打印、上传和执业人确认')
    expect(before.tp('publicity.detail.createdHint')).toContain('在短信注明的有效期内有效')
    expect(before.tp('publicity.detail.createdHint')).not.toMatch(/\d/)

    answer = json(200, { version: 1, title: '', clauses: [], published_at: '', periods: PERIODS })
    await loadPeriods()
    expect(before.tp('countdown.ended')).toBe('已超过5天办理期限')
  })

  it('words the periods in English from the numbers', () => {
    expect(periodValues(PERIODS, 'en')).toEqual({ deadline: '5 days', code: '12 hours', renewalDays: 60 })
    expect(periodValues({ ...PERIODS, application_deadline_hours: 24, confirmation_code_hours: 1 }, 'en')).toMatchObject({
      deadline: '24 hours',
      code: '1 hour',
    })
    expect(periodValues(PERIODS, 'zh-CN')).toEqual({ deadline: '5天', code: '12小时', renewalDays: 60 })
  })
})

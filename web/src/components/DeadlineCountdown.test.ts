import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import DeadlineCountdown from './DeadlineCountdown.vue'
import { primePeriods, resetPeriods } from '@/composables/usePeriods'
import { testI18n } from '@/test/i18n'

const PERIODS = {
  application_deadline_hours: 120,
  application_deadline: '5天',
  confirmation_code_hours: 12,
  confirmation_code: '12小时',
  renewal_window_days: 60,
}
const clauses = { version: 1, title: '执业公示承诺书', clauses: ['本单位承诺所填信息真实。'], published_at: '2026-01-02T03:04:05Z', periods: PERIODS }

/** GET /api/v1/clauses answers with `body` (or fails with 401 when none); records the calls. */
function serveClauses(body: unknown | null): string[] {
  const paths: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      paths.push(new URL(req.url).pathname)
      return body
        ? new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })
        : new Response(JSON.stringify({ status: 401, code: 'authentication_required', title: '', detail: '请先登录', errors: [] }), {
            status: 401,
            headers: { 'Content-Type': 'application/problem+json' },
          })
    }),
  )
  return paths
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
  resetPeriods()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const render = (secondsLeft: number | null) => mount(DeadlineCountdown, { props: { secondsLeft }, global: { plugins: [testI18n()] } })

describe('DeadlineCountdown', () => {
  it('shows the time left from the server’s seconds_left, without asking for the periods', () => {
    const paths = serveClauses(clauses)
    const wrapper = render(7 * 86_400 - 60)
    expect(wrapper.get('[data-testid="deadline-countdown"]').text()).toBe('剩余 6 天 23 小时')
    expect(paths).toEqual([])
    wrapper.unmount()
  })

  it('counts down, and once over names the configured 办理期限 (5天 here, not a built-in 7)', async () => {
    const paths = serveClauses(clauses)
    const wrapper = render(90)
    expect(wrapper.text()).toBe('剩余 1 分')
    vi.advanceTimersByTime(45_000)
    await nextTick()
    expect(wrapper.text()).toBe('剩余不足 1 分钟')
    vi.advanceTimersByTime(60_000)
    await nextTick()
    await flushPromises()
    expect(wrapper.get('[data-testid="deadline-countdown"]').text()).toBe('已超过5天办理期限')
    expect(wrapper.emitted('ended')).toHaveLength(1)
    expect(paths).toEqual(['/api/v1/clauses'])
    wrapper.unmount()
  })

  it('says 已超过办理期限, with no number, when the periods cannot be read', async () => {
    serveClauses(null)
    const wrapper = render(0)
    await flushPromises()
    expect(wrapper.get('[data-testid="deadline-countdown"]').text()).toBe('已超过办理期限')
    expect(wrapper.text()).not.toMatch(/\d/)
    wrapper.unmount()
  })

  it('asks for the periods once, however many countdowns have run out', async () => {
    const paths = serveClauses(clauses)
    const first = render(0)
    const second = render(0)
    await flushPromises()
    expect(first.text()).toBe('已超过5天办理期限')
    expect(second.text()).toBe('已超过5天办理期限')
    expect(paths).toEqual(['/api/v1/clauses'])
    first.unmount()
    second.unmount()
  })

  it('uses periods another screen already read', async () => {
    const paths = serveClauses(null)
    primePeriods({ ...PERIODS, application_deadline: '10天', application_deadline_hours: 240 })
    const wrapper = render(0)
    await flushPromises()
    expect(wrapper.text()).toBe('已超过10天办理期限')
    expect(paths).toEqual([])
    wrapper.unmount()
  })

  it('shows nothing once the application no longer waits (seconds_left null)', async () => {
    serveClauses(clauses)
    const wrapper = render(3_600)
    await wrapper.setProps({ secondsLeft: null })
    expect(wrapper.find('[data-testid="deadline-countdown"]').exists()).toBe(false)
    expect(wrapper.emitted('ended')).toBeUndefined()
    wrapper.unmount()
  })

  it('follows a new answer from the server, shorter or not', async () => {
    serveClauses(clauses)
    const wrapper = render(3 * 86_400)
    await wrapper.setProps({ secondsLeft: 2 * 3_600 })
    expect(wrapper.text()).toBe('剩余 2 小时 0 分')
    wrapper.unmount()
  })
})

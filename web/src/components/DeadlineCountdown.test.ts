import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import DeadlineCountdown from './DeadlineCountdown.vue'
import { testI18n } from '@/test/i18n'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => vi.useRealTimers())

const render = (secondsLeft: number | null) => mount(DeadlineCountdown, { props: { secondsLeft }, global: { plugins: [testI18n()] } })

describe('DeadlineCountdown', () => {
  it('shows the time left from the server’s seconds_left', () => {
    const wrapper = render(7 * 86_400 - 60)
    expect(wrapper.get('[data-testid="deadline-countdown"]').text()).toBe('剩余 6 天 23 小时')
    wrapper.unmount()
  })

  it('counts down, and says when the 7 days are over', async () => {
    const wrapper = render(90)
    expect(wrapper.text()).toBe('剩余 1 分')
    vi.advanceTimersByTime(45_000)
    await nextTick()
    expect(wrapper.text()).toBe('剩余不足 1 分钟')
    vi.advanceTimersByTime(60_000)
    await nextTick()
    await nextTick()
    expect(wrapper.text()).toBe('已超过 7 天期限')
    expect(wrapper.emitted('ended')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows nothing once the application no longer waits (seconds_left null)', async () => {
    const wrapper = render(3_600)
    await wrapper.setProps({ secondsLeft: null })
    expect(wrapper.find('[data-testid="deadline-countdown"]').exists()).toBe(false)
    expect(wrapper.emitted('ended')).toBeUndefined()
    wrapper.unmount()
  })

  it('follows a new answer from the server, shorter or not', async () => {
    const wrapper = render(3 * 86_400)
    await wrapper.setProps({ secondsLeft: 2 * 3_600 })
    expect(wrapper.text()).toBe('剩余 2 小时 0 分')
    wrapper.unmount()
  })
})

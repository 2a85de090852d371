import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import PractitionerMobileView from './PractitionerMobileView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/practitioner/mobile', component: PractitionerMobileView },
      { path: '/:other(.*)', component: { template: '<div />' } },
    ],
  })
  await router.push('/practitioner/mobile')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('PractitionerMobileView', () => {
  it('再次修改 starts with a fresh 获取验证码, not the old countdown', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) =>
        new URL(req.url).pathname.endsWith('/code')
          ? json(202, { sent_to: '139****1010', expires_at: '2026-03-01T00:52:00Z', resend_after: 60 })
          : json(200, { name: '陈建华', mobile_masked: '139****1010', verified_at: '2026-03-01T00:43:00Z' }),
      ),
    )
    const wrapper = await mountView()
    await wrapper.get('[data-testid="mobile-id-number"]').setValue('350203198503121015')
    await wrapper.get('[data-testid="mobile-name"]').setValue('陈建华')
    await wrapper.get('[data-testid="mobile-mobile"]').setValue('13950001010')
    await wrapper.get('[data-testid="mobile-send-code"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="mobile-send-code"]').text()).toBe('60 秒后重新获取'))
    await wrapper.get('[data-testid="mobile-code"]').setValue('123456')
    await wrapper.get('[data-testid="mobile-form"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="mobile-done"]').exists()).toBe(true))
    vi.advanceTimersByTime(5_000)

    await wrapper.get('[data-testid="mobile-done"] button').trigger('click')
    await flushPromises()
    const button = wrapper.get('[data-testid="mobile-send-code"]')
    expect(button.text()).toBe('获取验证码')
    expect(button.attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })
})

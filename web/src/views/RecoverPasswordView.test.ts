import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import RecoverPasswordView from './RecoverPasswordView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  })
const problem = (status: number, code: string, detail: string, errors: unknown[] = []) => ({
  type: 'about:blank',
  title: '',
  status,
  detail,
  code,
  errors,
  request_id: 'req-1',
})
const MISMATCH = '输入的信息与系统中登记的不一致，请核对后重试'

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/recover-password', component: RecoverPasswordView },
      { path: '/login', component: { template: '<div data-testid="login-page" />' } },
    ],
  })
  await router.push('/recover-password')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

async function fillStep1(wrapper: Awaited<ReturnType<typeof mountView>>['wrapper']): Promise<void> {
  await wrapper.get('[data-testid="recover-username"]').setValue('unit_a1')
  await wrapper.get('[data-testid="recover-uscc"]').setValue('91350200776049653a')
  await wrapper.get('[data-testid="recover-mobile"]').setValue('13800138000')
}

const button = (wrapper: Awaited<ReturnType<typeof mountView>>['wrapper'], id: string) =>
  wrapper.get(`[data-testid="${id}"]`)
const fieldErrors = (wrapper: Awaited<ReturnType<typeof mountView>>['wrapper']) =>
  wrapper.findAll('.el-form-item__error').map((e) => e.text())

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RecoverPasswordView', () => {
  it('on 429 disables 获取验证码 with a countdown from Retry-After', async () => {
    const fetchMock = vi.fn(async () =>
      json(429, problem(429, 'rate_limited', '验证码发送过于频繁，请稍后再试'), { 'Retry-After': '30' }),
    )
    vi.stubGlobal('fetch', fetchMock)
    const { wrapper } = await mountView()
    await fillStep1(wrapper)
    await button(wrapper, 'recover-send-code').trigger('click')
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledOnce())
    await flushPromises()

    const sent = (fetchMock.mock.calls[0] as unknown as [Request])[0]
    expect(new URL(sent.url).pathname).toBe('/api/v1/password-recovery/code')
    expect(await sent.json()).toEqual({ username: 'unit_a1', uscc: '91350200776049653A', mobile: '13800138000' })
    expect(button(wrapper, 'recover-send-code').text()).toBe('30 秒后重新获取')
    expect(button(wrapper, 'recover-send-code').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="recover-error"]').text()).toContain('验证码发送过于频繁')

    vi.advanceTimersByTime(12_000)
    await flushPromises()
    expect(button(wrapper, 'recover-send-code').text()).toBe('18 秒后重新获取')
    vi.advanceTimersByTime(18_000)
    await flushPromises()
    expect(button(wrapper, 'recover-send-code').text()).toBe('获取验证码')
    expect(button(wrapper, 'recover-send-code').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('shows a mismatch as one neutral alert, under no field', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(422, problem(422, 'recovery_mismatch', MISMATCH))))
    const { wrapper } = await mountView()
    await fillStep1(wrapper)
    await button(wrapper, 'recover-send-code').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="recover-error"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="recover-error"]').text()).toBe(MISMATCH)
    expect(fieldErrors(wrapper)).toEqual([])
    expect(wrapper.find('[data-testid="recover-verify"]').exists()).toBe(true)
    // No code was sent: asking again is allowed at once.
    expect(button(wrapper, 'recover-send-code').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('sends the code, then resets the password with it and goes to the login page', async () => {
    const bodies: unknown[] = []
    const fetchMock = vi.fn(async (req: Request) => {
      bodies.push(await req.json())
      const path = new URL(req.url).pathname
      if (path === '/api/v1/password-recovery/code') return json(202, { mobile_masked: '138****8000', expires_in: 600, resend_after: 60 })
      if (bodies.length === 2) {
        return json(
          422,
          problem(422, 'validation_failed', '', [{ field: 'code', code: 'code_invalid', message: '验证码不正确，还可尝试 4 次' }]),
        )
      }
      return json(204, null)
    })
    vi.stubGlobal('fetch', fetchMock)
    const { wrapper, router } = await mountView()
    await fillStep1(wrapper)
    await button(wrapper, 'recover-send-code').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="recover-reset"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="recover-sent"]').text()).toBe('验证码已发送至 138****8000，10 分钟内有效')
    expect(button(wrapper, 'recover-resend').text()).toBe('60 秒后重新获取')

    // The confirmation must match before anything is sent.
    await wrapper.get('[data-testid="recover-code"]').setValue('123456')
    await wrapper.get('[data-testid="recover-new-password"]').setValue('NewPassw0rd')
    await wrapper.get('[data-testid="recover-confirm-password"]').setValue('NewPassw0rx')
    await button(wrapper, 'recover-submit').trigger('click')
    await vi.waitFor(() => expect(fieldErrors(wrapper)).toContain('两次输入的密码不一致'))
    expect(fetchMock).toHaveBeenCalledOnce()

    // A wrong code shows under the code field.
    await wrapper.get('[data-testid="recover-confirm-password"]').setValue('NewPassw0rd')
    await button(wrapper, 'recover-submit').trigger('click')
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="recover-code-item"]').find('.el-form-item__error').text()).toBe('验证码不正确，还可尝试 4 次'),
    )

    await wrapper.get('[data-testid="recover-code"]').setValue('654321')
    await button(wrapper, 'recover-submit').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/login'))
    expect(bodies[2]).toEqual({ username: 'unit_a1', code: '654321', new_password: 'NewPassw0rd' })
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StepBasic from './StepBasic.vue'
import { testI18n } from '@/test/i18n'

const USCC_MESSAGE = '统一社会信用代码含有不允许的字符“I”（不使用 I、O、Z、S、V）'

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

async function fill(wrapper: ReturnType<typeof mount>, values: Record<string, string>): Promise<void> {
  for (const [testid, value] of Object.entries(values)) {
    await wrapper.get(`[data-testid="${testid}"]`).setValue(value)
  }
}

describe('StepBasic', () => {
  it('shows a 422 field error from the server under the matching form item', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            type: 'about:blank',
            title: '请求参数有误',
            status: 422,
            detail: '',
            code: 'validation_failed',
            errors: [{ field: 'uscc', code: 'uscc_charset', message: USCC_MESSAGE }],
            request_id: 'req-1',
          }),
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
    )
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = mount(StepBasic, { props: { registration: null }, global: { plugins: [testI18n()] }, attachTo: document.body })
    await fill(wrapper, {
      'reg-username': 'unit_a1',
      'reg-password': 'Passw0rd-x',
      'reg-confirm-password': 'Passw0rd-x',
      'reg-unit-name': '测试单位',
      'reg-uscc': 'ABCDEFGHIJKLMNOPQR',
      'reg-legal-rep': '张三',
      'reg-address': '福州市鼓楼区',
      'reg-postcode': '350001',
    })
    await wrapper.get('[data-testid="wizard-next"]').trigger('click')
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledOnce())
    await flushPromises()

    const sent = (fetchMock.mock.calls[0] as unknown as [Request])[0]
    expect(new URL(sent.url).pathname).toBe('/api/v1/registrations')
    expect(await sent.json()).toMatchObject({ username: 'unit_a1', uscc: 'ABCDEFGHIJKLMNOPQR', postcode: '350001' })
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="reg-uscc-item"]').find('.el-form-item__error').text()).toBe(USCC_MESSAGE),
    )
    expect(wrapper.emitted('created')).toBeUndefined()
    wrapper.unmount()
  })

  it('checks the rules mirrored from the server before sending anything', async () => {
    const fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = mount(StepBasic, { props: { registration: null }, global: { plugins: [testI18n()] }, attachTo: document.body })
    await fill(wrapper, { 'reg-username': '1abc', 'reg-postcode': '35000' })
    await wrapper.get('[data-testid="wizard-next"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.text()).toContain('用户名应为4至32位字母、数字或下划线，并以字母开头'))
    await vi.waitFor(() => expect(wrapper.text()).toContain('邮政编码应为6位数字'))
    expect(wrapper.text()).toContain('请填写单位名称')
    expect(fetchMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('keeps what was typed, but not the password, through a reload before 保存并下一步', async () => {
    const first = mount(StepBasic, { props: { registration: null }, global: { plugins: [testI18n()] }, attachTo: document.body })
    await fill(first, { 'reg-unit-name': '福州特种设备检验检测有限公司', 'reg-password': 'Passw0rd-x', 'reg-postcode': '350001' })
    first.unmount()
    expect(JSON.stringify(localStorage)).not.toContain('Passw0rd-x')

    const again = mount(StepBasic, { props: { registration: null }, global: { plugins: [testI18n()] }, attachTo: document.body })
    expect((again.get('[data-testid="reg-unit-name"]').element as HTMLInputElement).value).toBe('福州特种设备检验检测有限公司')
    expect((again.get('[data-testid="reg-postcode"]').element as HTMLInputElement).value).toBe('350001')
    expect((again.get('[data-testid="reg-password"]').element as HTMLInputElement).value).toBe('')
    const leaving = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(leaving)
    expect(leaving.defaultPrevented).toBe(true)
    again.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import VerifyView from './VerifyView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const genuine = {
  number: 'SB20261126-7K3Q9X2M',
  kind: 'initial',
  kind_label: '初始',
  state: 'under_review',
  state_label: '审核中',
  unit_name: '厦门电梯检测技术有限公司',
  person_name_masked: '王*',
  id_number_masked: '440***********0014',
  created_at: '2026-11-26T02:00:00Z',
}
const notFound = {
  status: 404,
  code: 'application_not_found',
  title: '',
  detail: '未查询到该申报单，请核对申报单号；如为伪造的申请表，请向协会举报',
  errors: [],
}

async function render(answer: (number: string) => Response, start: string, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const sent: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const number = new URL(req.url).searchParams.get('number') ?? ''
      sent.push(number)
      return answer(number)
    }),
  )
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/verify', component: VerifyView },
      { path: '/:rest(.*)', component: { template: '<div />' } },
    ],
  })
  await router.push(start)
  const i18n = testI18n()
  i18n.global.locale.value = locale
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, sent }
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('VerifyView (申请表真伪验证, public)', () => {
  it('shows the number of the QR code as genuine, with its state', async () => {
    const { wrapper, sent } = await render(() => json(200, genuine), '/verify?number=SB20261126-7K3Q9X2M')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="verify-genuine"]').exists()).toBe(true))
    expect(sent).toEqual(['SB20261126-7K3Q9X2M'])
    expect(wrapper.get('[data-testid="verify-genuine"]').text()).toContain('真实有效的申报单')
    expect(wrapper.get('[data-testid="verify-state"]').text()).toBe('审核中')
    expect(wrapper.get('[data-testid="verify-unit"]').text()).toBe('厦门电梯检测技术有限公司')
    expect(wrapper.get('[data-testid="verify-person"]').text()).toBe('王*')
    expect(wrapper.find('[data-testid="verify-ended"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="verify-not-found"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('warns that a genuine application which ended has no effect', async () => {
    const { wrapper } = await render(() => json(200, { ...genuine, state: 'expired', state_label: '不通过（逾期）' }), '/verify?number=SB20261126-7K3Q9X2M')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="verify-ended"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="verify-ended"]').text()).toContain('不通过（逾期）')
    wrapper.unmount()
  })

  it('names the state of an ended application in English by its code, not the server’s Chinese label', async () => {
    const { wrapper } = await render(
      () => json(200, { ...genuine, state: 'declined', state_label: '执业人拒绝' }),
      '/verify?number=SB20261126-7K3Q9X2M',
      'en',
    )
    await vi.waitFor(() => expect(wrapper.find('[data-testid="verify-ended"]').exists()).toBe(true))
    const ended = wrapper.get('[data-testid="verify-ended"]').text()
    expect(ended).toContain('"Declined by the practitioner"')
    expect(ended).not.toContain('执业人拒绝')
    wrapper.unmount()
  })

  it('warns in red about a number the system never issued', async () => {
    const { wrapper } = await render(() => json(404, notFound), '/verify?number=SB20261126-FORGED00')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="verify-not-found"]').exists()).toBe(true))
    const warning = wrapper.get('[data-testid="verify-not-found"]')
    expect(warning.find('.el-alert--error').exists()).toBe(true)
    expect(warning.text()).toContain('未查询到该申报单（SB20261126-FORGED00）')
    expect(warning.text()).toContain('伪造')
    expect(wrapper.find('[data-testid="verify-genuine"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('checks a typed number and puts it into the URL', async () => {
    const { wrapper, router, sent } = await render((n) => (n === genuine.number ? json(200, genuine) : json(404, notFound)), '/verify')
    expect(sent).toEqual([])
    await wrapper.get('[data-testid="verify-form"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.text()).toContain('请输入申报单号'))
    await wrapper.get('[data-testid="verify-number-input"]').setValue(' sb20261126-7k3q9x2m ')
    await wrapper.get('[data-testid="verify-form"]').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="verify-genuine"]').exists()).toBe(true))
    expect(router.currentRoute.value.query).toEqual({ number: 'SB20261126-7K3Q9X2M' })
    expect(sent).toEqual(['SB20261126-7K3Q9X2M'])
    wrapper.unmount()
  })

  it('shows the field error of a malformed number under the input', async () => {
    const { wrapper } = await render(
      () =>
        json(422, {
          status: 422,
          code: 'validation_failed',
          title: '',
          detail: '',
          errors: [{ field: 'number', code: 'number_format', message: '申报单号格式不正确' }],
        }),
      '/verify?number=abc',
    )
    await vi.waitFor(() => expect(wrapper.text()).toContain('申报单号格式不正确'))
    wrapper.unmount()
  })
})

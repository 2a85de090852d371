import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ConfirmApplicationView from './ConfirmApplicationView.vue'
import { testI18n } from '@/test/i18n'

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/confirm', component: ConfirmApplicationView },
      { path: '/:other(.*)', component: { template: '<div />' } },
    ],
  })
  await router.push('/confirm')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ConfirmApplicationView (执业人确认申报)', () => {
  it('calls the code 确认码 in its messages too, as its label and the SMS do', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              type: 'about:blank',
              title: '',
              status: 422,
              detail: '',
              code: 'validation_failed',
              errors: [{ field: 'code', code: 'code_invalid', message: '验证码错误，还可尝试 4 次' }],
              request_id: 'r1',
            }),
            { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
          ),
      ),
    )
    const wrapper = await mountView()
    expect(wrapper.get('[data-testid="confirm-code-item"] label').text()).toBe('确认码')
    await wrapper.get('[data-testid="confirm-id-number"]').setValue('350203198503121015')
    await wrapper.get('[data-testid="confirm-code"]').setValue('123456')
    await wrapper.get('[data-testid="confirm-form"]').trigger('submit')
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="confirm-code-item"] .el-form-item__error').text()).toBe('确认码错误，还可尝试 4 次'),
    )
    expect(wrapper.text()).not.toContain('验证码')
    wrapper.unmount()
  })
})

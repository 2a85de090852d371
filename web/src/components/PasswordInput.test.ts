import { describe, expect, it } from 'vitest'
import { defineComponent, ref } from 'vue'
import { mount } from '@vue/test-utils'
import PasswordInput from './PasswordInput.vue'
import { testI18n } from '@/test/i18n'

describe('PasswordInput', () => {
  it('shows and hides the password with a named button that Tab reaches', async () => {
    const Host = defineComponent({
      components: { PasswordInput },
      setup: () => ({ value: ref('Secret-2024') }),
      template: '<PasswordInput v-model="value" data-testid="pw" />',
    })
    const wrapper = mount(Host, { global: { plugins: [testI18n()] }, attachTo: document.body })
    const input = wrapper.get('input')
    expect(input.attributes('type')).toBe('password')
    const toggle = wrapper.get('button[data-testid="password-toggle"]')
    expect(toggle.attributes('aria-label')).toBe('显示密码')
    expect(toggle.attributes('aria-pressed')).toBe('false')
    expect(toggle.attributes('tabindex')).not.toBe('-1')
    await toggle.trigger('click')
    expect(wrapper.get('input').attributes('type')).toBe('text')
    expect(wrapper.get('button[data-testid="password-toggle"]').attributes('aria-label')).toBe('隐藏密码')
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick, reactive, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { ElForm, ElFormItem, ElInput, type FormInstance } from 'element-plus'
import { focusMainHeading, wireFieldErrors } from './a11y'
import { testI18n } from '@/test/i18n'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('wireFieldErrors', () => {
  it('ties a field error to its input with aria-invalid and aria-describedby, and unties it', async () => {
    const formRef = ref<FormInstance>()
    const form = reactive({ name: '' })
    const wrapper = mount(
      {
        components: { ElForm, ElFormItem, ElInput },
        setup: () => ({ formRef, form, rules: { name: [{ required: true, message: '请输入姓名', trigger: 'blur' }] } }),
        template: `<el-form ref="formRef" :model="form" :rules="rules">
          <el-form-item label="姓名" prop="name"><el-input v-model="form.name" data-testid="name" /></el-form-item>
        </el-form>`,
      },
      { global: { plugins: [testI18n()] }, attachTo: document.body },
    )
    const stop = wireFieldErrors(document.body)
    const input = () => wrapper.get('[data-testid="name"]').element as HTMLInputElement
    expect(input().hasAttribute('aria-invalid')).toBe(false)

    await formRef.value!.validate().catch(() => false)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-form-item__error').exists()).toBe(true))
    await nextTick()
    const error = wrapper.get('.el-form-item__error')
    expect(error.text()).toBe('请输入姓名')
    expect(input().getAttribute('aria-invalid')).toBe('true')
    expect(input().getAttribute('aria-describedby')).toContain(error.attributes('id'))

    form.name = '王五'
    await formRef.value!.validate().catch(() => false)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-form-item__error').exists()).toBe(false))
    await nextTick()
    expect(input().hasAttribute('aria-invalid')).toBe(false)
    expect(input().getAttribute('aria-describedby') ?? '').not.toContain('gs-field-error-')
    stop()
    wrapper.unmount()
  })
})

describe('focusMainHeading', () => {
  it('focuses the page’s h1 once it is there', async () => {
    document.body.innerHTML = '<header><a href="/">系统</a></header><main></main>'
    const moved = focusMainHeading(1000)
    setTimeout(() => (document.querySelector('main')!.innerHTML = '<h1>单位首页</h1>'), 100)
    expect(await moved).toBe(true)
    expect(document.activeElement?.textContent).toBe('单位首页')
    expect(document.activeElement?.getAttribute('tabindex')).toBe('-1')
  })

  it('leaves the focus where the user put it in the new page', async () => {
    document.body.innerHTML = '<main><h1>执业公示申请</h1><input id="x" /></main>'
    const moved = focusMainHeading(200)
    ;(document.getElementById('x') as HTMLInputElement).focus()
    expect(await moved).toBe(false)
    expect(document.activeElement?.id).toBe('x')
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, h, reactive } from 'vue'
import { ElForm } from 'element-plus'
import { testI18n } from '@/test/i18n'
import { reasonLength, reasonRule } from '@/utils/rules'
import ReasonDialog from './ReasonDialog.vue'
import ReasonField from './ReasonField.vue'

// The one reason dialog (驳回 by a reviewer, 拒绝 by the practitioner) and the reason field it and
// the reason forms (答复意见, 申诉原因, 变更原因) share: the length rule, the server's field error,
// the failure above the form.

const base = {
  title: '驳回注册申请',
  label: '驳回原因',
  placeholder: '请填写驳回原因',
  min: 2,
  max: 500,
  lengthMessage: '请填写驳回原因（至少2个字）',
  cancelText: '取消',
  submitText: '驳回',
  testid: 'reject-dialog',
  reasonTestid: 'reject-reason',
  cancelTestid: 'reject-cancel',
  submitTestid: 'reject-confirm',
  messageTestid: 'reject-error',
}

function renderDialog(props: Record<string, unknown> = {}) {
  const wrapper = mount(ReasonDialog, {
    props: {
      ...base,
      open: true,
      reason: '',
      'onUpdate:open': (open: boolean) => wrapper.setProps({ open }),
      'onUpdate:reason': (reason: string) => wrapper.setProps({ reason }),
      ...props,
    },
    slots: { default: '<p data-testid="what-it-does">驳回后将通知授权联系人</p>' },
    global: { plugins: [testI18n()] },
    attachTo: document.body,
  })
  return wrapper
}

const q = <E extends Element = HTMLElement>(testid: string) => document.querySelector<E>(`[data-testid="${testid}"]`)
const fieldError = () => document.querySelector('.el-form-item__error')?.textContent?.trim() ?? ''

async function type(text: string): Promise<void> {
  const textarea = q<HTMLTextAreaElement>('reject-reason')!
  textarea.value = text
  textarea.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function press(testid: string): Promise<void> {
  q<HTMLButtonElement>(testid)!.click()
  await flushPromises()
  // The rule is checked asynchronously.
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('ReasonDialog', () => {
  it('sends a required reason only once it is long enough, saying why not under the field', async () => {
    const wrapper = renderDialog()
    await flushPromises()
    expect(q('reject-dialog')!.textContent).toContain('驳回注册申请')
    expect(q('what-it-does')!.textContent).toBe('驳回后将通知授权联系人')
    expect(document.querySelector('.el-form-item')!.classList).toContain('is-required')
    expect(q<HTMLTextAreaElement>('reject-reason')!.getAttribute('maxlength')).toBe('500')

    await press('reject-confirm')
    await vi.waitFor(() => expect(fieldError()).toBe('请填写驳回原因（至少2个字）'))
    expect(wrapper.emitted('attempt')).toHaveLength(1)
    expect(wrapper.emitted('submit')).toBeUndefined()

    await type('缺')
    await press('reject-confirm')
    await vi.waitFor(() => expect(fieldError()).toBe('请填写驳回原因（至少2个字）'))
    expect(wrapper.emitted('submit')).toBeUndefined()

    await type('证明材料不全')
    await press('reject-confirm')
    expect(wrapper.props('reason')).toBe('证明材料不全')
    expect(wrapper.emitted('submit')).toHaveLength(1)
    await vi.waitFor(() => expect(fieldError()).toBe(''))
    wrapper.unmount()
  })

  it('lets an optional reason be empty, but not shorter than its minimum once given', async () => {
    const wrapper = renderDialog({ optional: true })
    await flushPromises()
    expect(document.querySelector('.el-form-item')!.classList).not.toContain('is-required')
    await press('reject-confirm')
    expect(wrapper.emitted('submit')).toHaveLength(1)
    // One character (two UTF-16 units): too short, as the server counts it.
    await type('😀')
    await press('reject-confirm')
    await vi.waitFor(() => expect(fieldError()).toBe('请填写驳回原因（至少2个字）'))
    expect(wrapper.emitted('submit')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows why the answer failed above the form and the server’s field error under the reason', async () => {
    const wrapper = renderDialog({ message: '该申请已被处理', error: '驳回原因应为2至500个字符' })
    await flushPromises()
    expect(q('reject-error')!.textContent).toContain('该申请已被处理')
    await vi.waitFor(() => expect(fieldError()).toBe('驳回原因应为2至500个字符'))
    await wrapper.setProps({ message: '' })
    expect(q('reject-error')).toBeNull()
    wrapper.unmount()
  })

  it('keeps 取消 from closing while locked, and closes on 取消 otherwise', async () => {
    const wrapper = renderDialog({ locked: true, loading: true })
    await flushPromises()
    expect(q<HTMLButtonElement>('reject-cancel')!.disabled).toBe(true)
    expect(q('reject-confirm')!.classList).toContain('is-loading')
    await wrapper.setProps({ locked: false, loading: false })
    await press('reject-cancel')
    expect(wrapper.emitted('update:open')).toEqual([[false]])
    wrapper.unmount()
  })
})

describe('ReasonField', () => {
  /** A form around one ReasonField, as the appeal and change forms hold it. */
  const Form = defineComponent({
    props: { emptyMessage: { type: String, default: undefined } },
    setup(props, { expose }) {
      const model = reactive({ reason: '' })
      const form = { ref: null as InstanceType<typeof ElForm> | null }
      expose({ model, validate: () => form.ref!.validate().catch(() => false) })
      return () =>
        h(ElForm, { model, ref: (el) => (form.ref = el as InstanceType<typeof ElForm>) }, () =>
          h(ReasonField, {
            modelValue: model.reason,
            'onUpdate:modelValue': (v: string) => (model.reason = v),
            label: '申诉原因',
            min: 10,
            max: 1000,
            lengthMessage: '请说明申诉原因（10至1000个字符）',
            emptyMessage: props.emptyMessage,
            testid: 'appeal-reason',
            itemTestid: 'appeal-reason-item',
          }),
        )
    },
  })

  it('says an empty reason is missing and a short one too short, with its own rule', async () => {
    const wrapper = mount(Form, { props: { emptyMessage: '请填写申诉原因' }, global: { plugins: [testI18n()] }, attachTo: document.body })
    const form = wrapper.vm as unknown as { model: { reason: string }; validate: () => Promise<boolean> }
    expect(wrapper.get('[data-testid="appeal-reason-item"]').classes()).toContain('is-required')
    expect(wrapper.get('textarea[data-testid="appeal-reason"]').attributes('maxlength')).toBe('1000')
    expect(await form.validate()).toBe(false)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-form-item__error').text()).toBe('请填写申诉原因'))
    await wrapper.get('textarea[data-testid="appeal-reason"]').setValue('手机停用')
    expect(await form.validate()).toBe(false)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-form-item__error').text()).toBe('请说明申诉原因（10至1000个字符）'))
    await wrapper.get('textarea[data-testid="appeal-reason"]').setValue('原授权联系人已离职，手机号无法接收验证码')
    expect(await form.validate()).toBe(true)
    expect(form.model.reason).toBe('原授权联系人已离职，手机号无法接收验证码')
    wrapper.unmount()
  })
})

describe('reasonRule', () => {
  const check = (rule: ReturnType<typeof reasonRule>, value: string) =>
    new Promise<string>((resolve) => {
      const validator = rule.validator as (r: unknown, v: string, cb: (e?: Error) => void) => void
      validator(rule, value, (e) => resolve(e?.message ?? ''))
    })

  it('counts characters once trimmed, as the server does', async () => {
    expect(reasonLength('  两个  ')).toBe(2)
    expect(reasonLength('😀😀')).toBe(2)
    const rule = reasonRule({ min: 2, max: 5, lengthMessage: 'length' })
    expect(rule.required).toBe(true)
    expect(await check(rule, '')).toBe('length')
    expect(await check(rule, '   ')).toBe('length')
    expect(await check(rule, '😀')).toBe('length')
    expect(await check(rule, '😀😀')).toBe('')
    expect(await check(rule, '一二三四五六')).toBe('length')
    const optional = reasonRule({ min: 2, max: 5, optional: true, lengthMessage: 'length' })
    expect(optional.required).toBe(false)
    expect(await check(optional, '   ')).toBe('')
    expect(await check(reasonRule({ min: 2, max: 5, lengthMessage: 'length', emptyMessage: 'empty' }), '')).toBe('empty')
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, reactive } from 'vue'
import { mount } from '@vue/test-utils'
import { UNSAVED_PREFIX, useUnsavedDraft } from './useUnsavedDraft'

function host(key: string, initial: Record<string, string>) {
  let api!: ReturnType<typeof useUnsavedDraft> & { form: Record<string, string> }
  const Host = defineComponent({
    setup() {
      const form = reactive({ ...initial })
      api = { ...useUnsavedDraft(key, form), form }
      return () => h('div')
    },
  })
  const wrapper = mount(Host, { attachTo: document.body })
  return { wrapper, api: () => api }
}

const unload = () => {
  const event = new Event('beforeunload', { cancelable: true }) as BeforeUnloadEvent
  window.dispatchEvent(event)
  return event.defaultPrevented
}

afterEach(() => {
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('useUnsavedDraft', () => {
  it('keeps typed fields (never the password) until saved, and puts them back after a reload', async () => {
    const first = host('register.new.basic', { unit_name: '', password: '' })
    first.api().form.unit_name = '福州特种设备检验检测有限公司'
    first.api().form.password = 'Secret-2024'
    await nextTick()
    const stored = JSON.parse(localStorage.getItem(`${UNSAVED_PREFIX}register.new.basic`)!)
    expect(stored).toEqual({ unit_name: '福州特种设备检验检测有限公司' })
    expect(JSON.stringify(localStorage)).not.toContain('Secret-2024')
    first.wrapper.unmount()

    // The reload: the step opens again with what was typed.
    const second = host('register.new.basic', { unit_name: '', password: '' })
    expect(second.api().restored).toBe(true)
    expect(second.api().form.unit_name).toBe('福州特种设备检验检测有限公司')
    expect(second.api().form.password).toBe('')
    second.api().saved()
    expect(localStorage.getItem(`${UNSAVED_PREFIX}register.new.basic`)).toBeNull()
    second.wrapper.unmount()
  })

  it('asks before the page is left with unsaved changes, not after saving', async () => {
    const { wrapper, api } = host('register.r1.contact', { name: '' })
    expect(unload()).toBe(false)
    api().form.name = '李四'
    await nextTick()
    expect(unload()).toBe(true)
    api().saved()
    expect(unload()).toBe(false)
    wrapper.unmount()
    expect(unload()).toBe(false)
  })
})

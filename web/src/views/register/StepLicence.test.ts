import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StepLicence from './StepLicence.vue'
import FileUploader from '@/components/FileUploader.vue'
import type { Registration } from '@/api/types'
import { testI18n } from '@/test/i18n'

const registration = { id: 'reg_1', state: 'draft', licence: null, warnings: [] } as unknown as Registration

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('StepLicence', () => {
  it('clears 请上传营业执照 once a file is uploaded', async () => {
    const wrapper = mount(StepLicence, { props: { registration }, global: { plugins: [testI18n()] }, attachTo: document.body })
    await wrapper.get('[data-testid="wizard-next"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-form-item__error').text()).toContain('请上传营业执照'))

    wrapper.findComponent(FileUploader).vm.$emit('update:modelValue', {
      upload_id: 'up_1',
      file_name: 'licence.png',
      content_type: 'image/png',
      size: 1024,
    })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-form-item__error').exists()).toBe(false))
    wrapper.unmount()
  })
})

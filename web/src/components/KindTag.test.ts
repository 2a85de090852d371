import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { ElTag } from 'element-plus'
import KindTag from './KindTag.vue'
import { testI18n } from '@/test/i18n'

describe('KindTag in English', () => {
  it('translates the type from its code, not the server’s Chinese label', () => {
    const i18n = testI18n()
    i18n.global.locale.value = 'en'
    const tag = mount(KindTag, { props: { kind: 'renewal', label: '续期' }, global: { plugins: [i18n], components: { ElTag } } })
    expect(tag.text()).toBe(i18n.global.t('publicity.kinds.renewal'))
    expect(tag.text()).not.toBe('续期')
  })
})

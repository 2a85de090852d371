import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import RenewalListView from './RenewalListView.vue'
import { testI18n } from '@/test/i18n'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RenewalListView (续期)', () => {
  it('says when people appear here for renewal', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ items: [] }), { headers: { 'Content-Type': 'application/json' } })))
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)', component: RenewalListView }] })
    await router.push('/publicity/renewals')
    const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] } })
    await flushPromises()
    const hint = wrapper.get('[data-testid="renewal-hint"]').text()
    expect(hint).not.toContain('追加完成后，如有续期人员系统会自动显示')
    expect(hint).toContain('90 天')
    expect(hint).toContain('有效期')
    wrapper.unmount()
  })
})

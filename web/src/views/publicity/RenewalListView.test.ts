import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import RenewalListView from './RenewalListView.vue'
import { resetPeriods } from '@/composables/usePeriods'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } })
const periods = (days: number) => ({
  application_deadline_hours: 168,
  application_deadline: '7天',
  confirmation_code_hours: 24,
  confirmation_code: '24小时',
  renewal_window_days: days,
})
const clauses = (days: number) => ({ version: 1, title: '执业公示承诺书', clauses: ['本单位承诺所填信息真实。'], published_at: '2026-01-02T03:04:05Z', periods: periods(days) })
const WAITING_REASON =
  '公示有效期至 2027-01-20，该人员的资格证书项目尚未换证（锅炉定期检验（GL-1）有效期至 2027-01-20），续期不会延长公示有效期；请在证书换发、人员库更新后再申报续期'

/** The API: the renewal list `list`, and the clauses (with periods) or a failure. */
function serve(list: unknown, clausesAnswer: () => Response) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname
      if (path === '/api/v1/clauses') return clausesAnswer()
      return json(200, list)
    }),
  )
}

async function render() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)', component: RenewalListView }] })
  await router.push('/publicity/renewals')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] } })
  await flushPromises()
  return wrapper
}

beforeEach(() => resetPeriods())
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RenewalListView (续期)', () => {
  it('says when people appear here for renewal, with the configured window', async () => {
    serve({ items: [], waiting: [] }, () => json(200, clauses(90)))
    const wrapper = await render()
    const hint = wrapper.get('[data-testid="renewal-hint"]').text()
    expect(hint).not.toContain('追加完成后，如有续期人员系统会自动显示')
    expect(hint).toContain('90 天')
    expect(hint).toContain('有效期')
    expect(wrapper.get('[data-testid="renewal-empty"]').text()).toContain('暂无可申报续期的人员')
    expect(wrapper.find('[data-testid="renewal-waiting"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('names the window an operator configured, not a built-in 90 days', async () => {
    serve({ items: [], waiting: [] }, () => json(200, clauses(60)))
    const wrapper = await render()
    const hint = wrapper.get('[data-testid="renewal-hint"]').text()
    expect(hint).toContain('60 天')
    expect(hint).not.toContain('90')
    wrapper.unmount()
  })

  it('names no number while the periods cannot be read', async () => {
    serve({ items: [], waiting: [] }, () => json(500, { status: 500, code: 'internal', title: '', detail: '服务器错误', errors: [] }))
    const wrapper = await render()
    const hint = wrapper.get('[data-testid="renewal-hint"]').text()
    expect(hint).toContain('公示期即将届满')
    expect(hint).not.toMatch(/\d/)
    wrapper.unmount()
  })

  it('lists whom a renewal would not extend yet with the server’s reason, and offers them no 申报续期', async () => {
    const waiting = {
      certificate_no: 'GS-2026-0007',
      name: '王五',
      id_number_masked: '350203********1012',
      valid_until: '2027-01-20',
      code: 'renewal_not_extended',
      reason: WAITING_REASON,
    }
    const due = {
      certificate_no: 'GS-2026-0008',
      name: '赵六',
      id_number_masked: '350203********2024',
      valid_until: '2027-02-01',
      reason: '公示有效期至 2027-02-01，已进入续期期限，续期后有效期将延长',
    }
    serve({ items: [due], waiting: [waiting] }, () => json(200, clauses(90)))
    const wrapper = await render()
    const table = wrapper.get('[data-testid="renewal-table"]')
    expect(table.text()).toContain('赵六')
    expect(table.text()).not.toContain('王五')
    expect(table.findAll('[data-testid="renewal-apply"]')).toHaveLength(1)

    const section = wrapper.get('[data-testid="renewal-waiting"]')
    expect(section.text()).toContain('暂不能续期（1 人）')
    expect(section.text()).toContain('GS-2026-0007')
    expect(section.get('[data-testid="renewal-waiting-reason"]').text()).toBe(WAITING_REASON)
    expect(section.find('[data-testid="renewal-apply"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

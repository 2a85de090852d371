import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import AppendView from './AppendView.vue'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const clauses = { version: 2, title: '执业公示承诺书', clauses: ['本单位承诺所填信息真实。'], published_at: '2026-01-02T03:04:05Z' }
const candidate = (n: number) => ({
  certificate_no: `GSZ-2026-${String(n).padStart(4, '0')}`,
  name: `人员${n}`,
  id_number_masked: '350203********1012',
  new_items: [{ code: 'QZ', name: '起重机械', level: '检验员', valid_until: '2029-12-31' }],
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('AppendView (§3.3.2 追加)', () => {
  it('appends everyone selected at once and shows each person’s outcome', async () => {
    let listed = [candidate(1), candidate(2)]
    const posts: unknown[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname
        if (path === '/api/v1/clauses') return json(200, clauses)
        if (req.method === 'POST') {
          posts.push(await req.json())
          listed = []
          return json(200, {
            results: [
              { certificate_no: 'GSZ-2026-0001', name: '人员1', ok: true, added_items: candidate(1).new_items, application_number: 'ZJ20260301-1', error: null },
              {
                certificate_no: 'GSZ-2026-0002',
                name: '人员2',
                ok: false,
                added_items: [],
                application_number: null,
                error: { code: 'application_open', message: '该人员有未完成的申报单' },
              },
            ],
          })
        }
        return json(200, { items: listed })
      }),
    )
    const wrapper = mount(AppendView, { global: { plugins: [testI18n()] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="append-row-name"]')).toHaveLength(2))

    await vi.waitFor(() => expect(wrapper.findAll('.el-table__body .el-checkbox')).toHaveLength(2))
    await wrapper.get('.el-table__header .el-checkbox input').setValue(true)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="append-submit"]').text()).toBe('确认追加（已选 2 人）'))
    await wrapper.get('[data-testid="clauses-confirm"] input').setValue(true)
    await flushPromises()
    await wrapper.get('[data-testid="append-submit"]').trigger('click')
    await flushPromises()

    expect(posts).toEqual([{ certificate_nos: ['GSZ-2026-0001', 'GSZ-2026-0002'], clause_version: 2, clauses_confirmed: true }])
    const results = wrapper.get('[data-testid="append-results"]')
    expect(results.text()).toContain('追加结果：成功 1 人，失败 1 人')
    const details = results.findAll('[data-testid="append-result-detail"]').map((w) => w.text())
    expect(details[0]).toBe('已追加 起重机械（QZ，检验员）（申报单 ZJ20260301-1）')
    expect(details[1]).toBe('该人员有未完成的申报单')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="append-empty"]').exists()).toBe(true))
    wrapper.unmount()
  })

  it('words why a person was not appended in English by its code', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname
        if (path === '/api/v1/clauses') return json(200, clauses)
        if (req.method === 'POST')
          return json(200, {
            results: [
              {
                certificate_no: 'GSZ-2026-0001',
                name: '人员1',
                ok: false,
                added_items: [],
                application_number: null,
                error: { code: 'changed_meanwhile', message: '该人员的公示信息刚刚发生变化或有进行中的申报单，请刷新列表后重试' },
              },
            ],
          })
        return json(200, { items: [candidate(1)] })
      }),
    )
    const i18n = testI18n()
    i18n.global.locale.value = 'en'
    const wrapper = mount(AppendView, { global: { plugins: [i18n] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="append-row-name"]')).toHaveLength(1))
    await vi.waitFor(() => expect(wrapper.findAll('.el-table__body .el-checkbox')).toHaveLength(1))
    await wrapper.get('.el-table__header .el-checkbox input').setValue(true)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="append-submit"]').text()).toBe('Append (1 selected)'))
    await wrapper.get('[data-testid="clauses-confirm"] input').setValue(true)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.get('[data-testid="append-submit"]').attributes('disabled')).toBeUndefined())
    await wrapper.get('[data-testid="append-submit"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="append-result-detail"]').text()).toBe(
        'This person’s publicity changed just now or an application is open: refresh the list and try again',
      ),
    )
    wrapper.unmount()
  })
})

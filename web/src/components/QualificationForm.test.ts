import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import QualificationForm from './QualificationForm.vue'
import type { RegistryItem } from '@/api/types'
import type { QualificationValue } from '@/utils/qualifications'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const DICTIONARY: RegistryItem[] = [
  { code: 'DT', name: '电梯' },
  { code: 'QZ', name: '起重机械' },
  { code: 'RQ-1', name: '压力容器定期检验' },
]

const initial = (items: string[]): QualificationValue => ({
  kind: 'approval',
  certificate_no: 'TS7110001-2028',
  authority: '国家市场监督管理总局',
  items,
  valid_from: '2024-01-01',
  valid_until: '2028-12-31',
  scan: { upload_id: 'up_1', file_name: 'scan.pdf', content_type: 'application/pdf', size: 1024 },
})

async function render(items: string[], answer: () => Response) {
  const fetch = vi.fn(async (req: Request) => (new URL(req.url).pathname === '/api/v1/registry/items' ? answer() : json(404, {})))
  vi.stubGlobal('fetch', fetch)
  const wrapper = mount(QualificationForm, {
    props: { initial: initial(items), errors: {} as never },
    global: { plugins: [testI18n()] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, fetch }
}

/** The options of the item select (rendered in a popper appended to the body). */
const optionTexts = () => [...document.querySelectorAll('.el-select-dropdown__item')].map((o) => o.textContent?.trim())

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('QualificationForm items (bug 7: the registry’s item dictionary)', () => {
  it('offers the registry’s items as “code 名称” and names the entries it does not know', async () => {
    const { wrapper, fetch } = await render(['电梯', 'QZ', '锅炉', 'XX-9'], () => json(200, { items: DICTIONARY }))
    expect(fetch).toHaveBeenCalled()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="qual-items-unknown"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="qual-items-unknown"]').text()).toBe(
      '以下项目不在人员库项目字典中：锅炉、XX-9（请核对项目代号）',
    )
    expect(wrapper.find('[data-testid="qual-items-hint"]').exists()).toBe(false)
    await wrapper.get('[data-testid="qual-items"] input').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(optionTexts()).toEqual(expect.arrayContaining(['DT 电梯', 'QZ 起重机械', 'RQ-1 压力容器定期检验'])))
    // The hint and the warning describe the select's input.
    const input = wrapper.get('[data-testid="qual-items"] input').element
    const hint = wrapper.get('.items-hint').element
    expect(input.getAttribute('aria-describedby')?.split(' ')).toContain(hint.id)
    expect(hint.getAttribute('aria-live')).toBe('polite')
    wrapper.unmount()
  })

  it('stores what was entered, as today: names (and codes) as strings, the warning does not block', async () => {
    const { wrapper } = await render(['电梯', '锅炉'], () => json(200, { items: DICTIONARY }))
    const body = await (wrapper.vm as unknown as { validate(): Promise<{ items: string[] } | null> }).validate()
    expect(body?.items).toEqual(['电梯', '锅炉'])
    wrapper.unmount()
  })

  it('says nothing is unknown when every entry is a code or a name of the dictionary', async () => {
    const { wrapper } = await render(['DT', '起重机械'], () => json(200, { items: DICTIONARY }))
    await flushPromises()
    expect(wrapper.find('[data-testid="qual-items-unknown"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('keeps free entry with a hint when the registry has not been imported yet', async () => {
    const { wrapper } = await render(['锅炉'], () => json(200, { items: [] }))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="qual-items-hint"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="qual-items-hint"]').text()).toContain('人员库尚未导入')
    expect(wrapper.find('[data-testid="qual-items-unknown"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('keeps free entry when the dictionary cannot be read', async () => {
    const { wrapper } = await render(['锅炉'], () => json(500, { code: 'internal', message: 'boom', errors: [] }))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="qual-items-hint"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="qual-items-hint"]').text()).toContain('未能读取人员库项目字典')
    wrapper.unmount()
  })
})

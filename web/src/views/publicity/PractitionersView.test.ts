import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import PractitionersView from './PractitionersView.vue'
import { testI18n } from '@/test/i18n'
import { bytesOf, messages, signIn, signOut, watchDownloads, WORKBOOK, xlsxResponse } from '@/test/downloads'

// 本单位执业人员 (F20): the people with their mobile registration; 导出 Excel downloads the list
// (#18), with the session's token.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const person = {
  certificate_no: 'GS2024000001',
  name: '王五',
  id_number_masked: '440524********0014',
  items: [{ code: 'DT', name: '电梯', level: '检验员', valid_until: '2029-12-31' }],
  valid_until: '2029-12-31',
  active: true,
  mobile_registered: false,
}

function serve(answer: (query: URLSearchParams) => Response | Promise<Response>) {
  const sent: { method: string; path: string; query: URLSearchParams; authorization: string | null }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      sent.push({ method: req.method, path: url.pathname, query: url.searchParams, authorization: req.headers.get('Authorization') })
      return answer(url.searchParams)
    }),
  )
  return sent
}

async function render() {
  const wrapper = mount(PractitionersView, { global: { plugins: [testI18n()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  signOut()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('PractitionersView (本单位执业人员, F20): 导出 Excel', () => {
  it('downloads the list as 执业人员.xlsx (format=xlsx), through the session', async () => {
    signIn('tok-practitioners')
    let release = () => {}
    const sent = serve((query) =>
      query.get('format') === 'xlsx'
        ? new Promise<Response>((resolve) => (release = () => resolve(xlsxResponse())))
        : json(200, { items: [person] }),
    )
    const saved = watchDownloads()
    const wrapper = await render()
    expect(wrapper.get('[data-testid="practitioner-table"]').text()).toContain('王五')

    const button = wrapper.get('[data-testid="practitioners-export"]')
    expect(button.text()).toBe('导出 Excel')
    await button.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="practitioners-export"]').attributes('disabled')).toBeDefined()
    release()
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    await flushPromises()

    const exported = sent.filter((s) => s.query.get('format') === 'xlsx')
    expect(exported).toHaveLength(1)
    expect(exported[0]).toMatchObject({ method: 'GET', path: '/api/v1/unit/practitioners', authorization: 'Bearer tok-practitioners' })
    expect(Object.fromEntries(exported[0].query)).toEqual({ format: 'xlsx' })
    expect(saved[0].name).toBe('执业人员.xlsx')
    expect(await bytesOf(saved[0].blob)).toEqual(WORKBOOK)
    expect(wrapper.get('[data-testid="practitioners-export"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('says why an export failed and saves nothing', async () => {
    serve((query) =>
      query.get('format') === 'xlsx'
        ? json(503, { status: 503, code: 'unavailable', title: '', detail: '服务暂不可用，请稍后重试', errors: [] })
        : json(200, { items: [person] }),
    )
    const saved = watchDownloads()
    const wrapper = await render()
    await wrapper.get('[data-testid="practitioners-export"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(messages()).toContain('服务暂不可用，请稍后重试'))
    expect(saved).toEqual([])
    wrapper.unmount()
  })
})

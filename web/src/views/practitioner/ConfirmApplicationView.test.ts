import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ConfirmApplicationView from './ConfirmApplicationView.vue'
import { testI18n } from '@/test/i18n'
import { wireFieldErrors } from '@/utils/a11y'

const ID_NUMBER = '350203198503121015'
const CODE = '123456'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const problem = (status: number, code: string, errors: { field: string; code: string; message: string }[] = [], detail = '') =>
  json(status, { type: 'about:blank', title: '', status, detail, code, errors, request_id: 'r1' })

const PENDING = {
  number: 'SB202603010001',
  kind: 'initial',
  kind_label: '初始',
  unit_name: '厦门执业公示电梯检测有限公司',
  name: '陈建华',
  items: [
    { code: 'DT', name: '电梯', level: '检验员', valid_until: '2029-12-31' },
    { code: 'QZ', name: '起重机械', level: '检验师', valid_until: '2028-06-30' },
  ],
  // 16:42 in China.
  deadline: '2026-03-08T08:42:00Z',
}

interface Call {
  path: string
  body: Record<string, unknown>
}

/** A fetch that answers the preview with PENDING and the answer with `answer` (by default its outcome). */
function stubApi(answer?: (body: Record<string, unknown>) => Response) {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname
      const body = (await req.clone().json()) as Record<string, unknown>
      calls.push({ path, body })
      if (path.endsWith('/confirmations/preview')) return json(200, PENDING)
      if (answer) return answer(body)
      const declined = body.answer === 'decline'
      return json(200, {
        number: PENDING.number,
        kind_label: '初始',
        unit_name: PENDING.unit_name,
        state: declined ? 'declined' : 'under_review',
        state_label: declined ? '执业人拒绝' : '审核中',
      })
    }),
  )
  return calls
}

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/confirm', component: ConfirmApplicationView },
      { path: '/:other(.*)', component: { template: '<div />' } },
    ],
  })
  await router.push('/confirm')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

/** Step 1: ID number and code, 查看申报内容, until step 2 shows. */
async function openPreview(wrapper: Awaited<ReturnType<typeof mountView>>) {
  await wrapper.get('[data-testid="confirm-id-number"]').setValue(ID_NUMBER.toLowerCase())
  await wrapper.get('[data-testid="confirm-code"]').setValue(CODE)
  await wrapper.get('[data-testid="confirm-form"]').trigger('submit')
  await vi.waitFor(() => expect(wrapper.find('[data-testid="confirm-review"]').exists()).toBe(true))
}

/** The decline dialog (teleported to the body). */
const dialog = () => document.querySelector<HTMLElement>('[data-testid="confirm-decline-dialog"]')
const inDialog = <E extends HTMLElement = HTMLElement>(testid: string) => dialog()?.querySelector<E>(`[data-testid="${testid}"]`) ?? null

async function openDeclineDialog(wrapper: Awaited<ReturnType<typeof mountView>>, reason: string) {
  await wrapper.get('[data-testid="confirm-decline"]').trigger('click')
  await vi.waitFor(() => expect(inDialog('confirm-reason')).not.toBeNull())
  const textarea = inDialog<HTMLTextAreaElement>('confirm-reason')!
  textarea.value = reason
  textarea.dispatchEvent(new Event('input'))
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ConfirmApplicationView (执业人确认申报)', () => {
  it('calls the code 确认码 in its messages too, as its label and the SMS do', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => problem(422, 'validation_failed', [{ field: 'code', code: 'code_invalid', message: '验证码错误，还可尝试 4 次' }])),
    )
    const wrapper = await mountView()
    expect(wrapper.get('[data-testid="confirm-code-item"] label').text()).toBe('确认码')
    expect(wrapper.get('[data-testid="confirm-preview"]').text()).toBe('查看申报内容')
    await wrapper.get('[data-testid="confirm-id-number"]').setValue(ID_NUMBER)
    await wrapper.get('[data-testid="confirm-code"]').setValue(CODE)
    await wrapper.get('[data-testid="confirm-form"]').trigger('submit')
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="confirm-code-item"] .el-form-item__error').text()).toBe('确认码错误，还可尝试 4 次'),
    )
    expect(wrapper.text()).not.toContain('验证码')
    expect(wrapper.find('[data-testid="confirm-review"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows what is to be confirmed before answering: unit, type, name, number, items and the deadline in China time', async () => {
    const calls = stubApi()
    const wrapper = await mountView()
    await openPreview(wrapper)

    expect(calls).toEqual([{ path: '/api/v1/confirmations/preview', body: { id_number: ID_NUMBER, code: CODE } }])
    expect(wrapper.get('[data-testid="confirm-unit"]').text()).toBe(PENDING.unit_name)
    expect(wrapper.get('[data-testid="confirm-details"] [data-testid="kind-tag"]').text()).toBe('初始')
    expect(wrapper.get('[data-testid="confirm-name"]').text()).toBe('陈建华')
    expect(wrapper.get('[data-testid="confirm-number"]').text()).toBe('SB202603010001')
    expect(wrapper.get('[data-testid="confirm-details"]').text()).toContain('申报单号')
    expect(wrapper.get('[data-testid="confirm-deadline"]').text()).toBe('2026-03-08 16:42（北京时间）')
    const items = wrapper.get('[data-testid="confirm-items"]')
    expect(items.findAll('thead th').map((th) => th.text())).toEqual(['项目代号', '项目名称', '级别', '有效期至'])
    expect(items.findAll('tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()))).toEqual([
      ['DT', '电梯', '检验员', '2029-12-31'],
      ['QZ', '起重机械', '检验师', '2028-06-30'],
    ])
    expect(wrapper.get('[data-testid="confirm-accept"]').text()).toBe('确认')
    expect(wrapper.get('[data-testid="confirm-accept"]').classes()).toContain('el-button--primary')
    expect(wrapper.get('[data-testid="confirm-decline"]').text()).toBe('拒绝')
    // Nothing is answered yet.
    expect(wrapper.find('[data-testid="confirm-done"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('确认 sends answer confirm with the ID number and code of the preview and shows the outcome', async () => {
    const calls = stubApi()
    const wrapper = await mountView()
    await openPreview(wrapper)
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="confirm-done"]').exists()).toBe(true))

    expect(calls[1]).toEqual({ path: '/api/v1/confirmations', body: { id_number: ID_NUMBER, code: CODE, answer: 'confirm' } })
    expect(wrapper.get('[data-testid="confirm-done-title"]').text()).toBe('已确认，申报单进入协会审核')
    expect(wrapper.get('[data-testid="confirm-done-text"]').text()).toContain('SB202603010001')
    expect(wrapper.get('[data-testid="confirm-done-text"]').text()).toContain(PENDING.unit_name)
    expect(wrapper.get('[data-testid="confirm-done"] [data-testid="status-tag"]').text()).toBe('审核中')
    wrapper.unmount()
  })

  it('拒绝 asks in a dialog, then sends answer decline with the reason and shows that the application ended', async () => {
    const calls = stubApi()
    const wrapper = await mountView()
    await openPreview(wrapper)
    await openDeclineDialog(wrapper, '  本人未同意在该单位执业  ')
    expect(inDialog('confirm-decline-text')?.textContent).toContain('申报单立即结束')
    expect(inDialog('confirm-decline-text')?.textContent).toContain('申报单位将收到短信通知')
    expect(inDialog<HTMLTextAreaElement>('confirm-reason')!.getAttribute('maxlength')).toBe('500')
    // Opening the dialog answers nothing.
    expect(calls).toHaveLength(1)

    inDialog('confirm-decline-submit')!.click()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="confirm-done"]').exists()).toBe(true))
    expect(calls[1]).toEqual({
      path: '/api/v1/confirmations',
      body: { id_number: ID_NUMBER, code: CODE, answer: 'decline', reason: '本人未同意在该单位执业' },
    })
    expect(wrapper.get('[data-testid="confirm-done-title"]').text()).toBe('已拒绝，该申报单已结束，申报单位将收到短信通知')
    expect(wrapper.get('[data-testid="confirm-done"] [data-testid="status-tag"]').text()).toBe('执业人拒绝')
    wrapper.unmount()
  })

  it('拒绝 without a reason sends no reason', async () => {
    const calls = stubApi()
    const wrapper = await mountView()
    await openPreview(wrapper)
    await openDeclineDialog(wrapper, '')
    inDialog('confirm-decline-submit')!.click()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="confirm-done"]').exists()).toBe(true))
    expect(calls[1].body).toEqual({ id_number: ID_NUMBER, code: CODE, answer: 'decline' })
    wrapper.unmount()
  })

  it('a reason the server refuses is shown under the reason field, tied to the textarea', async () => {
    const stop = wireFieldErrors(document.body)
    stubApi(() => problem(422, 'validation_failed', [{ field: 'reason', code: 'reason_length', message: '拒绝原因应为 2–500 个字符' }]))
    const wrapper = await mountView()
    await openPreview(wrapper)
    await openDeclineDialog(wrapper, '不同意')
    inDialog('confirm-decline-submit')!.click()
    await vi.waitFor(() =>
      expect(inDialog('confirm-reason-item')?.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('拒绝原因应为 2–500 个字符'),
    )
    await vi.waitFor(() => {
      const textarea = inDialog<HTMLTextAreaElement>('confirm-reason')!
      const error = inDialog('confirm-reason-item')!.querySelector('.el-form-item__error')!
      expect(textarea.getAttribute('aria-invalid')).toBe('true')
      expect(textarea.getAttribute('aria-describedby')).toContain(error.id)
    })
    // Still in step 2, nothing answered.
    expect(wrapper.find('[data-testid="confirm-review"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="confirm-done"]').exists()).toBe(false)
    stop()
    wrapper.unmount()
  })

  it('a reason of one character is refused before sending', async () => {
    const calls = stubApi()
    const wrapper = await mountView()
    await openPreview(wrapper)
    await openDeclineDialog(wrapper, '否')
    inDialog('confirm-decline-submit')!.click()
    await vi.waitFor(() =>
      expect(inDialog('confirm-reason-item')?.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('拒绝原因应为 2–500 个字符'),
    )
    expect(calls).toHaveLength(1)
    wrapper.unmount()
  })

  it('返回修改 goes back to step 1 with the ID number and code kept', async () => {
    const calls = stubApi()
    const wrapper = await mountView()
    await openPreview(wrapper)
    await wrapper.get('[data-testid="confirm-back"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="confirm-review"]').exists()).toBe(false)
    expect(wrapper.get<HTMLInputElement>('[data-testid="confirm-id-number"]').element.value).toBe(ID_NUMBER.toLowerCase())
    expect(wrapper.get<HTMLInputElement>('[data-testid="confirm-code"]').element.value).toBe(CODE)
    // Back answers nothing.
    expect(calls).toHaveLength(1)
    wrapper.unmount()
  })

  it('a code that expired before the answer brings the person back to step 1 with the error under the code', async () => {
    stubApi(() => problem(422, 'validation_failed', [{ field: 'code', code: 'code_expired', message: '验证码已过期，请让申报单位重新发送' }]))
    const wrapper = await mountView()
    await openPreview(wrapper)
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click')
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="confirm-code-item"] .el-form-item__error').text()).toBe('确认码已过期，请让申报单位重新发送'),
    )
    expect(wrapper.find('[data-testid="confirm-review"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

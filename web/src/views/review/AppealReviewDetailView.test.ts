import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus/es'
import { createMemoryHistory, createRouter } from 'vue-router'
import { testI18n } from '@/test/i18n'
import AppealReviewDetailView from './AppealReviewDetailView.vue'

// F5 on the review side: the registered contact beside the appellant who replaces them, and
// what approving does.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })

const review = {
  appeal: {
    id: 'ap_1',
    state: 'submitted',
    uscc: '91350100M000100Y43',
    unit_name: '厦门市特种设备检验检测院',
    applicant_name: '王小明',
    applicant_id_number_masked: '350***********0031',
    applicant_mobile_masked: '139****9000',
    mobile_verified: true,
    contact_email: 'appeal@example.com',
    reason: '原授权联系人已离职，手机号无法接收验证码',
    submitted_at: '2026-11-26T02:00:00Z',
    due_date: '2026-12-01',
    overdue: false,
    decision: null,
  },
  documents: [],
  unit: { name: '厦门市特种设备检验检测院', name_matches: true, contact: '李四 138****8000', admin_usernames: ['xmtjy'] },
}

function serve(answer: (method: string, body: unknown) => Response): unknown[] {
  const posted: unknown[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const body = req.method === 'GET' ? null : await req.json()
      if (body) posted.push(body)
      return answer(req.method, body)
    }),
  )
  return posted
}

async function render() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/review/appeals/:id', component: AppealReviewDetailView, props: true }],
  })
  await router.push('/review/appeals/ap_1')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

async function approve(wrapper: Awaited<ReturnType<typeof render>>) {
  await wrapper.get('textarea[data-testid="appeal-reply-input"]').setValue('材料齐全，同意变更')
  await wrapper.get('[data-testid="appeal-decide"]').trigger('click')
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('AppealReviewDetailView', () => {
  it('shows who is replaced by whom, and approves for the one admin without asking', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const posted = serve((method) =>
      json(200, method === 'POST' ? { ...review, appeal: { ...review.appeal, state: 'approved' } } : review),
    )
    const wrapper = await render()
    expect(wrapper.get('[data-testid="appeal-unit-contact"]').text()).toBe('李四 138****8000')
    expect(wrapper.get('[data-testid="appeal-appellant-name"]').text()).toBe('王小明')
    expect(wrapper.get('[data-testid="appeal-appellant-id"]').text()).toBe('350***********0031')
    expect(wrapper.get('[data-testid="appeal-appellant-mobile"]').text()).toBe('139****9000')
    expect(wrapper.get('[data-testid="appeal-mobile-verified"]').text()).toBe('已验证')
    expect(wrapper.find('[data-testid="appeal-reset-for"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="appeal-approve-effect"]').text()).toContain(
      '授权联系人由“李四 138****8000”变更为申诉人“王小明”；帐号 xmtjy 的密码重置，临时密码以短信发送至申诉人手机 139****9000',
    )
    await approve(wrapper)
    expect(String(confirm.mock.calls[0][0])).toContain('授权联系人将变更为王小明')
    expect(posted[0]).toEqual({ outcome: 'approve', reason: '材料齐全，同意变更', reset_password_for: 'xmtjy' })
    wrapper.unmount()
  })

  it('makes the reviewer choose among several admins, and shows why an approval is refused', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const several = { ...review, appeal: { ...review.appeal, mobile_verified: false }, unit: { ...review.unit, admin_usernames: ['xmtjy', 'xmtjy2'] } }
    const posted = serve((method) =>
      method === 'POST'
        ? json(422, { status: 422, code: 'appellant_not_verified', title: '', detail: '申诉人手机未经验证，不能通过', errors: [] })
        : json(200, several),
    )
    const wrapper = await render()
    expect(wrapper.get('[data-testid="appeal-mobile-verified"]').text()).toBe('未验证')
    expect(wrapper.find('[data-testid="appeal-not-verified"]').exists()).toBe(true)
    await approve(wrapper)
    await vi.waitFor(() => expect(wrapper.get('.el-form-item.is-error').text()).toContain('该单位有多个管理员帐号，请选择要重置密码的帐号'))
    expect(posted).toHaveLength(0)
    // Chosen, the refusal's message shows on the form.
    await wrapper.get('[data-testid="appeal-reset-for"]').trigger('click')
    await flushPromises()
    ;(document.querySelectorAll('.el-select-dropdown__item')[1] as HTMLElement).click()
    await flushPromises()
    await wrapper.get('[data-testid="appeal-decide"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="appeal-decision-error"]').text()).toBe('申诉人手机未经验证，不能通过'))
    expect(posted[0]).toMatchObject({ outcome: 'approve', reset_password_for: 'xmtjy2' })
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus/es'
import NoticesView from './NoticesView.vue'
import type { NoticeView } from '@/api/types'
import { json, problem, serve, type Sent } from '@/test/review'
import { testI18n } from '@/test/i18n'

// 通知公告管理 (F6, #19): the association admin lists, publishes, edits and withdraws notices.

const notice = (over: Partial<NoticeView>): NoticeView => ({
  id: 'ntc_1',
  title: '关于年度换证的通知',
  body: '请按时换证。',
  blocks: [{ kind: 'paragraph', runs: [{ text: '请按时换证。' }] }],
  pinned: false,
  published_at: '2026-12-01T02:00:00Z',
  published_by: 'admin',
  updated_at: null,
  withdrawn_at: null,
  ...over,
})

const older = notice({ id: 'ntc_old', title: '旧的通知', withdrawn_at: '2026-12-02T02:00:00Z', published_at: '2026-11-01T02:00:00Z' })
const current = notice({ pinned: true })

async function render(answer: (req: Sent) => Response) {
  const sent = serve(answer)
  const wrapper = mount(NoticesView, { global: { plugins: [testI18n()] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, sent }
}

const inDialog = <E extends Element = HTMLElement>(selector: string) =>
  document.querySelector<E>(`[data-testid="notice-dialog"] ${selector}`)
function type(testid: string, value: string): void {
  const input = inDialog<HTMLInputElement>(`[data-testid="${testid}"]`)!
  input.value = value
  input.dispatchEvent(new Event('input'))
}
const click = async (el: Element | null) => {
  ;(el as HTMLElement).click()
  await flushPromises()
}
const rows = (wrapper: Awaited<ReturnType<typeof render>>['wrapper']) => wrapper.findAll('[data-testid="notices-table"] .el-table__body tr')
const fieldErrors = () =>
  [...document.querySelectorAll('[data-testid="notice-dialog"] .el-form-item__error')].map((e) => e.textContent?.trim())
const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent?.trim())

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('NoticesView (通知公告管理)', () => {
  it('lists the notices, newest first, with their pin, publisher and state; a withdrawn one offers nothing', async () => {
    const { wrapper, sent } = await render(() => json(200, { items: [current, older], next_cursor: null }))
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/api/v1/admin/notices', query: '?limit=20' })
    const [first, second] = rows(wrapper)
    expect(first.get('[data-testid="notice-row-title"]').text()).toBe('关于年度换证的通知')
    expect(first.get('[data-testid="notice-row-pinned"]').text()).toBe('置顶')
    expect(first.text()).toContain('2026-12-01 10:00')
    expect(first.text()).toContain('admin')
    expect(first.get('[data-testid="notice-row-state"]').text()).toBe('已发布')
    expect(first.find('[data-testid="notice-edit"]').exists()).toBe(true)
    expect(first.find('[data-testid="notice-withdraw"]').exists()).toBe(true)
    expect(second.get('[data-testid="notice-row-state"]').text()).toBe('已撤回')
    expect(second.text()).toContain('撤回于 2026-12-02 10:00')
    expect(second.find('[data-testid="notice-edit"]').exists()).toBe(false)
    expect(second.find('[data-testid="notice-withdraw"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="notices-load-more"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says there is none yet, and reads the next page with the cursor', async () => {
    const empty = await render(() => json(200, { items: [], next_cursor: null }))
    expect(empty.wrapper.get('[data-testid="notices-empty"]').text()).toContain('暂无通知公告')
    empty.wrapper.unmount()

    const { wrapper, sent } = await render((req) =>
      json(200, req.query.includes('cursor=') ? { items: [older], next_cursor: null } : { items: [current], next_cursor: 'c1' }),
    )
    await wrapper.get('[data-testid="notices-load-more"]').trigger('click')
    await flushPromises()
    expect(sent[1].query).toBe('?limit=20&cursor=c1')
    expect(rows(wrapper)).toHaveLength(2)
    wrapper.unmount()
  })

  it('publishes a notice: {title, body, pinned}, with the live preview, and lists it first', async () => {
    const created = notice({
      id: 'ntc_new',
      title: '元旦放假安排',
      body: '元旦**放假一天**，详见[通知](https://www.example.cn/a)。',
      pinned: true,
    })
    const { wrapper, sent } = await render((req) =>
      req.method === 'POST' ? json(201, created) : json(200, { items: [older], next_cursor: null }),
    )
    await wrapper.get('[data-testid="notices-publish"]').trigger('click')
    await flushPromises()
    expect(inDialog('[data-testid="notice-body-help"]')!.textContent).toContain('**文字** 为加粗')
    type('notice-title', ' 元旦放假安排 ')
    type('notice-body', '## 安排\n\n元旦**放假一天**，详见[通知](https://www.example.cn/a)。<script>x</script>\n\n- 1月1日休息')
    await click(inDialog('[data-testid="notice-pinned"]'))
    const preview = inDialog('[data-testid="notice-preview"]')!
    expect(preview.querySelector('h3')?.textContent).toBe('安排')
    expect(preview.querySelector('strong')?.textContent).toBe('放假一天')
    expect(preview.querySelector('a')?.getAttribute('href')).toBe('https://www.example.cn/a')
    expect(preview.querySelector('script')).toBeNull()
    expect(preview.textContent).toContain('<script>x</script>')
    expect(preview.querySelectorAll('li')).toHaveLength(1)

    await click(inDialog('[data-testid="notice-save"]'))
    expect(sent.find((r) => r.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/admin/notices',
      query: '',
      body: {
        title: '元旦放假安排',
        body: '## 安排\n\n元旦**放假一天**，详见[通知](https://www.example.cn/a)。<script>x</script>\n\n- 1月1日休息',
        pinned: true,
      },
    })
    expect(messages()).toContain('通知公告已发布')
    expect(rows(wrapper).map((r) => r.get('[data-testid="notice-row-title"]').text())).toEqual(['元旦放假安排', '旧的通知'])
    wrapper.unmount()
  })

  it('shows a 422 under its field and keeps the dialog open; an empty title is refused before sending', async () => {
    const { wrapper, sent } = await render((req) =>
      req.method === 'POST'
        ? json(422, {
            status: 422,
            code: 'validation',
            title: '',
            detail: '',
            errors: [{ field: 'body', code: 'body_length', message: '正文须为1至5000个字符' }],
          })
        : json(200, { items: [], next_cursor: null }),
    )
    await wrapper.get('[data-testid="notices-publish"]').trigger('click')
    await flushPromises()
    type('notice-body', '正文')
    await click(inDialog('[data-testid="notice-save"]'))
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['请填写标题']))
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0)

    type('notice-title', '标题')
    await click(inDialog('[data-testid="notice-save"]'))
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1)
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['正文须为1至5000个字符']))
    expect(inDialog('[data-testid="notice-title"]')).not.toBeNull()
    wrapper.unmount()
  })

  it('edits a notice with its source, and on 409 says why, closes and reads the list again', async () => {
    const { wrapper, sent } = await render((req) =>
      req.method === 'PUT' ? problem(409, 'notice_withdrawn', '该通知公告已撤回，不能再修改') : json(200, { items: [current], next_cursor: null }),
    )
    await rows(wrapper)[0].get('[data-testid="notice-edit"]').trigger('click')
    await flushPromises()
    expect(inDialog<HTMLInputElement>('[data-testid="notice-title"]')!.value).toBe('关于年度换证的通知')
    expect(inDialog<HTMLTextAreaElement>('[data-testid="notice-body"]')!.value).toBe('请按时换证。')
    await click(inDialog('[data-testid="notice-save"]'))
    expect(sent.find((r) => r.method === 'PUT')).toMatchObject({
      path: '/api/v1/admin/notices/ntc_1',
      body: { title: '关于年度换证的通知', body: '请按时换证。', pinned: true },
    })
    expect(messages()).toContain('该通知公告已撤回，不能再修改')
    expect(sent.filter((r) => r.method === 'GET')).toHaveLength(2)
    wrapper.unmount()
  })

  it('withdraws a notice after the confirmation and shows it withdrawn', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    let withdrawn = false
    const { wrapper, sent } = await render((req) => {
      if (req.method === 'DELETE') {
        withdrawn = true
        return new Response(null, { status: 204 })
      }
      return json(200, { items: [withdrawn ? { ...current, withdrawn_at: '2026-12-03T02:00:00Z' } : current], next_cursor: null })
    })
    await rows(wrapper)[0].get('[data-testid="notice-withdraw"]').trigger('click')
    await flushPromises()
    expect(confirm.mock.calls[0][0]).toContain('确认撤回通知公告“关于年度换证的通知”')
    expect(sent.find((r) => r.method === 'DELETE')).toMatchObject({ path: '/api/v1/admin/notices/ntc_1' })
    expect(messages()).toContain('通知公告已撤回')
    expect(rows(wrapper)[0].get('[data-testid="notice-row-state"]').text()).toBe('已撤回')
    expect(rows(wrapper)[0].find('[data-testid="notice-withdraw"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('withdraws nothing when the confirmation is cancelled', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockRejectedValue('cancel' as never)
    const { wrapper, sent } = await render(() => json(200, { items: [current], next_cursor: null }))
    await rows(wrapper)[0].get('[data-testid="notice-withdraw"]').trigger('click')
    await flushPromises()
    expect(sent.filter((r) => r.method === 'DELETE')).toHaveLength(0)
    wrapper.unmount()
  })
})

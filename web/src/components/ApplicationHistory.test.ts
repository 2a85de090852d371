import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ApplicationHistory from './ApplicationHistory.vue'
import { testI18n } from '@/test/i18n'

const render = (history: unknown[]) =>
  mount(ApplicationHistory, { props: { history: history as never }, global: { plugins: [testI18n()] } })

describe('ApplicationHistory (F23)', () => {
  it('names each step, who took it, the states before → after and the reason', () => {
    const wrapper = render([
      { action: 'application.created', actor: 'unitadmin', from: null, to: 'created', reason: null, at: '2026-03-01T02:00:00Z' },
      {
        action: 'application.expired',
        actor: 'system',
        from: 'created',
        to: 'expired',
        reason: '申报单创建后7天内未完成打印、上传和执业人确认，已自动结束',
        at: '2026-03-08T02:00:00Z',
      },
    ])
    const entries = wrapper.findAll('[data-testid="history-entry"]')
    expect(entries).toHaveLength(2)
    expect(entries[0].get('[data-testid="history-action"]').text()).toBe('创建申报单')
    expect(entries[0].text()).toContain('操作人：unitadmin')
    expect(entries[1].get('[data-testid="history-action"]').text()).toBe('逾期自动结束')
    expect(entries[1].text()).toContain('操作人：系统')
    expect(entries[1].findAll('[data-testid="status-tag"]').map((w) => w.text())).toEqual(['待上传申请表', '不通过（逾期）'])
    expect(entries[1].text()).toContain('说明：申报单创建后7天内未完成打印、上传和执业人确认，已自动结束')
  })

  it('words the steps of a cancellation as such: its stamped form sends no SMS', () => {
    const history = [
      { action: 'application.created', actor: 'unitadmin', from: null, to: 'created', reason: '注销公示证书 GS-1：离职', at: '2026-03-01T02:00:00Z' },
      { action: 'application.scan_uploaded', actor: 'unitadmin', from: 'created', to: 'under_review', reason: null, at: '2026-03-01T03:00:00Z' },
      { action: 'application.rejected', actor: 'reviewer', from: 'under_review', to: 'rejected', reason: '盖章不清', at: '2026-03-02T03:00:00Z' },
    ]
    const actions = mount(ApplicationHistory, { props: { history: history as never, kind: 'cancellation' }, global: { plugins: [testI18n()] } })
      .findAll('[data-testid="history-action"]')
      .map((w) => w.text())
    expect(actions).toEqual(['创建注销申请', '上传盖章的注销申请表，提交审核', '审核不通过'])
  })

  it('shows an action it has no words for as it came, and an empty history as such', () => {
    expect(render([{ action: 'application.reopened', actor: 'x', from: null, to: null, reason: null, at: '2026-03-01T02:00:00Z' }]).text()).toContain(
      'application.reopened',
    )
    expect(render([]).text()).toContain('暂无办理记录')
  })
})

import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { ElTag } from 'element-plus'
import StatusTag from './StatusTag.vue'
import { statusTagOf } from '@/utils/status'
import { testI18n } from '@/test/i18n'

describe('statusTagOf', () => {
  it.each([
    ['draft', 'state.draft', 'info'],
    ['submitted', 'state.submitted', 'warning'],
    ['approved', 'state.approved', 'success'],
    ['rejected', 'state.rejected', 'danger'],
    ['created', 'state.created', 'info'],
    ['awaiting_confirmation', 'state.awaiting_confirmation', 'warning'],
    ['under_review', 'state.under_review', 'warning'],
    ['returned', 'correction.state', 'warning'],
    ['expired', 'state.expired', 'danger'],
    ['withdrawn', 'state.withdrawn', 'info'],
    ['declined', 'state.declined', 'danger'],
    ['cancelled', 'state.cancelled', 'info'],
    ['moved', 'state.moved', 'info'],
    ['ended', 'state.ended', 'info'],
    ['lapsed', 'state.lapsed', 'warning'],
    ['something_new', 'state.unknown', 'info'],
  ])('%s → %s (%s)', (state, labelKey, type) => {
    expect(statusTagOf(state)).toMatchObject({ labelKey, type })
  })

  it('draws 退回补正 (#19) solid, to stand out among the light tags of applications that wait', () => {
    expect(statusTagOf('returned').effect).toBe('dark')
    expect(statusTagOf('under_review').effect).toBeUndefined()
  })
})

describe('StatusTag', () => {
  const render = (state: string) =>
    mount(StatusTag, { props: { state }, global: { plugins: [testI18n()], components: { ElTag } } })

  it('shows the Chinese label of each state', () => {
    expect(render('submitted').text()).toBe('待审核')
    expect(render('approved').text()).toBe('已通过')
    expect(render('rejected').text()).toBe('已驳回')
    expect(render('draft').text()).toBe('草稿')
  })

  it('names the states of a publicity application', () => {
    expect(render('created').text()).toBe('待上传申请表')
    expect(render('awaiting_confirmation').text()).toBe('待执业人确认')
    expect(render('under_review').text()).toBe('审核中')
    expect(render('expired').text()).toBe('不通过（逾期）')
    expect(render('withdrawn').text()).toBe('已撤回')
    expect(render('declined').text()).toBe('执业人拒绝')
    expect(render('returned').text()).toBe('退回补正')
    expect(render('returned').find('.el-tag').classes()).toEqual(expect.arrayContaining(['el-tag--warning', 'el-tag--dark']))
    expect(render('under_review').find('.el-tag').classes()).toContain('el-tag--light')
  })

  it('shows the server’s own label when given', () => {
    const wrapper = mount(StatusTag, {
      props: { state: 'rejected', label: '不通过' },
      global: { plugins: [testI18n()], components: { ElTag } },
    })
    expect(wrapper.text()).toBe('不通过')
    expect(wrapper.find('.el-tag').classes()).toContain('el-tag--danger')
  })

  it('colours a rejection as danger', () => {
    expect(render('rejected').find('.el-tag').classes()).toContain('el-tag--danger')
  })
})

describe('StatusTag in English', () => {
  it('translates a state the server labels in Chinese from its code', () => {
    const i18n = testI18n()
    i18n.global.locale.value = 'en'
    const tag = mount(StatusTag, {
      props: { state: 'awaiting_confirmation', label: '待执业人确认' },
      global: { plugins: [i18n], components: { ElTag } },
    })
    expect(tag.text()).not.toContain('待执业人确认')
    expect(tag.text()).toBe(i18n.global.t('state.awaiting_confirmation'))
    // A code the SPA does not know keeps the server's label.
    const declined = mount(StatusTag, { props: { state: 'declined', label: '执业人拒绝' }, global: { plugins: [i18n], components: { ElTag } } })
    expect(declined.text()).toBe('Declined by the practitioner')
    const unknown = mount(StatusTag, { props: { state: 'new_state', label: '新状态' }, global: { plugins: [i18n], components: { ElTag } } })
    expect(unknown.text()).toBe('新状态')
  })
})

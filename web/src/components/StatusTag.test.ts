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
    ['something_new', 'state.unknown', 'info'],
  ])('%s → %s (%s)', (state, labelKey, type) => {
    expect(statusTagOf(state)).toEqual({ labelKey, type })
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

  it('colours a rejection as danger', () => {
    expect(render('rejected').find('.el-tag').classes()).toContain('el-tag--danger')
  })
})

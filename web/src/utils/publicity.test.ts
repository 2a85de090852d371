import { describe, expect, it } from 'vitest'
import { t } from '@/test/i18n'
import zhCN from '@/locales/zh-CN'
import en from '@/locales/en'
import { statusTagOf } from './status'
import {
  APPLICATION_STATES,
  CORRECTION_REASONS,
  applicationProgress,
  applicationStateKey,
  isOpenApplication,
  applicationSteps,
  cancellationReason,
  cancellationReasonProblem,
  clausesVersionText,
  endedWithoutEffect,
  normaliseApplicationNumber,
  stayPeriod,
  daysSince,
  decisionOf,
  importContentType,
  itemText,
  kindTagOf,
  remainingText,
  remainingType,
} from './publicity'

const DAY = 86_400
const HOUR = 3_600

describe('remainingText (the deadline countdown)', () => {
  it.each([
    [7 * DAY, '剩余 7 天 0 小时'],
    [7 * DAY - 1, '剩余 6 天 23 小时'],
    [DAY, '剩余 1 天 0 小时'],
    [DAY - 1, '剩余 23 小时 59 分'],
    [HOUR + 30, '剩余 1 小时 0 分'],
    [HOUR - 1, '剩余 59 分'],
    [59, '剩余不足 1 分钟'],
    [0, '已超过办理期限'],
    [-5, '已超过办理期限'],
  ])('%i s → %s', (seconds, text) => {
    expect(remainingText(seconds, t)).toBe(text)
  })

  it('names the configured 办理期限 once it is over, as the server words it', () => {
    expect(remainingText(0, t, '7天')).toBe('已超过7天办理期限')
    expect(remainingText(-5, t, '5天')).toBe('已超过5天办理期限')
    // While time is left the configured period changes nothing.
    expect(remainingText(DAY, t, '5天')).toBe('剩余 1 天 0 小时')
  })

  it('turns red in the last day and orange in the last three', () => {
    expect(remainingType(6 * DAY)).toBe('primary')
    expect(remainingType(2 * DAY)).toBe('warning')
    expect(remainingType(DAY - 1)).toBe('danger')
  })
})

describe('applicationProgress (人员检索 → 提交 → 打印并上传申请表 → 查看结果, as the wizard)', () => {
  it('has the four steps of the apply wizard', () => {
    expect(applicationSteps('initial').map((s) => t(s.labelKey))).toEqual(['人员检索', '提交', '打印并上传申请表', '查看结果'])
    expect(applicationSteps('renewal')).toEqual(applicationSteps('initial'))
  })

  it.each([
    ['created', false, 2, 'process'],
    ['awaiting_confirmation', true, 2, 'process'],
    ['under_review', true, 3, 'process'],
    ['approved', true, 4, 'finish'],
    ['rejected', true, 3, 'error'],
    ['expired', false, 2, 'error'],
    ['expired', true, 2, 'error'],
    ['withdrawn', false, 2, 'error'],
    ['declined', true, 2, 'error'],
    // 退回补正 (#19): back at 打印并上传申请表, to upload the corrected scan.
    ['returned', true, 2, 'process'],
  ] as const)('%s (scan %s) → step %i, %s', (state, scan, active, status) => {
    expect(applicationProgress(state, scan)).toEqual({ active, status })
  })
})

describe('a cancellation (提交注销申请 → 打印注销申请表 → 上传盖章申请表 → 审核)', () => {
  it('has four steps of its own, without search and practitioner confirmation', () => {
    expect(applicationSteps('cancellation').map((s) => t(s.labelKey))).toEqual(['提交注销申请', '打印注销申请表', '上传盖章申请表', '审核'])
  })

  it.each([
    ['created', false, 1, 'process'],
    ['under_review', true, 3, 'process'],
    ['approved', true, 4, 'finish'],
    ['rejected', true, 3, 'error'],
    ['expired', false, 1, 'error'],
    ['withdrawn', false, 1, 'error'],
    ['returned', true, 2, 'process'],
  ] as const)('%s (scan %s) → step %i, %s', (state, scan, active, status) => {
    expect(applicationProgress(state, scan, 'cancellation')).toEqual({ active, status })
  })
})

describe('注销原因', () => {
  it('writes a common reason in Chinese, with the note after it', () => {
    expect(cancellationReason('resigned', '')).toBe('离职')
    expect(cancellationReason('retired', '  2026年3月退休 ')).toBe('退休：2026年3月退休')
    expect(cancellationReason('transferred', '')).toBe('调离检验岗位')
    expect(cancellationReason('other', ' 单位撤销检验业务 ')).toBe('单位撤销检验业务')
  })

  it('asks for a choice, for the words of 其他, and for 2 to 200 characters', () => {
    expect(cancellationReasonProblem(null, '')).toBe('publicity.cancel.chooseReason')
    expect(cancellationReasonProblem('other', '   ')).toBe('publicity.cancel.otherRequired')
    expect(cancellationReasonProblem('other', '走')).toBe('publicity.cancel.reasonLength')
    expect(cancellationReasonProblem('resigned', '')).toBeNull()
    expect(cancellationReasonProblem('other', '单'.repeat(200))).toBeNull()
    expect(cancellationReasonProblem('other', '单'.repeat(201))).toBe('publicity.cancel.reasonLength')
    // The common reason and its separator count too.
    expect(cancellationReasonProblem('resigned', '单'.repeat(198))).toBe('publicity.cancel.reasonLength')
  })
})

/** The message at a dotted key, or undefined. */
const messageAt = (messages: object, key: string): unknown =>
  key.split('.').reduce<unknown>((m, k) => (m && typeof m === 'object' ? (m as Record<string, unknown>)[k] : undefined), messages)

describe('application states', () => {
  it('lists 执业人拒绝 (declined, F14) among the states, with Chinese and English labels for each', () => {
    expect(APPLICATION_STATES).toContain('declined')
    for (const messages of [zhCN, en]) {
      for (const state of APPLICATION_STATES) {
        expect(messageAt(messages, applicationStateKey(state)), state).toBeTruthy()
        expect(messageAt(messages, statusTagOf(state).labelKey), state).toBeTruthy()
      }
    }
    expect(zhCN.publicity.states.declined).toBe('执业人拒绝')
    expect(zhCN.publicity.history.actions.application_declined).toBe('执业人拒绝确认')
    expect(en.publicity.states.declined).toBe('Declined by the practitioner')
  })

  it('names 退回补正 (returned, #19) after 审核中, holding the person, with its reasons in the dialog’s order', () => {
    expect(APPLICATION_STATES.indexOf('returned')).toBe(APPLICATION_STATES.indexOf('under_review') + 1)
    expect(t(applicationStateKey('returned'))).toBe('退回补正')
    expect(t(statusTagOf('returned').labelKey)).toBe('退回补正')
    expect(t(applicationStateKey('under_review'))).toBe('审核中')
    expect(isOpenApplication('returned')).toBe(true)
    expect(endedWithoutEffect('returned')).toBe(false)
    expect(CORRECTION_REASONS.map((r) => t(`correction.reasons.${r}`))).toEqual(['扫描件不清晰', '缺少签字或盖章', '人员不符', '信息不一致', '其他'])
  })
})

describe('public verification and lookup', () => {
  it('reads a typed or scanned number without spaces, in upper case', () => {
    expect(normaliseApplicationNumber(' sb20261126-7k3q 9x2m ')).toBe('SB20261126-7K3Q9X2M')
    expect(normaliseApplicationNumber('   ')).toBe('')
  })

  it('says when a genuine application ended without effect', () => {
    expect(['rejected', 'expired', 'withdrawn', 'declined'].every(endedWithoutEffect)).toBe(true)
    expect(['created', 'awaiting_confirmation', 'under_review', 'approved'].some(endedWithoutEffect)).toBe(false)
  })

  it('writes the period of a stay at a unit, open or ended', () => {
    expect(stayPeriod({ from: '2024-01-15', until: '2026-03-01' }, t)).toBe('2024-01-15 至 2026-03-01')
    expect(stayPeriod({ from: '2024-01-15', until: null }, t)).toBe('2024-01-15 起')
  })
})

describe('kindTagOf', () => {
  it.each([
    ['initial', '初始', 'primary'],
    ['change', '变更', 'warning'],
    ['renewal', '续期', 'success'],
    ['append', '追加', 'info'],
    ['cancellation', '注销', 'danger'],
  ])('%s → %s', (kind, label, type) => {
    const tag = kindTagOf(kind)
    expect(t(tag.labelKey)).toBe(label)
    expect(tag.type).toBe(type)
  })

  it('shows an unknown type as 未知', () => {
    expect(t(kindTagOf('other').labelKey)).toBe('未知')
  })
})

describe('itemText', () => {
  it('names the item with its code and level when known', () => {
    expect(itemText({ name: '电梯检验员', code: 'DT-1', level: '检验员' })).toBe('电梯检验员（DT-1，检验员）')
    expect(itemText({ name: '电梯检验员', code: null, level: null })).toBe('电梯检验员')
  })
})

describe('practitioner import', () => {
  it('sends JSON as JSON and everything else as CSV', () => {
    expect(importContentType('[{"id_number":"1"}]')).toBe('application/json')
    expect(importContentType('\uFEFF  [ ]')).toBe('application/json')
    expect(importContentType('id_number,name\n')).toBe('text/csv')
    expect(importContentType('anything', 'people.JSON')).toBe('application/json')
    expect(importContentType('[', 'people.csv')).toBe('text/csv')
  })
})

describe('daysSince', () => {
  it('counts whole days waited, never negative', () => {
    const now = Date.parse('2026-03-05T12:00:00Z')
    expect(daysSince('2026-03-01T13:00:00Z', now)).toBe(3)
    expect(daysSince('2026-03-06T00:00:00Z', now)).toBe(0)
    expect(daysSince('not a date', now)).toBe(0)
  })
})

describe('decisionOf', () => {
  it('words the decision of an application as DecisionCard shows it, and none before one', () => {
    const decided = { approved: false, decided_at: '2026-03-05T12:00:00Z', decided_by: 'reviewer', reason: '扫描件不清晰' }
    expect(decisionOf({ decision: decided })).toEqual({
      outcome: 'rejected',
      decided_at: '2026-03-05T12:00:00Z',
      decided_by: 'reviewer',
      reason: '扫描件不清晰',
    })
    expect(decisionOf({ decision: { ...decided, approved: true, reason: null } })?.outcome).toBe('approved')
    expect(decisionOf({ decision: null })).toBeNull()
  })
})

describe('clausesVersionText', () => {
  const format = (at: string) => at.slice(0, 10)
  it('names the version and when it was published', () => {
    expect(clausesVersionText({ version: 2, published_at: '2026-03-01T02:00:00Z' }, t, format)).toBe('第 2 版，2026-03-01 发布')
  })
  it('calls the built-in first version so, without a date of 1970', () => {
    expect(clausesVersionText({ version: 1, published_at: '1970-01-01T00:00:00Z' }, t, format)).toBe('第 1 版（系统内置）')
  })
})

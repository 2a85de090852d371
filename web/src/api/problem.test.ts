import { describe, expect, it } from 'vitest'
import { ApiError, mapFieldErrors, problemMessage, toProblem } from './problem'
import { t } from '@/test/i18n'

const problem = (over: Partial<ReturnType<typeof toProblem>> = {}) => ({ ...toProblem({}, 422), ...over })

describe('mapFieldErrors', () => {
  const form = ['username', 'uscc', 'postcode', 'mobile'] as const

  it('puts a field error under the form item with the same key', () => {
    const mapped = mapFieldErrors(
      [{ field: 'uscc', code: 'uscc_charset', message: '统一社会信用代码含有不允许的字符“I”' }],
      form,
    )
    expect(mapped.fields).toEqual({ uscc: '统一社会信用代码含有不允许的字符“I”' })
    expect(mapped.unmatched).toEqual([])
  })

  it('matches nested fields by their last segment and joins several messages', () => {
    const mapped = mapFieldErrors(
      [
        { field: 'contact.mobile', code: 'mobile_format', message: '手机号码格式不正确' },
        { field: 'postcode', code: 'a', message: '邮政编码应为6位数字' },
        { field: 'postcode', code: 'b', message: '第二条' },
      ],
      form,
    )
    expect(mapped.fields.mobile).toBe('手机号码格式不正确')
    expect(mapped.fields.postcode).toBe('邮政编码应为6位数字；第二条')
  })

  it('returns errors no form item shows as unmatched', () => {
    const mapped = mapFieldErrors([{ field: 'licence', code: 'step_incomplete', message: '请上传营业执照' }], form)
    expect(mapped.fields).toEqual({})
    expect(mapped.unmatched.map((e) => e.field)).toEqual(['licence'])
  })
})

describe('problemMessage', () => {
  it('shows the detail of a conflict', () => {
    const err = new ApiError(problem({ status: 409, code: 'username_taken', detail: '用户名已被使用' }), 409)
    expect(problemMessage(err, t)).toBe('用户名已被使用')
  })

  it('uses Retry-After for a 429 without detail', () => {
    const err = new ApiError(problem({ status: 429, code: 'rate_limited' }), 429, 42)
    expect(problemMessage(err, t)).toBe('操作过于频繁，请 42 秒后再试')
  })

  it('prefers the server detail for a 429', () => {
    const err = new ApiError(problem({ status: 429, detail: '请 30 秒后再试' }), 429, 30)
    expect(problemMessage(err, t)).toBe('请 30 秒后再试')
  })

  it('reports anything that is not an API error as a network problem', () => {
    expect(problemMessage(new TypeError('Failed to fetch'), t)).toBe('网络异常，请稍后重试')
  })
})

describe('toProblem', () => {
  it('fills a stand-in for a non-JSON body', () => {
    const p = toProblem('Bad Gateway', 502)
    expect(p.status).toBe(502)
    expect(p.errors).toEqual([])
    expect(p.detail).toBe('Bad Gateway')
  })
})

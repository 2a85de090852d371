// Client-side mirrors of the server's field rules, so obvious mistakes show before a
// round trip. The server stays authoritative: its 422 field errors are shown the same way.
import type { FormItemRule } from 'element-plus'

type T = (key: string, values?: Record<string, unknown>) => string

export const USERNAME_RE = /^[A-Za-z][A-Za-z0-9_]{3,31}$/
export const POSTCODE_RE = /^\d{6}$/
export const MOBILE_RE = /^(?:\+?86)?1[3-9]\d{9}$/
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const SMS_CODE_RE = /^\d{6}$/

export function isPassword(value: string): boolean {
  return value.length >= 8 && value.length <= 64 && /[A-Za-z]/.test(value) && /\d/.test(value)
}

function pattern(test: (v: string) => boolean, message: string): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value: string, callback) => {
      if (!value || test(String(value).trim())) callback()
      else callback(new Error(message))
    },
  }
}

export function required(t: T, fieldKey: string, kind: 'input' | 'select' | 'upload' = 'input'): FormItemRule {
  const key = kind === 'select' ? 'rules.requiredSelect' : kind === 'upload' ? 'rules.requiredUpload' : 'rules.required'
  return { required: true, message: t(key, { field: t(fieldKey) }), trigger: kind === 'input' ? 'blur' : 'change' }
}

/** The repeated password of a form: it must equal `password()`. */
export function samePassword(t: T, password: () => string): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value: string, callback) =>
      value === password() ? callback() : callback(new Error(t('rules.confirmPassword'))),
  }
}

export const rules = {
  username: (t: T) => pattern((v) => USERNAME_RE.test(v), t('rules.username')),
  password: (t: T) => pattern(isPassword, t('rules.password')),
  uscc: (t: T) => pattern((v) => v.length === 18, t('rules.uscc')),
  postcode: (t: T) => pattern((v) => POSTCODE_RE.test(v), t('rules.postcode')),
  mobile: (t: T) => pattern((v) => MOBILE_RE.test(v.replace(/[\s-]/g, '')), t('rules.mobile')),
  idNumber: (t: T) => pattern((v) => v.length === 18, t('rules.idNumber')),
  name: (t: T) => pattern((v) => v.length >= 2 && v.length <= 50, t('rules.name')),
  email: (t: T) => pattern((v) => EMAIL_RE.test(v), t('rules.email')),
  smsCode: (t: T) => pattern((v) => SMS_CODE_RE.test(v), t('rules.smsCode')),
}

/** How long a reason is, as the server counts it: characters (not UTF-16 units) once trimmed. */
export function reasonLength(value: string | null | undefined): number {
  return [...String(value ?? '').trim()].length
}

export interface ReasonRule {
  min: number
  max: number
  /** An empty reason may be sent. */
  optional?: boolean
  /** Said when the length is not within `min`–`max`. */
  lengthMessage: string
  /** Said when a required reason is left empty; `lengthMessage` when not given. */
  emptyMessage?: string
}

/**
 * The rule of a free-text reason (驳回原因, 答复意见, 申诉原因, 变更原因, 拒绝原因): its length
 * within `min`–`max` characters, empty only when `optional`. Checked on blur and on submit; the
 * `required` flag marks the form item.
 */
export function reasonRule(rule: ReasonRule): FormItemRule {
  return {
    required: !rule.optional,
    trigger: 'blur',
    validator: (_rule, value: string, callback) => {
      const n = reasonLength(value)
      if (n === 0 && rule.optional) return callback()
      if (!value && rule.emptyMessage) return callback(new Error(rule.emptyMessage))
      return n >= rule.min && n <= rule.max ? callback() : callback(new Error(rule.lengthMessage))
    },
  }
}

// A real i18n instance with the app's Chinese messages, for component tests.
import { createI18n } from 'vue-i18n'
import zhCN from '@/locales/zh-CN'
import en from '@/locales/en'

export function testI18n() {
  return createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })
}

/** A `t` that renders the Chinese messages, for plain-function tests. */
export const t = testI18n().global.t as (key: string, values?: Record<string, unknown>) => string

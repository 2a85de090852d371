import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'
const STORAGE_KEY = 'gongshi.locale'

function savedLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null
  return saved === 'en' ? 'en' : 'zh-CN'
}

// Chinese is built in; the English messages are loaded only when chosen, so the first screen
// does not download and evaluate a language most users never see.
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  // English is added by setLocale; until then its keys fall back to Chinese.
  messages: { 'zh-CN': zhCN } as Record<Locale, typeof zhCN>,
})

async function ensureMessages(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    const { default: en } = await import('./en')
    i18n.global.setLocaleMessage('en', en)
  }
}

export async function setLocale(locale: Locale): Promise<void> {
  await ensureMessages(locale)
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}

/** The language chosen before (English loads its messages first). */
export async function restoreLocale(): Promise<void> {
  const locale = savedLocale()
  if (locale !== 'zh-CN') await setLocale(locale)
}

// Display formatting shared by the views.

const pad = (n: number) => String(n).padStart(2, '0')

/** China Standard Time, UTC+8 all year (no daylight saving since 1991): the time of the forms and the SMS. */
const CHINA_OFFSET_MS = 8 * 3_600_000

/**
 * RFC 3339 timestamp → "YYYY-MM-DD HH:mm" in China time (Asia/Shanghai), whatever the
 * browser's time zone, so the page agrees with the printed form and the SMS; '' for none.
 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return value
  const d = new Date(ms + CHINA_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/**
 * RFC 3339 timestamp → "HH:mm" in China time, like formatDateTime but the time only: for what
 * lapses within the hour (a review claim, 认领); '' for none.
 */
export function formatTime(value: string | null | undefined): string {
  const full = formatDateTime(value)
  return full.length === 16 ? full.slice(11) : full
}

const WEEKDAYS: Record<string, readonly string[]> = {
  'zh-CN': ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
}

/** A calendar date "YYYY-MM-DD" with its weekday: "2027-10-01（周五）", or "2027-10-01 (Fri)" in English. */
export function formatDateWithWeekday(date: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return date
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()
  const name = (WEEKDAYS[locale] ?? WEEKDAYS['zh-CN'])[day]
  return locale === 'en' ? `${date} (${name})` : `${date}（${name}）`
}

/** Bytes → "12.3 KB" style. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

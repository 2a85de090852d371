import { inject, onBeforeUnmount, onMounted, watch } from 'vue'
import { matchedRouteKey, onBeforeRouteLeave } from 'vue-router'

export const UNSAVED_PREFIX = 'gongshi.unsaved.'

/** The fields kept of a form: all but the excluded ones, and never a password. */
function keptFields(form: object, exclude: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(JSON.parse(JSON.stringify(form)) as Record<string, unknown>).filter(
      ([k]) => !exclude.includes(k) && !/password/i.test(k),
    ),
  )
}

function read(key: string): Record<string, unknown> | null {
  try {
    const raw = localStorage.getItem(UNSAVED_PREFIX + key)
    const value = raw ? (JSON.parse(raw) as unknown) : null
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/**
 * Typing on a wizard step is not lost by a reload or by leaving before 保存并下一步: the fields
 * typed (never passwords) are kept in localStorage under `key` until `saved()`, and put back
 * when the step opens again. While there are unsaved changes the browser asks before the page
 * is closed or reloaded (beforeunload), and `confirmLeave` is asked before the router leaves.
 */
export function useUnsavedDraft<T extends object>(
  key: string,
  form: T,
  options: { exclude?: readonly string[]; confirmLeave?: () => Promise<boolean> } = {},
) {
  const exclude = options.exclude ?? []
  /** The form as last saved (or as it came from the server). */
  let baseline = JSON.stringify(form)
  const kept = read(key)
  if (kept) Object.assign(form, Object.fromEntries(Object.entries(kept).filter(([k]) => k in form)))
  /** Whether fields typed before a reload were put back. */
  const restored = kept !== null

  const unsaved = () => JSON.stringify(form) !== baseline

  watch(
    () => JSON.stringify(form),
    () => {
      const now = keptFields(form, exclude)
      if (JSON.stringify(now) === JSON.stringify(keptFields(JSON.parse(baseline) as object, exclude))) {
        localStorage.removeItem(UNSAVED_PREFIX + key)
      } else {
        localStorage.setItem(UNSAVED_PREFIX + key, JSON.stringify(now))
      }
    },
  )

  /** The step was saved: forget what was kept; leaving no longer asks. */
  function saved(): void {
    baseline = JSON.stringify(form)
    localStorage.removeItem(UNSAVED_PREFIX + key)
  }

  function onBeforeUnload(event: BeforeUnloadEvent): void {
    if (!unsaved()) return
    event.preventDefault()
    // Older browsers show the prompt only with a return value.
    event.returnValue = ''
  }
  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload))
  const confirmLeave = options.confirmLeave
  if (confirmLeave && inject(matchedRouteKey, null)) {
    onBeforeRouteLeave(async () => (unsaved() ? confirmLeave() : true))
  }

  return { restored, saved, unsaved }
}

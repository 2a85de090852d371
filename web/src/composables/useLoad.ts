import { onMounted, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError, problemMessage } from '@/api/problem'

export interface LoadOptions {
  /** Loads when the component is mounted (the default); with false, only when `load()` is called. */
  immediate?: boolean
  /**
   * A failure the view shows in its own way (a 403 that says who may use the page, a 404 that
   * means "none yet"): return true when handled, and no message is set.
   */
  handle?: (err: unknown) => boolean
}

/** A `handle` for a page some roles may open but not use: a 403 sets `flag`, and no message. */
export const forbiddenInto = (flag: Ref<boolean>) => (err: unknown) => (flag.value = err instanceof ApiError && err.status === 403)

export interface Load<T> {
  /** What the last successful load returned (kept when a later one fails). */
  data: Ref<T>
  loading: Ref<boolean>
  /** The failure of the last load as a message to show; empty when it succeeded. */
  error: Ref<string>
  /** Loads (again): on mount, to retry, or after a conflict. */
  load: () => Promise<void>
}

/**
 * The load of a view: a loading flag, the failure as a message and a way to load again, around
 * one API call (usually from `@/api/calls`). When loads overlap, the last one started wins.
 */
export function useLoad<T>(call: () => Promise<T>, options: LoadOptions & { initial: T }): Load<T>
export function useLoad<T>(call: () => Promise<T>, options?: LoadOptions): Load<T | null>
export function useLoad<T>(call: () => Promise<T>, options: LoadOptions & { initial?: T } = {}): Load<T | null> {
  const { t } = useI18n()
  const immediate = options.immediate ?? true
  const data = ref(options.initial ?? null) as Ref<T | null>
  const loading = ref(immediate)
  const error = ref('')
  let latest = 0

  async function load(): Promise<void> {
    const run = ++latest
    loading.value = true
    error.value = ''
    try {
      const value = await call()
      if (run === latest) data.value = value
    } catch (err) {
      if (run === latest && !options.handle?.(err)) error.value = problemMessage(err, t)
    } finally {
      if (run === latest) loading.value = false
    }
  }

  if (immediate) onMounted(load)
  return { data, loading, error, load }
}

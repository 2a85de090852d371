import { ref, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import { problemMessage } from '@/api/problem'

/** Rows asked for per page. */
export const QUEUE_PAGE_SIZE = 20

/** What every review queue endpoint answers. */
export interface QueuePage<T> {
  items: T[]
  next_cursor?: string | null
}

export interface QueueOptions<P> {
  /** Called with each page as it arrives (`reset`: it is the first page of a state). */
  onPage?: (page: P, reset: boolean) => void
  /** Called when the state changes, before the first page of the new state is asked for. */
  onReset?: () => void
}

/**
 * A reviewer's queue (registrations, change requests, appeals): one tab per state, kept in the
 * URL as `?state=`, and cursor pagination ("加载更多"). `fetchPage` asks the API for one page.
 */
export function useReviewQueue<S extends string, T, P extends QueuePage<T>>(
  states: readonly S[],
  fetchPage: (state: S, cursor: string | null, limit: number) => Promise<P>,
  options: QueueOptions<P> = {},
) {
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const state = ref(states.find((s) => s === route.query.state) ?? states[0]) as Ref<S>
  const items = ref([]) as Ref<T[]>
  const cursor = ref<string | null>(null)
  const loading = ref(false)
  const error = ref('')

  async function load(reset: boolean): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      const page = await fetchPage(state.value, reset ? null : cursor.value, QUEUE_PAGE_SIZE)
      items.value = reset ? page.items : [...items.value, ...page.items]
      cursor.value = page.next_cursor ?? null
      options.onPage?.(page, reset)
    } catch (err) {
      error.value = problemMessage(err, t)
      // A first page that failed (e.g. a filter the server refused) leaves no rows of the
      // previous filter on screen; a failed "load more" keeps what was there.
      if (reset) {
        items.value = []
        cursor.value = null
      }
    } finally {
      loading.value = false
    }
  }

  watch(
    state,
    (s) => {
      void router.replace({ query: { state: s } })
      items.value = []
      cursor.value = null
      options.onReset?.()
      void load(true)
    },
    { immediate: true },
  )

  return { state, items, cursor, loading, error, load }
}

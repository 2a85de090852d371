import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { testI18n } from '@/test/i18n'
import { useReviewQueue, type QueuePage } from './useReviewQueue'

type State = 'submitted' | 'approved'

async function harness(fetchPage: (state: State, cursor: string | null, limit: number) => Promise<QueuePage<number>>, start = '/queue') {
  let queue!: ReturnType<typeof useReviewQueue<State, number, QueuePage<number>>>
  const Probe = defineComponent({
    setup() {
      queue = useReviewQueue<State, number, QueuePage<number>>(['submitted', 'approved'], fetchPage)
      return () => h('div')
    },
  })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/queue', component: Probe }] })
  await router.push(start)
  mount({ template: '<router-view />' }, { global: { plugins: [testI18n(), router] } })
  await flushPromises()
  return { queue, router }
}

describe('useReviewQueue', () => {
  it('loads the first page, then the next page after the cursor', async () => {
    const fetchPage = vi.fn(async (_state: State, cursor: string | null) =>
      cursor ? { items: [3], next_cursor: null } : { items: [1, 2], next_cursor: 'c1' },
    )
    const { queue } = await harness(fetchPage)
    expect(fetchPage).toHaveBeenLastCalledWith('submitted', null, 20)
    expect(queue.items.value).toEqual([1, 2])
    await queue.load(false)
    expect(fetchPage).toHaveBeenLastCalledWith('submitted', 'c1', 20)
    expect(queue.items.value).toEqual([1, 2, 3])
    expect(queue.cursor.value).toBeNull()
  })

  it('starts over when the state changes, and keeps the state in the URL', async () => {
    const fetchPage = vi.fn(async (state: State) => ({ items: state === 'approved' ? [9] : [1], next_cursor: 'more' }))
    const { queue, router } = await harness(fetchPage)
    queue.state.value = 'approved'
    await flushPromises()
    expect(fetchPage).toHaveBeenLastCalledWith('approved', null, 20)
    expect(queue.items.value).toEqual([9])
    expect(router.currentRoute.value.query.state).toBe('approved')
  })

  it('opens on the state named in the URL and shows a failure as a message', async () => {
    const fetchPage = vi.fn(async () => {
      throw new Error('network down')
    })
    const { queue } = await harness(fetchPage, '/queue?state=approved')
    expect(fetchPage).toHaveBeenLastCalledWith('approved', null, 20)
    expect(queue.error.value).not.toBe('')
    expect(queue.loading.value).toBe(false)
  })

  it('shows no rows of the previous filter when a first page fails, but keeps them when more fail', async () => {
    let fail = false
    const fetchPage = vi.fn(async (_state: State, cursor: string | null) => {
      if (fail) throw new Error('refused')
      return cursor ? { items: [3], next_cursor: null } : { items: [1, 2], next_cursor: 'c1' }
    })
    const { queue } = await harness(fetchPage)
    fail = true
    await queue.load(false)
    expect(queue.items.value).toEqual([1, 2])
    expect(queue.cursor.value).toBe('c1')
    await queue.load(true)
    expect(queue.items.value).toEqual([])
    expect(queue.cursor.value).toBeNull()
    expect(queue.error.value).not.toBe('')
  })
})

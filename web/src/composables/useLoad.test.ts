import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { ApiError, toProblem } from '@/api/problem'
import { testI18n } from '@/test/i18n'
import { forbiddenInto, useLoad, type Load, type LoadOptions } from './useLoad'

async function harness<T>(fetch: () => Promise<T>, options?: LoadOptions & { initial?: T }) {
  let loaded!: Load<T | null>
  const Probe = defineComponent({
    setup() {
      loaded = useLoad(fetch, options)
      return () => h('div')
    },
  })
  const wrapper = mount(Probe, { global: { plugins: [testI18n()] } })
  await flushPromises()
  return { loaded, wrapper }
}

const problem = (status: number, detail = '') => new ApiError(toProblem({ detail }, status), status)

describe('useLoad', () => {
  it('loads on mount, keeping the result and clearing the loading flag', async () => {
    const fetch = vi.fn(async () => ({ name: '厦门检测' }))
    const { loaded } = await harness(fetch)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(loaded.data.value).toEqual({ name: '厦门检测' })
    expect(loaded.loading.value).toBe(false)
    expect(loaded.error.value).toBe('')
  })

  it('is loading from the start, before the first answer', async () => {
    let answer!: (value: number) => void
    const { loaded } = await harness(() => new Promise<number>((resolve) => (answer = resolve)))
    expect(loaded.loading.value).toBe(true)
    answer(7)
    await flushPromises()
    expect(loaded.loading.value).toBe(false)
    expect(loaded.data.value).toBe(7)
  })

  it('shows a failure as a message, keeps the last data and loads again on retry', async () => {
    let fail = false
    const fetch = vi.fn(async () => {
      if (fail) throw problem(500, '服务暂不可用')
      return [1, 2]
    })
    const { loaded } = await harness(fetch)
    fail = true
    await loaded.load()
    expect(loaded.error.value).toBe('服务暂不可用')
    expect(loaded.data.value).toEqual([1, 2])
    expect(loaded.loading.value).toBe(false)
    fail = false
    await loaded.load()
    expect(loaded.error.value).toBe('')
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('leaves a failure the view handles without a message', async () => {
    const handle = vi.fn((err: unknown) => err instanceof ApiError && err.status === 403)
    const { loaded } = await harness(async () => {
      throw problem(403)
    }, { handle })
    expect(handle).toHaveBeenCalledTimes(1)
    expect(loaded.error.value).toBe('')
    expect(loaded.loading.value).toBe(false)
  })

  it('flags a 403 for pages some roles may open but not use', async () => {
    const forbidden = ref(false)
    const { loaded } = await harness(async () => {
      throw problem(403)
    }, { handle: forbiddenInto(forbidden) })
    expect(forbidden.value).toBe(true)
    expect(loaded.error.value).toBe('')
    expect(forbiddenInto(forbidden)(problem(500))).toBe(false)
    expect(forbidden.value).toBe(false)
  })

  it('waits for load() when not immediate, starting with the initial value', async () => {
    const fetch = vi.fn(async () => ['a'])
    const { loaded } = await harness(fetch, { immediate: false, initial: [] })
    expect(fetch).not.toHaveBeenCalled()
    expect(loaded.loading.value).toBe(false)
    expect(loaded.data.value).toEqual([])
    await loaded.load()
    expect(loaded.data.value).toEqual(['a'])
  })

  it('lets the last of overlapping loads win', async () => {
    const answers: ((value: string) => void)[] = []
    const { loaded } = await harness(() => new Promise<string>((resolve) => answers.push(resolve)), { immediate: false })
    const first = loaded.load()
    const second = loaded.load()
    answers[1]('new')
    await second
    expect(loaded.loading.value).toBe(false)
    answers[0]('old')
    await first
    expect(loaded.data.value).toBe('new')
  })
})

import { computed, getCurrentScope, onScopeDispose, ref } from 'vue'

/**
 * A seconds countdown, e.g. until a code may be asked for again, or the 7 days of a
 * publicity application. Counts against a deadline, so a throttled background tab still
 * ends on time. `tickMs`: how often `remaining` is brought up to date.
 */
export function useCountdown(tickMs = 250) {
  const remaining = ref(0)
  let deadline = 0
  let timer: ReturnType<typeof setInterval> | null = null

  function stop(): void {
    if (timer !== null) clearInterval(timer)
    timer = null
    remaining.value = 0
  }

  function tick(): void {
    const left = Math.ceil((deadline - Date.now()) / 1000)
    if (left <= 0) stop()
    else remaining.value = left
  }

  /** (Re)starts at `seconds`; a later deadline never shortens a running one. */
  function start(seconds: number): void {
    const next = Date.now() + Math.max(0, Math.ceil(seconds)) * 1000
    if (timer !== null && next <= deadline) return
    deadline = next
    if (timer === null) timer = setInterval(tick, tickMs)
    tick()
  }

  /** Starts over at `seconds`, shorter or not: the server said how much is left. */
  function reset(seconds: number): void {
    stop()
    start(seconds)
  }

  if (getCurrentScope()) onScopeDispose(stop)

  return { remaining, running: computed(() => remaining.value > 0), start, reset, stop }
}

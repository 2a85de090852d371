import { ref } from 'vue'

export const LARGE_TEXT_KEY = 'gongshi.largeText'

function saved(): boolean {
  try {
    return localStorage.getItem(LARGE_TEXT_KEY) === '1'
  } catch {
    return false
  }
}

const on = ref(saved())

function apply(value: boolean): void {
  document.documentElement.classList.toggle('large-text', value)
}


/**
 * 适老化 (larger text, in the spirit of GB/T 37668): html.large-text scales the root font size
 * to 125 % with Element Plus's font and control sizes (theme.css). Kept in localStorage.
 */
export function useLargeText() {
  apply(on.value)
  return {
    largeText: on,
    toggle: () => {
      on.value = !on.value
      apply(on.value)
      localStorage.setItem(LARGE_TEXT_KEY, on.value ? '1' : '0')
    },
  }
}

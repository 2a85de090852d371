import { readonly, ref } from 'vue'

const key = ref(0)

/** The key of the page shown (App.vue's router-view): a new key mounts the page afresh. */
export const pageKey = readonly(key)

/**
 * Loads the page shown again, as a click on its own menu item should (a menu item of the page
 * one is on is otherwise a no-op, and the page keeps showing what it loaded before).
 */
export function reloadPage(): void {
  key.value += 1
}

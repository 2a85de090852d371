// Accessibility glue for Element Plus: field errors tied to their inputs, and focus on the
// main heading after a navigation.

const ERROR_ID = 'gs-field-error-'
/** What takes aria-invalid in a form item (radios take it on their group). */
const INVALID_TARGETS = 'input:not([type=hidden]):not([type=radio]):not([type=file]), textarea, [role="radiogroup"]'

let seq = 0

function setDescribedBy(el: HTMLElement, id: string | null): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && !x.startsWith(ERROR_ID))
  if (id) ids.push(id)
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '))
  else el.removeAttribute('aria-describedby')
}

/** Marks the controls of one form item invalid and described by its error, or clears both. */
function syncItem(item: HTMLElement): void {
  const own = (el: HTMLElement) => el.closest('.el-form-item') === item
  const error = [...item.querySelectorAll<HTMLElement>('.el-form-item__error')].find(own) ?? null
  const targets = [...item.querySelectorAll<HTMLElement>(INVALID_TARGETS)].filter(own)
  // An upload has only its button to describe.
  const described = targets.length ? targets : [...item.querySelectorAll<HTMLElement>('button')].filter(own).slice(0, 1)
  if (error) {
    if (!error.id) error.id = `${ERROR_ID}${++seq}`
    for (const el of targets) el.setAttribute('aria-invalid', 'true')
    for (const el of described) setDescribedBy(el, error.id)
  } else {
    for (const el of targets) if (el.getAttribute('aria-invalid') === 'true') el.removeAttribute('aria-invalid')
    for (const el of described) setDescribedBy(el, null)
  }
}

/**
 * Ties every Element Plus field error (the role=alert text under a form item) to the item's
 * inputs: aria-invalid="true" and aria-describedby naming the error, so a screen reader says
 * why a field is wrong when it gets focus; both go when the error does. Watches `root`
 * (document.body covers dialogs too); returns the function that stops watching.
 */
export function wireFieldErrors(root: HTMLElement): () => void {
  let queued = false
  const sync = () => {
    queued = false
    root.querySelectorAll<HTMLElement>('.el-form-item').forEach(syncItem)
  }
  const observer = new MutationObserver(() => {
    if (queued) return
    queued = true
    queueMicrotask(sync)
  })
  observer.observe(root, { subtree: true, childList: true, characterData: true })
  sync()
  return () => observer.disconnect()
}

/**
 * After a navigation to another page, moves focus to its main heading (the h1 in `main`)
 * once it is shown, so a screen reader announces the page and Tab goes on from there. Leaves
 * the focus alone when the user already put it into the page. Resolves whether it moved.
 */
export function focusMainHeading(timeoutMs = 3000): Promise<boolean> {
  const started = Date.now()
  // What had the focus when the navigation ended (e.g. the login button of the page left).
  const before = document.activeElement
  return new Promise((resolve) => {
    const attempt = () => {
      const main = document.querySelector('main')
      const active = document.activeElement
      const moved = active && active !== document.body && active !== before && active.isConnected
      if (main && moved && main.contains(active)) return resolve(false)
      const heading = main?.querySelector<HTMLElement>('h1')
      if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
        heading.focus()
        return resolve(document.activeElement === heading)
      }
      if (Date.now() - started > timeoutMs) return resolve(false)
      setTimeout(attempt, 50)
    }
    // The new page renders after the navigation ends.
    setTimeout(attempt, 0)
  })
}

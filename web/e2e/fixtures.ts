// The `test` every spec uses: Playwright's, with guards that fail a test on what the browser
// reports but no assertion looks at. Today one: a Content Security Policy violation (#17 bug 1,
// the reviewer's 系统生成的申请表 framed as a blob: URL under `frame-src 'self'` showed "This
// content is blocked", while every assertion on the page passed).
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test'

export { expect }
export type { Page }

/** What Chromium logs (to the page's console) for each CSP violation. */
export const CSP_VIOLATION = 'violates the following Content Security Policy directive'

export const test = base.extend<{ cspViolations: string[] }>({
  /**
   * The CSP violations logged by any page of the test's context (popups and new tabs too), in
   * order; the test fails at its end when there is one. A spec may also read it to fail at the
   * step that caused it.
   */
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = []
      const watch = (page: Page) =>
        page.on('console', (message: ConsoleMessage) => {
          const text = message.text()
          if (text.includes(CSP_VIOLATION)) violations.push(`${page.url()}: ${text}`)
        })
      context.pages().forEach(watch)
      context.on('page', watch)
      await use(violations)
      expect(violations, 'the browser logged Content Security Policy violations').toEqual([])
    },
    { auto: true },
  ],
})

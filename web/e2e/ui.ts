// Browser steps shared by the specs: screenshots, logging in and out.
import { expect, type Page } from '@playwright/test'
import path from 'node:path'
import { SCREENSHOT_DIR } from './env'

/** Full-page screenshot into test-results/screenshots/, or nothing when name is null. */
export async function shot(page: Page, name: string | null): Promise<void> {
  if (name) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' })
}

export async function login(page: Page, username: string, password: string, userType: 'unit' | 'association'): Promise<void> {
  await page.goto('/login')
  await page.getByTestId(`login-user-type-${userType}`).click()
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('logout').click()
  await expect(page).toHaveURL(/\/login$/)
}

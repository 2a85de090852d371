// Settings shared by the Playwright config, the global setup and the tests.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PORT = Number(process.env.GONGSHI_E2E_PORT ?? 18080)
export const BASE_URL = `http://127.0.0.1:${PORT}`
/** The password the gateway gives its seeded association accounts (admin, reviewer). */
export const SEED_PASSWORD = 'Review3r-e2e'
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const DIST_DIR = path.join(WEB_DIR, 'dist')
export const RESULTS_DIR = path.join(WEB_DIR, 'test-results')
export const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots')
/** Whether the gateway runs on the AWS adapters against an emulator (moto) instead of embedded storage. */
export const AWS_MODE = process.env.GONGSHI_E2E_AWS === '1'
/** The emulator's endpoint in AWS mode. */
export const AWS_ENDPOINT = process.env.AWS_ENDPOINT_URL ?? ''

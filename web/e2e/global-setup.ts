// Starts the local gateway (the Rust binary named by GONGSHI_LOCAL_BIN) on a fresh data
// directory, serving the built SPA from web/dist, and stops it when the run ends.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { AWS_MODE, BASE_URL, DIST_DIR, PORT, RESULTS_DIR, SEED_PASSWORD } from './env'

const READY_TIMEOUT_MS = 30_000

async function waitUntilReady(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let last = ''
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gongshi-local exited early with code ${child.exitCode}; see test-results/gateway.log`)
    try {
      const res = await fetch(`${BASE_URL}/api/v1/health/ready`)
      if (res.status === 200) return
      last = `HTTP ${res.status}`
    } catch (err) {
      last = String(err)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`gongshi-local did not answer GET /api/v1/health/ready with 200 within 30 s (last: ${last})`)
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = process.env.GONGSHI_LOCAL_BIN
  if (!bin) {
    throw new Error(
      'GONGSHI_LOCAL_BIN is not set: point it at the gongshi-local gateway binary, e.g. ' +
        'GONGSHI_LOCAL_BIN=/work/cargo-target/debug/gongshi-local npm run e2e',
    )
  }
  if (!existsSync(bin)) throw new Error(`GONGSHI_LOCAL_BIN=${bin} does not exist`)
  if (!existsSync(path.join(DIST_DIR, 'index.html'))) {
    throw new Error(`${DIST_DIR}/index.html is missing: run "npm run build" before the e2e tests`)
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-'))
  mkdirSync(RESULTS_DIR, { recursive: true })
  const log = createWriteStream(path.join(RESULTS_DIR, 'gateway.log'))
  // GONGSHI_E2E_AWS=1: the gateway uses the AWS adapters against the emulator named by
  // AWS_ENDPOINT_URL (scripts/test starts and provisions moto for that run).
  const mode = AWS_MODE ? ['--aws'] : []
  const child = spawn(bin, ['--listen', `127.0.0.1:${PORT}`, '--data-dir', dataDir, '--web-dist', DIST_DIR, ...mode], {
    // Every spec registers from 127.0.0.1: the day's drafts per address (20) would stop
    // the suite half-way (docs/SECURITY.md, finding 2; tests/api covers the limit itself).
    env: { GONGSHI_DRAFTS_PER_ADDRESS_PER_DAY: '1000000', ...process.env, GONGSHI_SEED_PASSWORD: SEED_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)

  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    log.end()
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    await waitUntilReady(child)
  } catch (err) {
    await stop()
    throw err
  }
  return stop
}

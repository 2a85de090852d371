// 名册核验 (bulk verification of a roster, F19 / #18 item 5), public: POST /api/v1/public/verifications.
// Kept beside calls.ts (same client, same unwrap) while that file is being reworked by the imports;
// it may move there as is.
import { api, unwrap } from './client'
import type { components } from './schema'

type S = components['schemas']

export type RosterResult = S['RosterResult']
export type RosterRow = S['RosterRow']
export type RosterPublicity = S['RosterPublicity']

/** A roster's limits (the server refuses more: 413 over 2 MB, 422 `too_many_rows` over 5,000 rows). */
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024
export const ROSTER_MAX_ROWS = 5_000
/** Files verified per address and day, the Excel download included. */
export const ROSTER_FILES_PER_DAY = 20

/** The roster as sent: its bytes exactly as on disk, and the workbook's sheet (none: the first). */
export interface RosterFile {
  bytes: Blob
  sheet?: string
}

/**
 * The bytes go as they are (`application/octet-stream`), never decoded here: the server
 * recognises .xlsx or CSV and the CSV's encoding (UTF-8, GBK, GB18030, …) itself. The schema
 * types a binary body as a string; the serializer hands the Blob to fetch untouched.
 */
function rosterBody(file: RosterFile, format?: 'xlsx') {
  const sheet = file.sheet?.trim()
  return {
    body: file.bytes as unknown as string,
    bodySerializer: (body: unknown) => body,
    headers: { 'Content-Type': 'application/octet-stream' },
    params: { query: { ...(format ? { format } : {}), ...(sheet ? { sheet } : {}) } },
  }
}

/** POST /api/v1/public/verifications: each row's publicity (found, not found, invalid), with the counts. */
export const verifyRoster = (file: RosterFile) =>
  unwrap(api.POST('/api/v1/public/verifications', rosterBody(file))) as Promise<RosterResult>

/** POST /api/v1/public/verifications?format=xlsx: the same as a workbook (名册核验结果.xlsx), not-in-force rows marked. */
export const verifyRosterWorkbook = (file: RosterFile) =>
  unwrap(api.POST('/api/v1/public/verifications', { ...rosterBody(file, 'xlsx'), parseAs: 'blob' })) as Promise<Blob>

// Downloads in component tests (#18): what saveBlob offered, by name with its blob, answers of
// .xlsx bytes, and a session whose bearer token the one API client adds to every call.
import { vi } from 'vitest'
import { configureAuth } from '@/api/client'
import type { Session } from '@/api/types'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A workbook's first bytes (a zip: `PK\x03\x04`), and the answer carrying them. */
export const WORKBOOK = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]
export const xlsxResponse = (bytes: number[] = WORKBOOK) =>
  new Response(new Uint8Array(bytes), {
    status: 200,
    headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': 'attachment; filename="export.xlsx"' },
  })

/** The downloads saveBlob offers from now on, by name, with their blobs (nothing is saved). */
export function watchDownloads() {
  const saved: { name: string; blob: Blob }[] = []
  const blobs: Blob[] = []
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    blobs.push(blob as Blob)
    return `blob:${blobs.length}`
  })
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs[Number(this.href.split(':').pop()) - 1] })
  })
  return saved
}

/** A blob's bytes, to compare with what the server sent. */
export const bytesOf = async (blob: Blob) => [...new Uint8Array(await blob.arrayBuffer())]

/** Logs in (as far as the API client knows) with the access token `token`; `signOut` undoes it. */
export function signIn(token = 'access-export'): void {
  const session = { access_token: token, refresh_token: `r-${token}`, expires_in: 900 } as Session
  configureAuth({ session: () => session, refreshed: () => {}, expired: () => {} })
}

export function signOut(): void {
  configureAuth({ session: () => null, refreshed: () => {}, expired: () => {} })
}

/** The Element Plus messages shown (ElMessage), by their text. */
export const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent?.trim() ?? '')

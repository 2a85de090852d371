// F5: an appeal is public; whoever holds its id and token may continue it. Both are kept
// in localStorage so the page survives a reload and the appellant can follow the result.
// The proofs uploaded for a draft are kept too: the draft itself holds them only once submitted.
import type { UploadRef } from '@/api/types'

const STORAGE_KEY = 'gongshi.appeal'

export interface StoredAppeal {
  id: string
  token: string
  licence?: UploadRef | null
  authorisation?: UploadRef | null
  /** Where the SMS code went (masked), as the API answered. */
  codeSentTo?: string | null
  /** When another code may be asked for (epoch milliseconds). */
  resendAt?: number | null
}

const isUploadRef = (v: unknown): v is UploadRef =>
  typeof v === 'object' && v !== null && typeof (v as UploadRef).upload_id === 'string'

export function loadStoredAppeal(storage: Storage = localStorage): StoredAppeal | null {
  try {
    const raw = storage.getItem(STORAGE_KEY)
    if (!raw) return null
    const value = JSON.parse(raw) as Partial<StoredAppeal>
    if (typeof value.id !== 'string' || typeof value.token !== 'string') return null
    return {
      id: value.id,
      token: value.token,
      licence: isUploadRef(value.licence) ? value.licence : null,
      authorisation: isUploadRef(value.authorisation) ? value.authorisation : null,
      codeSentTo: typeof value.codeSentTo === 'string' ? value.codeSentTo : null,
      resendAt: typeof value.resendAt === 'number' ? value.resendAt : null,
    }
  } catch {
    return null
  }
}

export function storeAppeal(appeal: StoredAppeal | null, storage: Storage = localStorage): void {
  if (appeal) storage.setItem(STORAGE_KEY, JSON.stringify(appeal))
  else storage.removeItem(STORAGE_KEY)
}

/** Which step of the appeal page an appeal in this state belongs to: 1 uploads, 2 result. */
export function appealStep(state: string): 1 | 2 {
  return state === 'draft' ? 1 : 2
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/** An 18-character 居民身份证号码: 17 digits and the GB 11643 check character (0–9 or X). */
export function isIdNumber(value: string): boolean {
  const v = value.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(v)) return false
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(v[i]), 0)
  return '10X98765432'[sum % 11] === v[17]
}

// Presigned upload flow: ask the API for an upload slot, PUT the bytes straight to the
// returned URL (XMLHttpRequest, for progress events), then ask the API to verify them.
import { completeAppealUpload, completeUpload, presignAppealUpload, presignUpload } from './calls'
import { ApiError, toProblem } from './problem'
import type { PresignedUpload, Upload, UploadContentType, UploadPurpose, UploadRef, UploadRequest } from './types'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
export const ACCEPTED_TYPES: readonly UploadContentType[] = ['image/jpeg', 'image/png', 'application/pdf']

/** The browser refuses to let scripts set these; the URL's signature does not need them. */
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection'])

/** Content type by the browser's guess, else by extension; null when not accepted. */
export function contentTypeOf(file: File): UploadContentType | null {
  if ((ACCEPTED_TYPES as readonly string[]).includes(file.type)) return file.type as UploadContentType
  const ext = file.name.toLowerCase().split('.').pop()
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg'
  if (ext === 'png') return 'image/png'
  if (ext === 'pdf') return 'application/pdf'
  return null
}

/** Client-side check before anything is sent; returns a message key or null. */
export function precheck(file: File): 'upload.errors.type' | 'upload.errors.tooLarge' | 'upload.errors.empty' | null {
  if (contentTypeOf(file) === null) return 'upload.errors.type'
  if (file.size === 0) return 'upload.errors.empty'
  if (file.size > MAX_UPLOAD_BYTES) return 'upload.errors.tooLarge'
  return null
}

/** PUTs the file to a presigned URL with exactly its headers, reporting progress 0–100. */
export function putToPresignedUrl(
  slot: Pick<PresignedUpload, 'url' | 'method' | 'headers'>,
  file: Blob,
  onProgress: (percent: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(slot.method || 'PUT', slot.url)
    for (const [name, value] of Object.entries(slot.headers ?? {})) {
      if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) xhr.setRequestHeader(name, value)
    }
    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.round((event.loaded / event.total) * 100))
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        resolve()
        return
      }
      let body: unknown = xhr.responseText
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // not JSON: keep the text
      }
      reject(new ApiError(toProblem(body, xhr.status), xhr.status))
    }
    xhr.onerror = () => reject(new ApiError(toProblem('', 0), 0))
    xhr.send(file)
  })
}

/**
 * Where an upload slot is asked for and its completion reported: the logged-in user's
 * uploads (the default) or an appeal's, which carry the appeal's token instead (F5).
 */
export interface UploadChannel {
  presign(body: UploadRequest): Promise<PresignedUpload>
  complete(uploadId: string): Promise<Upload>
}

/** POST /api/v1/uploads and …/{id}/complete, with the session's bearer token. */
export const sessionUploads: UploadChannel = { presign: presignUpload, complete: completeUpload }

/** POST /api/v1/appeals/{id}/uploads and …/{upload_id}/complete, with `X-Appeal-Token`. */
export function appealUploads(appealId: string, token: string): UploadChannel {
  return {
    presign: (body) => presignAppealUpload(appealId, token, body),
    complete: (uploadId) => completeAppealUpload(appealId, token, uploadId),
  }
}

/** The whole flow for one file; resolves to the verified upload's reference. */
export async function uploadFile(
  file: File,
  purpose: UploadPurpose,
  onProgress: (percent: number) => void = () => {},
  channel: UploadChannel = sessionUploads,
): Promise<UploadRef> {
  const contentType = contentTypeOf(file)
  if (contentType === null) throw new Error('unsupported content type')
  const slot = await channel.presign({ purpose, file_name: file.name, content_type: contentType, size: file.size })
  onProgress(0)
  await putToPresignedUrl(slot, file, onProgress)
  const done = await channel.complete(slot.upload_id)
  return { upload_id: done.upload_id, file_name: done.file_name, content_type: done.content_type, size: done.size }
}

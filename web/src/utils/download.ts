// Saving a file the browser already holds (a generated template, an export fetched with
// the session's token) under a given name.

/** Offers `blob` as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Revoked a moment later, once the download has started.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

// The files the association's imports take (#18): Excel workbooks and CSV as the staff have
// them (Excel on Chinese Windows saves CSV in GBK), sent as their bytes: the server detects the
// format and the encoding. The browser never decodes them (`file.text()` reads UTF-8 only and
// would turn every Chinese name of a GBK file into U+FFFD).
import type { ImportFile } from '@/api/calls'

/** Workbooks: the server reads their first sheet, or the one named. */
export const WORKBOOK_EXTENSIONS = ['.xlsx', '.xls'] as const

/** What the file inputs offer: the extensions, and the media types browsers give those files. */
export const SPREADSHEET_ACCEPT = [
  '.xlsx',
  '.xls',
  '.csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
  'text/csv',
].join(',')

/** The registry import also takes a JSON array. */
export const REGISTRY_ACCEPT = `${SPREADSHEET_ACCEPT},.json,application/json`

const lower = (name: string) => name.trim().toLowerCase()

/** Whether the file is a workbook (a sheet may be named), by its name. */
export function isWorkbook(name: string): boolean {
  return WORKBOOK_EXTENSIONS.some((ext) => lower(name).endsWith(ext))
}

/** Whether the file is JSON (the registry import reads it as JSON, not as a spreadsheet). */
export function isJsonFile(file: { name: string; type?: string }): boolean {
  return lower(file.name).endsWith('.json') || file.type === 'application/json'
}

/**
 * The file as the import sends it: its bytes read once, exactly as on disk (so the error report
 * is of the very bytes imported even if the file changes on disk afterwards), the content type
 * (JSON as JSON, every other file as bytes for the server to recognise) and the sheet, for a
 * workbook only.
 */
export async function readImportFile(file: File, sheet = ''): Promise<ImportFile> {
  const json = isJsonFile(file)
  const contentType = json ? 'application/json' : 'application/octet-stream'
  const bytes = await file.arrayBuffer()
  const name = isWorkbook(file.name) ? sheet.trim() : ''
  return { bytes, contentType, ...(name ? { sheet: name } : {}) }
}

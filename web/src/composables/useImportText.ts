import { useI18n } from 'vue-i18n'
import { ApiError, problemMessage } from '@/api/problem'
import { useServerText } from './useServerText'

/**
 * What the imports (F2, F22) tell the clerk about a file, in the page's language by the server's
 * stable codes (the rule of useServerText): in Chinese the server's words; in another language
 * the SPA's words for the codes it knows (fileImport.codes, fileImport.sources), the server's for
 * the others (their words name the column and the value).
 */
export function useImportText() {
  const { t } = useI18n()
  const serverText = useServerText()

  /** A refused row's reason (cell_number_lost_digits, cell_error, example_row, …). */
  const reason = (error: { code: string; message: string }): string => serverText(`fileImport.codes.${error.code}`, error.message)

  /** What the file was read as: 已按 CSV（GBK/GB18030 编码）读取. */
  const readAs = (report: { source: string; source_label: string }): string =>
    t('fileImport.readAs', { label: serverText(`fileImport.sources.${report.source}`, report.source_label) })

  /**
   * Why a call failed: a file refused as a whole (422 naming `file` or `body`: file_encoding,
   * sheet_not_found, columns_missing, …) by its reason, anything else as the problem says.
   */
  const refusal = (err: unknown): string => {
    if (err instanceof ApiError && err.status === 422) {
      const file = err.problem.errors.filter((e) => e.field === 'file' || e.field === 'body')
      if (file.length > 0) return file.map(reason).join('；')
    }
    return problemMessage(err, t)
  }

  return { reason, readAs, refusal }
}

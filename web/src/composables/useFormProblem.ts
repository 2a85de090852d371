import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError, mapFieldErrors, problemMessage } from '@/api/problem'

/**
 * Server errors for one form: 422 field errors go under the form item with the same
 * key (bind `:error="errors.field"`), anything else becomes `message` (shown as an alert).
 */
export function useFormProblem<K extends string>(fields: readonly K[]) {
  const { t } = useI18n()
  const errors = reactive<Record<string, string>>(Object.fromEntries(fields.map((f) => [f, '']))) as Record<K, string>
  const message = ref('')

  function clear(): void {
    for (const f of fields) errors[f] = ''
    message.value = ''
  }

  /** Shows an error from an API call. */
  function show(err: unknown): void {
    clear()
    if (err instanceof ApiError && err.problem.errors.length > 0) {
      const mapped = mapFieldErrors(err.problem.errors, fields)
      for (const [k, v] of Object.entries(mapped.fields)) errors[k as K] = v
      if (mapped.unmatched.length > 0) {
        message.value = mapped.unmatched.map((e) => e.message).join('；')
      } else if (Object.keys(mapped.fields).length === 0) {
        message.value = problemMessage(err, t)
      }
      return
    }
    message.value = problemMessage(err, t)
  }

  return { errors, message, clear, show }
}

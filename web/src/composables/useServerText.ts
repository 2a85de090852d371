import { useI18n } from 'vue-i18n'

/**
 * A text the server words in Chinese next to a stable code (a document's `label` beside its
 * `purpose`, a changed field's `label` beside its `field`, …), in the page's language — the rule
 * KindTag and StatusTag follow for `kind_label` and `state_label`: in Chinese the server's own
 * words (the zh-CN message of the code says the same and only stands in when the server sent
 * none); in another language the SPA's words for the code, looked up under `key`; the server's
 * text for a code the SPA does not know.
 */
export function useServerText() {
  const { t, te, locale } = useI18n()
  return (key: string, text?: string | null): string => {
    if (locale.value === 'zh-CN' && text) return text
    return te(key) ? t(key) : (text ?? '')
  }
}

/** A document (DocumentLink) named by its purpose: 营业执照 / Business licence, …; its label for a purpose the SPA does not know. */
export function useDocumentLabel() {
  const serverText = useServerText()
  return (document: { purpose: string; label: string }): string => serverText(`document.purposes.${document.purpose}`, document.label)
}

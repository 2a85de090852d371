export type TagType = 'info' | 'warning' | 'success' | 'danger'

// Registration and change request states, the states a unit account can be in, those of a
// publicity application (执业公示申报单, §3.3) and of a publicity certificate (F19).
const TAGS: Record<string, TagType> = {
  draft: 'info',
  submitted: 'warning',
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  active: 'success',
  suspended: 'danger',
  disabled: 'danger',
  created: 'info',
  awaiting_confirmation: 'warning',
  under_review: 'warning',
  // 退回补正 (#19): waiting on the unit again, within the correction period (drawn solid, see EFFECTS).
  returned: 'warning',
  expired: 'danger',
  withdrawn: 'info',
  // The practitioner refused to confirm (F14): the application ended at once.
  declined: 'danger',
  cancelled: 'info',
  moved: 'info',
  // A certificate left behind when the person moved to another unit (the public lookup, F19).
  ended: 'info',
  lapsed: 'warning',
}

/** States whose tag is drawn solid, to stand out among the light ones of their colour. */
const EFFECTS: Record<string, 'dark'> = {
  // Returned for correction: the unit has to act, among applications that merely wait.
  returned: 'dark',
}

/** States whose label is not under `state` (退回补正 has its words in `correction`, #19). */
const LABEL_KEYS: Record<string, string> = {
  returned: 'correction.state',
}

/** Label key and colour (and, where it must stand out, the solid effect) of a state, as the status tag shows it. */
export function statusTagOf(state: string): { labelKey: string; type: TagType; effect?: 'dark' } {
  const type = TAGS[state]
  if (!type) return { labelKey: 'state.unknown', type: 'info' }
  const tag = { labelKey: LABEL_KEYS[state] ?? `state.${state}`, type }
  return EFFECTS[state] ? { ...tag, effect: EFFECTS[state] } : tag
}

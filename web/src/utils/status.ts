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

/** Label key and colour of a state, as the status tag shows it. */
export function statusTagOf(state: string): { labelKey: string; type: TagType } {
  const type = TAGS[state]
  return type ? { labelKey: `state.${state}`, type } : { labelKey: 'state.unknown', type: 'info' }
}

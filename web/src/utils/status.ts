export type TagType = 'info' | 'warning' | 'success' | 'danger'

// Registration and change request states, plus the states a unit account can be in.
const TAGS: Record<string, TagType> = {
  draft: 'info',
  submitted: 'warning',
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  active: 'success',
  suspended: 'danger',
  disabled: 'danger',
}

/** Label key and colour of a state, as the status tag shows it. */
export function statusTagOf(state: string): { labelKey: string; type: TagType } {
  const type = TAGS[state]
  return type ? { labelKey: `state.${state}`, type } : { labelKey: 'state.unknown', type: 'info' }
}

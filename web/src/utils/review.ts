// The four review queues (F5 appeals, F8 change requests, F21 registrations and publicity
// applications): what differs between them beyond their columns and detail bodies.
import type { ReviewQueue } from '@/api/calls'
import type { ApiError } from '@/api/problem'
import type { AppealQueueState, ApplicationQueueState, ChangeRequestState, ReviewQueueState } from '@/api/types'

export interface ReviewQueueConfig<S extends string = string> {
  /** The tabs, the first one opened by default. */
  states: readonly S[]
  /** The messages' namespace: `listTitle`, `tabs.<state>`, `empty`, `back`. */
  messages: 'review' | 'changeReview' | 'appealReview' | 'publicityReview'
  /** The prefix of the queue page's test ids: `-tabs`, `-table`, `-empty`, `-load-more`. */
  testid: string
  /** Rows of the detail's skeleton while it loads. */
  skeletonRows: number
  /** Which failed decision means the item moved on meanwhile: then it is loaded again. */
  reloadsOn: (err: ApiError) => boolean
  /** Message keys of tabs named outside `messages` (退回补正 is in `correction`, #19). */
  tabKeys?: Readonly<Record<string, string>>
}

const anyConflict = (err: ApiError) => err.status === 409
/** Other conflicts (a USCC taken, …) are the reviewer's to read, in the decision's dialog. */
const stateConflict = (err: ApiError) => err.status === 409 && err.code === 'state_conflict'

export const REVIEW_QUEUES = {
  registrations: {
    states: ['submitted', 'approved', 'rejected'] as readonly ReviewQueueState[],
    messages: 'review',
    testid: 'review',
    skeletonRows: 10,
    reloadsOn: anyConflict,
  },
  'change-requests': {
    states: ['pending', 'approved', 'rejected'] as readonly ChangeRequestState[],
    messages: 'changeReview',
    testid: 'change-review',
    skeletonRows: 8,
    reloadsOn: stateConflict,
  },
  appeals: {
    states: ['submitted', 'approved', 'rejected'] as readonly AppealQueueState[],
    messages: 'appealReview',
    testid: 'appeal-review',
    skeletonRows: 8,
    reloadsOn: stateConflict,
  },
  applications: {
    // 退回补正 (#19): returned to the unit, waiting for its corrected scan.
    states: ['under_review', 'returned', 'approved', 'rejected'] as readonly ApplicationQueueState[],
    messages: 'publicityReview',
    testid: 'application-review',
    skeletonRows: 10,
    reloadsOn: anyConflict,
    tabKeys: { returned: 'correction.tab' },
  },
} as const satisfies Record<ReviewQueue, ReviewQueueConfig>

/** The states (tabs) of a queue. */
export type QueueState<Q extends ReviewQueue> = (typeof REVIEW_QUEUES)[Q]['states'][number]

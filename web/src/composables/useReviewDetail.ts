import { reactive } from 'vue'
import { useI18n } from 'vue-i18n'
import { decideReview, getReview, type Review, type ReviewDecisionInput, type ReviewQueue } from '@/api/calls'
import { ApiError, problemMessage } from '@/api/problem'
import { REVIEW_QUEUES } from '@/utils/review'
import { useLoad } from './useLoad'

/** One item of a review queue as its detail page holds it (reactive: read `detail.review`, not `.value`). */
export interface ReviewDetail<Q extends ReviewQueue> {
  readonly queue: Q
  readonly review: Review<Q> | null
  readonly loading: boolean
  readonly error: string
  load(): Promise<void>
  /**
   * Sends the decision and shows the item as decided. When the item moved on meanwhile (a
   * conflict the queue reloads on) it says so and shows the item as it is now; any other
   * failure is thrown back, for the decision's form to show.
   */
  decide(body: ReviewDecisionInput<Q>): Promise<void>
  /**
   * Sends another step than the decision (an application's 退回补正, #19) and shows the item as
   * the server answered, saying `done`; a failure is handled as the decision's.
   */
  act(send: () => Promise<Review<Q>>, done: string): Promise<void>
}

/** Loads one item of a review queue (F5, F8, F21) on mount and decides it. */
export function useReviewDetail<Q extends ReviewQueue>(queue: Q, id: () => string): ReviewDetail<Q> {
  const { t } = useI18n()
  const { data: review, loading, error, load } = useLoad(() => getReview(queue, id()))

  async function act(send: () => Promise<Review<Q>>, done: string): Promise<void> {
    try {
      review.value = await send()
      ElMessage.success(done)
    } catch (err) {
      if (!(err instanceof ApiError && REVIEW_QUEUES[queue].reloadsOn(err))) throw err
      ElMessage.error(problemMessage(err, t))
      await load()
    }
  }

  const decide = (body: ReviewDecisionInput<Q>) => act(() => decideReview(queue, id(), body), t('review.decisionDone'))

  return reactive({ queue, review, loading, error, load, decide, act }) as ReviewDetail<Q>
}

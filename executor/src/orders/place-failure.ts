import { isTradingError } from '../../../shared/src/domain/errors/trading-error';
import type { OrderRejection, RejectionCode } from '../../../shared/src/domain/orders/order-rejection';

/** What a failed `placeOrder` means for the stored order. */
export type PlaceFailure =
  /** Definitely not placed: store it rejected (the identifier is not used again). */
  | { readonly kind: 'rejected'; readonly rejection: OrderRejection; readonly metricCode: string }
  /** Maybe placed: it stays `submitted` until a lookup by identifier settles it. */
  | { readonly kind: 'unknown'; readonly fatal: boolean };

/**
 * Classifies a placement failure. The venue's refusals are rejections under Upbit's error name; a
 * 429 is answered before the order is looked at, so nothing was placed either (its identifier is
 * still never reused: the plan moves to the next attempt); everything else (timeout, network, 5xx,
 * auth) leaves the outcome unknown, and fatal ones are reported towards the emergency stop.
 */
export function classifyPlaceFailure(error: unknown): PlaceFailure {
  if (isTradingError(error, 'rejected'))
    return {
      kind: 'rejected',
      rejection: { code: error.code as RejectionCode, message: error.message },
      metricCode: error.code,
    };
  if (isTradingError(error, 'retryable') && error.status === 429)
    return {
      kind: 'rejected',
      rejection: { code: 'validation_error', message: `rate limited (429), not placed: ${error.message}` },
      metricCode: 'too_many_requests',
    };
  return { kind: 'unknown', fatal: isTradingError(error, 'fatal') };
}

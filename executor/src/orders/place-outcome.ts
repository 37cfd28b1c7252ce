import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { RejectionCode } from '../../../shared/src/domain/orders/order-rejection';
import type { Logger } from '../../../shared/src/ports/logger';
import { describeError } from '../runtime/periodic';
import { rejectedOrder } from './order-lifecycle';
import type { OrderRecords, OrderRecordsDeps } from './order-records';
import { classifyPlaceFailure } from './place-failure';

/** What became of a placement. */
export type PlaceOutcome =
  /** The venue has it (open, or already filled/cancelled by immediate matching). */
  | { readonly result: 'placed'; readonly order: LocalOrder }
  /** This identifier was stored before (a redelivery or a resume): nothing was sent again. */
  | { readonly result: 'exists'; readonly order: LocalOrder }
  /** Not sent: the gate or the risk check refused. */
  | { readonly result: 'refused'; readonly order: LocalOrder; readonly reason: string }
  /** The venue refused it; the identifier is burnt. */
  | { readonly result: 'rejected'; readonly order: LocalOrder; readonly reason: string }
  /** Sent, outcome unknown (timeout, 5xx): left `submitted` until a lookup by identifier settles it. */
  | { readonly result: 'unknown'; readonly order: LocalOrder; readonly reason: string };

/** What recording an outcome needs (a part of the order manager's dependencies). */
export interface PlaceOutcomesDeps extends Pick<OrderRecordsDeps, 'clock' | 'metrics'> {
  /** A fatal venue error (auth, ban): the caller counts it towards the emergency stop. */
  readonly onFatal?: (error: unknown) => void;
}

/**
 * How a placement that did not reach the venue's book ends: a refusal before sending or a failed
 * send, stored as the order's final (or still-submitted) state with its metric and log line. Kept
 * apart from the order manager's flows, which decide when a placement ends this way.
 */
export class PlaceOutcomes {
  readonly #records: OrderRecords;
  readonly #d: PlaceOutcomesDeps;

  constructor(records: OrderRecords, deps: PlaceOutcomesDeps) {
    this.#records = records;
    this.#d = deps;
  }

  async refused(
    order: LocalOrder,
    code: string,
    message: string,
    log: Logger,
    exchangeCode?: RejectionCode,
  ): Promise<PlaceOutcome> {
    const reason = `refused before sending (${code}): ${message}`;
    const stored = await this.#records.store(
      order,
      rejectedOrder(
        order,
        { code: exchangeCode ?? 'validation_error', message: reason },
        this.#d.clock.now(),
      ),
    );
    this.#d.metrics.ordersRejected.inc({ code: `risk_${code}` });
    log.info('order not sent', { code, reason: message });
    return { result: 'refused', order: stored, reason };
  }

  async failed(submitted: LocalOrder, error: unknown, log: Logger): Promise<PlaceOutcome> {
    const reason = describeError(error);
    const failure = classifyPlaceFailure(error);
    if (failure.kind === 'rejected') {
      const stored = await this.#records.store(
        submitted,
        rejectedOrder(submitted, failure.rejection, this.#d.clock.now()),
      );
      this.#d.metrics.ordersRejected.inc({ code: failure.metricCode });
      log.warn('order rejected by the venue', { code: failure.rejection.code, error: reason });
      return { result: 'rejected', order: stored, reason };
    }
    if (failure.fatal) this.#d.onFatal?.(error);
    log.warn('order outcome unknown; it stays submitted until a lookup by identifier settles it', {
      error: reason,
    });
    return { result: 'unknown', order: submitted, reason };
  }
}

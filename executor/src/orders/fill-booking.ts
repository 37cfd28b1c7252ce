import { recordFill } from '../../../shared/src/application/risk/record-fill';
import type { Krw } from '../../../shared/src/domain/money/quantities';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { Fill } from '../../../shared/src/domain/trading/fill';
import type { Logger } from '../../../shared/src/ports/logger';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { ExecutorMetrics } from '../health/metrics';
import type { Failpoints } from '../runtime/failpoints';

/** What booking fills needs. */
export interface FillBookingDeps {
  readonly store: StateStore;
  readonly logger: Logger;
  readonly metrics: ExecutorMetrics;
  readonly failpoints: Failpoints;
  /** Equity now, or the stand-in when unknown (it only opens a loss period no check opened yet). */
  readonly equity: Krw;
  readonly onFill?: ((fill: Fill, order: LocalOrder) => void) | undefined;
}

/**
 * Books fills with `recordFill`: position, realised PnL, fees and the KST loss ledger in one
 * transaction, idempotent on the fill id, so a fill seen on the WebSocket, in the venue's trade
 * list and by the REST backstop is booked exactly once. Returns how many were new.
 */
export async function bookFills(
  d: FillBookingDeps,
  order: LocalOrder,
  fills: readonly Fill[],
): Promise<number> {
  let applied = 0;
  for (const fill of fills) {
    d.failpoints.hit('fill.before-record');
    const result = await recordFill(d.store, fill, d.equity);
    d.failpoints.hit('fill.after-record');
    if (result.outcome !== 'applied') continue;
    applied += 1;
    d.metrics.fills.inc({ market: fill.market, side: fill.side });
    d.logger.info('fill booked', {
      identifier: fill.identifier,
      fillId: fill.fillId,
      side: fill.side,
      price: fill.price.toFixed(),
      volume: fill.volume.toFixed(),
      fee: fill.fee.toFixed(),
      realizedPnl: result.effect.realizedPnl.toFixed(),
    });
    d.onFill?.(fill, order);
  }
  return applied;
}

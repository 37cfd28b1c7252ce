import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import type { Krw } from '../../../shared/src/domain/money/quantities';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { Fill } from '../../../shared/src/domain/trading/fill';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import { VersionConflictError } from '../../../shared/src/ports/order-repository';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { TradingVenue, VenueOrder } from '../../../shared/src/ports/trading-venue';
import type { ExecutorMetrics } from '../health/metrics';
import type { Failpoints } from '../runtime/failpoints';
import { describeError } from '../runtime/periodic';
import { bookFills } from './fill-booking';
import { applyVenueOrder, fillsFromTrades, orderChanged } from './order-lifecycle';

/** What writing order records needs (a part of the order manager's dependencies). */
export interface OrderRecordsDeps {
  readonly store: StateStore;
  readonly venue: TradingVenue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: MarketRules;
  readonly limits: RiskLimits;
  readonly metrics: ExecutorMetrics;
  /** Account equity now (opens loss periods when a fill is booked; evaluates loss limits pre-trade). */
  readonly equity: () => Promise<Krw | undefined>;
  /** Every booked fill, after it is durable (equity point, plans). */
  readonly onFill?: (fill: Fill, order: LocalOrder) => void;
  /** Every stored change of an order (plans and the active-order tracker follow them). */
  readonly onOrder?: (order: LocalOrder) => void;
}

/**
 * The order state machine's writes: a change of an order is stored with compare-and-set and then
 * announced; what the venue reports is applied with its fills booked first, so a crash between the
 * two only repeats idempotent work. Kept apart from the place/sync/cancel flows, which decide what
 * to write, because this decides how a write is made durable and who hears of it.
 */
export class OrderRecords {
  constructor(
    private readonly d: OrderRecordsDeps,
    private readonly fp: Failpoints,
  ) {}

  /** Books the fills in `venue`'s trades (fetched when the answer carries none), then stores the order. */
  async apply(order: LocalOrder, venue: VenueOrder): Promise<LocalOrder> {
    let trades = venue.trades;
    if (trades === undefined && venue.executedVolume.gt(0)) {
      const full = await this.d.venue.getOrder({ uuid: venue.uuid });
      trades = full?.trades ?? [];
      if (full !== undefined) venue = full;
    }
    const withUuid = order.uuid === undefined ? { ...order, uuid: venue.uuid } : order;
    await this.book(withUuid, fillsFromTrades(withUuid, trades ?? [], this.d.rules));
    return this.store(order, applyVenueOrder(order, venue, this.d.clock.now(), trades));
  }

  /** Books fills of `order` once each (see {@link bookFills}). */
  async book(order: LocalOrder, fills: readonly Fill[]): Promise<void> {
    if (fills.length === 0) return;
    const d = this.d;
    // Equity only opens a loss period no check opened yet; the limits' total stands in when unknown.
    const equity = (await d.equity()) ?? d.limits.maxTotalExposure;
    await bookFills({ ...d, failpoints: this.fp, equity }, order, fills);
  }

  /** Stores `next` over `prev` (compare-and-set); on a lost race re-reads and re-applies nothing: the caller syncs again. */
  async store(prev: LocalOrder, next: LocalOrder): Promise<LocalOrder> {
    if (!orderChanged(prev, next)) return prev;
    try {
      const stored = await this.d.store.updateOrder(next, prev.version);
      this.emit(stored);
      return stored;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      const fresh = await this.d.store.getOrder(prev.identifier);
      this.d.logger.warn('order changed under us (another writer); keeping the stored version', {
        identifier: prev.identifier,
        storedVersion: fresh?.version,
      });
      if (fresh !== undefined) this.emit(fresh);
      return fresh ?? prev;
    }
  }

  /** Tells the order listener; a listener that throws is logged, never allowed to undo the write. */
  emit(order: LocalOrder): void {
    try {
      this.d.onOrder?.(order);
    } catch (error) {
      this.d.logger.warn('order listener failed', { error: describeError(error) });
    }
  }
}

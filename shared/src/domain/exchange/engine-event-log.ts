import type { Market } from '../market/market-id';
import type { Price, Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { AccountLedger } from './account-ledger';
import type { EngineState } from './engine-state';
import type { ExchangeEvent } from './exchange-events';
import { type ExchangeOrder, snapshotOrder } from './exchange-order';

/**
 * The engine's outbox: what happened, in order, with dense public trade ids per market and the balance
 * changes collected from the ledger. Kept apart from matching and accounting because it changes when
 * what is published changes (event shapes, trade-id numbering), not when the exchange's rules do.
 */
export class EngineEventLog {
  private events: ExchangeEvent[] = [];
  /** Trade ids per market, dense (+1 per trade) so a client can see a missed trade as a skipped id. */
  private readonly sequentialIds = new Map<string, number>();

  /** Events produced since the last call, oldest first. */
  drain(): ExchangeEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Appends an event as it is. */
  push(event: ExchangeEvent): void {
    this.events.push(event);
  }

  /** The visible book of `market` changed. */
  book(market: Market, now: EpochMs): void {
    this.events.push({ type: 'book', market, at: now });
  }

  /** One of our orders changed state (a fill is pushed with its trade by the caller). */
  order(state: 'wait' | 'done' | 'cancel' | 'prevented', o: ExchangeOrder, now: EpochMs): void {
    this.events.push({ type: 'order', state, order: snapshotOrder(o), at: now });
  }

  /** A trade on the public tape, with the market's next trade id. */
  publicTrade(market: Market, p: Price, v: Volume, takerSide: OrderSide, now: EpochMs): void {
    this.events.push({
      type: 'publicTrade',
      market,
      price: p,
      volume: v,
      takerSide,
      at: now,
      sequentialId: this.nextSequentialId(market),
    });
  }

  /** Publishes the currencies the ledger changed since the last flush (none: no event). */
  assets(ledger: AccountLedger, now: EpochMs): void {
    const changed = ledger.drainChanged();
    if (changed.length > 0)
      this.events.push({
        type: 'asset',
        assets: changed.map((a) => ({ currency: a.currency, balance: a.balance, locked: a.locked })),
        at: now,
      });
  }

  /**
   * Reserves `count` consecutive public trade ids of a market (history printed before the engine ran)
   * and returns the first; live trades continue after them, so ids stay dense and increasing.
   */
  reserveSequentialIds(market: Market, count: number): number {
    const first = (this.sequentialIds.get(market) ?? 0) + 1;
    this.sequentialIds.set(market, first - 1 + Math.max(0, count));
    return first;
  }

  /** The trade-id counters as {@link EngineState} saves them. */
  saveCounters(): Pick<EngineState, 'sequentialId' | 'sequentialIds'> {
    return {
      sequentialId: Math.max(0, ...this.sequentialIds.values()),
      sequentialIds: Object.fromEntries(this.sequentialIds),
    };
  }

  /** Resumes the trade-id counters of `markets` from a saved state. */
  restoreCounters(markets: Iterable<string>, state: EngineState): void {
    this.sequentialIds.clear();
    // Older state files hold one counter for every market: resuming each market from it keeps ids unique.
    for (const market of markets)
      this.sequentialIds.set(market, state.sequentialIds?.[market] ?? state.sequentialId);
  }

  private nextSequentialId(market: Market): number {
    const next = (this.sequentialIds.get(market) ?? 0) + 1;
    this.sequentialIds.set(market, next);
    return next;
  }
}

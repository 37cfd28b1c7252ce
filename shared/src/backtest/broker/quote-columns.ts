import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import type { SimOrder } from './sim-order';

/**
 * One market's resting quote layers of one approved quotes decision, as columns: per accepted layer
 * its level (side, exact price and volume), its leg (the level's index in the decision) and, for a
 * bid, its lock as a double (see LockBook; NaN for an ask). Most
 * layers live one bar unread and unfilled (a one-market month of market making: ~276k placed,
 * ~12k filled, none read by the risk engine), so the broker keeps them here without an order
 * object, a spec or a lock-list entry per layer, and builds the very `SimOrder` that
 * `SimulatedBroker.admit` would have made ({@link QuoteColumns.order}) only for a layer that
 * fills, or for all of them when anything reads the book as orders (commitments, an exact lock
 * total, another order in the market, a cancel, a recorded tape).
 *
 * The columns always follow the market's listed orders in placement order: whatever joins the
 * market otherwise first turns the columns into orders at the end of its list.
 */
export class QuoteColumns {
  decision: Decision | undefined = undefined;
  /** The accepted layers' levels (a reused list: its first `count` entries are the columns'). */
  readonly levels: QuoteLevel[] = [];
  at = 0 as EpochMs;
  /** Accepted layers. */
  count = 0;
  legs = new Int32Array(16);
  lazy = new Float64Array(16);
  /** The bids' locks summed in placement order (what LockBook.surelyFits adds for them). */
  lazySum = 0;
  /** The asks' volumes in 1e-8 units (exact integers: every column ask is on the 8-decimal grid). */
  askUnits = 0;

  constructor(readonly market: Market) {}

  /** True when the columns can take `decision`'s next layer placed at `at` (empty, or the same). */
  accepts(decision: Decision, at: EpochMs): boolean {
    return this.count === 0 || (this.decision === decision && this.at === at);
  }

  /** Starts the columns for `decision` placed at `at` when they are empty. */
  begin(decision: Decision, at: EpochMs): void {
    if (this.count > 0) return;
    this.decision = decision;
    this.at = at;
  }

  /** Appends an accepted bid (its lock as a double) or ask (`lazyLock` NaN, its volume's units). */
  push(level: QuoteLevel, leg: number, lazyLock: number, askUnits: number): void {
    if (this.count === this.legs.length) {
      const legs = new Int32Array(this.count * 2);
      legs.set(this.legs);
      this.legs = legs;
      const lazy = new Float64Array(this.count * 2);
      lazy.set(this.lazy);
      this.lazy = lazy;
    }
    this.levels[this.count] = level;
    this.legs[this.count] = leg;
    this.lazy[this.count] = lazyLock;
    this.count += 1;
    if (!Number.isNaN(lazyLock)) this.lazySum += lazyLock;
    else this.askUnits += askUnits;
  }

  /** The level of the `index`-th accepted layer. */
  levelAt(index: number): QuoteLevel {
    return this.levels[index] as QuoteLevel;
  }

  /**
   * The `index`-th layer as the order `admit` makes for it (same keys in the same order): a post-only
   * limit order without its texts, locking nothing exact yet (a bid's lock is `lazyLock`).
   */
  order(index: number): SimOrder {
    const decision = this.decision as Decision;
    const leg = this.legs[index] as number;
    const level = this.levels[index] as QuoteLevel;
    const lazyLock = this.lazy[index] as number;
    return {
      identifier: undefined,
      market: decision.market,
      strategy: decision.strategy,
      spec: { kind: 'limit', side: level.side, price: level.price, volume: level.volume, postOnly: true },
      reason: undefined,
      decisionId: decision.id,
      quoteOf: decision,
      leg,
      placedAt: this.at,
      lockedKrw: krw(ZERO),
      remaining: level.volume,
      lazyLock: Number.isNaN(lazyLock) ? undefined : lazyLock,
      commitment: undefined,
    };
  }

  /** Empties the columns (their layers ended, or became orders). */
  clear(): void {
    // No reference outlives the bar: a level kept here would be promoted with the columns.
    for (let i = 0; i < this.count; i++) this.levels[i] = undefined as unknown as QuoteLevel;
    this.count = 0;
    this.decision = undefined;
    this.lazySum = 0;
    this.askUnits = 0;
  }
}

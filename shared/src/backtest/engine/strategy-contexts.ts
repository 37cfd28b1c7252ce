import type { Market } from '../../domain/market/market-id';
import type { Krw } from '../../domain/money/quantities';
import type { ExposureBook } from '../../domain/risk/exposure';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { Strategy, StrategyContext } from '../../domain/strategies/strategy';
import { type ContextSource, strategyContext } from '../../domain/strategies/strategy-step';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { SimulatedBroker } from '../broker/simulated-broker';

/**
 * A context and the facts it was made from: the position (undefined: none yet) and the strategy's
 * used exposure. One object per new context, so that a slot takes one store of a young object
 * (through the write barrier's slow path, the slots being old) instead of three (the context, the
 * position and the used exposure each changed together at every fill of market making).
 */
interface KeptContext {
  readonly ctx: StrategyContext;
  readonly position: Position | undefined;
  readonly used: Krw | undefined;
}

/** A strategy's context for one market, kept while the broker's book version stays the same. */
interface ContextSlot {
  readonly strategy: StrategyName;
  readonly market: Market;
  /** NaN until the first context is made. */
  version: number;
  /** Undefined until the first context is made. */
  kept: KeptContext | undefined;
  /**
   * The {@link StrategyContexts.readSerial} of the exposure book when `kept` was last checked (−1:
   * never): while the serial holds, the book is the very same object, and so are the broker's
   * position list (see {@link StrategyContexts.readBooks}), the position and the used exposure. A
   * small integer, not the book: storing it into every slot on every bar market making re-quotes
   * went through the write barrier's slow path (the book is young, the slots old), ~10 times a bar
   * in `all`.
   */
  serial: number;
}

/**
 * The strategies' contexts (strategy-step's `strategyContext`) per strategy and market, reused while
 * the book has not changed: positions and open orders stay put while strategies look at the bars,
 * and most bars change neither, so the exact exposure and entry price are derived once per change
 * instead of once per strategy and bar.
 */
export class StrategyContexts implements ContextSource {
  private readonly slots = new Map<StrategyName, Map<Market, ContextSlot>>();
  /**
   * The slots in the order of the latest instant's calls: collectSignals asks for the same
   * strategies and markets in the same order at every step, so the slot at the cursor is nearly
   * always the one asked for, without the two map lookups (every strategy of `all` on every bar).
   */
  private readonly order: ContextSlot[] = [];
  private cursor = 0;
  private orderAt = Number.NaN;
  /**
   * The exposure book as read at broker version {@link readVersion}: kept by ExposureBooks until the
   * version moves (the same book for the same position list), so the slots of one version share one
   * read instead of each asking again (`all` asks for four strategies' contexts on every bar, each
   * after market making moved the version).
   */
  private readVersion = Number.NaN;
  private readBook: ExposureBook | undefined = undefined;
  /** Counts the reads that found another exposure book (see ContextSlot.serial). */
  private readSerial = 0;

  constructor(
    private readonly broker: SimulatedBroker,
    private readonly limits: RiskLimits,
    private readonly exposureBook: () => ExposureBook,
  ) {}

  /**
   * The context of a strategy for a market at an instant, as {@link collectSignals} asks for it: a
   * prototype method, the same call target in every run (see ContextSource).
   */
  contextFor(s: Strategy, market: Market, at: EpochMs): StrategyContext {
    const version = this.broker.version;
    const hit = this.slotOf(s.name, market, at);
    // A kept context is moved to `at` by one store below, whichever test kept it: in market making
    // the book changes every bar until the first loss-limit latch (~day 330), so a store of its own
    // for the first test first ran there, with no feedback in the optimised step that inlined it.
    if (hit.version !== version) {
      // The book changed, but maybe not for this strategy here (market making re-quotes every bar,
      // other strategies' orders move): the same position object (or still none: an empty
      // position's context depends on nothing but `now`) and the same used-exposure object give the
      // same context, moved to `at` as below. The same book implies both: it stands for the same
      // position list (see readBooks and the slot).
      if (version !== this.readVersion) this.readBooks(version);
      const serial = this.readSerial;
      hit.version = version;
      if (serial !== hit.serial) {
        hit.serial = serial;
        const book = this.readBook as ExposureBook;
        const found = this.broker.findPosition(market, s.name);
        const used = book.byStrategy.get(s.name);
        const kept = hit.kept;
        if (kept === undefined || found !== kept.position || used !== kept.used) {
          const position = found ?? this.broker.positionOf(market, s.name, at);
          const ctx = strategyContext(position, book, this.limits, s.name, at);
          hit.kept = { ctx, position: found, used };
          return ctx;
        }
      }
    }
    // The same facts at a later time: the slot's object moves to `at` instead of being copied (an
    // object per strategy and bar). Strategies read their context while they look at the bar and
    // keep none of it (signals copy what they need), so no earlier reader sees the move.
    const ctx = (hit.kept as KeptContext).ctx;
    (ctx as { now: EpochMs }).now = at;
    return ctx;
  }

  /**
   * Reads the exposure book for `version` (see {@link readVersion}). The book alone tells whether
   * the broker's position list moved: ExposureBooks makes a new book for every new list and hands
   * out a kept one only for the very list it sums, so a new list is always a new book.
   */
  private readBooks(version: number): void {
    this.readVersion = version;
    const book = this.exposureBook();
    if (book === this.readBook) return;
    this.readBook = book;
    this.readSerial++;
  }

  /** The slot of a strategy and market: the one at the cursor when it matches (see `order`). */
  private slotOf(strategy: StrategyName, market: Market, at: EpochMs): ContextSlot {
    if (at !== this.orderAt) {
      this.orderAt = at;
      this.cursor = 0;
    }
    const i = this.cursor;
    this.cursor = i + 1;
    const next = this.order[i];
    if (next !== undefined && next.strategy === strategy && next.market === market) return next;
    let byMarket = this.slots.get(strategy);
    if (byMarket === undefined) {
      byMarket = new Map();
      this.slots.set(strategy, byMarket);
    }
    let slot = byMarket.get(market);
    if (slot === undefined) {
      slot = {
        strategy,
        market,
        version: Number.NaN,
        kept: undefined,
        serial: -1,
      };
      byMarket.set(market, slot);
    }
    // Appended in call order (the list grows by one slot at most per call, no holes).
    if (i < this.order.length) this.order[i] = slot;
    else this.order.push(slot);
    return slot;
  }
}

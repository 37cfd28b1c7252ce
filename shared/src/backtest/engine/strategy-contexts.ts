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

/** A strategy's context for one market, kept while the broker's book version stays the same. */
interface ContextSlot {
  readonly strategy: StrategyName;
  readonly market: Market;
  /** NaN until the first context is made. */
  version: number;
  ctx: StrategyContext;
  /** The position (undefined: none yet) and the strategy's used exposure `ctx` was made from. */
  position: Position | undefined;
  used: Krw | undefined;
}

/**
 * The strategies' contexts (strategy-step's `strategyContext`) per strategy and market, reused while
 * the book has not changed: positions and open orders stay put while strategies look at the bars,
 * and most bars change neither, so the exact exposure and entry price are derived once per change
 * instead of once per strategy and bar.
 */
export class StrategyContexts implements ContextSource {
  private readonly slots = new Map<StrategyName, Map<Market, ContextSlot>>();
  private recent: ContextSlot | undefined;

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
    // The slot asked for last (every call of a single strategy on one market) without two lookups.
    const recent = this.recent;
    let hit: ContextSlot | undefined;
    if (recent !== undefined && recent.strategy === s.name && recent.market === market) hit = recent;
    else {
      let byMarket = this.slots.get(s.name);
      if (byMarket === undefined) {
        byMarket = new Map();
        this.slots.set(s.name, byMarket);
      }
      hit = byMarket.get(market);
      if (hit === undefined) {
        hit = {
          strategy: s.name,
          market,
          version: Number.NaN,
          ctx: undefined as unknown as StrategyContext,
          position: undefined,
          used: undefined,
        };
        byMarket.set(market, hit);
      }
      this.recent = hit;
    }
    if (hit.version === version) {
      // The same facts at a later time: the slot's object moves to `at` instead of being copied
      // (an object per strategy and bar). Strategies read their context while they look at the
      // bar and keep none of it (signals copy what they need), so no earlier reader sees the move.
      const c = hit.ctx as { now: EpochMs };
      c.now = at;
      return hit.ctx;
    }
    // The book changed, but maybe not for this strategy here (market making re-quotes every bar,
    // other strategies' orders move): the same position object (or still none: an empty position's
    // context depends on nothing but `now`) and the same used-exposure object give the same
    // context, moved to `at` as above.
    const found = this.broker.findPosition(market, s.name);
    const book = this.exposureBook();
    const used = book.byStrategy.get(s.name);
    hit.version = version;
    if (found === hit.position && used === hit.used && hit.ctx !== undefined) {
      const c = hit.ctx as { now: EpochMs };
      c.now = at;
      return hit.ctx;
    }
    const position = found ?? this.broker.positionOf(market, s.name, at);
    const ctx = strategyContext(position, book, this.limits, s.name, at);
    hit.ctx = ctx;
    hit.position = found;
    hit.used = used;
    return ctx;
  }
}

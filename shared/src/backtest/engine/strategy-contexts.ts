import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import type { ExposureBook } from '../../domain/risk/exposure';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { Strategy, StrategyContext } from '../../domain/strategies/strategy';
import { availableKrwOf, type ContextSource, PositionContext } from '../../domain/strategies/strategy-step';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { SimulatedBroker } from '../broker/simulated-broker';

/** A strategy's context for one market, kept while the facts it was made of stay the same. */
interface ContextSlot {
  readonly strategy: StrategyName;
  readonly market: Market;
  /** The {@link StrategyContexts.epoch} `ctx` was made or last checked in (NaN: not yet made). */
  epoch: number;
  ctx: PositionContext;
  /** The broker's position `ctx` holds (undefined: none yet, `ctx` holds an empty one). */
  position: Position | undefined;
}

/**
 * The strategies' contexts (strategy-step's `strategyContext`: position volume, average entry,
 * room under the strategy's cap) per strategy and market, made once and refilled only when their
 * facts may have changed.
 *
 * A context is a function of the broker's positions and open orders. The broker's version moves
 * with every one of them, and market making places and cancels its layers on every bar, so the
 * version alone changes on nearly every bar while the facts do not: a bar without a fill leaves
 * the positions as they were, and between the bar's run and the new quotes no order is open. So
 * the facts are checked once per version, for every strategy at once (the `epoch` moves when the
 * position list is a new object — the broker makes one whenever a position changes — or when an
 * order is open now or was at the last check), and a strategy's context is refilled only in a new
 * epoch, from the engine's exposure book (the one the router's checks read: made once per change
 * for both). On most bars each of `all`'s five strategies costs a comparison, not a book lookup.
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
  /** The broker's version at the last check of the facts. */
  private checked = Number.NaN;
  /** Moves whenever the facts may have changed (see the class comment). */
  private epoch = 0;
  /** The position list and open-order count at the last check. */
  private positions: readonly Position[] | undefined;
  private open = 0;

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
    const hit = this.slotOf(s.name, market, at);
    const version = this.broker.version;
    if (version !== this.checked) this.check(version);
    if (hit.epoch === this.epoch) {
      // The same facts at a later time: the slot's object moves to `at` instead of being copied
      // (an object per strategy and bar). Strategies read their context while they look at the
      // bar and keep none of it (signals copy what they need), so no earlier reader sees the move.
      hit.ctx.now = at;
      return hit.ctx;
    }
    return this.refill(hit, at);
  }

  /** Moves the epoch when the positions or the open orders may differ from the last check. */
  private check(version: number): void {
    const broker = this.broker;
    const positions = broker.allPositions();
    const open = broker.openOrders;
    if (positions !== this.positions || open !== 0 || this.open !== 0) this.epoch += 1;
    this.positions = positions;
    this.open = open;
    this.checked = version;
  }

  /** The slot's context made (first time) or refilled from the broker's books as they are now. */
  private refill(hit: ContextSlot, at: EpochMs): StrategyContext {
    const broker = this.broker;
    hit.epoch = this.epoch;
    const found = broker.findPosition(hit.market, hit.strategy);
    // The engine's book, the one the router's risk checks read too (made once per change).
    const used = this.exposureBook().byStrategy.get(hit.strategy);
    const available = availableKrwOf(this.limits, used ?? ZERO);
    const ctx = hit.ctx;
    if (ctx === undefined) {
      hit.ctx = new PositionContext(at, found ?? broker.positionOf(hit.market, hit.strategy, at), available);
      hit.position = found;
      return hit.ctx;
    }
    ctx.now = at;
    ctx.availableKrw = available;
    // An empty position's context depends on nothing but `now` (volume 0, no average entry).
    if (found !== hit.position) {
      ctx.refill(found ?? broker.positionOf(hit.market, hit.strategy, at));
      hit.position = found;
    }
    return ctx;
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
        epoch: Number.NaN,
        ctx: undefined as unknown as PositionContext,
        position: undefined,
      };
      byMarket.set(market, slot);
    }
    // Appended in call order (the list grows by one slot at most per call, no holes).
    if (i < this.order.length) this.order[i] = slot;
    else this.order.push(slot);
    return slot;
  }
}

import type { Market } from '../market/market-id';
import { lockWithTakerFee, type MarketRules } from '../market/market-rules';
import { type Decimal, maxDecimal, ZERO } from '../money/decimal';
import { decimalGt } from '../money/decimal-compare';
import { differenceOf, sumOf } from '../money/decimal-sums';
import { type Krw, krw, type Volume, volume } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { LocalOrder } from '../orders/local-order';
import type { OrderSide } from '../orders/order-types';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { isDust } from './position-accounting';

/**
 * What an order still holds while it rests: KRW (incl. the reserved fee) for a bid, base volume for
 * an ask. Exposure and "never sell more than held" are computed from these plus positions, so an
 * order counts from the moment it is stored (`pending`), before the venue has even seen it.
 */
export interface Commitment {
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly decisionId: DecisionId;
  readonly side: OrderSide;
  /** KRW still locked by a bid (0 for asks). */
  readonly lockedKrw: Krw;
  /** Base volume still to sell (0 for bids). */
  readonly remainingVolume: Volume;
}

const ACTIVE_STATES: ReadonlySet<string> = new Set(['pending', 'submitted', 'open']);

/**
 * Remaining commitment of an active order. Bids lock (unfilled total) × (1 + taker fee) as Upbit
 * does; a market buy by amount locks its unspent amount. Final orders commit nothing.
 */
export function commitmentOf(order: LocalOrder, rules: MarketRules): Commitment {
  const base = {
    market: order.market,
    strategy: order.strategy,
    decisionId: order.decisionId,
    side: order.draft.side,
  };
  if (!ACTIVE_STATES.has(order.state))
    return { ...base, lockedKrw: krw(ZERO), remainingVolume: volume(ZERO) };
  const d = order.draft;
  if (d.side === 'ask') {
    const remaining = d.volume === undefined ? ZERO : maxDecimal(ZERO, d.volume.minus(order.executedVolume));
    return { ...base, lockedKrw: krw(ZERO), remainingVolume: volume(remaining) };
  }
  let unfilled: Decimal = ZERO;
  if (d.ordType === 'limit' && d.price !== undefined && d.volume !== undefined)
    unfilled = d.price.times(maxDecimal(ZERO, d.volume.minus(order.executedVolume)));
  else if (d.price !== undefined) unfilled = maxDecimal(ZERO, d.price.minus(order.executedFunds));
  return { ...base, lockedKrw: krw(lockWithTakerFee(unfilled, rules)), remainingVolume: volume(ZERO) };
}

/** KRW committed per market, per strategy and in total. */
export interface ExposureBook {
  readonly total: Krw;
  readonly byMarket: ReadonlyMap<Market, Krw>;
  readonly byStrategy: ReadonlyMap<StrategyName | 'operator', Krw>;
}

/**
 * Adds `amount` to the total and to the market's and the strategy's entries, returning the new
 * total. An entry that is the very total object before the addition (one market and one strategy,
 * the usual backtest) gets the new total object itself: the same sum of the same values, one
 * addition instead of three.
 */
function addEverywhere(
  byMarket: Map<Market, Krw>,
  byStrategy: Map<StrategyName | 'operator', Krw>,
  market: Market,
  strategy: StrategyName | 'operator',
  amount: Decimal,
  total: Krw,
): Krw {
  const next = krw(sumOf(total, amount));
  addTo(byMarket, market, amount, total, next);
  addTo(byStrategy, strategy, amount, total, next);
  return next;
}

function addTo<K>(map: Map<K, Krw>, key: K, amount: Decimal, total: Krw, nextTotal: Krw): void {
  const prior = map.get(key);
  map.set(key, prior === total ? nextTotal : krw(sumOf(prior ?? ZERO, amount)));
}

/**
 * Exposure = cost of holdings (fees included, i.e. what was actually paid) + KRW locked by open
 * bids. Cost, not mark value, so the number is exact, reproducible from the fills alone and cannot
 * be pushed under a limit by a price spike; open asks do not reduce it until they fill.
 */
export function exposureBook(
  positions: readonly Position[],
  commitments: readonly Commitment[],
): ExposureBook {
  let total = krw(ZERO);
  const byMarket = new Map<Market, Krw>();
  const byStrategy = new Map<StrategyName | 'operator', Krw>();
  for (const p of positions) {
    if (p.volume.isZero()) continue;
    total = addEverywhere(byMarket, byStrategy, p.market, p.strategy, p.cost, total);
  }
  for (const c of commitments) {
    if (c.lockedKrw.isZero()) continue;
    total = addEverywhere(byMarket, byStrategy, c.market, c.strategy, c.lockedKrw, total);
  }
  return { total, byMarket, byStrategy };
}

/**
 * The book after one more commitment, equal to `exposureBook(positions, [...commitments, c])` (the
 * same additions in the same order) without re-summing everything: checking the legs of one decision
 * one after another would otherwise be quadratic in open orders.
 */
export function withCommitment(book: ExposureBook, c: Commitment): ExposureBook {
  if (c.lockedKrw.isZero()) return book;
  const byMarket = new Map(book.byMarket);
  const byStrategy = new Map(book.byStrategy);
  const total = addEverywhere(byMarket, byStrategy, c.market, c.strategy, c.lockedKrw, book.total);
  return { total, byMarket, byStrategy };
}

/** An exposure book its holder may change in place (a private copy made by {@link withCommitment}). */
export interface MutableBook {
  total: Krw;
  readonly byMarket: Map<Market, Krw>;
  readonly byStrategy: Map<StrategyName | 'operator', Krw>;
}

/**
 * {@link withCommitment} applied in place to a book the caller owns: the same additions in the same
 * order, without copying the maps again.
 */
export function addCommitment(book: MutableBook, c: Commitment): void {
  if (c.lockedKrw.isZero()) return;
  book.total = addEverywhere(book.byMarket, book.byStrategy, c.market, c.strategy, c.lockedKrw, book.total);
}

/** Volume a strategy may still sell in a market: held minus what its open asks already offer. */
export function sellableVolume(
  positions: readonly Position[],
  commitments: readonly Commitment[],
  market: Market,
  strategy: StrategyName | 'operator',
): Volume {
  let held: Decimal = ZERO;
  for (const p of positions) if (p.market === market && p.strategy === strategy) held = sumOf(held, p.volume);
  for (const c of commitments)
    if (c.market === market && c.strategy === strategy && c.side === 'ask')
      held = differenceOf(held, c.remainingVolume);
  return volume(maxDecimal(ZERO, held));
}

/**
 * Markets currently held or being bought: the "concurrent positions" of the position-count limit.
 * Counted per market (what the operator sees), not per strategy; dust holdings do not count.
 */
export function openPositionMarkets(
  positions: readonly Position[],
  commitments: readonly Commitment[],
  dustThreshold: Krw,
): ReadonlySet<Market> {
  const markets = new Set<Market>();
  for (const p of positions) if (!isDust(p, dustThreshold)) markets.add(p.market);
  for (const c of commitments) if (c.side === 'bid' && decimalGt(c.lockedKrw, ZERO)) markets.add(c.market);
  return markets;
}

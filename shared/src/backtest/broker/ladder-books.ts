import type { LadderExposure } from '../../domain/ensemble/ladder-checks';
import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import { decimalGt, decimalIsZero } from '../../domain/money/decimal-compare';
import { approximately, unitsOf } from '../../domain/money/decimal-units';
import type { Krw } from '../../domain/money/quantities';
import { isDust } from '../../domain/risk/position-accounting';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { orderSide, remainingUnits } from './quote-layer-order';
import type { SimOrder } from './sim-order';

type Owner = StrategyName | 'operator';

// A term beyond this (or not finite) is not summed on doubles: the caller reads the exact book.
const LARGE = 1e250;

/**
 * `exposureBook(positions, commitments)`'s total, `strategy`'s and `market`'s entries as doubles,
 * from the broker's positions and open orders (LadderBooks.exposure): the same terms — each
 * holding position's cost, each open order's KRW lock — each within a few ulps (a lazy lock is
 * its double, every other amount `approximately`), all non-negative, so each sum stays within
 * ~1e-13 of the exact one. Undefined when a term is negative or too large for that promise.
 */
export function exposureOfBooks(
  positions: readonly Position[],
  pending: Iterable<readonly SimOrder[]>,
  strategy: Owner,
  market: Market,
): LadderExposure | undefined {
  let total = 0;
  let own = 0;
  let inMarket = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i] as Position;
    if (decimalIsZero(p.volume)) continue;
    const cost = approximately(p.cost);
    if (!(cost >= 0 && cost < LARGE)) return undefined;
    total += cost;
    if (p.strategy === strategy) own += cost;
    if (p.market === market) inMarket += cost;
  }
  for (const orders of pending)
    for (const o of orders) {
      // A lazily locked bid's commitment is its exact lock (built when commitments are read), of
      // which lazyLock is the double; every other order's is lockedKrw (zero for asks: skipped).
      const lazy = o.lazyLock;
      const lock = lazy > 0 ? lazy : approximately(o.lockedKrw);
      if (lock === 0) continue;
      if (!(lock > 0 && lock < LARGE)) return undefined;
      total += lock;
      if (o.strategy === strategy) own += lock;
      if (o.market === market) inMarket += lock;
    }
  return { total, strategy: own, market: inMarket };
}

/**
 * `sellableVolume(positions, commitments, market, strategy)` in 1e-8 units from the strategy's
 * position in the market and the market's open orders (an ask's commitment offers its remaining
 * volume): exact integers while every amount is on the 8-decimal grid and the running difference
 * stays a safe integer; undefined otherwise.
 */
export function sellableUnitsOf(
  position: Position | undefined,
  orders: readonly SimOrder[] | undefined,
  strategy: Owner,
): number | undefined {
  let units = position === undefined ? 0 : unitsOf(position.volume, 8);
  if (units === undefined) return undefined;
  if (orders !== undefined)
    for (const o of orders) {
      if (o.strategy !== strategy || orderSide(o) !== 'ask') continue;
      const u = remainingUnits(o);
      if (u === undefined) return undefined;
      units -= u;
      if (units < -Number.MAX_SAFE_INTEGER) return undefined;
    }
  return Math.max(0, units);
}

/**
 * `openPositionMarkets(positions, commitments, dustThreshold)` from the broker's positions and open
 * orders: the markets of every position that is not dust, then of every bid that locks KRW (a
 * lazily locked bid's exact lock is a positive product, as its double is).
 *
 * A market already in the set is not tested again: adding it twice changes neither the set nor its
 * order, and the tests (a dust comparison per position, a decimal comparison per eagerly locked
 * bid) were most of the work — the ladder asks on almost every bar of a multi-market run, when
 * market making keeps layers open in every market (41k calls in 7 days × 5 markets of `all`).
 */
export function openMarketsOfBooks(
  positions: readonly Position[],
  pending: Iterable<readonly SimOrder[]>,
  dustThreshold: Krw,
): ReadonlySet<Market> {
  const markets = new Set<Market>();
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i] as Position;
    if (!markets.has(p.market) && !isDust(p, dustThreshold)) markets.add(p.market);
  }
  for (const orders of pending) {
    // A list holds one market's orders: the last market found in the set skips its lookups too.
    let known: Market | undefined;
    for (const o of orders) {
      const m = o.market;
      if (m === known) continue;
      if (markets.has(m)) {
        known = m;
        continue;
      }
      if (orderSide(o) === 'bid' && (o.lazyLock > 0 || decimalGt(o.lockedKrw, ZERO))) {
        markets.add(m);
        known = m;
      }
    }
  }
  return markets;
}

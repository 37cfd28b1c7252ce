import { roundToTick, stepTicks, type TickContext } from '../market/tick-rounding';
import { decimalFromNumber } from '../money/decimal';
import { floorVolume, type Price, price as toPrice, volume as toVolume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import { BOOK_DEPTH, type LiquidityLevel } from './market-book';
import type { SeededRandom } from './prng';

/** Typical KRW value resting at the best level; deeper levels hold a little more. */
const LEVEL_NOTIONAL_KRW = 5_000_000;

/** Other traders' book around one traded price, exact and on the tick grid. */
export interface SyntheticBook {
  readonly bids: LiquidityLevel[];
  readonly asks: LiquidityLevel[];
  /** The traded price on the grid (best ask when a buyer took, best bid when a seller did). */
  readonly touch: Price;
}

/**
 * Builds the other traders' book so that a trade at `traded` is consistent with it: a buyer-initiated
 * trade prints at the best ask (best bid one tick below), a seller-initiated one at the best bid (best
 * ask one tick above). `depth` levels a side, one tick apart across band edges, with seeded sizes worth
 * a few million KRW each, so market orders of realistic size fill and absurd ones hit the depth check.
 */
export function syntheticBookAround(
  traded: number,
  takerSide: OrderSide,
  ticks: TickContext,
  rng: SeededRandom,
  depth = BOOK_DEPTH,
): SyntheticBook {
  const touch = roundToTick(toPrice(decimalFromNumber(traded)), 'nearest', ticks);
  const bestBid = takerSide === 'bid' ? stepTicks(touch, -1, ticks) : touch;
  const bestAsk = takerSide === 'bid' ? touch : stepTicks(touch, 1, ticks);
  const bids: LiquidityLevel[] = [];
  const asks: LiquidityLevel[] = [];
  let p = bestBid;
  for (let i = 0; i < depth; i++) {
    bids.push({ price: p, size: sizeAt(p, i, rng) });
    const next = stepTicks(p, -1, ticks);
    if (next.gte(p)) break;
    p = next;
  }
  p = bestAsk;
  for (let i = 0; i < depth; i++) {
    asks.push({ price: p, size: sizeAt(p, i, rng) });
    p = stepTicks(p, 1, ticks);
  }
  return { bids, asks, touch };
}

function sizeAt(p: Price, level: number, rng: SeededRandom) {
  const notional = LEVEL_NOTIONAL_KRW * (1 + 0.1 * level) * (0.3 + 1.4 * rng.next());
  const size = floorVolume(toVolume(decimalFromNumber(notional / p.toNumber())));
  return size.isZero() ? toVolume(decimalFromNumber(1e-8)) : size;
}

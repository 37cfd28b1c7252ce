import { type Decimal, maxDecimal, ZERO } from '../../domain/money/decimal';
import { decimalGt } from '../../domain/money/decimal-compare';
import { differenceOf } from '../../domain/money/decimal-sums';
import { unitsOf } from '../../domain/money/decimal-units';
import { type Volume, volume } from '../../domain/money/quantities';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { orderSide, remainingUnits } from './quote-layer-order';
import type { SimOrder } from './sim-order';

type Owner = StrategyName | 'operator';

/**
 * The volume `strategy` holds and has not offered yet: `held` − the remainder of each of its open
 * asks among `orders` (one market's), at least zero.
 */
export function unofferedVolume(held: Volume, orders: readonly SimOrder[], strategy: Owner): Volume {
  let free: Decimal = held;
  for (const o of orders)
    if (o.strategy === strategy && orderSide(o) === 'ask') free = differenceOf(free, o.remaining);
  return volume(maxDecimal(ZERO, free));
}

/**
 * `sell > unofferedVolume(held, orders, strategy)`, decided on 1e-8 units when every amount is on
 * Upbit's 8-decimal grid (a quote ladder's asks always are): integers, exact while the running
 * difference stays a safe integer (it only decreases, so a final value at or above −(2^53 − 1)
 * means every step was exact). Anything else compares the exact decimals.
 */
export function exceedsUnoffered(
  sell: Volume,
  held: Volume,
  orders: readonly SimOrder[],
  strategy: Owner,
): boolean {
  const s = unitsOf(sell, 8);
  let free = s === undefined ? undefined : unitsOf(held, 8);
  for (let i = 0; free !== undefined && i < orders.length; i++) {
    const o = orders[i] as SimOrder;
    if (o.strategy !== strategy || orderSide(o) !== 'ask') continue;
    const u = remainingUnits(o);
    free = u === undefined ? undefined : free - u;
  }
  if (s !== undefined && free !== undefined && free >= -Number.MAX_SAFE_INTEGER) return s > Math.max(0, free);
  return decimalGt(sell, unofferedVolume(held, orders, strategy));
}

/**
 * The unoffered units (see OrderAdmission.unofferedUnits) one strategy has left in one market right
 * after an ask was placed there, valid while the broker's book version stays the one recorded:
 * any other placement, fill, bar or cancel bumps the version and so drops it.
 */
export class UnofferedAfterAsk {
  // Empty texts (no market's or strategy's) until the first set, not `undefined`: the compares in
  // `get` then only meet texts (see PendingOrders.lastMarket); version −1 matches no book anyway.
  private market = '';
  private strategy = '' as Owner;
  private version = -1;
  private units = 0;

  /** The units kept for this market, strategy and book version, or undefined. */
  get(market: string, strategy: Owner, version: number): number | undefined {
    return version === this.version && market === this.market && strategy === this.strategy
      ? this.units
      : undefined;
  }

  set(market: string, strategy: Owner, version: number, units: number): void {
    this.market = market;
    this.strategy = strategy;
    this.version = version;
    this.units = units;
  }
}

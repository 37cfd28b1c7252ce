import type { Market } from '../market/market-id';
import type { Decimal } from '../money/decimal';
import { approximately } from '../money/decimal-units';
import { openPositionMarkets } from '../risk/exposure';
import type { RiskContext } from '../risk/pre-trade-check';
import type { LadderBooks, LayerRefusal } from './ladder-checks';

/*
 * The ladder checks' double comparisons and per-layer guards (ladder-checks.ts decides a whole
 * ladder with them): the margin that makes a double comparison as sure as the exact one, the
 * fat-finger guards, the book depth, the exposure amounts' memo and the position-count pass.
 */

/**
 * Relative margin of every double decision below. Each double is within a few ulps (~1e-15
 * relative) of its exact decimal, and every expression is a product or a sum of at most a few
 * dozen non-negative terms, so its error stays below ~1e-13 of the operands' magnitude: a
 * comparison whose two sides are more than 1e-9 of that magnitude apart is decided the way the
 * exact decimals decide it. Closer than that, the ladder path gives up (the full pipeline decides).
 */
export const MARGIN = 1e-9;

/** 1 when `x > limit` surely, −1 when `x < limit` surely, 0 when too close to tell on doubles. */
export function side(x: number, limit: number, scale: number): 1 | -1 | 0 {
  const m = MARGIN * scale;
  if (x - limit > m) return 1;
  if (limit - x > m) return -1;
  return 0;
}

/**
 * The fat-finger guards for one limit layer (fat-finger.ts): deviation from the last trade, the
 * book band, the depth on the side it would take from. Null: too close to tell on doubles.
 */
export function fatFinger(
  p: number,
  v: number,
  last: number,
  maxDev: number,
  low: number,
  high: number,
  cap: number,
): LayerRefusal | undefined | null {
  const deviation = Math.abs(p - last) / last;
  const d = side(deviation, maxDev, 1 + deviation + maxDev);
  if (d === 0) return null;
  if (d > 0) return 'fat_finger_last_trade';
  const lo = side(p, low, p + low);
  const hi = side(p, high, p + high);
  if (lo === 0 || hi === 0) return null;
  if (lo < 0 || hi > 0) return 'fat_finger_band';
  const c = side(v, cap, v + cap);
  if (c === 0) return null;
  return c > 0 ? 'fat_finger_depth' : undefined;
}

/** A side's visible size in doubles; NaN for anything the exact sum might not match. */
// An indexed loop: the for-of made an iterator result per bar (~1.5 MB of a 30-day market_making run).
export function depthOf(levels: readonly { readonly size: number }[]): number {
  let depth = 0;
  for (let i = 0; i < levels.length; i++) {
    const size = (levels[i] as { readonly size: number }).size;
    if (!countsInDepth(size)) return Number.NaN;
    depth += size;
  }
  return depth;
}

/** {@link depthOf} of a one-level side of `size` (a synthetic book's), without the level list. */
export function depthOfOneLevel(size: number): number {
  return countsInDepth(size) ? 0 + size : Number.NaN;
}

/** A level size the double sum may take: non-negative and far from overflow (else NaN, see depthOf). */
function countsInDepth(size: number): boolean {
  return size >= 0 && size < 1e250;
}

/**
 * `approximately(x)` (0 for an absent entry) of the last decimal asked, per exposure entry: the
 * exposure book changes only on fills and placements, so bar after bar the ladder reads the very
 * same (immutable) decimals, and a cost at 20 decimals takes a few words to convert. The same
 * decimal object gives the same double, so the decisions are unchanged.
 */
export class RepeatedAmount {
  private last: Decimal | undefined = undefined;
  private value = Number.NaN;

  of(x: Decimal | undefined): number {
    if (x === undefined) return 0;
    if (x !== this.last) {
      this.value = approximately(x);
      this.last = x;
    }
    return this.value;
  }
}

export const TOTAL_NOW = new RepeatedAmount();
export const STRATEGY_NOW = new RepeatedAmount();
export const MARKET_NOW = new RepeatedAmount();

/**
 * Whether the position-count limit passes for every bid of the ladder: the market is already held
 * or bought, or fewer markets than the limit are (a bid adds at most this market). Counting the
 * markets is skipped when the lists cannot name as many as the limit.
 */
export function positionCountPasses(
  ctx: RiskContext,
  market: Market,
  books: LadderBooks | undefined,
): boolean {
  const max = ctx.limits.maxConcurrentPositions;
  if (ctx.positions.length + (books?.openOrders ?? ctx.commitments.length) < max) return true;
  const dust = ctx.limits.dustThreshold;
  const held =
    books !== undefined ? books.openMarkets(dust) : openPositionMarkets(ctx.positions, ctx.commitments, dust);
  return held.has(market) || held.size < max;
}

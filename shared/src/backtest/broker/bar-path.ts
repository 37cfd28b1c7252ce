import type { Candle } from '../../domain/market/market-data';
import type { OrderSide } from '../../domain/orders/order-types';

/**
 * What a candle does not say — the order in which its prices traded and how much traded at each —
 * assumed here once, for every resting order of the simulation, and stated in every report.
 *
 * Path: open → nearer extreme → farther extreme → close. When the open is as far from the high as
 * from the low, the bar is taken to visit the extreme opposite its close first (a bar that closes
 * up went down first), and the low first when it closes where it opened. A resting order's fill is
 * placed where this path first goes strictly beyond its price, which decides which of our orders
 * fill first inside one bar (and so average costs), and lets a bid and an ask both fill in one bar
 * only when the path passes beyond both prices.
 *
 * Volume profile: the bar's volume is spread over its range, evenly between open and close (the
 * body) and tapering linearly to zero at the high and the low. Volume at a price is proportional to
 * the time spent there, and a random walk spends almost no time near the extremes it reaches (its
 * occupation density vanishes there), so a wick holds little volume: a quote deep in a wick is
 * credited little of the bar's volume. This is deliberately less generous than an even spread over
 * the range, because the data cannot tell and the worse case is the one to assume.
 */
export interface BarPath {
  /** Prices visited in order: open, first extreme, second extreme, close. */
  readonly points: readonly [number, number, number, number];
}

/** The assumed path of a bar (see {@link BarPath}). */
export function barPath(bar: Candle): BarPath {
  return barPathInto(bar, { points: [0, 0, 0, 0] });
}

/** A {@link BarPath} whose points a caller refills for every bar (see {@link barPathInto}). */
export interface MutableBarPath extends BarPath {
  readonly points: [number, number, number, number];
}

/**
 * {@link barPath} written into `path` and returned: the same points, without a path object and
 * an array per bar for a caller that uses the path before asking for the next one.
 */
export function barPathInto(bar: Candle, path: MutableBarPath): MutableBarPath {
  const { open, high, low, close } = bar;
  const toLow = open - low;
  const toHigh = high - open;
  // Compared on every bar, not only on a tie: a compare first made months into a run (the first
  // tie after the caller was optimised) has no type feedback and threw the fill loop away.
  const rising = close >= open;
  const lowFirst = toLow < toHigh || (toLow === toHigh && rising);
  const p = path.points;
  p[0] = open;
  p[1] = lowFirst ? low : high;
  p[2] = lowFirst ? high : low;
  p[3] = close;
  return path;
}

/**
 * Distance travelled along the path (in price units) when the price first goes strictly beyond
 * `price` on the side that fills an order of `side` (below a bid, above an ask), or undefined when
 * the path never does. Only the order of these positions is used, never their size.
 */
export function firstBeyond(path: BarPath, price: number, side: OrderSide): number | undefined {
  let travelled = 0;
  const p = path.points;
  for (let i = 0; i < 3; i++) {
    const a = p[i] as number;
    const b = p[i + 1] as number;
    const beyondEnd = side === 'bid' ? b < price : b > price;
    if (beyondEnd) {
      const beyondStart = side === 'bid' ? a < price : a > price;
      return beyondStart ? travelled : travelled + Math.abs(a - price);
    }
    travelled += Math.abs(b - a);
  }
  return undefined;
}

/**
 * Share of the bar's price-weighted volume mass at or below `x` under the profile of {@link BarPath}:
 * density rising linearly from 0 at the low to 1 at min(open, close), 1 across the body, falling to
 * 0 at the high. Returned unnormalised, with the total, so callers divide once.
 */
function massBelow(bar: Candle, x: number): { below: number; total: number } {
  const { high: h, low: l } = bar;
  const m = Math.min(bar.open, bar.close);
  const big = Math.max(bar.open, bar.close);
  const total = (m - l) / 2 + (big - m) + (h - big) / 2;
  let below: number;
  if (x <= l) below = 0;
  else if (x <= m) below = m > l ? (x - l) ** 2 / (2 * (m - l)) : 0;
  else if (x <= big) below = (m - l) / 2 + (x - m);
  else if (x < h) below = total - (h - x) ** 2 / (2 * (h - big));
  else below = total;
  return { below, total };
}

/**
 * Estimated base volume of the bar that traded strictly beyond `price` — below it for a bid, above
 * it for an ask — under the profile of {@link BarPath}. This is the most a resting order at `price`
 * could have received: sellers who traded below a bid would have hit the bid first had it been
 * there, while volume at the bid's own price went to the orders queued ahead of it. A bar with no
 * range (high = low) has all its volume at one price, so nothing traded beyond any other price.
 */
export function volumeBeyond(bar: Candle, price: number, side: OrderSide): number {
  if (!(bar.volume > 0) || !(bar.high > bar.low)) return 0;
  const { below, total } = massBelow(bar, price);
  if (!(total > 0)) return 0;
  const share = side === 'bid' ? below / total : 1 - below / total;
  return bar.volume * Math.min(1, Math.max(0, share));
}

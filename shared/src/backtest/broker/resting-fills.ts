import type { Candle } from '../../domain/market/market-data';
import { Decimal, decimalFromNumber, minDecimal, ZERO } from '../../domain/money/decimal';
import { decimalGt } from '../../domain/money/decimal-compare';
import { floorUnitsOfProduct } from '../../domain/money/decimal-floors';
import { decimalOfUnits, numberOf } from '../../domain/money/decimal-units';
import { floorVolume, VOLUME_DECIMALS, type Volume, volume } from '../../domain/money/quantities';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import { barPathInto, firstBeyond, type MutableBarPath, volumeBeyond } from './bar-path';
import { byPriority, type RestingFill, type RestingNumbers } from './resting-orders';

/** {@link byPriority}, comparing two prices that are their doubles exactly as those doubles. */
function byPriorityOnNumbers(a: RestingNumbers, b: RestingNumbers): number {
  if (!(a.exactPrice && b.exactPrice)) return byPriority(a, b);
  if (a.side !== b.side) return a.side === 'bid' ? -1 : 1;
  const x = a.priceNumber;
  const y = b.priceNumber;
  const cmp = x < y ? -1 : x > y ? 1 : 0;
  if (cmp !== 0) return a.side === 'bid' ? -cmp : cmp;
  return a.index - b.index;
}

function asVolume(value: Decimal): Volume {
  return floorVolume(volume(value));
}

/**
 * Fills estimated from the candle alone (see bar-path for the path and volume-profile assumptions).
 * Orders of one side share one pool: the volume that traded beyond a lower bid also traded beyond
 * every higher bid, and would have hit those first, so a bid receives the volume beyond its price
 * less what our better-priced (or earlier, equal-priced) bids already took. Partial fills are
 * floored to Upbit's 8 volume decimals. Fills are ordered by where the assumed path first passes
 * beyond each price, so a bid and an ask fill in one bar only when the path crosses both.
 *
 * Runs once per bar with resting orders (every bar of market making): the path, the side queues
 * and the placed fills live in module scratch arrays, refilled by index, so a bar allocates only
 * the fills it returns (and a partial fill's volume).
 */
export function fillsFromBar(bar: Candle, orders: readonly RestingNumbers[]): readonly RestingFill[] {
  const path = barPathInto(bar, PATH);
  const queue = QUEUE;
  let placed = 0;
  for (let s = 0; s < 2; s++) {
    const side = s === 0 ? 'bid' : 'ask';
    let n = 0;
    for (const o of orders) if (o.side === side && o.open) queue[n++] = o;
    if (n > 1) insertionSort(queue, n, byPriorityOnNumbers);
    // The estimate is a float; the pool is kept in float too, and only a partial fill is converted
    // to an exact volume (a fill that covers the whole order is the order's own exact remainder).
    let taken = 0;
    for (let rank = 0; rank < n; rank++) {
      const o = queue[rank] as RestingNumbers;
      const price = o.priceNumber;
      const at = firstBeyond(path, price, side);
      if (at === undefined) continue;
      const available = volumeBeyond(bar, price, side) - taken;
      if (!(available > 0)) continue;
      const known = o.units;
      // Read on both paths: its load (a layer's remainder, through the order's getter) then has
      // type feedback from the first fill of either kind, and a layer's first whole fill, ~day 1,
      // no longer throws this function's optimised code away.
      const remaining = o.remaining;
      let fill: Volume | undefined;
      let units: number | undefined;
      if (available >= o.remainingNumber) {
        fill = remaining;
        units = known;
      } else {
        fill = partialFill(known, remaining, available);
        if (fill === undefined) continue;
        units = PARTIAL.units;
      }
      if (units === undefined && !decimalGt(fill, ZERO)) continue;
      // units / 1e8 is numberOf(fill): both the double nearest the same exact value.
      taken += units !== undefined ? units / 1e8 : numberOf(fill);
      PLACED_FILL[placed] = { index: o.index, volume: fill, units };
      PLACED_AT[placed] = at;
      PLACED_RANK[placed] = rank;
      ORDER[placed] = placed;
      placed += 1;
    }
  }
  for (let i = 0; i < queue.length && queue[i] !== undefined; i++) queue[i] = undefined;
  // Most resting bars fill nothing: one shared empty list for them (the caller only reads it).
  if (placed === 0) return NO_FILLS;
  if (placed > 1) insertionSort(ORDER, placed, byPathThenRank);
  const out: RestingFill[] = [];
  for (let i = 0; i < placed; i++) {
    const k = ORDER[i] as number;
    out.push(PLACED_FILL[k] as RestingFill);
    PLACED_FILL[k] = undefined;
  }
  return out;
}

const NO_FILLS: readonly RestingFill[] = Object.freeze(emptyRefs<RestingFill>());

/** partialFill's units (undefined: the decimal path decided), beside its returned volume. */
export const PARTIAL: { units: number | undefined } = { units: undefined };

/**
 * A partial fill of an order with `remaining` (its `units` in 1e-8 when `known`) against the
 * estimate `available` (below the remainder), floored to the 8-decimal grid, or undefined when the
 * floor is zero on the units path; its units in `PARTIAL.units`. Its own function, warmed on every
 * branch at a run's start (warmPartialFills), so that fillsFromBar, which inlines it, has type
 * feedback for the rare decimal path (first taken ~day 15 of a market-making year: `fillsFromBar`
 * and `productOf` were thrown away and compiled again).
 */
export function partialFill(
  known: number | undefined,
  remaining: Volume,
  available: number,
): Volume | undefined {
  // An order held in 1e-8 units (a quote layer): its remainder is on the 8-decimal grid, so
  // flooring the smaller of it and the estimate's decimal is the smaller of its units and the
  // estimate's floored units (floorUnitsOfProduct: floorVolume(decimalFromNumber(x))'s units,
  // or undefined where only the decimal path decides).
  const floored = known === undefined ? undefined : floorUnitsOfProduct(available, 1e8);
  if (known !== undefined && floored !== undefined) {
    const units = Math.min(floored, known);
    PARTIAL.units = units;
    if (!(units > 0)) return undefined;
    return decimalOfUnits(units, VOLUME_DECIMALS) as Volume;
  }
  PARTIAL.units = undefined;
  return asVolume(minDecimal(remaining, decimalFromNumber(available)));
}

/**
 * Runs {@link partialFill} on each of its paths with decimals of both decimal.js classes
 * (rare-branch-warm-up.ts): the units path, a zero floor, and the decimal path (an order without
 * units). Returns the last volume so the calls are not dead code. Pure: nothing is kept.
 */
export function warmPartialFills(): Volume | undefined {
  const remainders = [decimalOfUnits(150_000_000, VOLUME_DECIMALS) as Volume, volume(new Decimal('1.5'))];
  let last: Volume | undefined;
  for (let i = 0; i < 64; i++) {
    const remaining = remainders[i & 1] as Volume;
    last = partialFill(150_000_000, remaining, 0.123456789) ?? last;
    last = partialFill(150_000_000, remaining, 1e-9) ?? last;
    last = partialFill(undefined, remaining, 0.123456789) ?? last;
  }
  return last;
}

// fillsFromBar's scratch (see there): the bar's path, one side's queue, and the placed fills as
// parallel columns (fill, where the path reaches it, its rank on its side) with their sort order.
const PATH: MutableBarPath = { points: [0, 0, 0, 0] };
const QUEUE: (RestingNumbers | undefined)[] = [];
const PLACED_FILL: (RestingFill | undefined)[] = [];
const PLACED_AT: number[] = [];
const PLACED_RANK: number[] = [];
const ORDER: number[] = [];

/**
 * Sorts the first `n` items in place. Both comparators here are total orders (they end on the
 * placement index), so this is the order `Array.prototype.sort` gives, without the work array V8's
 * sort allocates on every call (a resting bar sorts two or three short lists).
 */
function insertionSort<T>(items: (T | undefined)[], n: number, compare: (a: T, b: T) => number): void {
  for (let i = 1; i < n; i++) {
    const item = items[i] as T;
    let j = i;
    while (j > 0 && compare(items[j - 1] as T, item) > 0) {
      items[j] = items[j - 1] as T;
      j -= 1;
    }
    items[j] = item;
  }
}

/** By where the path first passes beyond the fill's price, then rank on its side, then placement. */
function byPathThenRank(a: number, b: number): number {
  return (
    (PLACED_AT[a] as number) - (PLACED_AT[b] as number) ||
    (PLACED_RANK[a] as number) - (PLACED_RANK[b] as number) ||
    (PLACED_FILL[a] as RestingFill).index - (PLACED_FILL[b] as RestingFill).index
  );
}

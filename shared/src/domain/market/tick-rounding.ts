import { DecimalParseError, decimalFromNumber, Rounding } from '../money/decimal';
import { decimalOfUnits, unitsOf } from '../money/decimal-units';
import { type Price, price } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import { integerBandAt, integerTickAt, integerTickBelow } from './integer-grid';
import { type TickTable, tickSizeIn } from './tick-table';

/**
 * How a price is moved onto the grid. `down`/`up` are explicit directions; `nearest` rounds a half tick
 * to the even multiple (103.5 → 104, 102.5 → 102 on a 1 KRW tick), as decimal.js's half-even does, and
 * is used only to draw synthetic books, never to price an order. A bid rounds down and an ask rounds up
 * so the rounded order is never worse for us than intended.
 */
export const TickRounding = { down: 'down', up: 'up', nearest: 'nearest' } as const;
/** One of {@link TickRounding}. */
export type TickRounding = (typeof TickRounding)[keyof typeof TickRounding];

/** Where a price sits: the table in force and optionally the asset (for per-asset overrides) or a known tick. */
export interface TickContext {
  readonly table: TickTable;
  readonly asset?: string;
  /** Tick reported by `GET /orderbook/instruments`; wins over the table when given. */
  readonly tick?: Price;
}

function tickOf(p: Price, ctx: TickContext) {
  return ctx.tick ?? tickSizeIn(ctx.table, p, ctx.asset);
}

/** True when the price is a whole number of ticks of its own band. Upbit rejects anything else. */
export function isOnTick(p: Price, ctx: TickContext): boolean {
  // Whole-won prices on a whole-won band (every KRW price from 100 up) need no decimal arithmetic.
  const x = unitsOf(p, 0);
  if (x !== undefined && x > 0 && x < MAX_GRID) {
    const t = integerTickAt(x, ctx);
    if (t > 0) return x % t === 0;
  }
  if (p.lte(0)) return false;
  return p.mod(tickOf(p, ctx)).isZero();
}

function roundInBand(p: Price, mode: TickRounding, ctx: TickContext): Price {
  const tick = tickOf(p, ctx);
  const units = p.div(tick);
  const whole =
    mode === 'down'
      ? units.toDecimalPlaces(0, Rounding.floor)
      : mode === 'up'
        ? units.toDecimalPlaces(0, Rounding.ceil)
        : units.toDecimalPlaces(0, Rounding.halfEven);
  return whole.times(tick) as Price;
}

/**
 * Rounds a price onto Upbit's tick grid. Rounding down can land in a lower band with a finer tick and
 * rounding up in a higher band with a coarser one, so the result is re-checked in its own band.
 * Idempotent: a price already on the grid is returned unchanged.
 */
export function roundToTick(p: Price, sideOrMode: OrderSide | TickRounding, ctx: TickContext): Price {
  const mode: TickRounding = sideOrMode === 'bid' ? 'down' : sideOrMode === 'ask' ? 'up' : sideOrMode;
  const x = unitsOf(p, 0);
  if (x !== undefined && x > 0 && x < MAX_GRID) {
    const fast = roundOnIntegerGrid(x, mode, ctx);
    if (fast !== undefined) return fast === x ? p : (decimalOfUnits(fast, 0) as Price);
  }
  return roundDecimal(p, mode, ctx);
}

/**
 * `roundToTick(price(decimalFromNumber(x)), sideOrMode, ctx)` for a float (a strategy's hint, a
 * candle's close): the same exact price, computed on the float where the grid allows (see
 * integer-grid.ts) instead of converting the float to a decimal first.
 */
export function roundNumberToTick(x: number, sideOrMode: OrderSide | TickRounding, ctx: TickContext): Price {
  if (!Number.isFinite(x)) throw new DecimalParseError(x);
  const mode: TickRounding = sideOrMode === 'bid' ? 'down' : sideOrMode === 'ask' ? 'up' : sideOrMode;
  if (x > 0 && x < MAX_GRID) {
    const fast = roundOnIntegerGrid(x, mode, ctx);
    if (fast !== undefined) return decimalOfUnits(fast, 0) as Price;
  }
  return roundDecimal(price(decimalFromNumber(x)), mode, ctx);
}

/**
 * `roundNumberToTick(x, sideOrMode, ctx)` as a whole number of won when the grid around x is whole
 * won (the same value; see roundOnIntegerGrid), undefined when the decimal path must decide.
 */
export function roundNumberOnWholeGrid(
  x: number,
  sideOrMode: OrderSide | TickRounding,
  ctx: TickContext,
): number | undefined {
  if (!(Number.isFinite(x) && x > 0 && x < MAX_GRID)) return undefined;
  const mode: TickRounding = sideOrMode === 'bid' ? 'down' : sideOrMode === 'ask' ? 'up' : sideOrMode;
  return roundOnIntegerGrid(x, mode, ctx);
}

/**
 * `roundNumberToTick(x, sideOrMode, ctx).toNumber()` without building a decimal where the grid is
 * whole won: generators and statistics that only need the double (the synthetic benchmark rounds
 * four prices a bar).
 */
export function roundNumberToTickValue(
  x: number,
  sideOrMode: OrderSide | TickRounding,
  ctx: TickContext,
): number {
  if (Number.isFinite(x) && x > 0 && x < MAX_GRID) {
    const mode: TickRounding = sideOrMode === 'bid' ? 'down' : sideOrMode === 'ask' ? 'up' : sideOrMode;
    const fast = roundOnIntegerGrid(x, mode, ctx);
    if (fast !== undefined) return fast;
  }
  return roundNumberToTick(x, sideOrMode, ctx).toNumber();
}

/**
 * The bid and the ask one tick above it around a traded price, as doubles: exactly
 * `roundNumberToTick(traded, 'down', ctx).toNumber()` and `stepTicks(thatBid, 1, ctx).toNumber()`,
 * without building decimals where the grid is whole won (statistics such as the shadow ledger and
 * the synthetic book's float levels only need the numbers).
 */
export function spreadAroundNumber(traded: number, ctx: TickContext): { bid: number; ask: number } {
  if (Number.isFinite(traded) && traded > 0 && traded < MAX_GRID) {
    const bid = roundOnIntegerGrid(traded, 'down', ctx);
    const ask = bid === undefined ? undefined : stepOnIntegerGrid(bid, 1, ctx);
    if (bid !== undefined && ask !== undefined) return new NumberQuote(bid, ask);
  }
  const bid = roundNumberToTick(traded, 'down', ctx);
  return new NumberQuote(bid.toNumber(), stepTicks(bid, 1, ctx).toNumber());
}

/**
 * {@link spreadAroundNumber}'s result. A class of its own whose fields are first defined as NaN (a
 * heap number), so V8 gives them the double representation from the first object: as a plain
 * `{ bid, ask }` literal it shared its hidden class with the decimal quotes of the same keys, and the
 * first number stored there (or a whole-won price after a fractional one) changed that class and threw
 * away the optimised code that had inlined this function (the shadow ledgers' bar step: recompiled
 * twice per backtest).
 */
class NumberQuote {
  bid = Number.NaN;
  ask = Number.NaN;

  constructor(bid: number, ask: number) {
    this.bid = bid;
    this.ask = ask;
  }
}

/**
 * Prices below 2^51 keep every grid point and half-way point an exact double, which the integer
 * path relies on; anything larger (never a KRW price) takes the decimal path.
 */
const MAX_GRID = 2 ** 51;

/**
 * {@link roundToTick} of a positive double on a whole-won grid, or undefined when a band involved
 * has a fractional bound or tick (the caller then takes the decimal path). `x` stands for the
 * decimal of its shortest text, and every grid point and half-way point k·t, k·t + t/2 is an exact
 * double: a double lies on the same side of such a point as that decimal (rounding is monotonic
 * and the point's own text is exact), so comparisons on the double decide exactly as the decimal
 * division would.
 */
function roundOnIntegerGrid(x: number, mode: TickRounding, ctx: TickContext): number | undefined {
  const t = integerTickAt(x, ctx);
  if (!(t > 0)) return undefined;
  if (onMultiple(x, t)) return x;
  let r = roundToMultiple(x, t, mode);
  // Rounding up can reach a coarser band: settle as the decimal path does (at most three passes).
  for (let i = 0; i < 3; i++) {
    if (!(r > 0)) return undefined;
    const t2 = integerTickAt(r, ctx);
    if (!(t2 > 0)) return undefined;
    if (onMultiple(r, t2)) break;
    r = roundToMultiple(r, t2, mode === 'nearest' ? 'down' : mode);
  }
  return r > 0 && r < MAX_GRID ? r : undefined;
}

/**
 * `x % t === 0` for 0 ≤ x < 2^52 and a whole t ≥ 1, without the remainder (a library call on
 * doubles, a third of a bid's cost): a multiple k·t gives x / t = k exactly; otherwise floor(x / t)
 * is a whole number whose product with t is an exact whole multiple of t (below 2^53), so not x.
 */
function onMultiple(x: number, t: number): boolean {
  return Math.floor(x / t) * t === x;
}

/** x rounded to a multiple of the whole number t: down, up, or to the nearest with ties to even. */
function roundToMultiple(x: number, t: number, mode: TickRounding): number {
  let k = Math.floor(x / t);
  while ((k + 1) * t <= x) k += 1;
  while (k * t > x) k -= 1;
  const low = k * t;
  if (mode === 'down' || low === x) return low;
  // One addition for 'up' and 'nearest': the candles' 'nearest' roundings give it feedback before
  // the first compile; an addition of 'up' alone was first run on a run's day 0, after it, and
  // threw the compiled code away ('Insufficient type feedback for binary operation').
  const high = low + t;
  if (mode === 'up') return high;
  const mid = low + t / 2;
  if (x < mid) return low;
  if (x > mid) return high;
  return k % 2 === 0 ? low : high;
}

function roundDecimal(p: Price, mode: TickRounding, ctx: TickContext): Price {
  if (p.isNegative()) throw new RangeError(`price must not be negative, got ${p.toFixed()}`);
  if (isOnTick(p, ctx)) return p;
  let rounded = roundInBand(p, mode, ctx);
  // Band edges are multiples of every coarser tick, so one more pass always settles.
  for (let i = 0; i < 3 && !isOnTick(rounded, ctx); i++)
    rounded = roundInBand(rounded, mode === 'nearest' ? 'down' : mode, ctx);
  if (rounded.isZero()) return tickOf(p, ctx) as Price;
  return rounded;
}

/**
 * Moves a price by `n` ticks (negative = down), staying on the grid across band edges. Stepping down
 * never goes below one tick of the lowest band: a zero or negative price is never a valid order.
 */
export function stepTicks(p: Price, n: number, ctx: TickContext): Price {
  let current = roundToTick(p, n >= 0 ? 'up' : 'down', ctx);
  const x = unitsOf(current, 0);
  if (x !== undefined && x > 0) {
    const fast = stepOnIntegerGrid(x, n, ctx);
    if (fast !== undefined) return fast === x ? current : (decimalOfUnits(fast, 0) as Price);
  }
  for (let i = 0; i < Math.abs(n); i++) {
    if (n > 0) current = current.plus(tickOf(current, ctx)) as Price;
    else {
      // The tick below a band edge is the lower band's, so look it up just under the price.
      const below = tickOf(current.minus(tickOf(current, ctx).div(1e6)) as Price, ctx);
      if (current.lte(below)) break;
      current = current.minus(below) as Price;
    }
  }
  return current;
}

/**
 * {@link stepTicks} on whole-won bands (see {@link roundOnIntegerGrid}), undefined to take the decimal
 * path. For a positive `start` on the grid (roundNumberOnWholeGrid's result) a defined answer is the
 * won of `stepTicks(decimalOfUnits(start, 0), n, ctx)`: that function rounds `start` onto the grid
 * (itself) and takes this very step (exported for the synthetic quotes, which keep the ask as won).
 */
export function stepOnIntegerGrid(start: number, n: number, ctx: TickContext): number | undefined {
  let x = start;
  for (let i = 0; i < Math.abs(n); i++) {
    if (n > 0) {
      const t = integerTickAt(x, ctx);
      if (!(t > 0)) return undefined;
      x += t;
      if (x >= MAX_GRID) return undefined;
    } else {
      const below = integerTickBelow(x, ctx);
      if (!(below > 0)) return undefined;
      if (x <= below) break;
      x -= below;
    }
  }
  return x;
}

/**
 * {@link roundNumberOnWholeGrid} for a run of prices on one tick context (a ladder's layers, bar
 * after bar): the whole-won band around the last price looked up is kept (integerBandAt), and a
 * price inside it rounds on that band's tick without looking the band up again, as long as the
 * result stays inside it too. There roundOnIntegerGrid would find the same tick for the price and
 * for the result (integerBandAt's interval), so it returns the same number; anything else (another
 * band, a result past the band's edge, another context) asks roundNumberOnWholeGrid itself. The
 * context is compared by identity: tick contexts are immutable.
 */
export class WholeGridRounder {
  private ctx: TickContext | undefined = undefined;
  private from = Number.NaN;
  private to = Number.NaN;
  private tick = Number.NaN;

  round(x: number, side: OrderSide, ctx: TickContext): number | undefined {
    if (ctx === this.ctx && x >= this.from && x < this.to && x > 0 && x < MAX_GRID) {
      const t = this.tick;
      if (onMultiple(x, t)) return x;
      const r = roundToMultiple(x, t, side === 'bid' ? 'down' : 'up');
      if (r > 0 && r >= this.from && r < this.to && r < MAX_GRID) return r;
      return roundNumberOnWholeGrid(x, side, ctx);
    }
    const band = Number.isFinite(x) && x > 0 && x < MAX_GRID ? integerBandAt(x, ctx) : undefined;
    if (band !== undefined) {
      this.ctx = ctx;
      this.from = band.from;
      this.to = band.to;
      this.tick = band.tick;
    }
    return roundNumberOnWholeGrid(x, side, ctx);
  }
}

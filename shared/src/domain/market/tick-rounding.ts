import { Rounding } from '../money/decimal';
import type { Price } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import { type TickTable, tickSizeIn } from './tick-table';

/**
 * How a price is moved onto the grid. `down`/`up` are explicit directions; `nearest` ties to the lower
 * tick. A bid rounds down and an ask rounds up so the rounded order is never worse for us than intended.
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

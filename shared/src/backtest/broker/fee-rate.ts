import type { Decimal } from '../../domain/money/decimal';
import { decimalOfUnits, placesOf, unitsOf } from '../../domain/money/decimal-units';
import { type Krw, krw, VOLUME_DECIMALS } from '../../domain/money/quantities';

/**
 * A fee rate (the rules' maker or taker fee, fixed for a run) as a safe integer of units at its own
 * decimals, so that a fill whose value is known in 1e-8 units (a quote layer's won × its units)
 * gets its fee as one integer product: `feeFor(value)` is `productOf(value, rate)`, which is the
 * exact product value × rate (both on short grids: no rounding), and `decimalOfUnits` builds the
 * canonical decimal of a value, so both give the same decimal whenever the integers stay safe.
 */
export class FeeRate {
  /** The rate's units at {@link scale} − 8 decimals; undefined when it is not a positive short decimal. */
  private readonly units: number | undefined;
  /** Decimals of a fee: the value's 8 plus the rate's own. */
  private readonly scale: number;

  constructor(rate: Decimal) {
    const places = placesOf(rate);
    const units = places === undefined || places > 22 ? undefined : unitsOf(rate, places);
    // A zero (or negative) rate keeps decimal.js's zero product: productOf does not take it either.
    this.units = units !== undefined && units > 0 ? units : undefined;
    this.scale = (places ?? 0) + VOLUME_DECIMALS;
  }

  /** The fee of a value of `valueUnits` 1e-8 units (> 0), or undefined when not a safe integer. */
  ofUnits(valueUnits: number): Krw | undefined {
    const fee = this.unitsOf(valueUnits);
    return Number.isNaN(fee) ? undefined : krw(decimalOfUnits(fee, this.scale));
  }

  /**
   * {@link ofUnits}' fee as its units at {@link feeScale} (the integer its decimal is built from),
   * NaN where ofUnits is undefined.
   */
  unitsOf(valueUnits: number): number {
    const rate = this.units;
    if (rate === undefined) return Number.NaN;
    const fee = valueUnits * rate;
    return Number.isSafeInteger(fee) ? fee : Number.NaN;
  }

  /** The decimals of a fee's units (see {@link unitsOf}). */
  get feeScale(): number {
    return this.scale;
  }
}

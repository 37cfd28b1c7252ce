import { ZERO } from '../../domain/money/decimal';
import { sumOf } from '../../domain/money/decimal-sums';
import { lowPlace } from '../../domain/money/decimal-three-sums';
import { type DecimalLayout, decimalOfUnits } from '../../domain/money/decimal-units';
import { type Krw, krw } from '../../domain/money/quantities';

const PRECISION = 40;

/**
 * The broker's running total of fees, `Σ sumOf(total, fee)` fill by fill, read only at a run's end
 * (and by tests). A quote layer's fee is known as a safe integer of units at its scale (FeeRate), so
 * a run of such fees is added as one integer and folded into the decimal when the total is read or a
 * fee comes that is not so: one exact sum a fold instead of one (and one decimal) a fill.
 *
 * The same decimal: fees are non-negative, so every partial sum of the fill-by-fill order lies
 * between the total before the run and the total after it, with no digit below the lower of the
 * total's lowest place and 10^-scale. A run is started only when that span (top taken at the
 * largest the units can reach, 2^53 units, plus a carry) is within decimal.js's 40 digits: then
 * every one of those sums, and the fold's one sum, is exact, and an exact value has one decimal.
 */
export class FeeTotal {
  #total: Krw = krw(ZERO);
  /** Fees added since the last fold, in units of 10^-{@link scale}; 0 for none. */
  #units = 0;
  #scale = 0;

  /** The total so far (folds the pending units). */
  get total(): Krw {
    this.fold();
    return this.#total;
  }

  /**
   * Adds one fill's fee: `units` its units at `scale` when its decimal was built from them
   * (`fee` = decimalOfUnits(units, scale)), NaN when not.
   */
  add(fee: Krw, units: number, scale: number): void {
    if (units > 0 && Number.isSafeInteger(units)) {
      const pending = this.#units;
      if (pending === 0 ? this.runFits(scale) : scale === this.#scale) {
        const next = pending + units;
        if (Number.isSafeInteger(next)) {
          this.#units = next;
          this.#scale = scale;
          return;
        }
      }
    }
    this.fold();
    this.#total = krw(sumOf(this.#total, fee));
  }

  /** True when a run of fees at `scale` onto the current total keeps every sum exact (class comment). */
  private runFits(scale: number): boolean {
    if (!(Number.isInteger(scale) && scale >= 0 && scale <= 22)) return false;
    const t = this.#total as unknown as DecimalLayout;
    if (t.d === null || t.s < 0) return false;
    const top = Math.max(t.e, 15 - scale) + 2;
    const low = Math.min(lowPlace(t.e, t.d.length), -scale);
    return top - low + 1 <= PRECISION;
  }

  private fold(): void {
    if (this.#units === 0) return;
    this.#total = krw(sumOf(this.#total, decimalOfUnits(this.#units, this.#scale)));
    this.#units = 0;
  }
}

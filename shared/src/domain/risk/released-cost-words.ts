import type { Decimal } from '../money/decimal';
import { assemble, type DecimalLayout, unitsOf } from '../money/decimal-units';
import { floorQuotient } from '../money/floor-quotient';

const WORD = 7;
const BASE = 1e7;
/** Exact powers of ten below a word. */
const POW10: readonly number[] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
/**
 * Largest sold volume (in 1e-8 units) multiplied word by word: a word (< 10^7) times it plus the
 * carry stays below 2^53. 2^26 units is 0.67 of a coin.
 */
const MAX_SOLD_UNITS = 2 ** 26;
/** Largest held volume (in 1e-8 units) divided by: a remainder times 10^7 plus a word stays below 2^53. */
const MAX_HELD_UNITS = 9e8;
/** Most words a cost spans here (its top word down to the rounding place's word, 98 digits). */
const MAX_WORDS = 14;
// Working words of one division (cost × sold, then the quotient, top first), reused.
const scratch: number[] = new Array(MAX_WORDS + 3).fill(0);

/**
 * `releasedCostOf(cost, sold, held, places)` (cost × sold ÷ held rounded half-even once to `places`
 * decimals) on safe integers, for the common case: a positive cost whose digits stop at or above
 * the rounding place's word, and 8-decimal volumes small enough for exact word arithmetic (sold
 * ≤ 2^26 units, held ≤ 9·10^8 units: every market-making position in BTC). The cost's base-10^7
 * words are multiplied by the sold units with a carry, divided by the held units from the top
 * with a remainder, and the quotient is rounded at the `places`-th decimal from its discarded
 * digits and the remainder, ties to even: the exact rational and one rounding, as the BigInt
 * division does, and the result in decimal.js's layout. Undefined when the operands fall outside
 * that case (the caller then takes the BigInt path).
 */
export function releasedCostByWords(
  cost: Decimal,
  sold: Decimal,
  held: Decimal,
  places: number,
): Decimal | undefined {
  const c = cost as unknown as DecimalLayout;
  const cd = c.d;
  if (cd === null || c.s < 0 || cd[0] === 0 || !(places >= 0 && places <= 60)) return undefined;
  const s = unitsOf(sold, 8);
  const h = unitsOf(held, 8);
  if (s === undefined || h === undefined || !(s >= 1 && s <= MAX_SOLD_UNITS && h >= 1 && h <= MAX_HELD_UNITS))
    return undefined;
  // Word k holds the digits of 10^(7k) … 10^(7k+6); the rounding place −places lies in word kRound.
  const kRound = Math.floor(-places / WORD);
  const unit = POW10[-places - WORD * kRound] as number;
  const kTop = Math.floor(c.e / WORD);
  const kLow = kTop - cd.length + 1;
  // Two more words on top for the product's carry (sold units < 10^14).
  const n = kTop - kRound + 3;
  if (kLow < kRound || n > scratch.length) return undefined;
  const w = scratch;
  // cost × sold, lowest word first into w[n − 1] … w[0] (w[0] the top carry word).
  let carry = 0;
  for (let j = n - 1; j >= 0; j--) {
    const k = kTop + 2 - j;
    const word = k <= kTop && k >= kLow ? (cd[kTop - k] as number) : 0;
    const v = word * s + carry;
    // v < 2^53: the quotient is exact (floorQuotient), and so is the remainder.
    carry = floorQuotient(v, BASE);
    w[j] = v - carry * BASE;
  }
  if (carry !== 0) return undefined;
  // ÷ held from the top word: rem < held, so rem·10^7 + word < 9·10^15 < 2^53 (exact).
  let rem = 0;
  for (let j = 0; j < n; j++) {
    const v = rem * BASE + (w[j] as number);
    // As above: v + h < 2^53.
    const q = floorQuotient(v, h);
    rem = v - q * h;
    w[j] = q;
  }
  // Round the last word (kRound) at `unit`: discarded = its digits below unit + rem / held.
  const lastWord = w[n - 1] as number;
  const below = lastWord % unit;
  const kept = lastWord - below;
  // Compare discarded with unit / 2, all × 2·held: (below·held + rem)·2 against unit·held.
  const twice = (below * h + rem) * 2;
  const half = unit * h;
  const up = twice > half || (twice === half && Math.floor(kept / unit) % 2 === 1);
  // Rounding up may carry into the words above (…9999999 + 1).
  let j = n - 1;
  let v = up ? kept + unit : kept;
  while (v >= BASE) {
    w[j] = v - BASE;
    j -= 1;
    if (j < 0) return undefined;
    v = (w[j] as number) + 1;
  }
  w[j] = v;
  return layoutOf(w, n, kRound);
}

/**
 * The decimal of the words w[0 … n − 1] (top first, the last one word kRound), in decimal.js's
 * layout: no leading or trailing zero words, the exponent of the leading digit. Zero as
 * `decimalOfUnits(0, places)` does it (`releasedCostOf`'s zero).
 */
function layoutOf(w: number[], n: number, kRound: number): Decimal {
  let first = 0;
  while (first < n && w[first] === 0) first += 1;
  if (first === n) return assemble(1, 0, [0]);
  let last = n - 1;
  while (w[last] === 0) last -= 1;
  const top = w[first] as number;
  let digits = 1;
  while (digits < WORD && top >= (POW10[digits] as number)) digits += 1;
  const kFirst = kRound + (n - 1 - first);
  const d: number[] = [];
  for (let j = first; j <= last; j++) d.push((w[j] as number) | 0);
  return assemble(1, WORD * kFirst + digits - 1, d);
}

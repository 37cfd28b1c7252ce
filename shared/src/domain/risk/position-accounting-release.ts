import { Decimal } from '../money/decimal';
import { type DecimalLayout, decimalOfUnits } from '../money/decimal-units';
import { releasedCostByWords } from './released-cost-words';

/**
 * The cost a partial sell releases, `cost × sold ÷ held`, rounded half-even to `places` decimals
 * ONCE, on the exact rational. decimal.js cannot do this: `cost.times(sold)` rounds to 40
 * significant digits (a 20-place cost × an 8-place volume has up to ~48) and `.div(held)` rounds to
 * 40 again before `toDecimalPlaces` rounds a third time, so a quotient that sits on (or within
 * 1e-40 relative of) a half-unit at the last place could come out one unit off: 1e-20 KRW more cost
 * left in the position. Here every operand is read exactly as an integer of its own decimal.js words
 * and the one division is a BigInt one with an explicit half-even tie rule.
 *
 * The result has the value (and so, decimal.js's layout being canonical, the text) of
 * `new Decimal(units + 'e-' + places)`; it is the old three-rounding result whenever those agreed,
 * which is every case but such ties. Operands must be finite; `held` nonzero.
 */
export function releasedCostOf(cost: Decimal, sold: Decimal, held: Decimal, places: number): Decimal {
  // The same rounding on safe-integer words when the operands allow (every market-making fill).
  const byWords = releasedCostByWords(cost, sold, held, places);
  if (byWords !== undefined) return byWords;
  const c = exactOf(cost);
  const s = exactOf(sold);
  const h = exactOf(held);
  if (h.units === 0n) throw new RangeError('releasedCostOf: the holding is zero');
  if (c.units === 0n || s.units === 0n) return decimalOfUnits(0, places);
  // cost × sold ÷ held × 10^places = (C·S ÷ H) × 10^(kc + ks − kh + places), all integers.
  const shift = c.exponent + s.exponent - h.exponent + places;
  let num = c.units * s.units;
  let den = h.units;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const negative = num < 0n !== den < 0n;
  if (num < 0n) num = -num;
  if (den < 0n) den = -den;
  let q = num / den;
  const twiceRest = (num - q * den) * 2n;
  if (twiceRest > den || (twiceRest === den && (q & 1n) === 1n)) q += 1n;
  if (negative) q = -q;
  return q >= MIN_SAFE && q <= MAX_SAFE ? decimalOfUnits(Number(q), places) : new Decimal(`${q}e-${places}`);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const WORD_BASE = 10n ** 7n;

/** A finite decimal as `units × 10^exponent` (units a signed BigInt), read from decimal.js's words. */
function exactOf(x: Decimal): { units: bigint; exponent: number } {
  const { s, e, d } = x as unknown as DecimalLayout;
  if (d === null) throw new RangeError(`releasedCostOf: ${x.toString()} is not finite`);
  // Words are base 10^7, the first holding the digits of 10^(7·floor(e/7)) upwards.
  let units = 0n;
  for (const w of d) units = units * WORD_BASE + BigInt(w);
  return { units: s < 0 ? -units : units, exponent: 7 * (Math.floor(e / 7) - (d.length - 1)) };
}

import type { Decimal } from './decimal';
import type { DecimalLayout } from './decimal-units';

/**
 * `numberOf(x.div(y))` — the double of decimal.js's quotient at its 40 significant digits (rounded
 * half-even, the project's Decimal settings) — without decimal.js's long division. The backtest
 * converts a position's average entry (cost at up to 20 decimals ÷ volume at 8) to a double after
 * every fill, and decimal.js's division of such operands costs several microseconds and a dozen
 * intermediate objects.
 *
 * Method, exact throughout: x = mx · 10^lx and y = my · 10^ly with mx, my the integers of their
 * digit words (see `decimal-units.ts` for decimal.js's layout). Q = ⌊mx · 10^s / my⌋ with s chosen
 * so that Q has 42 or 43 digits; Q's digits beyond the 40th, and whether the long division left a
 * remainder, decide the half-even rounding to 40 digits exactly as decimal.js's correctly rounded
 * division does. The 40-digit result q · 10^k is then read by the platform's decimal parser
 * (`Number("qek")`), which is correctly rounded, ties to even: the same double as decimal.js's
 * `toNumber` of the same value (it prints the value and parses it). Zero gives +0 as `numberOf`.
 * Non-finite operands, a zero divisor and exponents beyond ±1e6 go through decimal.js.
 */
export function quotientNumber(x: Decimal, y: Decimal): number {
  const text = quotientText(x, y);
  if (text === undefined) {
    const q = x.div(y).toNumber();
    // numberOf's +0 for −0.
    return q === 0 ? 0 : q;
  }
  return text === '0' ? 0 : Number(text);
}

/**
 * decimal.js's `x.div(y)` (40 significant digits, half-even) as the text `[-]digitsEexponent`, exact
 * ("0" for a zero dividend), or undefined where decimal.js must decide (see {@link quotientNumber}).
 */
export function quotientText(x: Decimal, y: Decimal): string | undefined {
  const a = x as unknown as DecimalLayout;
  const b = y as unknown as DecimalLayout;
  const ad = a.d;
  const bd = b.d;
  if (ad === null || bd === null || bd[0] === 0 || !(Math.abs(a.e) < 1e6 && Math.abs(b.e) < 1e6))
    return undefined;
  if (ad[0] === 0) return '0';
  const mx = wordsInteger(ad);
  const my = wordsInteger(bd);
  // Exponent of each integer's lowest digit, and its number of digits (trailing zeros inside the
  // last word included: they are digits of the integer).
  const lx = WORD * (Math.floor(a.e / WORD) - ad.length + 1);
  const ly = WORD * (Math.floor(b.e / WORD) - bd.length + 1);
  const digitsX = a.e - lx + 1;
  const digitsY = b.e - ly + 1;
  // mx · 10^s has digitsY + 42 digits, so mx · 10^s / my lies in [10^41, 10^43).
  const s = QUOTIENT_DIGITS - (digitsX - digitsY);
  const numerator = s >= 0 ? mx * pow10(s) : mx;
  const denominator = s >= 0 ? my : my * pow10(-s);
  const q = numerator / denominator;
  const sticky = numerator - q * denominator !== 0n;
  const extra = q >= TEN_POW_42 ? 3 : 2;
  const unit = extra === 3 ? 1000n : 100n;
  let kept = q / unit;
  const dropped = q - kept * unit;
  const half = unit / 2n;
  if (dropped > half || (dropped === half && (sticky || (kept & 1n) === 1n))) kept += 1n;
  const exponent = extra - s + lx - ly;
  return `${a.s * b.s < 0 ? '-' : ''}${kept}e${exponent}`;
}

const WORD = 7;
/** Digits of the long division's integer quotient (at least 42: two beyond decimal.js's 40). */
const QUOTIENT_DIGITS = 42;
const TEN_POW_42 = 10n ** 42n;
const PAIR_BASE = 100_000_000_000_000n;
const POWERS: bigint[] = [];

function pow10(n: number): bigint {
  if (n < 64) {
    let p = POWERS[n];
    if (p === undefined) {
      p = 10n ** BigInt(n);
      POWERS[n] = p;
    }
    return p;
  }
  return 10n ** BigInt(n);
}

/** The integer whose base-10^7 digits are `d` (two words per step: 10^14 is below 2^53). */
function wordsInteger(d: readonly number[]): bigint {
  const n = d.length;
  let m = 0n;
  let j = 0;
  if ((n & 1) === 1) {
    m = BigInt(d[0] as number);
    j = 1;
  }
  for (; j < n; j += 2) m = m * PAIR_BASE + BigInt((d[j] as number) * 1e7 + (d[j + 1] as number));
  return m;
}

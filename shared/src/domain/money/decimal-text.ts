import type { Decimal } from './decimal';
import type { DecimalLayout } from './decimal-units';

const WORD = 7;
/** Zeros that pad a word's digits (a number below 10^7) to seven. */
const PAD: readonly string[] = Array.from({ length: WORD + 1 }, (_, i) => '0'.repeat(i));

/**
 * `x.toFixed()` (plain notation, every digit, no exponent; "0" for ±0), the same text, from the
 * value's words without decimal.js's generic printing: a backtest prints four decimals per fill
 * (price, volume, fee, PnL) and decimal.js's `toFixed` cost ~1 µs each. Up to two words (14 digits)
 * the digits are one safe integer's text; longer values are printed word by word as decimal.js
 * does. NaN and infinities go through `toFixed`.
 */
export function fixedText(x: Decimal): string {
  const { s, e, d } = x as unknown as DecimalLayout;
  if (d === null) return x.toFixed();
  const top = d[0] as number;
  if (top === 0) return '0';
  const last = d.length - 1;
  let digits: string;
  if (last <= 1) {
    // Below 10^14: exact. The last word is never 0 (decimal.js trims zero words), so the trailing
    // zeros removed are that word's own, as decimal.js removes them.
    let n = last === 0 ? top : top * 1e7 + (d[1] as number);
    for (let q = Math.floor(n / 10); q * 10 === n; q = Math.floor(n / 10)) n = q;
    digits = String(n);
  } else {
    digits = String(top);
    for (let j = 1; j <= last; j++) {
      const w = String(d[j]);
      digits += (PAD[WORD - w.length] as string) + w;
    }
    let end = digits.length;
    while (digits.charCodeAt(end - 1) === 48) end -= 1;
    if (end < digits.length) digits = digits.slice(0, end);
  }
  const k = digits.length;
  let text: string;
  if (e < 0) text = `0.${'0'.repeat(-e - 1)}${digits}`;
  else if (e >= k) text = digits + '0'.repeat(e + 1 - k);
  else if (e + 1 < k) text = `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
  else text = digits;
  return s < 0 ? `-${text}` : text;
}

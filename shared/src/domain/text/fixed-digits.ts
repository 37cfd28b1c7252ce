// Powers of ten for the digits fixedDigits formats on its fast path.
const SCALE = [1, 10, 100] as const;

// The fast path's bound on |x| × 10^digits: every integer and half-integer below it is a double.
const MAX_SCALED = 1e9;
// Belt and braces: how far from a tie the scaled double must be to be rounded here (see below).
const HALF_MARGIN = 1e-6;

/**
 * `x.toFixed(digits)` for 0–2 digits, the very text, without the runtime call `toFixed` makes
 * (market making formats five numbers into every bar's signal reason, and that call was the
 * largest single line of its quote step). `toFixed` picks the integer n nearest to x × 10^digits
 * in exact arithmetic (the larger on a tie). Below 1e9 every tie k + ½ is a double and rounding is
 * monotonic, so the double x × 10^digits lies on the same side of each tie as the exact product:
 * its fractional part below ½ means n = k, above ½ means n = k + 1. Anything else (on or within
 * `HALF_MARGIN` of a tie, |x| × 10^digits ≥ 1e9, NaN, ±∞) is `toFixed` itself.
 */
export function fixedDigits(x: number, digits: 0 | 1 | 2): string {
  const negative = x < 0;
  const a = negative ? -x : x;
  const scale = SCALE[digits];
  const y = a * scale;
  if (!(y < MAX_SCALED)) return x.toFixed(digits);
  const whole = Math.floor(y);
  const frac = y - whole;
  let n: number;
  if (frac < 0.5 - HALF_MARGIN) n = whole;
  else if (frac > 0.5 + HALF_MARGIN) n = whole + 1;
  else return x.toFixed(digits);
  // toFixed writes "-" for every x < 0, even when the digits are all zero ("-0.0"); -0 is not < 0.
  const sign = negative ? '-' : '';
  if (digits === 0) return sign + wholeText(n);
  const int = Math.floor(n / scale);
  const rest = n - int * scale;
  return sign + wholeText(int) + (digits === 1 ? TENTHS : HUNDREDTHS)[rest];
}

// The texts of small whole numbers, made once each (a signal's numbers are mostly small).
const SMALL = 10_000;
const smallTexts: (string | undefined)[] = new Array<string | undefined>(SMALL).fill(undefined);

function wholeText(n: number): string {
  if (n >= SMALL) return String(n);
  let t = smallTexts[n];
  if (t === undefined) {
    t = String(n);
    smallTexts[n] = t;
  }
  return t;
}

// ".0"–".9" and ".00"–".99": the fraction's text by its digits.
const TENTHS: readonly string[] = Array.from({ length: 10 }, (_, i) => `.${i}`);
const HUNDREDTHS: readonly string[] = Array.from({ length: 100 }, (_, i) => `.${i < 10 ? '0' : ''}${i}`);

/**
 * The correctly rounded double of a decimal with more than 15 significant digits (a position's cost
 * at 20 decimals, a PnL, an exposure sum with the taker fee), without decimal.js's `toNumber`, which
 * prints the decimal to text and parses it back: about a microsecond and a string of garbage per
 * call, and the simulation converts such sums on every bar (the strategies' PnL curves, the
 * strategy context). Read from decimal.js's layout (sign `s`, exponent `e` of the leading digit,
 * base-10^7 words `d` aligned on multiples of 7 in the exponent; see `decimal-units.ts`).
 *
 * Method: the value is v = (H + t) / P with H its top 15 digits (an exact double below 10^15),
 * t < 1 the digits below them and P = 10^q (q ≤ 22, exact). a = H / P is one correctly rounded
 * division, whose remainder rr = H − a·P is exact (Dekker's product, no fused multiply-add in
 * JavaScript); the correction c = (rr + t) / P is then known to a tiny absolute error E, and
 * a + c is rounded with its exact rounding error (Knuth's two-sum). When that error is further than
 * E from half a gap between doubles, the double nearest to v is certain: the one `toNumber` returns
 * (parsing is correctly rounded, ties to even). Otherwise, and for whatever falls outside the
 * method's range, undefined: the caller asks decimal.js. `decimal-doubles.test.ts` compares both on
 * random decimals and on decimals a hair from a tie between two doubles.
 */

const WORD = 7;
/** Significant digits of H: below 10^15, so an exact double and exactly divisible by P's grid. */
const HEAD_DIGITS = 15;
/** 10^0 … 10^22, each exact as a double. */
const EXACT_POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** 10^-i for i in 0 … 60, each the nearest double (for t, which only needs a relative 2^-50). */
const NEG_POW10: readonly number[] = Array.from({ length: 61 }, (_, i) => Number(`1e-${i}`));
/** Longest digit string read (decimal.js results have at most 40 digits; parsed text may have more). */
const MAX_DIGITS = 50;
/** Dekker's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134_217_729;
/** Relative bound on the correction's rounding errors, with a wide margin (they are ~2^-51). */
const CORRECTION_ERROR = 2 ** -46;

// The bits of a double, to find the gaps around a result (little or big endian alike).
const bits = new Float64Array(1);
const halves = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** decimal.js's own fields of a finite nonzero value. */
export interface Layout {
  readonly s: number;
  readonly e: number;
  readonly d: readonly number[];
}

/**
 * The double nearest to a finite, nonzero decimal of more than 15 significant digits with digits
 * after the point, when certain (see the module comment); undefined otherwise.
 */
export function longDecimalToDouble(x: Layout): number | undefined {
  const d = x.d;
  const last = d.length - 1;
  const w0 = Math.floor(x.e / WORD);
  // Exponent of the last word's lowest digit; trailing zeros inside it count as digits here.
  const lowest = WORD * (w0 - last);
  const digits = x.e - lowest + 1;
  if (digits <= HEAD_DIGITS || digits > MAX_DIGITS || lowest >= 0) return undefined;
  // H's lowest digit sits at exponent −q: v = (H + t) · 10^−q.
  const q = -lowest - (digits - HEAD_DIGITS);
  if (q < 0 || q > 22) return undefined;
  const split = -q;
  let head = 0;
  let tail = 0;
  for (let j = 0; j <= last; j++) {
    const w = d[j] as number;
    const p = WORD * (w0 - j);
    if (p >= split) head = head * 1e7 + w;
    else if (p + WORD > split) {
      const r = split - p;
      const scale = EXACT_POW10[r] as number;
      const high = ((w | 0) / scale) | 0;
      head = head * (EXACT_POW10[WORD - r] as number) + high;
      tail += (w - high * scale) * (NEG_POW10[r] as number);
    } else tail += w * (NEG_POW10[split - p] as number);
  }
  const pow = EXACT_POW10[q] as number;
  const a = head / pow;
  // a · pow = ph + pl exactly (Dekker), so rr = head − a · pow exactly: head − ph is exact
  // (Sterbenz: ph is within a relative 2^-52 of head) and the remainder of a correctly rounded
  // division is a double, so subtracting pl rounds nothing.
  const ph = a * pow;
  const as = SPLITTER * a;
  const ah = as - (as - a);
  const al = a - ah;
  const ps = SPLITTER * pow;
  const pwh = ps - (ps - pow);
  const pwl = pow - pwh;
  const pl = ah * pwh - ph + ah * pwl + al * pwh + al * pwl;
  const rr = head - ph - pl;
  const c = (rr + tail) / pow;
  const bound = ((Math.abs(rr) + 2) * CORRECTION_ERROR) / pow;
  // res + err = a + c exactly (two-sum).
  const res = a + c;
  const bb = res - a;
  const err = a - (res - bb) + (c - bb);
  // The gap to the next smaller double: one ulp, or half of one when res is a power of two.
  bits[0] = res;
  const high = halves[HIGH] as number;
  const exponent = (high >>> 20) & 0x7ff;
  if (exponent <= 53 || exponent === 0x7ff) return undefined;
  const powerOfTwo = (high & 0xfffff) === 0 && halves[1 - HIGH] === 0;
  halves[HIGH] = (exponent - 52) << 20;
  halves[1 - HIGH] = 0;
  const ulp = bits[0] as number;
  const gap = powerOfTwo ? ulp / 2 : ulp;
  if (!(Math.abs(err) + bound < gap / 2)) return undefined;
  return x.s < 0 ? -res : res;
}

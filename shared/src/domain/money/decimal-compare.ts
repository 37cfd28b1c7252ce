import type { Decimal } from './decimal';
import { approximately, type DecimalLayout } from './decimal-units';

// Comparisons of decimals without decimal.js's allocations: read from both layouts, or decided on
// doubles with a proven margin and decimal.js's own answer inside it. Split from decimal-units.ts,
// whose layout notes they rely on.

/**
 * `x.isZero()` (decimal.js: `!!x.d && x.d[0] === 0`), read from the layout in one shared function.
 * Decimals come in two classes (decimal.js's constructor makes one, `assemble` the other), and a
 * hot caller that had met only one when TurboFan compiled it threw its code away at the first of
 * the other: a position's volume, read this way by the engine's equity and exit gates (days 1–2 of
 * a market-making year) and the broker's held positions and exposure (~day 50). Each caller's own
 * `isZero` load kept its own feedback; here every caller shares one, which sees both classes at once.
 */
export function decimalIsZero(x: Decimal): boolean {
  const d = (x as unknown as DecimalLayout).d;
  return d !== null && d[0] === 0;
}

/**
 * `x.cmp(y)` (1, −1, 0, or NaN when either is NaN), read from both layouts without what decimal.js
 * does first: copy `y` into a new decimal (allocating and slicing its digits) on every comparison.
 * The same steps as decimal.js's `comparedTo`; non-finite values and exponents beyond ±10^15
 * (where the copy would clamp) are left to decimal.js.
 */
export function compareDecimals(x: Decimal, y: Decimal): number {
  const a = x as unknown as DecimalLayout;
  const b = y as unknown as DecimalLayout;
  const xd = a.d;
  const yd = b.d;
  if (xd === null || yd === null || !(Math.abs(a.e) < 1e15 && Math.abs(b.e) < 1e15)) return x.cmp(y);
  const xs = a.s;
  const ys = b.s;
  // The sign tests are made here, on every call, not on the rare branches that use them: an
  // operation V8 has never seen run has no type feedback, and reaching it in optimised code throws
  // that code away (a deoptimisation and a recompile per run). Signs are 1 or −1 here (d is set).
  const xNegative = xs < 0;
  const yNegative = ys < 0;
  if (!xd[0] || !yd[0]) return xd[0] ? xs : yd[0] ? (yNegative ? 1 : -1) : 0;
  if (xs !== ys) return xs;
  if (a.e !== b.e) return a.e > b.e !== xNegative ? 1 : -1;
  const xdL = xd.length;
  const ydL = yd.length;
  // Likewise the length test, needed only when every shared word is equal and the lengths differ.
  const xLonger = xdL > ydL;
  const n = xLonger ? ydL : xdL;
  for (let i = 0; i < n; i++) {
    const xi = xd[i] as number;
    const yi = yd[i] as number;
    if (xi !== yi) return xi > yi !== xNegative ? 1 : -1;
  }
  // Branches on the two booleans, not `xLonger !== xNegative`: that comparison would be a new one.
  if (xdL === ydL) return 0;
  if (xLonger) return xNegative ? -1 : 1;
  return xNegative ? 1 : -1;
}

/** `x.gt(y)` without decimal.js's copy of `y` (see {@link compareDecimals}). */
export function decimalGt(x: Decimal, y: Decimal): boolean {
  return compareDecimals(x, y) > 0;
}

/** `x.lt(y)` without decimal.js's copy of `y`. */
export function decimalLt(x: Decimal, y: Decimal): boolean {
  return compareDecimals(x, y) < 0;
}

/** `x.gte(y)` without decimal.js's copy of `y`. */
export function decimalGte(x: Decimal, y: Decimal): boolean {
  const k = compareDecimals(x, y);
  return k === 1 || k === 0;
}

/** `x.lte(y)` without decimal.js's copy of `y`. */
export function decimalLte(x: Decimal, y: Decimal): boolean {
  return compareDecimals(x, y) < 1;
}

/**
 * `a.plus(b).gt(limit)` without building the sum: decided on doubles when the double sum is more
 * than 1e-9 × (|a| + |b| + |limit|) away from the limit (each double is within a few ulps, ~1e-15
 * relative, of its decimal, so the decision is certain; not so for magnitudes near the ends of the
 * double range, which always go to decimal.js), otherwise by decimal.js. For limit checks
 * that run on every order (exposure after a lock) and almost never sit at the limit.
 */
export function sumExceeds(a: Decimal, b: Decimal, limit: Decimal): boolean {
  const x = approximately(a);
  const y = approximately(b);
  const l = approximately(limit);
  const gap = x + y - l;
  const margin = 1e-9 * (Math.abs(x) + Math.abs(y) + Math.abs(l));
  // Near the double range's ends (subnormals, overflow) the doubles are not that close: decimal.
  if (!(margin >= 1e-250 && margin < 1e250)) return a.plus(b).gt(limit);
  if (gap > margin) return true;
  if (gap < -margin) return false;
  return a.plus(b).gt(limit);
}

/** Zero or a magnitude well inside the double range (no closure per call: see shortfallReaches). */
function inRange(v: number): boolean {
  return v === 0 || (Math.abs(v) >= 1e-250 && Math.abs(v) < 1e250);
}

/**
 * `a.minus(b).div(a).gte(limit)` for a > 0 (a loss fraction against its limit) without the
 * division: the double quotient q is within ~1e-15 × (2 + 2|q|) of the exact one (a and b each
 * within a few ulps), so it decides when it is more than 1e-9 × (1 + |q|) from the limit; closer,
 * or with magnitudes near the ends of the double range, the decimal expression itself decides.
 */
export function shortfallReaches(a: Decimal, b: Decimal, limit: Decimal): boolean {
  const x = approximately(a);
  const y = approximately(b);
  const l = approximately(limit);
  const q = (x - y) / x;
  if (x > 0 && inRange(x) && inRange(y) && inRange(l) && Number.isFinite(q)) {
    const margin = 1e-9 * (1 + Math.abs(q));
    if (q - l > margin) return true;
    if (q - l < -margin) return false;
  }
  return a.minus(b).div(a).gte(limit);
}

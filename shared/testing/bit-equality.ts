/**
 * The first index where two lists of doubles differ as `Object.is` sees them (NaN equal to NaN, -0
 * apart from 0, which `toEqual` on typed arrays would not tell), the shorter length when one is a
 * prefix of the other, or -1 when they are the same throughout. For property tests that promise
 * the very same floating-point operations as a reference: one assertion per case instead of one per
 * entry (which cost seconds), and a failure names where the lists part.
 */
export function firstBitDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

import fc from 'fast-check';
import { firstBitDifference } from '../../../testing/bit-equality';
import { householderStep } from './householder';

// One reflection column by column with vᵀv from its own pass: what the blocked step does (each
// block of four "exactly as one column would", vᵀv summed in the same order inside the first dot
// product), so the two must agree bit for bit on every entry and on the returned α.
function referenceStep(a: Float64Array, n: number, cols: number, j: number): number {
  const off = j * n;
  let sq = 0;
  for (let i = off + j; i < off + n; i++) sq += (a[i] as number) * (a[i] as number);
  const norm = Math.sqrt(sq);
  if (norm === 0) throw new Error('dependent');
  const ajj = a[off + j] as number;
  const alpha = ajj > 0 ? -norm : norm;
  a[off + j] = ajj - alpha;
  let vv = 0;
  for (let i = j; i < n; i++) vv += (a[off + i] as number) * (a[off + i] as number);
  for (let c = j + 1; c < cols; c++) {
    const t = c * n;
    let dot = 0;
    for (let i = j; i < n; i++) dot += (a[off + i] as number) * (a[t + i] as number);
    const f = (2 * dot) / vv;
    for (let i = j; i < n; i++) a[t + i] = (a[t + i] as number) - f * (a[off + i] as number);
  }
  return alpha;
}

const anyCase = fc
  .record({ n: fc.integer({ min: 1, max: 40 }), cols: fc.integer({ min: 1, max: 22 }), jFrom: fc.nat() })
  .chain(({ n, cols, jFrom }) =>
    fc
      .array(fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(0)), {
        minLength: n * cols,
        maxLength: n * cols,
      })
      .map((values) => ({ n, cols, j: jFrom % Math.min(n, cols), a: Float64Array.from(values) })),
  );

describe('householderStep', () => {
  it('reflects every column after j as one column at a time would, bit for bit', () => {
    let wide = 0;
    fc.assert(
      fc.property(anyCase, ({ n, cols, j, a }) => {
        const ours = a.slice();
        const ref = a.slice();
        let refAlpha: number;
        try {
          refAlpha = referenceStep(ref, n, cols, j);
        } catch {
          expect(() => householderStep(ours, n, cols, j)).toThrow(/linearly dependent/);
          return;
        }
        if (cols - j - 1 >= 8) wide++;
        expect(Object.is(householderStep(ours, n, cols, j), refAlpha)).toBe(true);
        expect(firstBitDifference(ours, ref)).toBe(-1);
      }),
      { seed: 20261207, numRuns: 1500 },
    );
    // Two or more blocks of four after j: the loop that once ran only in wide regressions.
    expect(wide).toBeGreaterThan(100);
  });
});

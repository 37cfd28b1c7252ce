import fc from 'fast-check';
import { fitOfMatrix, olsOfMatrix, tValueOfMatrix } from './ols';

/*
 * The lean fits (Engle–Granger's first step and the OU fit read only coefficients, residuals and
 * SSR; ADF reads one t-value) must give olsOfMatrix's doubles bit for bit: stat_arb's verdicts and
 * the backtests' results depend on them. Compared with Object.is over random designs, from
 * well-conditioned to nearly collinear, and over the rank-deficient ones both must refuse.
 */

/** A column-major [X | y] of n rows and k regressors: a random walk's lags, noise and a constant. */
function design(n: number, k: number, seed: number, collinear: number): Float64Array {
  let s = seed;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const a = new Float64Array(n * (k + 1));
  let level = rnd() * 1e3;
  for (let i = 0; i < n; i++) {
    level += rnd();
    a[i] = 1;
    for (let j = 1; j < k; j++)
      a[j * n + i] = j % 2 === 1 ? level + collinear * rnd() : (a[(j - 1) * n + i] as number) * 0.5 + rnd();
    a[k * n + i] = 0.3 * level + rnd();
  }
  return a;
}

const caseArb = fc.record({
  n: fc.integer({ min: 2, max: 260 }),
  k: fc.integer({ min: 1, max: 16 }),
  seed: fc.integer({ min: 1, max: 2147483646 }),
  collinear: fc.constantFrom(1, 1e-3, 1e-9, 0),
});

function outcome<T>(f: () => T): { value?: T; error?: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: String(e) };
  }
}

describe('the lean least-squares entry points', () => {
  it('property: fitOfMatrix gives olsOfMatrix’s params, residuals and SSR bit for bit', () => {
    fc.assert(
      fc.property(caseArb, ({ n, k, seed, collinear }) => {
        const full = outcome(() => olsOfMatrix(design(n, k, seed, collinear), n, k));
        const params = new Float64Array(k);
        const resid = new Float64Array(n);
        const lean = outcome(() => fitOfMatrix(design(n, k, seed, collinear), n, k, params, resid));
        expect(lean.error).toBe(full.error);
        if (full.value === undefined) return;
        expect(Object.is(lean.value, full.value.ssr)).toBe(true);
        for (let j = 0; j < k; j++) expect(Object.is(params[j], full.value.params[j])).toBe(true);
        for (let i = 0; i < n; i++) expect(Object.is(resid[i], full.value.resid[i])).toBe(true);
        // Without a residual array the SSR is the same.
        const noResid = fitOfMatrix(design(n, k, seed, collinear), n, k, params, undefined);
        expect(Object.is(noResid, full.value.ssr)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('property: tValueOfMatrix gives every column’s olsOfMatrix t-value bit for bit', () => {
    fc.assert(
      fc.property(caseArb, ({ n, k, seed, collinear }) => {
        const full = outcome(() => olsOfMatrix(design(n, k, seed, collinear), n, k));
        for (let j = 0; j < k; j++) {
          const t = outcome(() => tValueOfMatrix(design(n, k, seed, collinear), n, k, j));
          expect(t.error).toBe(full.error);
          if (full.value !== undefined) expect(Object.is(t.value, full.value.tvalues[j])).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

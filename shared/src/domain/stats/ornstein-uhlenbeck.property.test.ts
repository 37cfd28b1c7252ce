import fc from 'fast-check';
import { ar1Regression, fitOrnsteinUhlenbeck, type OuFit } from './ornstein-uhlenbeck';

// The fit as it was with the non-reverting case as an early return (the shared regression, then the
// old branch): the reference the branch-free choice must match field for field, bit for bit.
const ab = new Float64Array(2);
function referenceFit(spread: readonly number[], dt: number): OuFit {
  const residualSd = ar1Regression(spread, ab);
  const a = ab[0] as number;
  const b = ab[1] as number;
  if (!(b > 0 && b < 1))
    return {
      theta: 0,
      mu: Number.NaN,
      sigma: residualSd / Math.sqrt(dt),
      halfLife: Number.POSITIVE_INFINITY,
      ar1: b,
      equilibriumStd: Number.NaN,
    };
  const theta = -Math.log(b) / dt;
  return {
    theta,
    mu: a / (1 - b),
    sigma: residualSd * Math.sqrt((2 * theta) / (1 - b * b)),
    halfLife: Math.LN2 / theta,
    ar1: b,
    equilibriumStd: residualSd / Math.sqrt(1 - b * b),
  };
}

// AR(1) series S_t = c + φ·S_{t−1} + noise with φ from alternating (< 0) through reverting to a
// random walk and explosive (> 1), plus trends: both of the fit's cases, and b at and near 0 and 1.
const anySpread = fc
  .record({
    phi: fc.oneof(fc.double({ min: -1.2, max: 1.2, noNaN: true }), fc.constantFrom(-1, 0, 1, 0.999, 1.001)),
    c: fc.double({ min: -5, max: 5, noNaN: true }),
    trend: fc.constantFrom(0, 0, 1e-3, 0.5),
    noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 80 }),
  })
  .map(({ phi, c, trend, noise }) => {
    const out: number[] = [];
    let s = 0;
    for (let i = 0; i < noise.length; i++) {
      s = c + phi * s + (noise[i] as number) + trend * i;
      out.push(s);
    }
    return out;
  });

describe('fitOrnsteinUhlenbeck without a branch per case', () => {
  it('gives every field of the early-return fit, bit for bit, in both cases', () => {
    let reverting = 0;
    let flat = 0;
    fc.assert(
      fc.property(anySpread, fc.constantFrom(1, 60, 0.5, 1 / 1440), (spread, dt) => {
        let ref: OuFit;
        try {
          ref = referenceFit(spread, dt);
        } catch (e) {
          // A fit the regression refuses (too few points, a singular design) is refused alike.
          expect(() => fitOrnsteinUhlenbeck(spread, dt)).toThrow((e as Error).message);
          return;
        }
        const ours = fitOrnsteinUhlenbeck(spread, dt);
        if (ref.halfLife === Number.POSITIVE_INFINITY) flat++;
        else reverting++;
        expect(Object.keys(ours)).toEqual(Object.keys(ref));
        for (const k of Object.keys(ref) as (keyof OuFit)[]) expect(Object.is(ours[k], ref[k])).toBe(true);
      }),
      { seed: 20261207, numRuns: 3000 },
    );
    expect(reverting).toBeGreaterThan(300);
    expect(flat).toBeGreaterThan(300);
  });
});

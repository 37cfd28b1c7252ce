import fc from 'fast-check';
import { normalCdf, normalPdf } from './normal-cdf';

// Audit of the early stop of Φ's series (c23226a): claimed bit-identical to the former rule
// (stop after a term below 1e-17 of the sum). The former series, copied from before that commit,
// is the reference, on every double in (−3, 3) including −0, subnormals, values whose square sits
// on or next to an odd divisor (where the new rule's "terms only shrink" test switches), and ±3⁻.

function formerSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

const formerCdf = (x: number): number => 0.5 + normalPdf(x) * formerSeries(x);

const inside = fc.oneof(
  fc.double({ min: -3, max: 3, noNaN: true, maxExcluded: true, minExcluded: true }),
  fc.constantFrom(0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-308, 5e-9, -5e-9, 2.9999999999999996),
  // x² at, just under and just over an odd divisor d = 3, 5, 7 (the switch of the stop test).
  fc
    .tuple(fc.constantFrom(1, 3, 5, 7, 9 - 1e-15), fc.integer({ min: -4, max: 4 }), fc.boolean())
    .map(([d, k, neg]) => {
      let r = Math.sqrt(d);
      for (let i = 0; i < Math.abs(k); i++) r = k > 0 ? r + r * 2 ** -52 : r - r * 2 ** -53;
      return neg ? -r : r;
    })
    .filter((x) => Math.abs(x) < 3),
);

describe('audit: normalCdf series early stop (claim: the same doubles as the former rule)', () => {
  it('returns the former Φ bit for bit on (−3, 3)', () => {
    fc.assert(
      fc.property(inside, (x) => {
        expect(Object.is(normalCdf(x), formerCdf(x))).toBe(true);
      }),
      { seed: 20261205, numRuns: 5000 },
    );
  });
});

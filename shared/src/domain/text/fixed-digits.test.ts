import fc from 'fast-check';
import { fixedDigits } from './fixed-digits';

const DIGITS = [0, 1, 2] as const;

/** Doubles on and one ulp either side of every tie x = (k + ½) / 10^digits, and of whole steps. */
function nearTies(digits: 0 | 1 | 2): fc.Arbitrary<number> {
  const scale = 10 ** digits;
  return fc
    .tuple(
      fc.integer({ min: -2_000_000, max: 2_000_000 }),
      fc.constantFrom(0, 0.5),
      fc.integer({ min: -3, max: 3 }),
    )
    .map(([k, half, ulps]) => {
      let x = (k + half) / scale;
      for (let i = 0; i < Math.abs(ulps); i++) x = nextAfter(x, ulps > 0);
      return x;
    });
}

function nextAfter(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 === up ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

describe('fixedDigits', () => {
  it('property: the very text of toFixed, for any double', () => {
    for (const digits of DIGITS)
      fc.assert(
        fc.property(fc.double(), (x) => {
          expect(fixedDigits(x, digits)).toBe(x.toFixed(digits));
        }),
        { numRuns: 5_000 },
      );
  });

  it('property: the very text of toFixed for the magnitudes a signal reason prints', () => {
    for (const digits of DIGITS)
      fc.assert(
        fc.property(fc.double({ min: -1e5, max: 1e5, noNaN: true }), (x) => {
          expect(fixedDigits(x, digits)).toBe(x.toFixed(digits));
        }),
        { numRuns: 20_000 },
      );
  });

  it('property: on and around ties and whole steps (toFixed rounds the exact value, ties up)', () => {
    for (const digits of DIGITS)
      fc.assert(
        fc.property(nearTies(digits), (x) => {
          expect(fixedDigits(x, digits)).toBe(x.toFixed(digits));
        }),
        { numRuns: 20_000 },
      );
  });

  it('writes signs, zeros and the limits as toFixed does', () => {
    const cases = [0, -0, -0.04, -0.05, 0.05, 0.005, 0.015, 1.005, 2.5, -2.5, 0.45, 99.95, 1e9 / 10, 9999.96];
    for (const x of [...cases, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, -1e300])
      for (const digits of DIGITS) expect(fixedDigits(x, digits)).toBe(x.toFixed(digits));
    expect(fixedDigits(-0.04, 1)).toBe('-0.0');
    expect(fixedDigits(-0, 1)).toBe('0.0');
    expect(fixedDigits(12.3456, 2)).toBe('12.35');
    expect(fixedDigits(12_345.67, 0)).toBe('12346');
  });
});

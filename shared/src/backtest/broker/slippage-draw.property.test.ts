import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from '../../domain/money/decimal';
import { drawSlippageBps } from './fill-prices';

// The draw as it was: decimal.js's number parser and its (half-even) rounding to 2 places.
function oldDraw(meanBps: number, uniform: number): Decimal {
  if (!(meanBps > 0)) return new Decimal(0);
  return new Decimal(meanBps * 2 * uniform).toDecimalPlaces(2);
}

// Hundredths exactly at a half (…x5) with an even and an odd digit kept, just beside it, and texts
// with one, two and three fraction digits, as the products mean × 2 × uniform give them.
const built = fc
  .tuple(
    fc.integer({ min: 0, max: 1_000_000 }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([units, places, last]) =>
    Number(`${units}.${String(last).repeat(places)}5`.replace(/\.(\d*)$/, '.$1')),
  );

describe('drawSlippageBps', () => {
  it('is decimal.js rounding the draw to 2 places, value and layout', () => {
    let fast = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(0, -1, 0.5, 1, 5, 12.5, 25, 100, 3000, 6000, 1e-9, 1e12, 1e20),
          fc.double({ min: 0, max: 1e6, noNaN: true }),
        ),
        fc.oneof(
          fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          fc.constantFrom(0, 0.5, 0.25, 0.125, 0.005, 0.015, 0.0025, 0.999999, 1e-9),
        ),
        (mean, u) => {
          const ours = drawSlippageBps(mean, u);
          const theirs = oldDraw(mean, u);
          expect(ours.toFixed()).toBe(theirs.toFixed());
          expect(layout(ours)).toEqual(layout(theirs));
          if (/^\d+\.\d+$/.test(String(mean * 2 * u))) fast += 1;
        },
      ),
      { numRuns: 20_000 },
    );
    expect(fast).toBeGreaterThan(2_000);
  });

  it('is decimal.js’s rounding on draws a few ulps beside a half hundredth and a whole one', () => {
    const beside = fc
      .tuple(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.constantFrom(0, 0.5),
        fc.integer({ min: -40, max: 40 }),
      )
      .map(([k, half, ulps]) => ((k + half) / 100) * (1 + ulps * 2 ** -52));
    fc.assert(
      fc.property(beside, (x) => {
        expect(layout(drawSlippageBps(x, 0.5))).toEqual(layout(oldDraw(x, 0.5)));
        expect(drawSlippageBps(x, 0.5).toFixed()).toBe(oldDraw(x, 0.5).toFixed());
      }),
      { seed: 20261207, numRuns: 20_000 },
    );
  });

  it('rounds ties to even and anything past a half up, as decimal.js does', () => {
    fc.assert(
      fc.property(built, (x) => {
        // mean × 2 × 0.5 is x itself.
        expect(layout(drawSlippageBps(x, 0.5))).toEqual(layout(oldDraw(x, 0.5)));
      }),
      { numRuns: 5_000 },
    );
    for (const x of [0.005, 0.015, 0.025, 1.125, 1.135, 2.5, 0.0051, 0.0049, 99.995, 12.345]) {
      expect(layout(drawSlippageBps(x, 0.5))).toEqual(layout(oldDraw(x, 0.5)));
      expect(drawSlippageBps(x, 0.5).toFixed()).toBe(oldDraw(x, 0.5).toFixed());
    }
  });
});

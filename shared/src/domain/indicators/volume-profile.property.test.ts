import fc from 'fast-check';
import { VolumeProfile } from './volume-profile';
import { ABOVE, ABOVE_BEYOND, AT_OR_ABOVE, BELOW_WITHIN, firstBinFrom } from './volume-profile-grid';

// Bars around a KRW-like level: a random walk of closes with wicks, some flat or zero-volume bars
// (integers scaled down: fast-check's doubles crowd the bounds, which leaves the band empty).
const bars = fc.array(
  fc.record({
    move: fc.integer({ min: -400, max: 400 }).map((x) => x / 1e5),
    wick: fc.integer({ min: 0, max: 300 }).map((x) => x / 1e5),
    volume: fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 50, noNaN: true }),
      fc.integer({ min: 1, max: 5e4 }).map((x) => x / 1e3),
    ),
  }),
  { minLength: 10, maxLength: 120 },
);

/** What a strategy decides with nearestSupport/Resistance and a distance limit (mean reversion's use). */
function viaFullScan(vp: VolumeProfile, price: number, band: number, side: 'below' | 'above'): number {
  const node = side === 'below' ? vp.nearestSupport(price) : vp.nearestResistance(price);
  if (Number.isNaN(node)) return node;
  return (side === 'below' ? price - node : node - price) <= band ? node : Number.NaN;
}

describe('VolumeProfile.nearestNodeWithin', () => {
  it('gives exactly the full rebuild’s level within the band (bit for bit), or NaN', () => {
    let levels = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 100, max: 1e8, noNaN: true }),
        bars,
        fc.integer({ min: -1000, max: 1000 }).map((x) => x / 1e5),
        fc.integer({ min: 0, max: 5000 }).map((x) => x / 1e5),
        (window, bins, level, series, offset, bandFraction) => {
          const fast = new VolumeProfile(window, bins);
          const full = new VolumeProfile(window, bins);
          let close = level;
          for (const b of series) {
            close *= 1 + b.move;
            const high = close * (1 + b.wick);
            const low = close * (1 - b.wick);
            fast.update(high, low, b.volume);
            full.update(high, low, b.volume);
            const price = close * (1 + offset);
            const band = close * bandFraction;
            for (const side of ['below', 'above'] as const) {
              const got = fast.nearestNodeWithin(price, band, side);
              const want = viaFullScan(full, price, band, side);
              if (!Object.is(got, want)) return false;
              if (!Number.isNaN(want)) levels += 1;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
    expect(levels).toBeGreaterThan(500); // the band held a level often, not only NaN = NaN
  });

  it('matches the full rebuild over windows of many blocks, with lookups at irregular gaps', () => {
    // Windows of 17–90 bars (several 16-slot blocks, a partial last one) over long series, asked
    // after 1–40 bars: the blocks written between lookups vary from one to all of them.
    let levels = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 17, max: 90 }),
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 20, maxLength: 60 }),
        fc.array(
          fc.record({ move: fc.integer({ min: -300, max: 300 }), wick: fc.integer({ min: 0, max: 200 }) }),
          { minLength: 200, maxLength: 600 },
        ),
        fc.integer({ min: 0, max: 5000 }).map((x) => x / 1e5),
        fc.nat(),
        (window, bins, gaps, series, bandFraction, resetAt) => {
          const fast = new VolumeProfile(window, bins);
          const full = new VolumeProfile(window, bins);
          let close = 1e5;
          let next = 0;
          for (let i = 0; i < series.length; i++) {
            const b = series[i] as { move: number; wick: number };
            if (i === resetAt % series.length) {
              fast.reset();
              full.reset();
            }
            close = Math.round(close * (1 + b.move / 1e5));
            const wick = Math.round(close * (b.wick / 1e5));
            const volume = i % 7 === 3 ? 0 : ((i * 7919) % 1000) / 100;
            fast.update(close + wick, close - wick, volume);
            full.update(close + wick, close - wick, volume);
            if (i < next) continue;
            next = i + (gaps[i % gaps.length] as number);
            const band = close * bandFraction;
            for (const side of ['below', 'above'] as const) {
              const got = fast.nearestNodeWithin(close, band, side);
              const want = viaFullScan(full, close, band, side);
              if (!Object.is(got, want)) return false;
              if (!Number.isNaN(want)) levels += 1;
            }
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
    expect(levels).toBeGreaterThan(500);
  });

  it('answers from the built histogram when one is already there', () => {
    const vp = new VolumeProfile(10, 10);
    for (let i = 0; i < 9; i++) vp.update(101, 100, 1);
    vp.update(106, 105, 20);
    expect(vp.pointOfControl).toBeGreaterThan(105); // builds the histogram
    expect(vp.nearestNodeWithin(107, 2, 'below')).toBe(viaFullScan(vp, 107, 2, 'below'));
    expect(vp.nearestNodeWithin(107, 0.1, 'below')).toBeNaN();
  });
});

describe('firstBinFrom', () => {
  it('finds the first bin meeting each band condition from any guess, as a scan of every bin does', () => {
    const conditions = [AT_OR_ABOVE, BELOW_WITHIN, ABOVE, ABOVE_BEYOND];
    const meets = (condition: number, price: number, distance: number, c: number): boolean =>
      condition === AT_OR_ABOVE
        ? c >= price
        : condition === BELOW_WITHIN
          ? price - c <= distance
          : condition === ABOVE
            ? c > price
            : !(c - price <= distance);
    fc.assert(
      fc.property(
        fc.constantFrom(...conditions),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 1, max: 1e8, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e4, noNaN: true }),
        fc.integer({ min: -50, max: 50 }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double({ noNaN: false })),
        (condition, bins, gridLo, width, offset, distance, guess) => {
          // Prices on and around bin centres and edges, where rounding decides.
          const price = gridLo + (offset / 4) * width;
          let want = bins;
          for (let i = 0; i < bins; i++)
            if (meets(condition, price, distance, gridLo + (i + 0.5) * width)) {
              want = i;
              break;
            }
          return firstBinFrom(condition, price, distance, gridLo, width, bins, guess) === want;
        },
      ),
      { numRuns: 3000 },
    );
  });
});

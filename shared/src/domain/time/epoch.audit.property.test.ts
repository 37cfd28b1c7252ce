import fc from 'fast-check';
import { type EpochMs, FOUR_DIGIT_YEARS_END, MS, toIsoUtc } from './epoch';

// Audit of toIsoUtc's fast path (5a89904, cf72ed2: the date text remembered per UTC day, the time
// of day by arithmetic, built from character codes) against toISOString: every fill's time in a
// trade record. Instants at day, month, leap-day, year and range edges (±1 ms), −0, fractional and
// negative instants, interleaved so the remembered day switches between calls.

const edge = fc.oneof(
  fc.integer({ min: 0, max: FOUR_DIGIT_YEARS_END - 1 }),
  fc
    .tuple(
      fc.integer({ min: 0, max: 2_932_896 }),
      fc.constantFrom(0, 1, -1, MS.day - 1, MS.second - 1, MS.hour),
    )
    .map(([d, k]) => d * MS.day + k),
  fc
    .tuple(fc.integer({ min: 1970, max: 9999 }), fc.integer({ min: 0, max: 11 }), fc.constantFrom(0, -1, 1))
    .map(([y, m, k]) => Date.UTC(y, m, 1) + k),
  fc.constantFrom(
    -0,
    -1,
    0.5,
    FOUR_DIGIT_YEARS_END - 1,
    FOUR_DIGIT_YEARS_END,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
  ),
);

describe('audit: toIsoUtc (claim: toISOString’s text)', () => {
  it('gives toISOString’s text for sequences of adversarial instants', () => {
    fc.assert(
      fc.property(fc.array(edge, { minLength: 1, maxLength: 5 }), (instants) => {
        for (const at of instants) {
          const want = Number.isNaN(new Date(at).getTime()) ? undefined : new Date(at).toISOString();
          if (want !== undefined) expect(toIsoUtc(at as EpochMs)).toBe(want);
        }
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });
});

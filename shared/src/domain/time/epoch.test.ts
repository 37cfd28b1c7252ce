import fc from 'fast-check';
import { type EpochMs, toIsoUtc } from './epoch';

const iso = (at: number): string => new Date(at).toISOString();

describe('toIsoUtc', () => {
  it('gives the text of toISOString for any whole millisecond in years 1970–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (at) => {
        expect(toIsoUtc(at as EpochMs)).toBe(iso(at));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives it for instants of one day in any order (the day text is cached)', () => {
    const day = Date.UTC(2026, 11, 5);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -2, max: 86_400_001 }), { minLength: 1, maxLength: 50 }),
        (offsets) => {
          for (const o of offsets) expect(toIsoUtc((day + o) as EpochMs)).toBe(iso(day + o));
        },
      ),
    );
  });

  it('leaves other instants to toISOString, errors included', () => {
    for (const at of [
      0, -1, -86_400_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, 1.5, 1_733_000_000_000.7,
    ])
      expect(toIsoUtc(at as EpochMs)).toBe(iso(at));
    expect(() => toIsoUtc(Number.NaN as EpochMs)).toThrow(RangeError);
    expect(() => toIsoUtc((8.64e15 + 1) as EpochMs)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { Decimal } from '../../domain/money/decimal';
import { fixedText } from '../../domain/money/decimal-text';
import { decimalOfUnits } from '../../domain/money/decimal-units';
import { DecimalArena, unitsKeepable, wordsOf } from './decimal-arena';

const RUNS = { seed: 20261207, numRuns: 300 } as const;

// Decimals as a trade's columns hold them: zero, ticks and whole won, 8-decimal volumes, the
// minimum order, huge and tiny values, negatives (PnL), and ones that are kept as text (NaN, ±∞).
const decimal = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1',
    '5000',
    '0.00000001',
    '1e-30',
    '123456789012345678901234567890',
    'NaN',
    'Infinity',
  ),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -20, max: 20 }))
    .map(([n, e]) => `${n}e${e}`),
  fc.integer({ min: 1, max: 2_000_000_000 }).map((n) => (n / 1e8).toFixed(8)),
);
// Either a decimal kept as its words or one kept as units (a quote layer's fill).
const entry = fc.oneof(
  decimal.map((text) => ({ text }) as const),
  fc
    .tuple(fc.maxSafeNat(), fc.integer({ min: 0, max: 60 }))
    .map(([units, scale]) => ({ units, scale }) as const),
);

/** Writes records of decimals as the trade list does (reserve, then put each) and reads them all back. */
function roundTrip(
  arena: DecimalArena,
  records: readonly (readonly { text?: string; units?: number; scale?: number }[])[],
): string[] {
  const where: [number, number, number][] = [];
  for (const record of records) {
    const values = record.map((e) => (e.text !== undefined ? new Decimal(e.text) : undefined));
    let words = 0;
    for (let k = 0; k < record.length; k++) {
      const v = values[k];
      words += v === undefined ? 1 : wordsOf(v);
    }
    arena.reserve(words, record.length);
    const chunk = arena.chunk;
    const offset = arena.offset;
    for (let k = 0; k < record.length; k++) {
      const e = record[k] as { units?: number; scale?: number };
      const v = values[k];
      if (v !== undefined) arena.put(v);
      else arena.putUnits(e.units as number, e.scale as number);
      where.push([chunk, offset, k]);
    }
  }
  return where.map(([chunk, offset, k]) => arena.text(chunk, offset, k));
}

describe('DecimalArena', () => {
  it('property: chunks of any size (the JIT warm-up uses tiny ones) read back what the default arena does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(entry, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 24 }),
        (records, chunkInts) => {
          const expected = records.flatMap((r) =>
            r.map((e) =>
              'text' in e ? fixedText(new Decimal(e.text)) : fixedText(decimalOfUnits(e.units, e.scale)),
            ),
          );
          expect(roundTrip(new DecimalArena(), records)).toEqual(expected);
          expect(roundTrip(new DecimalArena(chunkInts), records)).toEqual(expected);
        },
      ),
      RUNS,
    );
  });

  it('keeps units only where putUnits accepts them', () => {
    expect(unitsKeepable(Number.MAX_SAFE_INTEGER, 60)).toBe(true);
    expect(() => new DecimalArena(0).putUnits(-1, 0)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { layout, parsed, safeInt } from '../../../testing/decimal-layout';
import { Decimal, decimalFromNumber } from './decimal';
import {
  floorOfDecimalTimes,
  floorOfNumberOver,
  floorOfProduct,
  floorOfQuotient,
  floorUnitsOfProduct,
} from './decimal-floors';
import { decimalOfUnits } from './decimal-units';

/** Prices on every grid: whole won, 3 decimals, and any double's shortest text. */
const anyPrice = fc.oneof(
  fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
  fc.integer({ min: 1, max: 99_999 }).map((n) => parsed(n, 3)),
  fc.double({ min: 0.001, max: 1e8, noNaN: true }).map((f) => new Decimal(String(f))),
);

/** floorOfQuotient(x, y, places) is the decimal (value and layout) decimal.js's own expression gives. */
function quotientAgrees(x: Decimal, y: Decimal, places: number): void {
  const expected = x.div(y).toDecimalPlaces(places, Decimal.ROUND_DOWN);
  const got = floorOfQuotient(x, y, places);
  expect(got.toFixed()).toBe(expected.toFixed());
  expect(layout(got)).toEqual(layout(expected));
}

describe('decimal floors', () => {
  it('floors x × n exactly as decimal.js does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000),
          fc.integer({ min: 0, max: 1 << 20 }).map((k) => k / (1 << 20)),
        ),
        fc.oneof(fc.constantFrom(1_000_000, 100_000, 3, 1), fc.integer({ min: 0, max: 2e9 })),
        (x, n) => {
          const expected = new Decimal(x).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
          const got = floorOfProduct(x, n);
          expect(got.eq(expected)).toBe(true);
          expect(got.toFixed()).toBe(expected.toFixed());
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('floors products that land on a whole number from the decimal digits (0.55 × 10^6)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(100, 1000, 10_000),
        fc.constantFrom(1_000_000, 100_000, 20_000, 3),
        (k, d, n) => {
          const x = k / d;
          const expected = new Decimal(x).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
          expect(floorOfProduct(x, n).toFixed()).toBe(expected.toFixed());
        },
      ),
      { numRuns: 3000 },
    );
    expect(floorOfProduct(0.55, 1_000_000).toFixed()).toBe('550000');
    expect(floorOfProduct(0.29, 100).toFixed()).toBe('29');
  });

  it('floors x / y to 8 decimals exactly as decimal.js does (value and layout)', () => {
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 2_000_000_000 }).map((n) => new Decimal(n)),
      fc.double({ min: 0, max: 1e7, noNaN: true }).map((f) => new Decimal(f)),
      fc.integer({ min: 0, max: 1e12 }).map((n) => parsed(n, 4)),
    );
    const tickPrice = fc.oneof(
      fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 1, max: 99_999 }).map((n) => parsed(n, 3)),
      fc.integer({ min: 1, max: 10 }).map((n) => parsed(n, 8)),
      fc.integer({ min: 1, max: 1e6 }).map((n) => parsed(n, 12)),
    );
    fc.assert(fc.property(amount, tickPrice, fc.constantFrom(8, 4, 0), quotientAgrees), { numRuns: 5000 });
    // KRW sizes from doubles (more than 8 decimals) over tick prices: the wide path.
    const floatSize = fc.oneof(
      fc
        .tuple(fc.integer({ min: 5_000, max: 2_000_000 }), fc.double({ min: 0.05, max: 1, noNaN: true }))
        .map(([b, f]) => new Decimal(String(b * f))),
      fc.integer({ min: 1, max: 12 }).map((i) => new Decimal(String(100_000 * 0.7 ** i))),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((f) => new Decimal(String(f))),
    );
    fc.assert(fc.property(floatSize, tickPrice, fc.constantFrom(8, 4, 0), quotientAgrees), { numRuns: 5000 });
    expect(floorOfQuotient(new Decimal('48999.99999999999'), new Decimal(135_001_000), 8).toFixed()).toBe(
      new Decimal('48999.99999999999').div(135_001_000).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(),
    );
    // Exact multiples and quotients one unit under a multiple.
    expect(floorOfQuotient(new Decimal(100_000), new Decimal(50_000), 8).toFixed()).toBe('2');
    expect(floorOfQuotient(new Decimal('0.00000003'), new Decimal(3), 8).toFixed()).toBe('0.00000001');
    expect(floorOfQuotient(new Decimal('0.00000002'), new Decimal(3), 8).toFixed()).toBe('0');
  });

  it('floors quotients of operands too long for safe integers as decimal.js does, beside multiples too', () => {
    // 17–20 digit amounts (doubles' texts, costs at many decimals) over prices of every grid, and
    // amounts built to sit exactly on, or a hair either side of, a multiple of 10^-places.
    const longAmount = fc.oneof(
      fc.double({ min: 1, max: 1e7, noNaN: true }).map((f) => new Decimal(String(f))),
      fc
        .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 999_999_999_999 }))
        .map(([w, f]) => new Decimal(`${w}.${String(f).padStart(12, '0')}1`)),
    );
    const places = fc.constantFrom(8, 4, 0);
    const onMultiple = fc
      .tuple(
        anyPrice,
        fc.integer({ min: 1, max: 2 ** 40 }),
        places,
        fc.constantFrom('0', '1e-30', '-1e-30', '1e-12'),
      )
      .map(([y, k, p, nudge]) => [y.times(parsed(k, p)).plus(nudge), y, p] as const)
      .filter(([x]) => x.gt(0));
    fc.assert(
      fc.property(fc.oneof(fc.tuple(longAmount, anyPrice, places), onMultiple), ([x, y, p]) =>
        quotientAgrees(x, y, p),
      ),
      { numRuns: 6000 },
    );
  });

  it('floors a double over a decimal as its own decimal would, or leaves it to that path', () => {
    const size = fc.oneof(
      fc.double({ min: 1, max: 2e6, noNaN: true }),
      fc
        .tuple(fc.integer({ min: 5_000, max: 2_000_000 }), fc.double({ min: 0.05, max: 1, noNaN: true }))
        .map(([b, f]) => b * f),
      fc.integer({ min: 1, max: 12 }).map((i) => 100_000 * 0.7 ** i),
    );
    const places = fc.constantFrom(8, 4, 0);
    // Sizes that are exact multiples of price × 10^-places (and a hair either side).
    const onMultiple = fc
      .tuple(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 99_999_999 }), places)
      .map(([p, k, pl]) => [Number(new Decimal(p).times(parsed(k, pl))), new Decimal(p), pl] as const);
    let decided = 0;
    fc.assert(
      fc.property(fc.oneof(fc.tuple(size, anyPrice, places), onMultiple), ([f, y, p]) => {
        const expected = floorOfQuotient(decimalFromNumber(f), y, p);
        const got = floorOfNumberOver(f, y, p);
        if (got === undefined) return;
        decided += 1;
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 6000 },
    );
    expect(decided).toBeGreaterThan(1500);
    expect(floorOfNumberOver(100_000, new Decimal(50_000), 8)).toBeUndefined();
    expect(floorOfNumberOver(Number.NaN, new Decimal(3), 8)).toBeUndefined();
  });

  it('floors decimal × double exactly as decimal.js does', () => {
    const anyDecimal = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 24 })).map(([u, k]) => parsed(Math.abs(u), k)),
      fc.integer({ min: 0, max: 20_000_000 }).map((n) => new Decimal(n).times('1.0005').div(3)),
      fc.integer({ min: 1, max: 1000 }).map((n) => new Decimal(n * 20_000)),
    );
    const anyFraction = fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(0.01, 0.05, 0.0125, 0.25, 0.1, 1 / 3),
    );
    fc.assert(
      fc.property(anyDecimal, anyFraction, (x, f) => {
        const expected = x.times(new Decimal(String(f))).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
        const got = floorOfDecimalTimes(x, f);
        expect(got.toFixed()).toBe(expected.toFixed());
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the 1e-8 units of a double floored to 8 decimals (a partial fill), or leaves it to decimal.js', () => {
    // A double next to x (one ulp up or down): partial fills land on and beside multiples of 1e-8.
    const beside = (x: number, up: boolean): number => {
      const a = new Float64Array([x]);
      const b = new BigInt64Array(a.buffer);
      b[0] = (b[0] as bigint) + (up ? 1n : -1n);
      return a[0] as number;
    };
    let decided = 0;
    let onMultiple = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0, max: 1e7, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 1, max: 2 ** 52 - 1 }).map((k) => k / 1e8),
          fc.integer({ min: 1, max: 1e12 }).map((k) => k / 1e8),
          fc.tuple(fc.integer({ min: 1, max: 1e15 }), fc.boolean()).map(([k, up]) => beside(k / 1e8, up)),
        ),
        (x) => {
          const expected = decimalFromNumber(x).toDecimalPlaces(8, Decimal.ROUND_DOWN);
          const units = floorUnitsOfProduct(x, 1e8);
          if (units === undefined) return;
          decided += 1;
          // x's own decimal on the 1e-8 grid: the floor is x itself (decided on its digits).
          if (expected.eq(decimalFromNumber(x)) && x > 0) onMultiple += 1;
          expect(Number.isSafeInteger(units)).toBe(true);
          const got = decimalOfUnits(units, 8);
          expect(got.toFixed()).toBe(expected.toFixed());
          expect(layout(got)).toEqual(layout(expected));
        },
      ),
      { numRuns: 20_000 },
    );
    // Most cases are decided on integers; a double one ulp beside a multiple of 1e-8 has a 17-digit
    // text and falls back by design (a quarter of the draws here, rare in a backtest).
    expect(decided).toBeGreaterThan(6_000);
    expect(onMultiple).toBeGreaterThan(1_000);
    expect(floorUnitsOfProduct(Number.NaN, 1e8)).toBeUndefined();
    expect(floorUnitsOfProduct(-1e-9, 1e8)).toBeUndefined();
    // 1e16 is past 2^52: floorOfProduct takes decimal.js's path there, so no safe floor.
    expect(floorUnitsOfProduct(1e8, 1e8)).toBeUndefined();
    expect(floorUnitsOfProduct(0.1, 1e8)).toBe(10_000_000);
  });
});

import fc from 'fast-check';
import { Decimal, decimalFromNumber } from './decimal';
import {
  compareDecimals,
  decimalGt,
  decimalGte,
  decimalLt,
  decimalLte,
  decimalOfUnits,
  floorOfDecimalTimes,
  floorOfNumberOver,
  floorOfProduct,
  floorOfQuotient,
  numberOf,
  productOf,
  shortfallReaches,
  sumExceeds,
  unitsOf,
} from './decimal-units';

const layout = (x: Decimal) => {
  const { s, e, d } = x as unknown as { s: number; e: number; d: number[] };
  return { s, e, d: [...d] };
};

/** `units × 10^-scale` through decimal.js's own parser. */
const parsed = (units: number, scale: number) => new Decimal(`${units}e-${scale}`);

const safeInt = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.maxSafeInteger(),
  fc.maxSafeInteger().map((n) => -n),
  fc
    .integer({ min: 0, max: 15 })
    .chain((k) => fc.integer({ min: 1, max: 999 }).map((m) => m * 10 ** k))
    .filter((n) => Number.isSafeInteger(n)),
);

describe('decimal units', () => {
  it('builds exactly the decimal (value and layout) that decimal.js parses from the same text', () => {
    fc.assert(
      fc.property(safeInt, fc.integer({ min: 0, max: 40 }), (units, scale) => {
        const ours = decimalOfUnits(units, scale);
        const theirs = parsed(units, scale);
        expect(ours.eq(theirs)).toBe(true);
        expect(layout(ours)).toEqual(layout(theirs));
        // And it behaves as one in arithmetic and printing.
        expect(ours.times(3).plus('0.1').toFixed()).toBe(theirs.times(3).plus('0.1').toFixed());
      }),
      { numRuns: 3000 },
    );
  });

  it('builds the same decimal as the parser around word boundaries and the top of the safe range', () => {
    const edges = [1, 9, 10, 9_999_999, 10_000_000, 10_000_001, 99_999_999_999_999, 10 ** 14, 10 ** 15];
    for (let k = 0; k <= 3; k++)
      edges.push(
        Number.MAX_SAFE_INTEGER - 2e7 + k,
        Number.MAX_SAFE_INTEGER - 2e7 - k,
        Number.MAX_SAFE_INTEGER - k,
      );
    for (const u of edges)
      for (let scale = 0; scale <= 22; scale++) {
        expect(layout(decimalOfUnits(u, scale))).toEqual(layout(parsed(u, scale)));
        expect(layout(decimalOfUnits(-u, scale))).toEqual(layout(parsed(-u, scale)));
      }
  });

  it('reads units back exactly, and refuses what does not fit the scale or a safe integer', () => {
    fc.assert(
      fc.property(
        safeInt,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (units, s, want) => {
          const x = parsed(units, s);
          const got = unitsOf(x, want);
          // The exact answer, computed in decimal.
          const exact = x.times(new Decimal(10).pow(want));
          const fits = exact.isInteger() && exact.abs().lte(Number.MAX_SAFE_INTEGER);
          if (fits) expect(got).toBe(exact.toNumber());
          else expect(got).toBeUndefined();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads results of arithmetic (not only parsed text)', () => {
    const v = new Decimal('135403000').times('0.00073853');
    expect(unitsOf(v, 8)).toBe(v.times(1e8).toNumber());
    expect(unitsOf(v, 4)).toBeUndefined();
    expect(unitsOf(new Decimal('0.1').times(3), 1)).toBe(3);
    expect(unitsOf(new Decimal(0), 5)).toBe(0);
    expect(unitsOf(new Decimal(Number.NaN), 0)).toBeUndefined();
    expect(unitsOf(new Decimal(Number.POSITIVE_INFINITY), 0)).toBeUndefined();
  });

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
    fc.assert(
      fc.property(amount, tickPrice, fc.constantFrom(8, 4, 0), (x, y, places) => {
        const expected = x.div(y).toDecimalPlaces(places, Decimal.ROUND_DOWN);
        const got = floorOfQuotient(x, y, places);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 5000 },
    );
    // KRW sizes from doubles (more than 8 decimals) over tick prices: the wide path.
    const floatSize = fc.oneof(
      fc
        .tuple(fc.integer({ min: 5_000, max: 2_000_000 }), fc.double({ min: 0.05, max: 1, noNaN: true }))
        .map(([b, f]) => new Decimal(String(b * f))),
      fc.integer({ min: 1, max: 12 }).map((i) => new Decimal(String(100_000 * 0.7 ** i))),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((f) => new Decimal(String(f))),
    );
    fc.assert(
      fc.property(floatSize, tickPrice, fc.constantFrom(8, 4, 0), (x, y, places) => {
        const expected = x.div(y).toDecimalPlaces(places, Decimal.ROUND_DOWN);
        const got = floorOfQuotient(x, y, places);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 5000 },
    );
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
    const price = fc.oneof(
      fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 1, max: 99_999 }).map((n) => parsed(n, 3)),
      fc.double({ min: 0.001, max: 1e8, noNaN: true }).map((f) => new Decimal(String(f))),
    );
    const places = fc.constantFrom(8, 4, 0);
    const onMultiple = fc
      .tuple(
        price,
        fc.integer({ min: 1, max: 2 ** 40 }),
        places,
        fc.constantFrom('0', '1e-30', '-1e-30', '1e-12'),
      )
      .map(([y, k, p, nudge]) => [y.times(parsed(k, p)).plus(nudge), y, p] as const)
      .filter(([x]) => x.gt(0));
    fc.assert(
      fc.property(fc.oneof(fc.tuple(longAmount, price, places), onMultiple), ([x, y, p]) => {
        const expected = x.div(y).toDecimalPlaces(p, Decimal.ROUND_DOWN);
        const got = floorOfQuotient(x, y, p);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
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
    const price = fc.oneof(
      fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 1, max: 99_999 }).map((n) => parsed(n, 3)),
      fc.double({ min: 0.001, max: 1e8, noNaN: true }).map((f) => new Decimal(String(f))),
    );
    const places = fc.constantFrom(8, 4, 0);
    // Sizes that are exact multiples of price × 10^-places (and a hair either side).
    const onMultiple = fc
      .tuple(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 99_999_999 }), places)
      .map(([p, k, pl]) => [Number(new Decimal(p).times(parsed(k, pl))), new Decimal(p), pl] as const);
    let decided = 0;
    fc.assert(
      fc.property(fc.oneof(fc.tuple(size, price, places), onMultiple), ([f, y, p]) => {
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

  it('decides a + b > limit exactly as decimal.js does, at, just beside and far from the limit', () => {
    const amount = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 14 })).map(([u, k]) => parsed(u, k)),
      fc.integer({ min: 0, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((f) => new Decimal(String(f))),
      fc.constantFrom(new Decimal(0), new Decimal('-0'), new Decimal('1e30'), new Decimal('1e-30')),
      fc
        .tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -400, max: 400 }))
        .map(([m, k]) => new Decimal(`${m}e${k}`)),
    );
    // The limit is often the exact sum, or the sum moved by one unit in a far decimal place.
    const limitNear = (a: Decimal, b: Decimal) =>
      fc.oneof(
        amount,
        fc.constant(a.plus(b)),
        fc.integer({ min: 1, max: 40 }).map((k) => a.plus(b).plus(new Decimal(`1e-${k}`))),
        fc.integer({ min: 1, max: 40 }).map((k) => a.plus(b).minus(new Decimal(`1e-${k}`))),
      );
    fc.assert(
      fc.property(
        fc.tuple(amount, amount).chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), limitNear(a, b))),
        ([a, b, limit]) => {
          expect(sumExceeds(a, b, limit)).toBe(a.plus(b).gt(limit));
        },
      ),
      { numRuns: 5000 },
    );
    expect(sumExceeds(new Decimal('0.1'), new Decimal('0.2'), new Decimal('0.3'))).toBe(false);
    expect(sumExceeds(new Decimal('0.1'), new Decimal('0.2'), new Decimal('0.29999999999999999999'))).toBe(
      true,
    );
    expect(sumExceeds(new Decimal(NaN), new Decimal(1), new Decimal(0))).toBe(false);
    // Subnormal doubles are far from their decimals (found by this property).
    expect(sumExceeds(new Decimal('-9e-323'), new Decimal('-4e-323'), new Decimal('-1.3e-322'))).toBe(false);
    expect(sumExceeds(new Decimal('1e400'), new Decimal('1e400'), new Decimal('1.5e400'))).toBe(true);
  });

  it('decides (a − b) / a ≥ limit exactly as decimal.js does (loss fractions at their limits)', () => {
    const equity = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 12 }))
        .map(([u, k]) => parsed(u, k)),
      fc.double({ min: 1e-6, max: 1e12, noNaN: true }).map((f) => new Decimal(String(f))),
      fc
        .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: -400, max: 400 }))
        .map(([m, k]) => new Decimal(`${m}e${k}`)),
    );
    const fraction = fc.oneof(
      fc.constantFrom(new Decimal('0.03'), new Decimal('0.05'), new Decimal('0.1'), new Decimal(0)),
      fc.integer({ min: -10_000, max: 10_000 }).map((n) => parsed(n, 4)),
    );
    // b is often exactly a × (1 − limit), or one far unit beside it.
    const pair = fc.tuple(equity, fraction).chain(([a, limit]) =>
      fc.tuple(
        fc.constant(a),
        fc.oneof(
          equity,
          fc.constant(a.times(new Decimal(1).minus(limit))),
          fc.integer({ min: 1, max: 40 }).map((k) => a.times(new Decimal(1).minus(limit)).plus(`1e-${k}`)),
          fc.integer({ min: 1, max: 40 }).map((k) => a.times(new Decimal(1).minus(limit)).minus(`1e-${k}`)),
        ),
        fc.constant(limit),
      ),
    );
    fc.assert(
      fc.property(pair, ([a, b, limit]) => {
        expect(shortfallReaches(a, b, limit)).toBe(a.minus(b).div(a).gte(limit));
      }),
      { numRuns: 5000 },
    );
    expect(shortfallReaches(new Decimal(100), new Decimal(95), new Decimal('0.05'))).toBe(true);
    expect(shortfallReaches(new Decimal(100), new Decimal('95.0000000001'), new Decimal('0.05'))).toBe(false);
  });

  it('compares exactly as decimal.js does (cmp, gt, gte, lt, lte), specials included', () => {
    const value = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 30 })).map(([u, k]) => parsed(u, k)),
      fc.double({ noNaN: false }).map((f) => new Decimal(f)),
      fc
        .tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -9000, max: 9000 }))
        .map(([m, k]) => new Decimal(`${m}e${k}`)),
      fc.constantFrom(
        new Decimal(0),
        new Decimal('-0'),
        new Decimal(NaN),
        new Decimal(Infinity),
        new Decimal(-Infinity),
        new Decimal('1e9000000000000000'),
        new Decimal('1e-9000000000000000'),
      ),
    );
    // Equal values with different histories, and neighbours one far unit apart.
    const pair = value.chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.oneof(
          value,
          fc.constant(x.plus(0)),
          fc.constant(x.times(1)),
          fc.integer({ min: 1, max: 40 }).map((k) => x.plus(`1e-${k}`)),
          fc.integer({ min: 1, max: 40 }).map((k) => x.minus(`1e-${k}`)),
        ),
      ),
    );
    fc.assert(
      fc.property(pair, ([x, y]) => {
        expect(Object.is(compareDecimals(x, y), x.cmp(y))).toBe(true);
        expect(decimalGt(x, y)).toBe(x.gt(y));
        expect(decimalGte(x, y)).toBe(x.gte(y));
        expect(decimalLt(x, y)).toBe(x.lt(y));
        expect(decimalLte(x, y)).toBe(x.lte(y));
      }),
      { numRuns: 5000 },
    );
  });

  it('multiplies exactly as decimal.js does (value and layout), signs and zeros included', () => {
    const operand = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 24 })).map(([u, k]) => parsed(u, k)),
      fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 0, max: 99_999_999 }).map((n) => parsed(n, 8)),
      fc.constantFrom(new Decimal('1.0005'), new Decimal('0.0005'), new Decimal('-0'), new Decimal('1e30')),
    );
    fc.assert(
      fc.property(operand, operand, (x, y) => {
        const expected = x.times(y);
        const got = productOf(x, y);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 5000 },
    );
  });

  it('converts to the same double as toNumber()', () => {
    fc.assert(
      fc.property(safeInt, fc.integer({ min: 0, max: 24 }), (units, scale) => {
        const x = parsed(units, scale);
        expect(Object.is(numberOf(x), x.toNumber())).toBe(true);
      }),
      { numRuns: 5000 },
    );
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
});

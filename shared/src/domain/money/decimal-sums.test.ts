import fc from 'fast-check';
import { layout, parsed } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { differenceOf, sumOf } from './decimal-sums';

const safeInt = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.maxSafeInteger(),
  fc.maxSafeInteger().map((n) => -n),
  fc.integer({ min: 0, max: 2 ** 30 }).map((n) => Number.MAX_SAFE_INTEGER - n),
);

// KRW amounts, 8-decimal volumes, position costs at 20 decimals, 30–40 digit values, specials.
const single = fc.oneof(
  fc
    .tuple(safeInt, fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 0, max: 32 }))
    .map(([u, v, k]) => new Decimal(`${u}${String(v).padStart(12, '0')}e-${k}`)),
  fc.tuple(safeInt, fc.integer({ min: 0, max: 20 })).map(([u, k]) => parsed(u, k)),
  fc.integer({ min: -200_000_000, max: 200_000_000 }).map((n) => new Decimal(n)),
  fc.integer({ min: 0, max: 99_999_999 }).map((n) => parsed(n, 8)),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((f) => new Decimal(f)),
  fc.constantFrom(
    new Decimal('0'),
    new Decimal('-0'),
    new Decimal('1e30'),
    new Decimal('-1e-30'),
    new Decimal('1.000000000000000000000000000000000000000000001'),
    new Decimal('123456789012345678901234567890123456789.5'),
    new Decimal(Number.NaN),
    new Decimal(Number.POSITIVE_INFINITY),
  ),
);

// Pairs whose sum or difference cancels most digits (x and x ± a few units of its last digit).
const nearby = fc
  .tuple(single, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 25 }))
  .map(([x, u, k]) => new Decimal(`${u}e-${k}`).plus(x));
const operand = fc.oneof(single, nearby);
const pair = fc.oneof(
  fc.tuple(operand, operand),
  fc
    .tuple(single, fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 25 }))
    .map(([x, u, k]) => [x, x.negated().plus(`${u}e-${k}`)] as const),
  fc
    .tuple(single, fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 25 }))
    .map(([x, u, k]) => [x, x.plus(`${u}e-${k}`)] as const),
);

describe('decimal sums', () => {
  const operations = [
    { name: 'adds', fast: sumOf, reference: (x: Decimal, y: Decimal) => x.plus(y) },
    { name: 'subtracts', fast: differenceOf, reference: (x: Decimal, y: Decimal) => x.minus(y) },
  ] as const;

  it.each(operations)(
    '$name exactly as decimal.js does (value, layout and sign of zero)',
    ({ fast, reference }) => {
      fc.assert(
        fc.property(pair, ([x, y]) => {
          const expected = reference(x, y);
          const got = fast(x, y);
          expect(got.toFixed()).toBe(expected.toFixed());
          expect(layout(got)).toEqual(layout(expected));
          expect(Object.is(got.toNumber(), expected.toNumber())).toBe(true);
        }),
        { numRuns: 8000 },
      );
    },
  );

  it('keeps x ± x, sums at the safe-integer edge and long operands on decimal.js', () => {
    const max = new Decimal(Number.MAX_SAFE_INTEGER);
    expect(sumOf(max, new Decimal(1)).toFixed()).toBe('9007199254740992');
    expect(differenceOf(max.negated(), new Decimal(1)).toFixed()).toBe('-9007199254740992');
    expect(Object.is(differenceOf(new Decimal('1.5'), new Decimal('1.5')).toNumber(), 0)).toBe(true);
    const long = new Decimal('1.000000000000000000000000000000000000000000001');
    expect(sumOf(long, new Decimal(0)).toFixed()).toBe(long.plus(0).toFixed());
    expect(sumOf(new Decimal('0.1'), new Decimal('0.2')).toFixed()).toBe('0.3');
  });
});

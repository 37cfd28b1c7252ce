import fc from 'fast-check';
import { exactDecimal } from '../../../testing/adversarial-decimals';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { sumOf, sumOfUnits } from './decimal-sums';
import { decimalOfUnits } from './decimal-units';

// sumOfUnits (a safe integer of units added to a decimal's words) against the path it replaces,
// sumOf(x, decimalOfUnits(units, scale)), and decimal.js's own plus: the same value, layout and
// zero sign on equity-shaped operands (cash at 8–12 decimals, a holding's value at 8), on
// adversarial decimals, units around 2^53 and 10^k, every scale, zero and mixed signs (which take
// sumOf's path), and sums just past 40 digits (which decimal.js rounds).

const RUNS = { seed: 20261206, numRuns: 4000 } as const;

/** Units: small, 8-decimal volumes × whole-won closes, around 10^k and around 2^53, either sign. */
const unitsArb: fc.Arbitrary<number> = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9 }),
      fc
        .integer({ min: 1, max: 10 ** 9 })
        .map((v) => (v * 135_043_000 > Number.MAX_SAFE_INTEGER ? v : v * 135_043_000)),
      fc.integer({ min: 0, max: 15 }).chain((k) => fc.integer({ min: -3, max: 3 }).map((d) => 10 ** k + d)),
      fc.integer({ min: 0, max: 5000 }).map((d) => Number.MAX_SAFE_INTEGER - d),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    ),
    fc.boolean(),
  )
  .map(([u, negative]) => (negative ? -u : u));

const scaleArb = fc.oneof(fc.constantFrom(0, 7, 8, 9, 14, 16, 20, 22), fc.integer({ min: 0, max: 60 }));

/** Cash-shaped decimals: KRW at 8 to 12 decimals up to 10^10 won, either sign, and zero. */
const cashArb: fc.Arbitrary<Decimal> = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), fc.integer({ min: 0, max: 12 }))
    .map(([u, s]) => new Decimal(`${u}e-${s}`)),
  exactDecimal.map((e) => e.x),
  fc.constantFrom(new Decimal(0), new Decimal('-0'), new Decimal('1e-40'), new Decimal('9'.repeat(40))),
);

describe('sumOfUnits against sumOf(x, decimalOfUnits(units, scale)) and decimal.js', () => {
  it('gives the same decimal (value, layout, zero sign)', () => {
    fc.assert(
      fc.property(cashArb, unitsArb, scaleArb, (x, units, scale) => {
        const y = decimalOfUnits(units, scale);
        const ours = sumOfUnits(x, units, scale);
        expect(layout(ours)).toEqual(layout(sumOf(x, y)));
        expect(layout(ours)).toEqual(layout(x.plus(y)));
      }),
      RUNS,
    );
  });

  it('gives an equity of cash at 9 decimals and a holding at 8 word by word', () => {
    const cash = new Decimal('9758970.324137255');
    const units = 126604 * 134_289_000;
    expect(layout(sumOfUnits(cash, units, 8))).toEqual(layout(cash.plus(decimalOfUnits(units, 8))));
    expect(sumOfUnits(cash, units, 8).toFixed()).toBe('9928985.569697255');
  });

  it('refuses units that are not a safe integer as decimalOfUnits does', () => {
    expect(() => sumOfUnits(new Decimal(1), 2 ** 53, 8)).toThrow(RangeError);
    expect(() => sumOfUnits(new Decimal(1), 1.5, 8)).toThrow(RangeError);
    expect(() => sumOfUnits(new Decimal(1), 1, 61)).toThrow(RangeError);
  });
});

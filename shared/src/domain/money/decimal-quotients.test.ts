import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { quotientOf, scaledQuotientOf } from './decimal-quotients';

/** A decimal of 1 to 42 significant digits, any sign, lowest digit at 10^-30 … 10^10. */
const anyDecimal = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 1, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 41, size: 'max' }),
    fc.integer({ min: -10, max: 30 }),
  )
  .map(([neg, first, rest, scale]) => new Decimal(`${neg ? '-' : ''}${first}${rest.join('')}e${-scale}`));
/** Positions as the simulation holds them: costs at 12–20 decimals, 8-decimal volumes. */
const volume = fc.integer({ min: 1, max: 10 ** 12 }).map((u) => new Decimal(`${u}e-8`));
const cost = fc
  .tuple(fc.integer({ min: 1, max: 200_000_000 }), volume, fc.integer({ min: 0, max: 10 ** 9 }))
  .map(([p, v, frac]) =>
    new Decimal(p)
      .times(v)
      .times('1.0005')
      .plus(new Decimal(`${frac}e-20`)),
  );
const operand = fc.oneof(anyDecimal, volume, cost, fc.constantFrom(new Decimal(0), new Decimal(Number.NaN)));

const same = (got: Decimal, want: Decimal) => {
  expect(got.toString()).toBe(want.toString());
  expect(layout(got)).toEqual(layout(want));
};

describe('decimal quotients', () => {
  it('x.div(y): the same decimal as decimal.js, value and layout', () => {
    fc.assert(
      fc.property(operand, operand, (x, y) => same(quotientOf(x, y), x.div(y))),
      { numRuns: 20_000 },
    );
  });

  it('cost × sold / held to 20 decimals: the same decimal as decimal.js', () => {
    fc.assert(
      fc.property(
        fc.oneof(cost, anyDecimal),
        fc.oneof(volume, anyDecimal),
        fc.oneof(volume, anyDecimal),
        (c, s, h) =>
          same(scaledQuotientOf(c, s, h, 20), c.times(s).div(h).toDecimalPlaces(20, Decimal.ROUND_HALF_EVEN)),
      ),
      { numRuns: 20_000 },
    );
  });

  it('rounds exact ties to even and a hair past them away, at the 40th digit and at the 20th decimal', () => {
    // 41-digit quotients ending in 5 (ties at the 40th digit), and just above or below them.
    const digits40 = fc
      .tuple(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 39, maxLength: 39 }),
      )
      .map(([first, rest]) => `${first}${rest.join('')}`);
    fc.assert(
      fc.property(digits40, fc.integer({ min: -5, max: 25 }), fc.constantFrom(1n, 2n, 3n), (d, k, m) => {
        // (10·D + 5)·m / (2·m·…): the quotient is D.5 at the 41st digit exactly, or off by 1/m.
        const tie = BigInt(d) * 10n + 5n;
        for (const num of [tie * m, tie * m + 1n, tie * m - 1n]) {
          const x = new Decimal(`${num}e${-k}`);
          const y = new Decimal(m.toString());
          same(quotientOf(x, y), x.div(y));
          same(
            scaledQuotientOf(x, new Decimal(1), y, 20),
            x.times(1).div(y).toDecimalPlaces(20, Decimal.ROUND_HALF_EVEN),
          );
        }
      }),
      { numRuns: 3000 },
    );
  });
});

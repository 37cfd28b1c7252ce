import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { quotientNumber, shortQuotient } from './decimal-quotients';
import { numberOf } from './decimal-units';

// shortQuotient claims decimal.js's x.div(y), value and layout, whenever it answers; quotientNumber
// claims numberOf(x.div(y)) always. Checked against decimal.js on random digit strings, on costs and
// volumes as the backtest makes them, and on quotients built to sit on or a hair from a 40-digit
// half-way point (where half-even, the sticky remainder and a dropped whole word decide).

const digits = (max: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: max })
    .map((ds) => ds.join('').replace(/^0+(?=\d)/, ''));

const decimal = fc
  .tuple(fc.boolean(), digits(45), fc.integer({ min: -30, max: 30 }))
  .map(([negative, ds, exp]) => new Decimal(`${negative ? '-' : ''}${ds}e${exp}`));

/** Small divisors at any scale (the short division's domain), both signs. */
const divisor = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      fc.integer({ min: 1, max: 2 ** 29 - 1 }),
      fc.integer({ min: 2 ** 29 - 1000, max: 2 ** 29 + 1000 }),
    ),
    fc.integer({ min: 0, max: 20 }),
  )
  .map(([negative, units, places]) => new Decimal(`${negative ? '-' : ''}${units}e-${places}`));

function agrees(x: Decimal, y: Decimal): boolean {
  const expected = x.div(y);
  const short = shortQuotient(x, y);
  if (short !== undefined) expect(layout(short)).toEqual(layout(expected));
  expect(Object.is(quotientNumber(x, y), numberOf(expected))).toBe(true);
  return short !== undefined;
}

describe('shortQuotient / quotientNumber', () => {
  it('is x.div(y) (value and layout) and its double, for random dividends over small divisors', () => {
    let answered = 0;
    fc.assert(
      fc.property(decimal, divisor, (x, y) => {
        if (agrees(x, y)) answered += 1;
      }),
      { seed: 20261205, numRuns: 8_000 },
    );
    expect(answered).toBeGreaterThan(5_000);
  });

  it('follows decimal.js for any divisor (the general path)', () => {
    fc.assert(
      fc.property(decimal, decimal, (x, y) => {
        if (!y.isZero()) agrees(x, y);
      }),
      { seed: 3, numRuns: 3_000 },
    );
  });

  it('is the average entry the strategies read: costs at 20 decimals over 8-decimal volumes', () => {
    const cost = fc.bigInt({ min: 1n, max: 10n ** 33n }).map((units) => new Decimal(`${units}e-20`));
    const vol = fc.integer({ min: 1, max: 2 ** 31 }).map((units) => new Decimal(`${units}e-8`));
    fc.assert(
      fc.property(cost, vol, (c, v) => {
        agrees(c, v);
      }),
      { seed: 7, numRuns: 8_000 },
    );
  });

  it('rounds half-even at the 40th digit, ties and near-ties included', () => {
    // x = (q · 10^m + r) · y for a 40-digit q: the quotient is q + r / 10^m exactly, so r puts it on,
    // just below or just above the half-way point between q and q + 1 (m = 7 drops a whole word).
    const q = fc.bigInt({ min: 10n ** 39n, max: 10n ** 40n - 1n });
    const y = fc.integer({ min: 1, max: 2 ** 29 - 1 });
    fc.assert(
      fc.property(
        q,
        y,
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(0n, -1n, 1n),
        fc.integer({ min: -25, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        (qq, yy, m, nudge, exp, places) => {
          const scale = 10n ** BigInt(m);
          const r = scale / 2n + nudge;
          const x = new Decimal(`${(qq * scale + r) * BigInt(yy)}e${exp}`);
          agrees(x, new Decimal(`${yy}e-${places}`));
        },
      ),
      { seed: 11, numRuns: 5_000 },
    );
  });

  it('carries a rounding out of the top word (…9999 rounded up)', () => {
    const x = new Decimal(`${'9'.repeat(45)}`);
    agrees(x, new Decimal(1));
    agrees(new Decimal(`${'9'.repeat(41)}5`), new Decimal(1));
    agrees(new Decimal(`${'9'.repeat(40)}5e-3`), new Decimal('0.0001'));
  });
});

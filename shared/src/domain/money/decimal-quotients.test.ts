import fc from 'fast-check';
import { Decimal } from './decimal';
import { quotientNumber, quotientText } from './decimal-quotients';
import { numberOf } from './decimal-units';

// quotientNumber claims numberOf(x.div(y)) for every pair: checked against decimal.js itself on
// random digit strings (1–45 digits, scales −30…30, both signs), on costs and volumes as the
// backtest makes them, and on quotients built to sit on or a hair from a 40-digit half-way point.

const digits = (max: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: max })
    .map((ds) => ds.join('').replace(/^0+(?=\d)/, ''));

const decimal = fc
  .tuple(fc.boolean(), digits(45), fc.integer({ min: -30, max: 30 }))
  .map(([negative, ds, exp]) => new Decimal(`${negative ? '-' : ''}${ds}e${exp}`));

function reference(x: Decimal, y: Decimal): number {
  return numberOf(x.div(y));
}

/** The exact 40-digit quotient agrees with decimal.js's, and its double with numberOf's. */
function agrees(x: Decimal, y: Decimal): void {
  const text = quotientText(x, y);
  expect(text).toBeDefined();
  expect(new Decimal(text as string).eq(x.div(y))).toBe(true);
  expect(Object.is(quotientNumber(x, y), reference(x, y))).toBe(true);
}

describe('quotientNumber', () => {
  it('is numberOf(x.div(y)) for random decimals', () => {
    fc.assert(
      fc.property(decimal, decimal, (x, y) => {
        if (!y.isZero()) agrees(x, y);
      }),
      { seed: 20261205, numRuns: 8_000 },
    );
  });

  it('is numberOf(cost.div(volume)) for costs at 20 decimals and 8-decimal volumes', () => {
    const cost = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 33n }))
      .map(([units]) => new Decimal(`${units}e-20`));
    const vol = fc.integer({ min: 1, max: 2 ** 53 - 1 }).map((units) => new Decimal(`${units}e-8`));
    fc.assert(
      fc.property(cost, vol, (c, v) => {
        agrees(c, v);
      }),
      { seed: 7, numRuns: 8_000 },
    );
  });

  it('rounds half-even at the 40th digit as decimal.js does, ties and near-ties included', () => {
    // x = (q · 10^k + r) · y / 10^k for a 40-digit q: the quotient is q + r/10^k exactly, so r
    // puts it on, just below or just above the half-way point between q and q + 1.
    const q = fc.bigInt({ min: 10n ** 39n, max: 10n ** 40n - 1n });
    const y = fc.bigInt({ min: 1n, max: 10n ** 12n });
    const r = fc.constantFrom(0n, 499n, 500n, 501n, 1n, 999n);
    fc.assert(
      fc.property(q, y, r, fc.integer({ min: -25, max: 5 }), (qq, yy, rr, exp) => {
        const x = new Decimal(`${(qq * 1000n + rr) * yy}e${exp}`);
        const d = new Decimal(`${yy}e${exp + 3}`);
        agrees(x, d);
      }),
      { seed: 11, numRuns: 5_000 },
    );
  });

  it('gives +0 for zero dividends and follows decimal.js for zero divisors and non-finite operands', () => {
    expect(Object.is(quotientNumber(new Decimal('-0'), new Decimal(3)), 0)).toBe(true);
    expect(quotientNumber(new Decimal(1), new Decimal(0))).toBe(Number.POSITIVE_INFINITY);
    expect(quotientNumber(new Decimal(Number.NaN), new Decimal(2))).toBeNaN();
    expect(quotientNumber(new Decimal(5), new Decimal(Number.POSITIVE_INFINITY))).toBe(0);
  });
});

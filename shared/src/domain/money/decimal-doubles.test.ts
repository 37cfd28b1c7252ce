import fc from 'fast-check';
import { Decimal } from './decimal';
import { type Layout, longDecimalToDouble } from './decimal-doubles';
import { numberOf } from './decimal-units';

/** `numberOf` must be decimal.js's own `toNumber` (parse of the printed text), but +0 for −0. */
function expectSameDouble(x: Decimal): void {
  const want = x.toNumber();
  const got = numberOf(x);
  if (want === 0) expect(got).toBe(0);
  else expect(got).toBe(want);
}

const long = (x: Decimal): number | undefined => longDecimalToDouble(x as unknown as Layout);

/** A decimal of 1 to 45 significant digits with its lowest digit at 10^-scale. */
const digitText = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 44, size: 'max' }),
  )
  .map(([first, rest]) => `${first}${rest.join('')}`);
const anyDecimal = fc
  .tuple(fc.boolean(), digitText, fc.integer({ min: -5, max: 50 }))
  .map(([neg, digits, scale]) => new Decimal(`${neg ? '-' : ''}${digits}e${-scale}`));

/** The exact decimal text of a positive finite double: M × 2^E as digits. */
function exactText(mantissa: bigint, exponent: number): string {
  if (exponent >= 0) return (mantissa << BigInt(exponent)).toString();
  return `${mantissa * 5n ** BigInt(-exponent)}e-${-exponent}`;
}

/** A positive normal double as (M, E) with value M × 2^E and M < 2^53. */
function parts(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const raw = view.getBigUint64(0);
  const exponent = Number((raw >> 52n) & 0x7ffn);
  return [(raw & ((1n << 52n) - 1n)) | (1n << 52n), exponent - 1075];
}

describe('decimal doubles', () => {
  it('gives toNumber’s double for random decimals of every length and scale', () => {
    fc.assert(fc.property(anyDecimal, expectSameDouble), { numRuns: 20_000 });
  });

  it('decides itself (without decimal.js) for almost every long decimal, and then rightly', () => {
    let decided = 0;
    let tried = 0;
    fc.assert(
      fc.property(digitText, fc.integer({ min: 5, max: 30 }), (digits, scale) => {
        const x = new Decimal(`${digits}e${-scale}`);
        const got = long(x);
        const fits =
          digits.length > 15 && digits.length <= 50 && scale > 0 && scale - digits.length + 15 <= 22;
        if (fits && scale - digits.length + 15 >= 0) tried += 1;
        if (got === undefined) return;
        decided += 1;
        expect(got).toBe(x.toNumber());
      }),
      { numRuns: 20_000 },
    );
    expect(tried).toBeGreaterThan(5000);
    expect(decided).toBeGreaterThan(tried * 0.99);
  });

  it('gives toNumber’s double a hair from a tie between two doubles, and on the tie itself', () => {
    const positiveDouble = fc.double({ min: 1e-6, max: 1e15, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(positiveDouble, fc.integer({ min: -3, max: 3 }), fc.boolean(), (v, nudge, neg) => {
        const [m, e] = parts(v);
        // The tie between v and the next double up, rounded to 40 digits, then nudged by units of
        // its 40th digit: the decimals whose double is hardest to decide.
        const tie = new Decimal(exactText(2n * m + 1n, e - 1));
        const rounded = tie.toSignificantDigits(40);
        const unit = new Decimal(10).pow(rounded.e - 39);
        const x = rounded.plus(unit.times(nudge));
        expectSameDouble(neg ? x.negated() : x);
        // The tie itself when it has at most 50 digits, and v's own exact value.
        if (tie.sd() <= 50) expectSameDouble(tie);
        const own = new Decimal(exactText(m, e));
        if (own.sd() <= 50) expectSameDouble(own);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives toNumber’s double for the sums the simulation converts: costs, PnL and locks', () => {
    const price = fc.integer({ min: 1, max: 200_000_000 }).map((p) => new Decimal(p).div(100));
    const units = fc.integer({ min: 1, max: 10 ** 12 }).map((u) => new Decimal(u).div(1e8));
    fc.assert(
      fc.property(price, units, units, price, (p, held, sold, mark) => {
        const cost = p.times(held).times('1.0005');
        const released = cost.times(sold).div(held.plus(sold)).toDecimalPlaces(20);
        const pnl = mark.times(sold).times('0.9995').minus(released);
        for (const x of [cost, released, pnl, pnl.negated(), cost.div(held)]) expectSameDouble(x);
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves to decimal.js what it cannot decide: short, whole, tiny or huge values', () => {
    expect(long(new Decimal('123.456'))).toBeUndefined();
    expect(long(new Decimal('12345678901234567890'))).toBeUndefined();
    expect(long(new Decimal('1.2345678901234567890e-30'))).toBeUndefined();
    expect(long(new Decimal('12345678901234567890123.5'))).toBeUndefined();
    expect(long(new Decimal('1234567.123456789012345'))).toBe(1234567.123456789);
  });
});

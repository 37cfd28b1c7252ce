import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { releasedCostOf } from './position-accounting-release';

/*
 * Adversarial review (audit5) of releasedCostOf beyond its own property's range (integers of 1e-k,
 * k ≤ 24, positive sold and held): operands read from text with exponents −45 … +30 (so decimal.js
 * words of huge and tiny values, trailing zero words, 40-digit products of earlier arithmetic),
 * every sign, and results at the edge of the safe-integer path (±(2^53 − 1), ±2^53, ±(2^53 + 1) units).
 * Claim E1: the result is the exact cost × sold ÷ held rounded half-even once to `places`, with
 * the value, text and internal layout of `new Decimal(units + 'e-' + places)`.
 * The reference reads each operand from its plain text (toFixed), independent of decimal.js words.
 */
const RUNS = { seed: 5_2026_1205, numRuns: 3000 } as const;

/** `x` as units × 10^-scale from its plain text. */
function exact(x: Decimal): { units: bigint; scale: number } {
  const text = x.toFixed();
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = (negative ? text.slice(1) : text).split('.');
  const units = BigInt(whole + frac);
  return { units: negative ? -units : units, scale: frac.length };
}

function reference(cost: Decimal, sold: Decimal, held: Decimal, places: number): bigint {
  const c = exact(cost);
  const s = exact(sold);
  const h = exact(held);
  const shift = places + h.scale - c.scale - s.scale;
  let num = c.units * s.units * (shift >= 0 ? 10n ** BigInt(shift) : 1n);
  let den = h.units * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const a = negative ? -num : num;
  let q = a / den;
  const r2 = (a % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

function expectExact(cost: Decimal, sold: Decimal, held: Decimal, places: number): void {
  const out = releasedCostOf(cost, sold, held, places);
  const want = new Decimal(`${reference(cost, sold, held, places)}e-${places}`);
  expect(out.toFixed()).toBe(want.toFixed());
  expect({ s: out.s, e: out.e, d: out.d }).toEqual({ s: want.s, e: want.e, d: want.d });
}

/** A nonzero decimal with 1–40 significant digits at an exponent from −45 to +30, either sign. */
const operand = fc
  .record({
    digits: fc.stringMatching(/^[1-9][0-9]{0,39}$/),
    exponent: fc.integer({ min: -45, max: 30 }),
    negative: fc.boolean(),
  })
  .map(({ digits, exponent, negative }) => new Decimal(`${negative ? '-' : ''}${digits}e${exponent}`));

describe('releasedCostOf at huge, tiny, negative and 2^53 operands (audit5)', () => {
  it('E1 holds for operands at exponents −45 … +30 of either sign, places 0 … 30', () => {
    fc.assert(
      fc.property(operand, operand, operand, fc.integer({ min: 0, max: 30 }), (cost, sold, held, places) => {
        expectExact(cost, sold, held, places);
      }),
      RUNS,
    );
  });

  it('E1 holds for the 40-digit products and quotients earlier arithmetic leaves in a position', () => {
    fc.assert(
      fc.property(operand, operand, operand, operand, (a, b, c, d) => {
        const cost = a.times(b); // rounded to 40 significant digits, as a stored cost may be
        const held = c.div(d).abs().plus('0.00000001');
        expectExact(cost, held.div(3), held, 20);
      }),
      RUNS,
    );
  });

  it('E1 holds at the switch from the safe-integer path to the text path (±2^53 ± 1 units)', () => {
    const edge = 2n ** 53n;
    for (const q of [edge - 2n, edge - 1n, edge, edge + 1n, 10n ** 16n])
      for (const sign of [1n, -1n])
        for (const [sold, held] of [
          ['1', '1'],
          ['2', '2'],
          ['0.00000001', '0.00000001'],
          ['123456789.12345678', '123456789.12345678'],
        ] as const) {
          const cost = new Decimal(`${sign * q}e-20`);
          expectExact(cost, new Decimal(sold), new Decimal(held), 20);
          // Ties at the edge: (2q + 1) / 2 units.
          expectExact(
            new Decimal(`${sign * (2n * q + 1n)}e-20`),
            new Decimal(sold),
            new Decimal(held).times(2),
            20,
          );
        }
  });

  it('E1: a release that rounds to zero is zero (not −0), and a sell larger than the holding is not capped here', () => {
    const out = releasedCostOf(new Decimal('-1e-25'), new Decimal('1'), new Decimal('3'), 20);
    expect(out.isZero()).toBe(true);
    expect(out.isNegative()).toBe(false);
    expect(releasedCostOf(new Decimal('100'), new Decimal('3'), new Decimal('2'), 20).toFixed()).toBe('150');
  });
});

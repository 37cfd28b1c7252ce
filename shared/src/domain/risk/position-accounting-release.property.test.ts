import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { releasedCostOf } from './position-accounting-release';

/*
 * releasedCostOf against a BigInt reference written from the definition: the exact rational
 * cost × sold ÷ held, rounded half-even once to `places` decimals. Operands are integers of 1e-k
 * for independent k (0 … 24), so their decimal.js words are aligned differently, and include exact
 * ties (held dividing cost × sold × 10^places × 2 but not × 1), which a double rounding gets wrong.
 */

const RUNS = { seed: 20261205, numRuns: 2000 } as const;

function decimalOf(units: bigint, scale: number): Decimal {
  return new Decimal(`${units}e-${scale}`);
}

/** Half-even rounding of num/den (den > 0) to an integer, signs handled on the magnitude. */
function divHalfEven(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / den;
  const r2 = (a % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** The reference: units of 10^-places of (cu·10^-cs)(su·10^-ss) ÷ (hu·10^-hs). */
function reference(
  cu: bigint,
  cs: number,
  su: bigint,
  ss: number,
  hu: bigint,
  hs: number,
  places: number,
): bigint {
  const shift = places + hs - cs - ss;
  const num = cu * su * (shift >= 0 ? 10n ** BigInt(shift) : 1n);
  const den = hu * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return divHalfEven(num, den);
}

const units = fc.oneof(
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: 1n, max: 10n ** 18n }),
  fc.bigInt({ min: 10n ** 25n, max: 10n ** 32n }),
);
const scale = fc.integer({ min: 0, max: 24 });

describe('releasedCostOf', () => {
  it('is the half-even rounding of the exact cost × sold ÷ held, with decimal.js’s own layout', () => {
    fc.assert(
      fc.property(
        units,
        scale,
        units,
        scale,
        units,
        scale,
        fc.boolean(),
        (cu, cs, su, ss, hu, hs, negative) => {
          const cost = decimalOf(negative ? -cu : cu, cs);
          const out = releasedCostOf(cost, decimalOf(su, ss), decimalOf(hu, hs), 20);
          const want = decimalOf(reference(negative ? -cu : cu, cs, su, ss, hu, hs, 20), 20);
          expect(out.toFixed()).toBe(want.toFixed());
          // Same internal words as decimal.js's parser gives: the fast paths read them.
          expect({ s: out.s, e: out.e, d: out.d }).toEqual({ s: want.s, e: want.e, d: want.d });
        },
      ),
      RUNS,
    );
  });

  it('rounds exact ties to the even unit and everything else to the nearest', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.constantFrom(-1n, 0n, 1n), (q, nudge) => {
        // cost ÷ 2 = (2q + 1)/2 units of 1e-20 (+ nudge/2 · 1e-30): a tie unless nudged.
        const held = new Decimal(2);
        const cost = decimalOf((2n * q + 1n) * 10n ** 10n + nudge, 30);
        const out = releasedCostOf(cost, new Decimal(1), held, 20);
        const up = nudge > 0n || (nudge === 0n && q % 2n === 1n);
        expect(out.toFixed()).toBe(decimalOf(up ? q + 1n : q, 20).toFixed());
      }),
      RUNS,
    );
  });

  it('matches the old decimal.js expression wherever it has no tie to misround', () => {
    const cost = new Decimal('853536925.01874601978383601397');
    const held = new Decimal('4969132.27527236');
    for (const sold of ['0.00000001', '1', '2892.39364101', '4969132.27527235']) {
      const old = cost.times(sold).div(held).toDecimalPlaces(20, Decimal.ROUND_HALF_EVEN);
      expect(releasedCostOf(cost, new Decimal(sold), held, 20).toFixed()).toBe(old.toFixed());
    }
    // The former counterexample: exact …819915 at the 21st place, a tie; half-even gives …992.
    expect(releasedCostOf(cost, new Decimal('2892.39364102'), held, 20).toFixed()).toBe(
      '496820.09605282073328511992',
    );
  });

  it('releases nothing of a zero cost and refuses a zero holding', () => {
    expect(releasedCostOf(new Decimal(0), new Decimal('0.5'), new Decimal(1), 20).toFixed()).toBe('0');
    expect(() => releasedCostOf(new Decimal(1), new Decimal(1), new Decimal(0), 20)).toThrow(RangeError);
  });
});

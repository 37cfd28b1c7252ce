import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from '../money/decimal';
import { releasedCostByWords } from './released-cost-words';

/*
 * releasedCostByWords against a BigInt reference written from releasedCostOf's definition: the
 * exact rational cost × sold ÷ held rounded half-even once to `places` decimals, compared on value
 * and decimal.js layout (that of `new Decimal(units + 'e-' + places)`, what releasedCostOf returns).
 * Exact ties are built on purpose (small held volumes, costs that make cost × sold ÷ held end in a
 * 5 just past the rounding place), as are carries out of a word of nines.
 */

const RUNS = { seed: 20261205, numRuns: 5000 } as const;

function divHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  return q;
}

/** Units of 10^-places of (cu·10^-cs)(su·10^-8) ÷ (hu·10^-8), cu > 0. */
function reference(cu: bigint, cs: number, su: bigint, hu: bigint, places: number): Decimal {
  const shift = places - cs;
  const num = cu * su * (shift >= 0 ? 10n ** BigInt(shift) : 1n);
  const den = hu * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return new Decimal(`${divHalfEven(num, den)}e-${places}`);
}

const costUnits = fc.oneof(
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: 1n, max: 10n ** 18n }),
  fc.bigInt({ min: 10n ** 20n, max: 10n ** 30n }),
  // Words of nines: rounding up carries through them.
  fc.integer({ min: 1, max: 35 }).map((k) => 10n ** BigInt(k) - 1n),
);
const heldUnits = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 900_000_000 }));

const operands = fc
  .record({
    cu: costUnits,
    // The cost's decimals: at most `places`, or one more than the rounding place's word allows.
    cs: fc.integer({ min: 0, max: 21 }),
    places: fc.constantFrom(20, 20, 20, 0, 1, 7, 8, 14, 21),
    held: heldUnits,
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ cu, cs, places, held, share }) => {
    const sold = Math.max(1, Math.min(held, Math.round(held * share)));
    return { cu, cs, places, held, sold };
  });

describe('releasedCostByWords (releasedCostOf on safe-integer words)', () => {
  it('answers with the reference value and layout, or refuses', () => {
    let answered = 0;
    fc.assert(
      fc.property(operands, ({ cu, cs, places, held, sold }) => {
        const cost = new Decimal(`${cu}e-${cs}`);
        const got = releasedCostByWords(cost, new Decimal(`${sold}e-8`), new Decimal(`${held}e-8`), places);
        if (got === undefined) return;
        answered += 1;
        expect(layout(got)).toEqual(layout(reference(cu, cs, BigInt(sold), BigInt(held), places)));
      }),
      RUNS,
    );
    expect(answered).toBeGreaterThan(RUNS.numRuns / 2);
  });

  it('rounds exact ties to even', () => {
    // held 2, sold 1: half of a cost that ends in an odd unit at the rounding place is a tie.
    const tie = (units: string) =>
      releasedCostByWords(new Decimal(`${units}e-20`), new Decimal('1e-8'), new Decimal('2e-8'), 20);
    expect(tie('3')?.toFixed()).toBe(new Decimal('2e-20').toFixed());
    expect(tie('5')?.toFixed()).toBe(new Decimal('2e-20').toFixed());
    expect(tie('7')?.toFixed()).toBe(new Decimal('4e-20').toFixed());
    // A tie that carries: 0.19999999999999999999 / 2 = 0.0999…95, whose kept 9 is odd: up to 0.1.
    expect(layout(tie('19999999999999999999') as Decimal)).toEqual(layout(new Decimal('0.1')));
    const ties = fc.record({
      cu: fc.bigInt({ min: 1n, max: 10n ** 28n }),
      h: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(ties, ({ cu, h }) => {
        // cost = (2k + 1)·h / 2 … scaled so that cost × 1 ÷ (2h) sits exactly on a half unit.
        const cost = new Decimal(`${cu * 2n + 1n}e-20`);
        const got = releasedCostByWords(cost, new Decimal(`${h}e-8`), new Decimal(`${2 * h}e-8`), 20);
        expect(got && layout(got)).toEqual(layout(reference(cu * 2n + 1n, 20, BigInt(h), BigInt(2 * h), 20)));
      }),
      RUNS,
    );
  });

  it('refuses what it cannot do exactly: negative costs, large volumes, digits below the rounding word', () => {
    const one = new Decimal('1e-8');
    expect(releasedCostByWords(new Decimal('-5'), one, one, 20)).toBeUndefined();
    expect(releasedCostByWords(new Decimal('5'), new Decimal('1'), new Decimal('2'), 20)).toBeUndefined();
    expect(releasedCostByWords(new Decimal('5e-30'), one, one, 20)).toBeUndefined();
  });
});

import fc from 'fast-check';
import { exactDecimal } from '../../../testing/adversarial-decimals';
import { Decimal } from '../../domain/money/decimal';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { exactlyReordered } from '../../domain/money/decimal-three-sums';
import { decimalOfUnits, numberOf, productOf } from '../../domain/money/decimal-units';

// StrategyPnl values a held position as (realized − cost) + volume × mark, with realized − cost kept
// per position, where the original order is realized + (volume × mark − cost). The two must give the
// same decimal, and so the same double, whenever exactlyReordered says so.

const RUNS = { seed: 20261205, numRuns: 4000 } as const;

/** Both orders' results, as decimals. */
function bothOrders(realized: Decimal, worth: Decimal, cost: Decimal): [Decimal, Decimal] {
  return [sumOf(realized, differenceOf(worth, cost)), sumOf(differenceOf(realized, cost), worth)];
}

describe('exactlyReordered (StrategyPnl keeps realized − cost per position)', () => {
  it('is true only where both orders give the same decimal and the same double', () => {
    let accepted = 0;
    fc.assert(
      fc.property(exactDecimal, exactDecimal, exactDecimal, (a, b, c) => {
        if (!exactlyReordered(a.x, b.x, c.x)) return;
        accepted += 1;
        const [original, reordered] = bothOrders(a.x, b.x, c.x);
        expect(reordered.eq(original)).toBe(true);
        expect(Object.is(numberOf(reordered), numberOf(original))).toBe(true);
      }),
      RUNS,
    );
    // Adversarial operands of up to 40 digits: the bound must still accept a share of them.
    expect(accepted).toBeGreaterThan(200);
  });

  it('refuses operands whose sums round, where the two orders differ', () => {
    const big = new Decimal('1e35');
    const small = new Decimal('1e-10');
    const [original, reordered] = bothOrders(big, small, big);
    expect(original.eq(reordered)).toBe(false);
    expect(exactlyReordered(big, small, big)).toBe(false);
  });

  it('accepts every position a market-making run holds (20-decimal costs, 8-decimal volumes)', () => {
    const position = fc.record({
      // realized PnL and cost at 20 decimals, up to ±10^9 KRW and 10^9 KRW; volume in 1e-8 units
      // up to 1,000 coins; a whole-won mark up to 2·10^8.
      realized: fc.tuple(fc.bigInt({ min: -(10n ** 29n), max: 10n ** 29n })),
      cost: fc.bigInt({ min: 0n, max: 10n ** 29n }),
      units: fc.integer({ min: 1, max: 100_000_000_000 }),
      mark: fc.integer({ min: 1, max: 200_000_000 }),
    });
    fc.assert(
      fc.property(position, ({ realized, cost, units, mark }) => {
        const r = new Decimal(`${realized[0]}e-20`);
        const c = new Decimal(`${cost}e-20`);
        const worth = productOf(decimalOfUnits(units, 8), decimalOfUnits(mark, 0));
        expect(exactlyReordered(r, worth, c)).toBe(true);
        const [original, reordered] = bothOrders(r, worth, c);
        expect(Object.is(numberOf(reordered), numberOf(original))).toBe(true);
      }),
      RUNS,
    );
  });
});

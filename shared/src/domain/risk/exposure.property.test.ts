import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import type { Market } from '../market/market-id';
import { type Decimal, Decimal as DecimalClass, ZERO } from '../money/decimal';
import { sumOf } from '../money/decimal-sums';
import { krw, volume } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { type Commitment, exposureBook } from './exposure';

const markets = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as unknown as readonly Market[];
const strategies = ['market_making', 'momentum_scalping', 'operator'] as unknown as readonly StrategyName[];

// Costs at up to 20 decimals, locks at 12, flat positions, zero locks, and rare amounts the word
// sums refuse or that make a sum longer than 40 digits.
const amount = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 20 }))
      .map(([u, k]) => new DecimalClass(`${u}e-${k}`)),
  },
  { weight: 2, arbitrary: fc.constant(ZERO) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new DecimalClass('1e25'),
      new DecimalClass('1.5e-22'),
      new DecimalClass('-3'),
      new DecimalClass('1e200'),
    ),
  },
);
const entry = fc.tuple(fc.nat(2), fc.nat(2), amount);

/** The book as it was built before word sums: three one-by-one additions per amount. */
function oneByOne(amounts: readonly (readonly [Market, StrategyName, Decimal])[]) {
  let total: Decimal = ZERO;
  const byMarket = new Map<Market, Decimal>();
  const byStrategy = new Map<StrategyName, Decimal>();
  for (const [m, s, x] of amounts) {
    if (x.isZero()) continue;
    const next = sumOf(total, x);
    for (const [map, key] of [
      [byMarket, m],
      [byStrategy, s],
    ] as const) {
      const prior = (map as Map<unknown, Decimal>).get(key);
      (map as Map<unknown, Decimal>).set(key, prior === total ? next : sumOf(prior ?? ZERO, x));
    }
    total = next;
  }
  return { total, byMarket, byStrategy };
}

const text = (map: ReadonlyMap<unknown, Decimal>) => [...map].map(([k, v]) => [k, layout(v)]);

describe('exposure book (word sums)', () => {
  it('equals one-by-one additions in values, layouts and key order, and shares the total as they do', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.array(entry, { maxLength: 30 }), (ps, cs) => {
        const positions: Position[] = ps.map(([m, s, cost]) => ({
          market: markets[m] as Market,
          strategy: strategies[s] as StrategyName,
          volume: volume(cost.isZero() ? ZERO : new DecimalClass('0.5')),
          cost: krw(cost.isZero() ? new DecimalClass(7) : cost),
          realizedPnl: krw(ZERO),
          feesPaid: krw(ZERO),
          updatedAt: 0 as Position['updatedAt'],
          version: 0,
        }));
        const commitments: Commitment[] = cs.map(([m, s, lock], i) => ({
          market: markets[m] as Market,
          strategy: strategies[s] as StrategyName,
          decisionId: `d${i}` as DecisionId,
          side: 'bid',
          lockedKrw: krw(lock),
          remainingVolume: volume(ZERO),
        }));
        const book = exposureBook(positions, commitments);
        const want = oneByOne([
          ...positions.map((p) => [p.market, p.strategy, p.volume.isZero() ? ZERO : p.cost] as const),
          ...commitments.map((c) => [c.market, c.strategy, c.lockedKrw] as const),
        ] as [Market, StrategyName, Decimal][]);
        expect(layout(book.total)).toEqual(layout(want.total));
        expect(text(book.byMarket)).toEqual(text(want.byMarket));
        expect(text(book.byStrategy)).toEqual(text(want.byStrategy));
        for (const [k, v] of want.byMarket)
          if (v === want.total) expect(book.byMarket.get(k)).toBe(book.total);
        for (const [k, v] of want.byStrategy)
          if (v === want.total) expect(book.byStrategy.get(k)).toBe(book.total);
      }),
      { numRuns: 3000 },
    );
  });
});

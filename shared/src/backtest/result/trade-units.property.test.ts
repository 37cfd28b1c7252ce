import fc from 'fast-check';
import { Decimal } from '../../domain/money/decimal';
import { decimalOfUnits } from '../../domain/money/decimal-units';
import type { EpochMs } from '../../domain/time/epoch';
import { unitsKeepable } from './decimal-arena';
import type { FillReason } from './quote-reasons';
import { type FillUnits, TradeStore } from './trade-store';

// Units as a fill knows them, edge cases first: zero, one, the int32 and uint32 edges (the arena
// keeps a value as two 32-bit halves), the largest safe integer, typical won prices, 8-decimal
// volumes and fee units; and values the store must not keep as units (NaN, unsafe, negative,
// fractional), for which it keeps the decimal instead.
const units = fc.oneof(
  fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 1, max: 200_000_000 }).map((n) => n * 1000),
  fc.integer({ min: 1, max: 2 ** 31 }),
  fc.maxSafeNat(),
  fc.constantFrom(Number.NaN, -1, 2 ** 53, 1.5, Infinity),
);
const scale = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constantFrom(12, 13, 8, Number.NaN, -1, 61, 2.5));

// The decimal a fill holds: decimalOfUnits of its units when they are keepable (the contract a
// fill's FillUnits states), any decimal otherwise (the store must then read the decimal).
function heldDecimal(u: number, s: number, other: Decimal): Decimal {
  return unitsKeepable(u, s) ? decimalOfUnits(u, s) : other;
}

const otherDecimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -20, max: 20 }))
  .map(([n, e]) => new Decimal(`${n}e${e}`));

const trade = fc.record({
  priceWon: units,
  volumeUnits: units,
  feeUnits: units,
  feeScale: scale,
  other: otherDecimal,
  pnl: otherDecimal,
  absent: fc.boolean(),
});

describe('TradeStore: a fill’s price, volume and fee kept as their units', () => {
  it('reads back the very decimals’ texts (fixedText) a store given only the decimals reads', () => {
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 40 }), (list) => {
        const withUnits = new TradeStore();
        const plain = new TradeStore();
        for (const t of list) {
          const price = heldDecimal(t.priceWon, 0, t.other);
          const volume = heldDecimal(t.volumeUnits, 8, t.other);
          const fee = heldDecimal(t.feeUnits, t.feeScale, t.other);
          const facts: FillReason & Partial<FillUnits> = t.absent
            ? { reason: 'r', quoteReason: undefined, reasonSide: 'bid', reasonLeg: 0 }
            : {
                reason: 'r',
                quoteReason: undefined,
                reasonSide: 'bid',
                reasonLeg: 0,
                priceWon: t.priceWon,
                volumeUnits: t.volumeUnits,
                feeUnits: t.feeUnits,
                feeScale: t.feeScale,
              };
          const at = 0 as EpochMs;
          withUnits.add(at, 'KRW-BTC', 'market_making', 'ask', true, price, volume, fee, t.pnl, facts);
          plain.add(at, 'KRW-BTC', 'market_making', 'ask', true, price, volume, fee, t.pnl, 'r');
        }
        expect(JSON.stringify(withUnits.records)).toBe(JSON.stringify(plain.records));
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('keeps rows exact across arena chunks (a year’s worth of unit-kept fills)', () => {
    const withUnits = new TradeStore();
    const plain = new TradeStore();
    const pnl = new Decimal('-12.34567890123456789012');
    for (let i = 0; i < 120_000; i++) {
      const won = 50_000_000 + (i % 977) * 1000;
      const vol = 1 + ((i * 7919) % 9_999_999);
      const feeU = won * vol * 5;
      const price = decimalOfUnits(won, 0);
      const volume = decimalOfUnits(vol, 8);
      const fee = decimalOfUnits(feeU, 12);
      const facts = {
        reason: 'r',
        quoteReason: undefined,
        reasonSide: 'bid' as const,
        reasonLeg: 0,
        priceWon: won,
        volumeUnits: vol,
        feeUnits: feeU,
        feeScale: 12,
      };
      withUnits.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', true, price, volume, fee, pnl, facts);
      plain.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', true, price, volume, fee, pnl, 'r');
    }
    expect(JSON.stringify(withUnits.records)).toBe(JSON.stringify(plain.records));
  });
});

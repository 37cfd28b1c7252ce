import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import { Decimal } from '../money/decimal';
import { krw, price, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { Fill } from '../trading/fill';
import { averageEntryDouble } from './average-entry';
import { applyFillToPosition, averageEntryNumber, emptyPosition } from './position-accounting';

// averageEntryDouble claims averageEntryNumber's double for every position: checked on positions
// built by random buys and partial sells through the accounting itself (costs at 20 decimals).

const BTC = parseMarket('KRW-BTC');
const T = 1_767_225_600_000 as EpochMs;

describe('averageEntryDouble', () => {
  it('is averageEntryNumber on positions after random fill sequences', () => {
    const step = fc.record({
      bid: fc.boolean(),
      won: fc.integer({ min: 1_000, max: 200_000_000 }),
      units: fc.integer({ min: 1, max: 3_000_000 }),
      share: fc.integer({ min: 1, max: 99 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        let p = emptyPosition(BTC, 'market_making', T);
        steps.forEach((s, i) => {
          const held = p.volume;
          const sell = !s.bid && !held.isZero();
          const vol = sell
            ? volume(held.times(s.share).div(100).toDecimalPlaces(8, Decimal.ROUND_DOWN))
            : volume(new Decimal(s.units).div(1e8));
          if (vol.isZero()) return;
          const px = price(new Decimal(s.won));
          const fill: Fill = {
            fillId: `f-${i}`,
            identifier: 'qts.t-1.0.0',
            market: BTC,
            strategy: 'market_making',
            side: sell ? 'ask' : 'bid',
            price: px,
            volume: vol,
            fee: krw(px.times(vol).times('0.0005')),
            isMaker: true,
            at: (T + i * 60_000) as EpochMs,
          } as Fill;
          p = applyFillToPosition(p, fill).position;
          expect(Object.is(averageEntryDouble(p), averageEntryNumber(p))).toBe(true);
        });
      }),
      { seed: 20261205, numRuns: 2_000 },
    );
  });
});

import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import { Decimal } from '../money/decimal';
import type { Price, Volume } from '../money/quantities';
import { epochMs } from '../time/epoch';
import { checkFatFinger } from './fat-finger';

const limitsWith = (maxDeviation: Decimal) => ({
  maxDeviationFromLastTrade: maxDeviation,
  bookBandTolerance: new Decimal(10),
  maxDepthFraction: new Decimal(1),
});

describe('fat-finger deviation from the last trade', () => {
  const btc = parseMarket('KRW-BTC');
  const book = {
    market: btc,
    timestamp: epochMs(0),
    bids: [{ price: 1, size: 1e9 }],
    asks: [{ price: 2, size: 1e9 }],
  };

  it('refuses exactly when |price − last| / last > limit in decimal, also on and next to the boundary', () => {
    const lastPrice = fc.oneof(
      fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 1, max: 999_999 }).map((n) => new Decimal(n).div(1000)),
    );
    const limit = fc.constantFrom('0.03', '0.05', '0.1', '0.0001', '0.333').map((t) => new Decimal(t));
    // Offsets around the boundary last × (1 ± limit): exact, one unit of the 12th decimal either side, far.
    const offset = fc.constantFrom('0', '1e-12', '-1e-12', '1e-30', '-1e-30', '0.5', '-0.5', '7');
    fc.assert(
      fc.property(lastPrice, limit, offset, fc.boolean(), (last, max, off, up) => {
        const boundary = up ? last.times(max.plus(1)) : last.times(new Decimal(1).minus(max));
        const p = boundary.plus(off);
        if (!p.gt(0)) return;
        const expected = p.minus(last).abs().div(last).gt(max);
        const refusal = checkFatFinger(
          { market: btc, side: 'bid', ordType: 'limit', price: p as Price, volume: new Decimal(1) as Volume },
          {
            lastTradePrice: last as Price,
            book: { ...book, bids: [{ price: 0, size: 1e9 }], asks: [{ price: 1e12, size: 1e9 }] },
          },
          limitsWith(max),
        );
        expect(refusal?.code === 'fat_finger_last_trade').toBe(expected);
      }),
      { numRuns: 4000 },
    );
  });
});

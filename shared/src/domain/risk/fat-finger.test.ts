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

describe('fat-finger depth', () => {
  const btc = parseMarket('KRW-BTC');

  it('refuses exactly when size > Σ level sizes × fraction in decimal, on, beside and far from the cap', () => {
    const sizes = fc.array(
      fc.oneof(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 99_999_999 }).map((n) => n / 1e8),
      ),
      { minLength: 1, maxLength: 20 },
    );
    const fraction = fc.constantFrom('0.5', '1', '0.1', '0.333', '0.00001').map((t) => new Decimal(t));
    const offset = fc.constantFrom('0', '1e-8', '-1e-8', '1e-30', '-1e-30', '0.5', '-0.5', '7');
    fc.assert(
      fc.property(sizes, fraction, offset, fc.boolean(), (levels, max, off, bid) => {
        const book = levels.map((size, i) => ({ price: 100 + i, size }));
        const depth = levels.reduce((sum, s) => sum.plus(String(s)), new Decimal(0));
        const size = depth.times(max).plus(off);
        if (size.isNegative()) return;
        const refusal = checkFatFinger(
          {
            market: btc,
            side: bid ? 'bid' : 'ask',
            ordType: 'limit',
            price: new Decimal(100) as Price,
            volume: size as Volume,
          },
          {
            lastTradePrice: new Decimal(100) as Price,
            book: { market: btc, timestamp: epochMs(0), bids: book, asks: book },
          },
          {
            maxDeviationFromLastTrade: new Decimal(1e9),
            bookBandTolerance: new Decimal(1e9),
            maxDepthFraction: max,
          },
        );
        expect(refusal?.code === 'fat_finger_depth').toBe(size.gt(depth.times(max)));
      }),
      { numRuns: 4000 },
    );
  });
});

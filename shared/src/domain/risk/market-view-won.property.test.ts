import fc from 'fast-check';
import type { OrderbookSnapshot } from '../market/market-data';
import { Decimal, decimalFromNumber } from '../money/decimal';
import { numberOf, unitsOf } from '../money/decimal-units';
import { type Price, price, volume } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import {
  bestQuotes,
  checkFatFinger,
  fatFingerChecker,
  type MarketView,
  withWholeWon,
  wonOr,
} from './fat-finger';
import type { FatFingerLimits } from './risk-limits';
import { BTC } from './testing/risk-builders';

/*
 * MarketView's whole-won twins (lastWon, bidWon, askWon) change no guard: the guards on a view
 * without them (the decimal path, unchanged) are the oracle for the same view with them, verdict
 * and message text alike, over prices off whole won, prices past the safe integers and orders one
 * unit either side of every threshold.
 */

const RUNS = { numRuns: 3000 } as const;

/** Prices as doubles: whole won, off whole won, past 2^53, tiny. */
const priceNumber = fc.oneof(
  fc.integer({ min: 1, max: 2_000_000_000 }),
  fc.integer({ min: 1, max: 99_999_999 }).map((k) => k / 10_000),
  fc.integer({ min: 1, max: 99 }).map((k) => 2 ** 53 + 2 * k),
  fc.double({ min: 1e15, max: 1e22, noNaN: true }),
  fc.double({ min: 1e-8, max: 1, noNaN: true }),
);

/** Decimals: whole (safe and not), fractional, zero and negative zero, negative. */
const decimalArb = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 2_000_000_000 }).map((k) => new Decimal(k)),
  fc.bigInt({ min: 1n, max: 10n ** 25n }).map((k) => new Decimal(k.toString())),
  fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 1, max: 20 }))
    .map(([k, e]) => new Decimal(`${k}e-${e}`)),
  fc.constantFrom(new Decimal(0), new Decimal('-0'), new Decimal(2 ** 53 - 1), new Decimal(2 ** 53)),
  priceNumber.map((x) => decimalFromNumber(x)),
);

describe('MarketView whole-won twins', () => {
  it('are unitsOf of the view’s own prices, and read as numberOf of them', () => {
    fc.assert(
      fc.property(decimalArb, priceNumber, priceNumber, (last, bid, ask) => {
        const book: OrderbookSnapshot = {
          market: BTC,
          timestamp: 0 as EpochMs,
          bids: [{ price: bid, size: 1 }],
          asks: [{ price: ask, size: 1 }],
        };
        const view = withWholeWon({ lastTradePrice: last as Price, book });
        const best = bestQuotes(book) as { bid: Price; ask: Price };
        expect(view.lastWon).toBe(unitsOf(last, 0) ?? Number.NaN);
        expect(view.bidWon).toBe(unitsOf(best.bid, 0) ?? Number.NaN);
        expect(view.askWon).toBe(unitsOf(best.ask, 0) ?? Number.NaN);
        // The lemma the guards rely on: the twin, when it is one, is the decimal's numberOf.
        expect(Object.is(wonOr(view.lastWon, last), numberOf(last))).toBe(true);
        expect(Object.is(wonOr(view.bidWon, best.bid), numberOf(best.bid))).toBe(true);
        expect(Object.is(wonOr(view.askWon, best.ask), numberOf(best.ask))).toBe(true);
      }),
      RUNS,
    );
  });

  it('are NaN for a missing last trade or a one-sided book', () => {
    expect(withWholeWon({})).toEqual({ lastWon: Number.NaN, bidWon: Number.NaN, askWon: Number.NaN });
    const oneSided = withWholeWon({
      lastTradePrice: price('100'),
      book: { market: BTC, timestamp: 0 as EpochMs, bids: [{ price: 99, size: 1 }], asks: [] },
    });
    expect([oneSided.lastWon, oneSided.bidWon, oneSided.askWon]).toEqual([100, Number.NaN, Number.NaN]);
  });

  it('leave every fat-finger verdict and message as the decimal guards give them', () => {
    const seen = new Map<string, number>();
    const input = fc.record({
      last: priceNumber,
      spreadBp: fc.integer({ min: 0, max: 50 }),
      maxBp: fc.integer({ min: 1, max: 2000 }),
      tolBp: fc.integer({ min: 0, max: 500 }),
      fracPct: fc.integer({ min: 1, max: 100 }),
      size: fc.double({ min: 1e-6, max: 1e4, noNaN: true }),
      which: fc.constantFrom('dev_up', 'dev_down', 'band_low', 'band_high', 'depth', 'market'),
      unit: fc.constantFrom('1', '0.0001', '0.00000001'),
      nudge: fc.constantFrom(-1, 0, 1),
      side: fc.constantFrom<'bid' | 'ask'>('bid', 'ask'),
      known: fc.boolean(),
      noLast: fc.integer({ min: 0, max: 19 }),
    });
    fc.assert(
      fc.property(input, (s) => {
        const last = decimalFromNumber(s.last);
        const bidN = numberOf(last.times(10_000 - s.spreadBp).div(10_000));
        const askN = numberOf(last.times(10_000 + s.spreadBp).div(10_000));
        const book: OrderbookSnapshot = {
          market: BTC,
          timestamp: 0 as EpochMs,
          bids: [{ price: bidN, size: s.size }],
          asks: [{ price: askN, size: s.size }],
        };
        const limits: FatFingerLimits = {
          maxDeviationFromLastTrade: new Decimal(s.maxBp).div(10_000),
          bookBandTolerance: new Decimal(s.tolBp).div(10_000),
          maxDepthFraction: new Decimal(s.fracPct).div(100),
        };
        const best = bestQuotes(book) as { bid: Price; ask: Price };
        const edge =
          s.which === 'dev_up'
            ? last.times(limits.maxDeviationFromLastTrade.plus(1))
            : s.which === 'dev_down'
              ? last.times(limits.maxDeviationFromLastTrade.negated().plus(1))
              : s.which === 'band_low'
                ? best.bid.times(limits.bookBandTolerance.negated().plus(1))
                : s.which === 'band_high'
                  ? best.ask.times(limits.bookBandTolerance.plus(1))
                  : last;
        const p = edge.plus(new Decimal(s.unit).times(s.which === 'depth' ? 0 : s.nudge));
        if (p.lte(0)) return;
        const cap = new Decimal(s.size).times(limits.maxDepthFraction);
        const size = s.which === 'depth' ? cap.plus(new Decimal('0.00000001').times(s.nudge)) : cap.div(2);
        if (size.lte(0)) return;
        const draft: OrderDraft =
          s.which === 'market'
            ? { market: BTC, side: 'bid', ordType: 'price', price: price(p) }
            : { market: BTC, side: s.side, ordType: 'limit', price: price(p), volume: volume(size) };
        const plain: MarketView = s.noLast === 0 ? { book } : { lastTradePrice: last as Price, book };
        const twins = withWholeWon(plain);
        const known = s.known ? best : undefined;
        const want = fatFingerChecker(plain, limits, known)(draft);
        expect(fatFingerChecker(twins, limits, known)(draft)).toEqual(want);
        expect(checkFatFinger(draft, twins, limits)).toEqual(checkFatFinger(draft, plain, limits));
        const whole = Number.isSafeInteger(s.last) ? 'whole' : 'other';
        const key = `${want?.code ?? 'pass'}:${whole}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }),
      { ...RUNS, seed: 20_261_206 },
    );
    for (const code of [
      'fat_finger_last_trade',
      'fat_finger_band',
      'fat_finger_depth',
      'pass',
      'missing_market_data',
    ])
      for (const whole of ['whole', 'other']) expect(seen.get(`${code}:${whole}`) ?? 0).toBeGreaterThan(20);
  });
});

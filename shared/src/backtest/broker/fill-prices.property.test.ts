import fc from 'fast-check';
import { edgePrice } from '../../../testing/adversarial-decimals';
import { layout } from '../../../testing/decimal-layout';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import { roundToTick } from '../../domain/market/tick-rounding';
import { KRW_TICK_TABLES } from '../../domain/market/tick-table';
import { Decimal } from '../../domain/money/decimal';
import type { Price } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import { quotesAround } from '../engine/synthetic-book';
import { drawSlippageBps, takerBuyPrice, takerSellPrice } from './fill-prices';

// The taker prices as they were (decimal.js's div/plus/minus/times, roundToTick's decimal division
// for a fractional slipped price), verbatim: the reference the integer path must match on value and
// layout, for every tick table, asset overrides (coarse 100-won bands, the stablecoins' 0.5 won)
// and prices around every band edge.
const BPS = new Decimal(10_000);

function oldTakerBuyPrice(
  open: number,
  market: Market,
  at: EpochMs,
  rules: MarketRules,
  slippageBps: Decimal,
): Price {
  const q = quotesAround(open, market, at, rules);
  return roundToTick(q.ask.times(slippageBps.div(BPS).plus(1)) as Price, 'up', q.ticks);
}
function oldTakerSellPrice(
  open: number,
  market: Market,
  at: EpochMs,
  rules: MarketRules,
  slippageBps: Decimal,
): Price {
  const q = quotesAround(open, market, at, rules);
  const slipped = roundToTick(
    q.bid.times(new Decimal(1).minus(slippageBps.div(BPS))) as Price,
    'down',
    q.ticks,
  );
  return slipped.gt(0) ? slipped : q.bid;
}

const RUNS = { seed: 20261205, numRuns: 6000 } as const;
const MARKETS = ['KRW-BTC', 'KRW-XRP', 'KRW-DOGE', 'KRW-USDT', 'KRW-TRX', 'KRW-ADA'] as Market[];
const rules: MarketRules = KRW_MARKET_RULES;

const openPrice = fc.oneof(
  edgePrice.filter((p) => p > 0),
  fc.double({ min: 0.0001, max: 300_000_000, noNaN: true }),
  fc.integer({ min: 1, max: 300_000_000 }),
);
const instant = fc
  .tuple(
    fc.constantFrom(...KRW_TICK_TABLES.map((t) => t.effectiveFrom as number)),
    fc.integer({ min: -1, max: 1 }),
  )
  .map(([from, d]) => Math.max(0, from + d * 60_000) as EpochMs);
// Means from none to absurd (a sell slipped past zero), uniforms including 0 and just below 1.
const slippage = fc
  .tuple(
    fc.constantFrom(0, 0.5, 1, 5, 12.5, 25, 100, 3000, 6000),
    fc.oneof(fc.double({ min: 0, max: 0.999999, noNaN: true }), fc.constantFrom(0, 0.5, 0.999999)),
  )
  .map(([mean, u]) => drawSlippageBps(mean, u));

describe('taker prices on integers', () => {
  it('are the decimal prices, value and layout, or throw the same error', () => {
    fc.assert(
      fc.property(openPrice, fc.constantFrom(...MARKETS), instant, slippage, (open, market, at, slip) => {
        for (const [ours, theirs] of [
          [takerBuyPrice, oldTakerBuyPrice],
          [takerSellPrice, oldTakerSellPrice],
        ] as const) {
          let expected: Price | Error;
          try {
            expected = theirs(open, market, at, rules, slip);
          } catch (e) {
            expected = e as Error;
          }
          if (expected instanceof Error)
            expect(() => ours(open, market, at, rules, slip)).toThrow(expected.message);
          else expect(layout(ours(open, market, at, rules, slip))).toEqual(layout(expected));
        }
      }),
      RUNS,
    );
  });

  it('round a fractional slipped price as roundToTick does, on each side of a band edge', () => {
    const at = KRW_TICK_TABLES[KRW_TICK_TABLES.length - 1]?.effectiveFrom as EpochMs;
    const q = quotesAround(1_999_000, 'KRW-BTC' as Market, at, rules);
    for (const bps of ['0.01', '0.5', '7.77', '49.99']) {
      const slip = new Decimal(bps);
      const up = takerBuyPrice(1_999_000, 'KRW-BTC' as Market, at, rules, slip);
      expect(layout(up)).toEqual(
        layout(roundToTick(q.ask.times(slip.div(BPS).plus(1)) as Price, 'up', q.ticks)),
      );
      const down = takerSellPrice(2_000_000, 'KRW-BTC' as Market, at, rules, slip);
      const q2 = quotesAround(2_000_000, 'KRW-BTC' as Market, at, rules);
      expect(layout(down)).toEqual(
        layout(roundToTick(q2.bid.times(new Decimal(1).minus(slip.div(BPS))) as Price, 'down', q2.ticks)),
      );
    }
  });
});

import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { roundToTick } from '../../domain/market/tick-rounding';
import { Decimal } from '../../domain/money/decimal';
import type { Price } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import { quotesAround } from '../engine/synthetic-book';

const BPS = new Decimal(10_000);

/**
 * Price a market buy pays at a bar's open: the synthetic ask (one tick above the traded price, see
 * synthetic-book) worsened by `slippageBps` and rounded up onto the tick grid, so a taker always pays
 * at least the spread and never gets a price between ticks.
 */
export function takerBuyPrice(
  open: number,
  market: Market,
  at: EpochMs,
  rules: MarketRules,
  slippageBps: Decimal,
): Price {
  const q = quotesAround(open, market, at, rules);
  return roundToTick(q.ask.times(slippageBps.div(BPS).plus(1)) as Price, 'up', q.ticks);
}

/** Price a market sell gets at a bar's open: the synthetic bid worsened by the slippage, rounded down. */
export function takerSellPrice(
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

/**
 * Slippage of one taker fill in bps: uniform in [0, 2 × mean) from the seeded generator, so the
 * average matches `--slippage-bps` and the same seed gives the same fills. Rounded to 0.01 bp so the
 * decimal price stays short.
 */
export function drawSlippageBps(meanBps: number, uniform: number): Decimal {
  if (!(meanBps > 0)) return new Decimal(0);
  return new Decimal(meanBps * 2 * uniform).toDecimalPlaces(2);
}

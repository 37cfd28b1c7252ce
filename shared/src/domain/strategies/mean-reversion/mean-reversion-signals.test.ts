import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import type { StrategyContext } from '../strategy';
import { DEFAULT_STRATEGY_PARAMS } from '../strategy-params';
import { entrySignal, MEAN_REVERSION_MIN_VOTE, revertedSignal, tradeSide } from './mean-reversion-signals';

const p = DEFAULT_STRATEGY_PARAMS.mean_reversion;
const T0 = Date.UTC(2026, 0, 5, 0, 0);
const bar: Candle = {
  market: 'KRW-BTC' as Market,
  timeframe: '1m',
  openTime: T0 as EpochMs,
  open: 100,
  high: 101,
  low: 98,
  close: 98.5,
  volume: 2,
  quoteVolume: 197,
};
const ctx: StrategyContext = { now: (T0 + 60_000) as EpochMs, positionVolume: 0, availableKrw: 1e6 };

describe('mean reversion signals', () => {
  it('trades a side only with its trigger and a vote of at least the minimum', () => {
    expect(tradeSide(MEAN_REVERSION_MIN_VOTE, true, false)).toBe(1);
    expect(tradeSide(MEAN_REVERSION_MIN_VOTE, false, true)).toBe(0);
    expect(tradeSide(-MEAN_REVERSION_MIN_VOTE, false, true)).toBe(-1);
    expect(tradeSide(-MEAN_REVERSION_MIN_VOTE, true, false)).toBe(0);
    expect(tradeSide(MEAN_REVERSION_MIN_VOTE - 0.01, true, true)).toBe(0);
  });

  it('writes the entry reasons in the order of the votes, strength capped at 1', () => {
    const buy = entrySignal(
      p,
      bar,
      98.5,
      ctx,
      1,
      1.25,
      99,
      102,
      22.25,
      'bullish',
      true,
      false,
      98.123,
      Number.NaN,
    );
    expect(buy.direction).toBe('buy');
    expect(buy.strength).toBe(1);
    expect(buy.reason).toBe(
      `oversold: close 98.5 ≤ lower band 99.00; bullish RSI divergence; RSI 22.3 ≤ ${p.rsiOversold}; ` +
        'MACD bullish crossover; near volume support 98.12',
    );
    const sell = entrySignal(p, bar, 98.5, ctx, -1, -0.6, 90, 98, 75, 'none', false, false, Number.NaN, 99.5);
    expect(sell.direction).toBe('sell');
    expect(sell.strength).toBe(0.6);
    expect(sell.reason).toBe(
      `overbought: close 98.5 ≥ upper band 98.00; RSI 75.0 ≥ ${p.rsiOverbought}; near volume resistance 99.50`,
    );
  });

  it('exits at half strength naming the middle band', () => {
    const exit = revertedSignal(bar, ctx, 98.5, 98.25);
    expect(exit.direction).toBe('sell');
    expect(exit.strength).toBe(0.5);
    expect(exit.reason).toBe('reverted: close 98.5 crossed the middle band 98.25');
  });
});

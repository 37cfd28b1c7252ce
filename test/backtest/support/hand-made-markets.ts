/**
 * Test support for the fast-path audits (audit6): hand-made 1-minute markets (a seeded walk with
 * wicks, pulled back to a level so it keeps crossing it) and the backtest input the audits run them
 * with (loose fat-finger guards so coarse low-priced grids still quote and fill).
 */
import type { BacktestInput } from '../../../shared/src/backtest/engine/backtest-input';
import type { Candle } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';
import type { EngineLib } from './fast-vs-reference';

/**
 * A seeded walk of 1-minute bars around `level`: closes move a quarter of `stepBps` at most (so
 * market making's volatility and spread stay small), wicks reach up to 4 × `stepBps` (so its
 * layers fill), and the walk is pulled back to the level so it keeps crossing it.
 */
export function walk(
  market: Market,
  start: number,
  level: number,
  bars: number,
  stepBps: number,
  seed: number,
  wickBps = stepBps * 4,
): Candle[] {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const out: Candle[] = [];
  let price = level;
  for (let i = 0; i < bars; i++) {
    const open = price;
    const drift = ((level - price) / level) * 0.2;
    const close = Math.max(level * 0.2, open * (1 + drift + ((rnd() - 0.5) * stepBps) / 4e4));
    const high = Math.max(open, close) * (1 + (rnd() * wickBps) / 1e4);
    const low = Math.min(open, close) * (1 - (rnd() * wickBps) / 1e4);
    // Now and then a bar of 1e-8 coins (a single smallest trade).
    const volume = rnd() < 0.03 ? 1e-8 : 1 + rnd() * (3e7 / level);
    out.push({
      market,
      timeframe: '1m',
      openTime: (start + i * MS.minute) as EpochMs,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: volume * close,
    });
    price = close;
  }
  return out;
}

export interface Money {
  readonly capital: string;
  readonly fee: string;
  readonly maxTotal: string;
  readonly maxStrategy: string;
  readonly maxMarket: string;
  readonly maxTrade: string;
}

const SEED_MONEY: Money = {
  capital: '10000000',
  fee: '0.0005',
  maxTotal: '10000000',
  maxStrategy: '2000000',
  maxMarket: '3000000',
  maxTrade: '500000',
};

export function input(
  lib: EngineLib,
  candles: ReadonlyMap<Market, Candle[]>,
  strategies: 'all' | readonly StrategyName[],
  money: Money = SEED_MONEY,
): BacktestInput {
  return {
    candlesByMarket: candles,
    timeframe: '1m',
    strategies,
    capital: lib.krw(money.capital),
    feeRate: new lib.Decimal(money.fee),
    slippageBps: 2,
    seed: 11,
    risk: {
      ...lib.DEFAULT_RISK_LIMITS,
      maxTotalExposure: lib.krw(money.maxTotal),
      maxStrategyExposure: lib.krw(money.maxStrategy),
      maxMarketExposure: lib.krw(money.maxMarket),
      maxTradeNotional: lib.krw(money.maxTrade),
      // Loose fat-finger guards, so the coarse grids of low-priced markets still quote and fill.
      fatFinger: {
        maxDeviationFromLastTrade: new lib.Decimal('0.25'),
        bookBandTolerance: new lib.Decimal('0.2'),
        maxDepthFraction: new lib.Decimal('0.6'),
      },
    },
  };
}

export const AFTER_2025 = Date.parse('2025-09-01T00:00:00Z');
export const IN_2024 = Date.parse('2024-11-04T00:00:00Z'); // 2024-10-01 table: ADA's 100–1,000 band is 1 KRW
export const MID_2025 = Date.parse('2025-04-07T00:00:00Z'); // 2025-03-21 table: USDT's 1,000+ band is 0.5 KRW

/** Trades in a result's JSON text. */
export function tradesOf(json: string): number {
  return (JSON.parse(json) as { trades: unknown[] }).trades.length;
}

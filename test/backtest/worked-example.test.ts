import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import { plainTradeRecord } from '../../shared/src/backtest/result/trade-store';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../shared/src/domain/risk/risk-limits';
import type { Strategy, StrategyContext, StrategySignal } from '../../shared/src/domain/strategies/strategy';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const BTC = parseMarket('KRW-BTC');
const T0 = Date.parse('2020-02-20T00:00:00Z');

function bar(i: number, open: number, close: number): Candle {
  const high = Math.max(open, close);
  const low = Math.min(open, close);
  return {
    market: BTC,
    timeframe: '1m',
    openTime: (T0 + i * MS.minute) as EpochMs,
    open,
    high,
    low,
    close,
    volume: 10,
    quoteVolume: 10 * close,
  };
}

/** Buys with full conviction after bar 1 closes and sells after bar 3 closes; nothing else. */
class ScriptedStrategy implements Strategy {
  readonly name = 'momentum_scalping' as const;
  readonly markets: readonly Market[] = [BTC];
  readonly warmupBars = 0;
  readonly seen: number[] = [];
  private index = -1;

  onBar(b: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    this.index += 1;
    this.seen.push(ctx.now);
    const direction = this.index === 1 ? 'buy' : this.index === 3 ? 'sell' : 'flat';
    if (direction === 'flat') return [];
    return [
      {
        strategy: this.name,
        market: b.market,
        at: ctx.now,
        direction,
        strength: 1,
        reason: `scripted ${direction}`,
      },
    ];
  }
}

// Exits far away so only the script trades; everything else is the seed's limits.
const RISK: RiskLimits = {
  ...DEFAULT_RISK_LIMITS,
  stopLoss: new Decimal('0.5'),
  takeProfit: new Decimal('10'),
};

describe('worked example: a hand-made series with a known trade list and PnL to the won', () => {
  it('buys at the next open’s ask, sells at the next open’s bid, and books fees and PnL exactly', async () => {
    const strategy = new ScriptedStrategy();
    const bars = [
      bar(0, 50_000_000, 50_000_000),
      bar(1, 50_000_000, 50_000_000), // buy signal at this close (00:02)
      bar(2, 50_100_000, 50_600_000), // market buy fills at the open: ask = 50,100,000 + one 1,000 tick
      bar(3, 50_600_000, 51_000_000), // sell signal at this close (00:04)
      bar(4, 51_000_000, 51_200_000), // market sell fills at the open: bid = 51,000,000
      bar(5, 51_200_000, 51_200_000),
    ];
    const result = await runBacktest({
      candlesByMarket: new Map([[BTC, bars]]),
      timeframe: '1m',
      strategies: ['momentum_scalping'],
      strategyInstances: [strategy],
      capital: krw('10000000'),
      feeRate: new Decimal('0.0005'),
      slippageBps: 0,
      seed: 7,
      risk: RISK,
    });
    // Sizing: cold-start Kelly = 1 % of 10,000,000 = 100,000 KRW, sent as a market buy by amount.
    // Volume = floor8(100,000 / 50,101,000) = 0.00199596; value 99,999.59196; fee 0.05 % = 49.99979598.
    // Cost = 100,049.59175598. Sale: 51,000,000 × 0.00199596 = 101,793.96, fee 50.89698.
    // PnL = 101,793.96 − 50.89698 − 100,049.59175598 = 1,693.47126402 KRW.
    expect(result.trades.map(plainTradeRecord)).toEqual([
      {
        time: '2020-02-20T00:02:00.000Z',
        market: 'KRW-BTC',
        strategy: 'momentum_scalping',
        side: 'bid',
        price: '50101000',
        volume: '0.00199596',
        feeKrw: '49.99979598',
        pnlKrw: '0',
        reason: 'ensemble/momentum_scalping: scripted buy',
        maker: false,
      },
      {
        time: '2020-02-20T00:04:00.000Z',
        market: 'KRW-BTC',
        strategy: 'momentum_scalping',
        side: 'ask',
        price: '51000000',
        volume: '0.00199596',
        feeKrw: '50.89698',
        pnlKrw: '1693.47126402',
        reason: 'ensemble/momentum_scalping: scripted sell',
        maker: false,
      },
    ]);
    expect(result.metrics.finalEquityKrw).toBe(10_001_693.4713);
    expect(result.metrics.feesKrw).toBe(100.8968);
    expect(result.metrics.trades).toBe(1);
    expect(result.metrics.winRate).toBe(100);
    expect(result.metrics.fills).toBe(2);
    expect(result.bars).toBe(6);
    expect(result.from).toBe('2020-02-20T00:00:00.000Z');
    expect(result.to).toBe('2020-02-20T00:06:00.000Z');
    // The strategy saw each bar at its close, never before.
    expect(strategy.seen).toEqual(bars.map((b) => b.openTime + MS.minute));
  });
});

import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import type { BacktestResult } from '../../shared/src/backtest/result/backtest-result';
import type { StrategySignalOutcomes } from '../../shared/src/backtest/result/signal-outcomes';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import type { Strategy, StrategyContext, StrategySignal } from '../../shared/src/domain/strategies/strategy';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../../shared/src/domain/trading/strategy-name';

const BTC = parseMarket('KRW-BTC');
const T0 = Date.parse('2026-03-02T00:00:00Z');

/** A strategy that says what a script tells it at given bars (by bar index), nothing else. */
class Scripted implements Strategy {
  readonly markets = [BTC];
  readonly warmupBars = 0;
  private i = -1;
  constructor(
    readonly name: StrategyName,
    private readonly script: (
      i: number,
      ctx: StrategyContext,
    ) => Omit<StrategySignal, 'strategy' | 'market' | 'at' | 'reason'> | undefined,
  ) {}

  onBar(_bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    this.i += 1;
    const s = this.script(this.i, ctx);
    return s === undefined
      ? []
      : [{ ...s, strategy: this.name, market: BTC, at: ctx.now, reason: `scripted ${this.i}` }];
  }
}

const silent = (name: StrategyName) => new Scripted(name, () => undefined);

function candles(closes: readonly number[]): Candle[] {
  return closes.map((close, i) => {
    const open = closes[i - 1] ?? close;
    return {
      market: BTC,
      timeframe: '1m',
      openTime: (T0 + i * MS.minute) as EpochMs,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 50,
      quoteVolume: 50 * close,
    };
  });
}

async function run(closes: readonly number[], strategies: readonly Strategy[]): Promise<BacktestResult> {
  return runBacktest({
    candlesByMarket: new Map([[BTC, candles(closes)]]),
    timeframe: '1m',
    strategies: 'all',
    strategyInstances: strategies,
    capital: krw('10000000'),
    feeRate: new Decimal('0.0005'),
    slippageBps: 0,
    seed: 1,
  });
}

function accounted(o: StrategySignalOutcomes): number {
  return o.traded + o.netted + o.heldByEnsemble + Object.values(o.refusedByRisk).reduce((a, b) => a + b, 0);
}

describe('every enabled strategy can act in its own sleeve', () => {
  it('a 15 % strategy’s lone full-strength signal trades with --strategy all (it used to be held under minScore)', async () => {
    const closes = Array.from({ length: 30 }, (_, i) => 100_000_000 + i * 10_000);
    const mr = new Scripted('mean_reversion', (i) =>
      i === 10 ? { direction: 'buy', strength: 1 } : undefined,
    );
    const others = STRATEGY_NAMES.filter((n) => n !== 'mean_reversion').map(silent);
    const r = await run(closes, [...others, mr]);
    // The old vote scored 0.15 / 0.70 = 0.21 < 0.25 and held; now the strategy buys in its sleeve.
    expect(r.trades.filter((t) => t.strategy === 'mean_reversion' && t.side === 'bid')).toHaveLength(1);
    expect(r.signalOutcomes?.perStrategy.mean_reversion).toMatchObject({ signals: 1, traded: 1 });
  });

  it('opposite signals net out (the lighter side is netted); every signal is accounted for', async () => {
    const closes = Array.from({ length: 30 }, () => 100_000_000);
    const buyer = new Scripted('momentum_scalping', (i) =>
      i === 5 ? { direction: 'buy', strength: 1 } : undefined,
    );
    const seller = new Scripted('stat_arb', (i) =>
      i === 5 ? { direction: 'sell', strength: 1 } : undefined,
    );
    const r = await run(closes, [buyer, seller]);
    expect(r.trades).toEqual([]);
    const o = r.signalOutcomes?.perStrategy;
    expect(o?.momentum_scalping).toMatchObject({ signals: 1, netted: 1 });
    // The heavier sell view (0.20 vs 0.15) wins the netting but holds nothing to sell on spot.
    expect(o?.stat_arb).toMatchObject({ signals: 1, heldByEnsemble: 1, heldReasons: { nothing_to_sell: 1 } });
    for (const s of Object.values(o ?? {})) expect(accounted(s)).toBe(s.signals);
  });
});

/**
 * Buy every 6th bar and let the price fall 1 % over the next bars (the stop-loss closes each trade
 * at a loss) for `losing` cycles, then rise 1 % (the take-profit closes each at a gain).
 */
function cycles(losing: number, winning: number): number[] {
  const closes: number[] = [];
  let p = 100_000_000;
  for (let c = 0; c < losing + winning; c++) {
    const step = c < losing ? -0.002 : 0.002;
    closes.push(p);
    for (let k = 0; k < 5; k++) {
      p = Math.round((p * (1 + step)) / 1000) * 1000;
      closes.push(p);
    }
  }
  return closes;
}

describe('the Kelly gate keeps its job but cannot lock a strategy out for good', () => {
  const buyEveryCycle = () =>
    new Scripted('momentum_scalping', (i) => (i % 6 === 0 ? { direction: 'buy', strength: 1 } : undefined));

  it('a strategy gated after its losses keeps scoring shadow trades and reopens when its edge recovers', async () => {
    const r = await run(cycles(40, 90), [buyEveryCycle()]);
    const periods = r.signalOutcomes?.gatePeriods.momentum_scalping ?? [];
    expect(periods.length).toBeGreaterThanOrEqual(1);
    expect(periods[0]?.reason).toMatch(/^no edge on the last \d+ trades: win rate/);
    // It came back: the first closure ended, and real buys resumed after it ended.
    const reopened = periods[0]?.to;
    expect(reopened).not.toBeNull();
    const buysAfter = r.trades.filter((t) => t.side === 'bid' && t.time > (reopened as string));
    expect(buysAfter.length).toBeGreaterThan(5);
    expect(r.signalOutcomes?.perStrategy.momentum_scalping?.refusedByRisk['risk:no_edge']).toBeGreaterThan(0);
  });

  it('a strategy whose signals only lose stays gated, and its ungated result shows the loss the gate hid', async () => {
    const r = await run(cycles(120, 0), [buyEveryCycle()]);
    const gated = r.perStrategy.momentum_scalping;
    const ungated = r.signalOutcomes?.ungated.momentum_scalping;
    expect(r.signalOutcomes?.gatePeriods.momentum_scalping).toEqual([
      expect.objectContaining({ to: null, reason: expect.stringMatching(/win rate 0\.0 %/) }),
    ]);
    expect(gated?.trades).toBeLessThan(40);
    expect(ungated?.trades).toBeGreaterThan(100);
    expect(ungated?.winRatePct).toBe(0);
    expect(ungated?.returnPct ?? 0).toBeLessThan((gated?.totalReturnPct ?? 0) - 1);
  });
});

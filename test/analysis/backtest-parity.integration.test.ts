import { join } from 'node:path';
import { syntheticCandles, syntheticMarkets } from '../../bench/synthetic-candles';
import { MemoryStrategyStateStore } from '../../shared/src/adapters/memory/memory-strategy-state-store';
import { runDecisionStep } from '../../shared/src/application/analysis/decision-step';
import { LiveAccount } from '../../shared/src/application/analysis/live-account';
import { marketSnapshotKey } from '../../shared/src/application/analysis/snapshot-keys';
import { StrategyBook } from '../../shared/src/application/analysis/strategy-book';
import { decisionToWire } from '../../shared/src/application/messaging/decision-wire';
import { candlesOf, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
import { BacktestEngine, type DecisionStepEvent } from '../../shared/src/backtest/engine/backtest-engine';
import type { BacktestInput } from '../../shared/src/backtest/engine/backtest-input';
import { barSteps, type CandleSource } from '../../shared/src/backtest/engine/bar-steps';
import { resolveStrategyParams } from '../../shared/src/backtest/engine/strategy-registry';
import type { Candle } from '../../shared/src/domain/market/market-data';
import type { Market } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { tradeOutcomeStats } from '../../shared/src/domain/risk/kelly-sizing';
import { type EpochMs, parseIsoUtc } from '../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import type { ControlState } from '../../shared/src/ports/control-store';

/**
 * Live-parity: the minute analysis fed the same closed candles as a backtest emits the same
 * decisions (ids, sides, sizes, quote levels, signals) at every bar. The backtest runs its own
 * strategies uninterrupted; the analysis restores its strategies from a stored snapshot every
 * minute (as a cold Lambda does), steps the same bar and decides against the account facts the
 * backtest decided against (positions, open orders, cooldown stamps, loss status, equity, Kelly
 * record), so any difference in state restore, strategy stepping, ensemble or risk shows.
 */
async function parity(
  sources: Map<Market, CandleSource>,
  strategies: BacktestInput['strategies'],
  restoreEvery = 1,
) {
  const input: BacktestInput = {
    candlesByMarket: sources,
    timeframe: '1m',
    strategies,
    capital: krw('10000000'),
    feeRate: new Decimal('0.0005'),
    slippageBps: 2,
    seed: 5,
  };
  const engine = new BacktestEngine(input, () => undefined);
  const events: DecisionStepEvent[] = [];
  engine.observeDecisions((e) => events.push(e));
  for await (const step of barSteps(sources)) engine.step(step);

  const markets = [...sources.keys()].sort();
  const params = resolveStrategyParams(undefined, '1m');
  const store = new MemoryStrategyStateStore();
  const keys = markets.map(marketSnapshotKey);
  const expected: string[] = [];
  const actual: string[] = [];
  let book = new StrategyBook(markets, params, engine.names);
  for (const [i, e] of events.entries()) {
    if (i % restoreEvery === 0) {
      book = new StrategyBook(markets, params, engine.names);
      book.restore(await store.getSnapshots(keys), Number.NEGATIVE_INFINITY as EpochMs);
    }
    const control: ControlState = {
      tradingEnabled: true,
      strategyEnabled: {},
      updatedAt: 0 as EpochMs,
      ...(e.state === 'running'
        ? {}
        : { latch: { state: e.state, trigger: 'manual', reason: 'backtest', actor: 'backtest', at: e.at } }),
    };
    const account = new LiveAccount(
      {
        limits: engine.limits,
        rules: engine.rules,
        control,
        positions: e.positions,
        commitments: e.commitments,
        recentTrades: e.recentTrades,
        ...(e.lossStatus === undefined ? {} : { lossStatus: e.lossStatus }),
      },
      (s) => e.stats.get(s as StrategyName) ?? tradeOutcomeStats([]),
    );
    const result = runDecisionStep(book, account, {
      now: e.at,
      bars: e.bars,
      lastBars: e.lastBars,
      ensemble: engine.ensemble,
      equity: e.equity,
    });
    for (const r of e.results.values())
      for (const d of r.routed) expected.push(JSON.stringify(decisionToWire(d.decision)));
    for (const d of result.decisions) actual.push(JSON.stringify(decisionToWire(d)));
    if ((i + 1) % restoreEvery !== 0) continue;
    for (const m of markets) {
      const key = marketSnapshotKey(m);
      const lastBarAt = book.lastBarAt(m);
      if (lastBarAt === undefined) continue;
      const w = await store.putSnapshot(
        { key, lastBarAt, savedAt: e.at, body: book.snapshotBody(m) },
        book.version(key),
      );
      if (w === 'conflict') throw new Error('unexpected snapshot conflict');
      book.noteVersion(key, w.version);
    }
  }
  return { expected, actual, events: events.length };
}

describe('live parity: minute analysis vs backtest', () => {
  it('real 1m data (Binance BTCUSDT as KRW-BTC, 480 bars), every strategy: identical decisions at every bar', async () => {
    const path = join(__dirname, '../fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv');
    const sources = new Map(findCandleFiles(path, []).map((f) => [f.market, candlesOf(f, '1m', {})]));
    const { expected, actual, events } = await parity(sources as Map<Market, CandleSource>, 'all');
    expect(events).toBe(480);
    expect(expected.length).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
  });

  it('three co-moving markets for a day (stat_arb pairs across markets), restored every 7 minutes', async () => {
    const start = parseIsoUtc('2026-02-02T00:00:00Z');
    const sources = new Map<Market, CandleSource>(
      syntheticMarkets(3).map((m, i): [Market, Candle[]] => [m, [...syntheticCandles(m, i, start, 1440, 9)]]),
    );
    const { expected, actual } = await parity(sources, 'all', 7);
    expect(expected.length).toBeGreaterThan(300);
    expect(expected.some((d) => d.includes('"strategy":"stat_arb"'))).toBe(true);
    expect(actual).toEqual(expected);
  });
});

import { candlesOf, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
import type { BacktestInput } from '../../shared/src/backtest/engine/backtest-input';
import { RunCollect, runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import { WindowScorer } from '../../shared/src/backtest/optimize/window-scorer';
import type { Market } from '../../shared/src/domain/market/market-id';
import { parseDecimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const DATA = 'test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json';
const START = Date.parse('2020-02-20T08:00:00Z') as EpochMs;

function input(from: number, to: number): BacktestInput {
  const files = findCandleFiles(DATA, ['KRW-BTC' as Market]);
  return {
    candlesByMarket: new Map(
      files.map((f) => [f.market, candlesOf(f, '1m', { from: from as EpochMs, to: to as EpochMs })]),
    ),
    timeframe: '1m',
    strategies: ['market_making'],
    capital: krw(parseDecimal('10000000')),
    feeRate: parseDecimal('0.0005'),
    slippageBps: 2,
    seed: 3,
  };
}

describe('WindowScorer', () => {
  it('without warm-up reproduces the engine’s own metrics exactly', async () => {
    const scorer = new WindowScorer(START, 10_000_000, 0.02);
    const result = await runBacktest(input(START, START + 4 * MS.hour));
    await runBacktest(input(START, START + 4 * MS.hour), scorer, RunCollect.scoreOnly);
    expect(result.metrics.fills).toBeGreaterThan(0);
    expect(scorer.metrics()).toEqual(result.metrics);
  });

  it('with warm-up scores only the window: fills before it do not count, equity starts at the window', async () => {
    const windowFrom = START + 2 * MS.hour;
    const scorer = new WindowScorer(windowFrom as EpochMs, 10_000_000, 0.02);
    let equityAtStart = 0;
    const result = await runBacktest(input(START, START + 4 * MS.hour), {
      onStep: (s) => {
        if (s.at === windowFrom) equityAtStart = s.equity.toNumber();
      },
    });
    await runBacktest(input(START, START + 4 * MS.hour), scorer, RunCollect.scoreOnly);
    const inWindow = result.trades.filter((t) => Date.parse(t.time) >= windowFrom);
    expect(inWindow.length).toBeLessThan(result.trades.length);
    const m = scorer.metrics();
    expect(m.fills).toBe(inWindow.length);
    expect(m.trades).toBe(inWindow.filter((t) => t.side === 'ask').length);
    expect(m.finalEquityKrw).toBe(result.metrics.finalEquityKrw);
    expect(m.totalReturnPct).toBeCloseTo((result.metrics.finalEquityKrw / equityAtStart - 1) * 100, 5);
  });
});

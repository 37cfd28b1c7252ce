/**
 * The optimizer's score-only run (issue #16) against the full run it replaced. Claim: for any run —
 * strategies, data, seed, money, window start and warm-up, synchronous or streamed sources — a
 * WindowScorer fed by `runBacktest(…, 'score-only')` gives exactly the score inputs (metrics, KST
 * daily returns and their days) that the scorer as it was (test/optimize/support/
 * reference-window-scorer.ts) gives from a full run: its steps' snapshots and its trade list read
 * back from text (`Date.parse` of the time, `parseDecimal` of the fee and PnL).
 */
import fc from 'fast-check';
import { candlesOf, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
import type { BacktestInput } from '../../shared/src/backtest/engine/backtest-input';
import { BacktestError, RunCollect, runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import { WindowScorer } from '../../shared/src/backtest/optimize/window-scorer';
import type { BacktestMetrics, BacktestResult } from '../../shared/src/backtest/result/backtest-result';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { parseDecimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { walk } from '../backtest/support/hand-made-markets';
import { ReferenceWindowScorer } from './support/reference-window-scorer';

// 480 real Binance BTC/USDT 1-minute candles read as KRW-BTC (see test/fixtures/README.md).
const CSV = 'test/fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv';
const BTC = parseMarket('KRW-BTC');
const real: Candle[] = findCandleFiles(CSV, [BTC]).flatMap((f) => [...candlesOf(f, '1m')]);
const REAL_START = (real[0] as Candle).openTime;
const WALK_START = Date.parse('2025-09-01T00:00:00Z');

interface Case {
  readonly data: 'real' | 'walk' | 'two-walks';
  readonly strategies: 'all' | readonly StrategyName[];
  readonly seed: number;
  readonly capital: string;
  readonly fee: string;
  readonly maxTrade: string;
  readonly streamed: boolean;
  readonly release: boolean;
  /** Bars before the scored window (0: the window starts with the run). */
  readonly warmupBars: number;
  readonly bars: number;
  readonly walkSeed: number;
}

function candlesOfCase(c: Case): Map<Market, Candle[]> {
  if (c.data === 'real') return new Map([[BTC, real.slice(0, c.bars)]]);
  const xrp = parseMarket('KRW-XRP');
  const out = new Map([[xrp, walk(xrp, WALK_START, 1000.6, c.bars, 30, c.walkSeed)]]);
  if (c.data === 'two-walks') {
    const eth = parseMarket('KRW-ETH');
    out.set(eth, walk(eth, WALK_START, 3302.1, c.bars, 25, c.walkSeed + 1));
  }
  return out;
}

/** market_making on the whole real fixture from its first bar. */
const BASE: Case = {
  data: 'real',
  strategies: ['market_making'],
  seed: 3,
  capital: '10000000',
  fee: '0.0005',
  maxTrade: '500000',
  streamed: false,
  release: true,
  warmupBars: 0,
  bars: 480,
  walkSeed: 1,
};

async function* streamOf(candles: readonly Candle[]): AsyncGenerator<Candle> {
  for (const c of candles) yield c;
}

function inputOf(c: Case): BacktestInput {
  const candles = candlesOfCase(c);
  return {
    candlesByMarket: c.streamed
      ? new Map([...candles].map(([m, list]) => [m, streamOf(list)]))
      : new Map([...candles].map(([m, list]) => [m, list[Symbol.iterator]() as Iterable<Candle>])),
    timeframe: '1m',
    strategies: c.strategies,
    capital: krw(parseDecimal(c.capital)),
    feeRate: parseDecimal(c.fee),
    slippageBps: 2,
    seed: c.seed,
    assumeOperatorRelease: c.release,
    risk: { ...DEFAULT_RISK_LIMITS, maxTradeNotional: krw(parseDecimal(c.maxTrade)) },
  };
}

/** The scorer as it was (the reference): a full run's snapshots, then its trade list from text. */
async function fullScore(
  c: Case,
  scoreFrom: EpochMs,
): Promise<{ metrics: BacktestMetrics; dailyReturns: number[]; days: string[]; result: BacktestResult }> {
  const scorer = new ReferenceWindowScorer(scoreFrom, Number(c.capital), 0.02);
  const result = await runBacktest(inputOf(c), { onStep: (s) => scorer.onStep(s) });
  return {
    metrics: scorer.metrics(result),
    dailyReturns: scorer.dailyReturns(),
    days: scorer.days(),
    result,
  };
}

async function leanScore(c: Case, scoreFrom: EpochMs): Promise<WindowScorer> {
  const scorer = new WindowScorer(scoreFrom, Number(c.capital), 0.02);
  await runBacktest(inputOf(c), scorer, RunCollect.scoreOnly);
  return scorer;
}

const arbitraryCase: fc.Arbitrary<Case> = fc.record({
  data: fc.constantFrom('real', 'walk', 'two-walks'),
  strategies: fc.constantFrom<Case['strategies']>(
    'all',
    ['market_making'],
    ['mean_reversion'],
    ['momentum_scalping'],
    ['microstructure'],
    ['market_making', 'momentum_scalping'],
  ),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  capital: fc.constantFrom('10000000', '500003', '1234567.89'),
  fee: fc.constantFrom('0.0005', '0.00139', '0'),
  maxTrade: fc.constantFrom('500000', '60000', '30000.1'),
  streamed: fc.boolean(),
  release: fc.boolean(),
  warmupBars: fc.integer({ min: 0, max: 200 }),
  bars: fc.integer({ min: 120, max: 480 }),
  walkSeed: fc.integer({ min: 1, max: 1_000_000 }),
});

describe('score-only run (claim: the score inputs of the full run, bit for bit)', () => {
  it('random runs: the same metrics, daily returns and days as the scorer of a full run', async () => {
    let fills = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryCase, async (c) => {
        const start = c.data === 'real' ? REAL_START : WALK_START;
        const scoreFrom = (start + Math.min(c.warmupBars, c.bars - 1) * MS.minute) as EpochMs;
        const full = await fullScore(c, scoreFrom);
        const lean = await leanScore(c, scoreFrom);
        expect(lean.metrics()).toEqual(full.metrics);
        expect(lean.dailyReturns()).toEqual(full.dailyReturns);
        expect(lean.days()).toEqual(full.days);
        fills += full.metrics.fills;
      }),
      { numRuns: 24, seed: 20_261_205 },
    );
    // The cases must fill, or the fill half of the claim was never tried.
    expect(fills).toBeGreaterThan(50);
  });

  it('without warm-up, the lean scorer gives the full run’s own metrics', async () => {
    const c = BASE;
    const { result } = await fullScore(c, REAL_START as EpochMs);
    const lean = await leanScore(c, REAL_START as EpochMs);
    expect(result.metrics.fills).toBeGreaterThan(0);
    expect(lean.metrics()).toEqual(result.metrics);
  });

  it('a fill on the window’s first bar counts, one on the bar before does not, as before', async () => {
    const { result } = await fullScore(BASE, REAL_START as EpochMs);
    const times = [...new Set(result.trades.map((t) => Date.parse(t.time)))].slice(1, 4);
    expect(times.length).toBe(3);
    for (const at of times) {
      const full = await fullScore(BASE, at as EpochMs);
      const lean = await leanScore(BASE, at as EpochMs);
      expect(lean.metrics()).toEqual(full.metrics);
      expect(lean.dailyReturns()).toEqual(full.dailyReturns);
    }
  });

  it('a window without candles fails as the full run does', async () => {
    const empty: BacktestInput = { ...inputOf(BASE), candlesByMarket: new Map([[BTC, []]]) };
    const scorer = new WindowScorer(REAL_START as EpochMs, 10_000_000, 0.02);
    const full = runBacktest(empty);
    await expect(full).rejects.toThrow(BacktestError);
    await expect(runBacktest(empty, scorer, RunCollect.scoreOnly)).rejects.toThrow(
      (await full.catch((e: Error) => e)) as Error,
    );
  });
});

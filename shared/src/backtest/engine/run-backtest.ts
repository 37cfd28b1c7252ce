import { timeframeMs } from '../../domain/market/timeframe';
import { numberOf } from '../../domain/money/decimal-units';
import type { Krw } from '../../domain/money/quantities';
import type { ClosedTrade } from '../../domain/risk/performance-metrics';
import { type EpochMs, toIsoUtc } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { fillModelStatements } from '../broker/fill-model-text';
import type { BacktestMetrics, BacktestResult } from '../result/backtest-result';
import { buildMetrics } from '../result/build-metrics';
import { MarkoutTracker } from '../result/markouts';
import { TradeStore } from '../result/trade-store';
import { BacktestEngine } from './backtest-engine';
import type { BacktestHooks, BacktestInput } from './backtest-input';
import type { SyncBarSteps } from './bar-steps';
import { CurveTracker, EquitySampler } from './equity-curve';
import { warmRareBranches } from './rare-branch-warm-up';
import { runSteps } from './run-steps';
import { type ScoreSink, scoreOnlySteps } from './score-only-run';
import { StepCurves } from './step-curves';

const DEFAULT_DAILY_GOAL = 0.02;

/** Why a backtest could not produce a result (e.g. no bars in the window). */
export class BacktestError extends Error {
  override readonly name = 'BacktestError';
}

interface StrategyTally {
  readonly curve: CurveTracker;
  readonly closed: ClosedTrade[];
  fills: number;
  fees: number;
}

/**
 * A run's (or one strategy's) tally as a class, not an object literal: V8 rebuilds a literal's
 * boilerplate, its fields unset, once the making function's bytecode has been flushed (idle through
 * a long run, e.g. between two benchmark cases), which widened `curve`'s tracked type and threw away
 * the engine's optimised `advance` and `record` at the next run's start. A constructor keeps it.
 */
class Tally implements StrategyTally {
  declare readonly curve: CurveTracker;
  declare readonly closed: ClosedTrade[];
  declare fills: number;
  declare fees: number;

  constructor(curve: CurveTracker) {
    this.curve = curve;
    this.closed = [];
    this.fills = 0;
    this.fees = 0;
  }
}

/**
 * What a run collects besides the simulation itself: `full`, the {@link BacktestResult} every report
 * reads (the default), or `score-only`, only what one {@link ScoreSink} reads — an optimizer
 * trial's window scorer — with none of the result's bookkeeping built (see scoreOnlySteps). The
 * engine, its steps and its decisions are the same code either way; only what is recorded differs.
 */
export const RunCollect = { full: 'full', scoreOnly: 'score-only' } as const;
/** One of {@link RunCollect}. */
export type RunCollect = (typeof RunCollect)[keyof typeof RunCollect];

/** What a score-only run returns besides what its sink saw. */
export interface ScoreOnlyRun {
  /** Market-bars run (≥ 1: a run without candles throws {@link BacktestError} as a full one does). */
  readonly bars: number;
}

const NO_CANDLES = 'no candles in the selected window: check --from/--to, --days or the data file';

/**
 * Runs one backtest over streaming candle sources and returns the result.
 *
 * Async because sources may be async (a download, a file stream); the simulation itself is
 * synchronous per step and uses no timers, clock or global randomness: the same input and seed give
 * a byte-identical `JSON.stringify(result)`. Memory is O(markets + trades + days), not O(bars): bars
 * are merged from one pending candle per market, curves are tracked incrementally and the equity
 * curve is thinned to ≤ 5,000 points.
 *
 * With `collect` = `score-only` it builds no result: the sink gets every step's equity and every
 * fill, and that is all (an optimizer trial reads nothing else, and each worker isolate then
 * compiles and runs none of the result's bookkeeping).
 */
export function runBacktest(
  input: BacktestInput,
  hooks?: BacktestHooks,
  collect?: typeof RunCollect.full,
): Promise<BacktestResult>;
export function runBacktest(
  input: BacktestInput,
  sink: ScoreSink,
  collect: typeof RunCollect.scoreOnly,
): Promise<ScoreOnlyRun>;
export function runBacktest(
  input: BacktestInput,
  hooksOrSink: BacktestHooks | ScoreSink = {},
  collect: RunCollect = RunCollect.full,
): Promise<BacktestResult | ScoreOnlyRun> {
  // Before the first bar: branches a run meets late get their type feedback now, and the run's
  // first ladders are armed for the eager path it would otherwise meet first days in (see the file).
  warmRareBranches();
  return collect === RunCollect.scoreOnly
    ? runScoreOnly(input, hooksOrSink as ScoreSink)
    : runFull(input, hooksOrSink as BacktestHooks);
}

async function runScoreOnly(input: BacktestInput, sink: ScoreSink): Promise<ScoreOnlyRun> {
  const bars = await scoreOnlySteps(input, sink);
  if (bars === 0) throw new BacktestError(NO_CANDLES);
  return { bars };
}

/**
 * A closed round trip as the run keeps it for its metrics: a class, not an object literal. Kept
 * trades live for the run, so V8 switched the literal's allocation site to old space once a few
 * collections had seen them survive (~day 130 of a market-making year), and that switch threw
 * away the fill listener's optimised code (which inlines the allocation) twice a year
 * (`--trace-deopt-verbose`: "code dependencies", gone with `--no-allocation-site-pretenuring`).
 * A constructor's allocations have no allocation site. The same two fields, read by the metrics only.
 */
class KeptClosedTrade implements ClosedTrade {
  declare readonly netPnl: number;
  declare readonly closedAt: EpochMs;

  constructor(netPnl: number, closedAt: EpochMs) {
    this.netPnl = netPnl;
    this.closedAt = closedAt;
  }
}

async function runFull(input: BacktestInput, hooks: BacktestHooks): Promise<BacktestResult> {
  const capital = input.capital.toNumber();
  const trades = new TradeStore();
  const total = new Tally(new CurveTracker(capital));
  const tallies = new Map<StrategyName | 'operator', StrategyTally>();
  // The owner asked last, and its tally: a run's fills come in runs of one strategy (all of a
  // single-strategy run's), so most fills skip the map lookup.
  let lastOwner: StrategyName | 'operator' | undefined;
  let lastTally: StrategyTally | undefined;
  const tally = (s: StrategyName | 'operator'): StrategyTally => {
    if (s === lastOwner && lastTally !== undefined) return lastTally;
    let t = tallies.get(s);
    if (t === undefined) {
      t = new Tally(new CurveTracker(capital));
      tallies.set(s, t);
    }
    lastOwner = s;
    lastTally = t;
    return t;
  };
  const barMs = timeframeMs(input.timeframe);
  const markouts = new MarkoutTracker(barMs);
  const engine = new BacktestEngine(input, (f) => {
    const fill = f.fill;
    const realizedPnl = f.realizedPnl;
    const t = tally(fill.strategy);
    t.fills += 1;
    // numberOf: toNumber's double without its trip through text (+0 for −0, the same in these sums
    // and in every comparison and JSON text of them).
    t.fees += numberOf(fill.fee);
    total.fills += 1;
    if (fill.side === 'ask') {
      // The fill's numberOf(realizedPnl), converted once (the edges' gate read it first).
      const closed = new KeptClosedTrade(f.realizedNumber, fill.at);
      t.closed.push(closed);
      total.closed.push(closed);
    }
    // rss2: the record goes into the run's trade columns (result/trade-store.ts), out of the heap,
    // instead of an object of heap strings per fill; its decimals are printed when the result is read.
    const row = trades.add(
      fill.at,
      fill.market,
      fill.strategy,
      fill.side,
      fill.isMaker,
      fill.price,
      fill.volume,
      fill.fee,
      realizedPnl,
      // The fill as its reason (FillReason): the store keeps market making's parts, not the text.
      f,
    );
    if (fill.isMaker) markouts.trackInto(fill, trades, row);
  });
  for (const n of engine.names) tally(n);
  const sampler = new EquitySampler();
  const expected = input.expectedBars ?? 0;
  const run = new StepCurves(capital, total.curve, tallies, sampler, markouts, engine);
  const steps = runSteps(input);
  if (steps.sync !== undefined) runSyncSteps(steps.sync, engine, run, hooks, expected);
  else
    for await (const step of steps.fed) {
      const snap = engine.step(step.bars, step.trades, step.books);
      run.record(step.bars, snap.at as EpochMs, snap.equity);
      hooks.onStep?.(snap);
      hooks.onProgress?.(run.bars, expected);
    }
  if (run.bars === 0) throw new BacktestError(NO_CANDLES);
  const from = run.from as EpochMs;
  const to = run.to as EpochMs;
  const spanMs = to - from;
  const goal = input.dailyGoal ?? DEFAULT_DAILY_GOAL;
  const metrics = buildMetrics({
    startEquity: capital,
    finalEquity: total.curve.final,
    maxDrawdown: total.curve.maxDrawdown,
    dailyReturns: total.curve.dailyReturns(),
    closedTrades: total.closed,
    fills: total.fills,
    feesKrw: engine.broker.fees.toNumber(),
    spanMs,
    dailyGoal: goal,
  });
  const perStrategy: Partial<Record<StrategyName, BacktestMetrics>> = {};
  for (const [name, t] of tallies) {
    if (name === 'operator') continue;
    perStrategy[name] = buildMetrics({
      startEquity: capital,
      finalEquity: t.curve.final,
      maxDrawdown: t.curve.maxDrawdown,
      dailyReturns: t.curve.dailyReturns(),
      closedTrades: t.closed,
      fills: t.fills,
      feesKrw: t.fees,
      spanMs,
      dailyGoal: goal,
    });
  }
  return {
    strategy: input.strategies === 'all' ? 'all' : engine.names.join(','),
    markets: [...input.candlesByMarket.keys()].sort(),
    from: toIsoUtc(from),
    to: toIsoUtc(to),
    bars: run.bars,
    metrics,
    perStrategy,
    trades: trades.records,
    equityCurve: sampler.points(),
    markouts: markouts.summary(),
    assumptions: {
      capitalKrw: capital,
      feeRate: engine.rules.takerFee.toNumber(),
      slippageBps: input.slippageBps,
      seed: input.seed,
      timeframe: input.timeframe,
      fillModel: fillModelStatements({
        minTotal: engine.rules.minTotal as Krw,
        slippageBps: input.slippageBps,
        assumeOperatorRelease: input.assumeOperatorRelease ?? true,
        withTrades: input.tradesByMarket !== undefined,
        withBooks: input.booksByMarket !== undefined,
      }),
      restingFillSources: engine.broker.restingFillSources(),
      refusals: Object.fromEntries([...engine.refusals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      ...(Object.keys(engine.skipped).length === 0 ? {} : { skippedStrategies: { ...engine.skipped } }),
    },
    signalOutcomes: engine.signalOutcomes(capital),
  };
}

/**
 * The synchronous loop, on its own: a small function V8 optimises on entry from its own feedback,
 * instead of an on-stack replacement of the whole async `runBacktest` whose result building (not
 * yet run when the loop gets hot) has no type feedback and deoptimises it again afterwards. A
 * snapshot only when someone reads snapshots (hooks.onStep); otherwise the engine's latest step
 * time and equity, without a snapshot object per bar.
 */
function runSyncSteps(
  sync: SyncBarSteps,
  engine: BacktestEngine,
  run: StepCurves,
  hooks: BacktestHooks,
  expected: number,
): void {
  const snapshots = hooks.onStep !== undefined;
  for (let step = sync.next(); step !== undefined; step = sync.next()) {
    if (snapshots) {
      const snap = engine.step(step);
      run.record(step, snap.at as EpochMs, snap.equity);
      hooks.onStep?.(snap);
    } else {
      engine.advance(step);
      run.record(step, engine.lastStepAt, engine.lastStepEquity);
    }
    hooks.onProgress?.(run.bars, expected);
  }
}

import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import { parseDecimal } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { type RiskSettings, riskLimitsFromSettings } from '../../domain/risk/risk-settings';
import type { EpochMs } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { CandleDownloadError, loadCandles } from '../data/candle-download';
import { candlesOf, findCandleFiles } from '../data/candle-files';
import type { CandleSource } from '../engine/bar-steps';
import { RunCollect, runBacktest } from '../engine/run-backtest';
import type { StrategyParamOverrides } from '../engine/strategy-registry';
import type { BacktestMetrics } from '../result/backtest-result';
import type { Segment } from './ranking';
import { cachedWindow, fileColumns, windowCandles } from './thread-candles';
import type { Window } from './walk-forward';
import { WindowScorer } from './window-scorer';

/** The engine's default daily goal (2 %), used when the settings do not carry the config's. */
const DEFAULT_DAILY_GOAL = 0.02;

/**
 * Where a worker finds candles. Plain data (no functions, no open files) so it crosses the
 * worker-thread boundary; each worker opens its own streams, so nothing big is ever copied.
 * `cache` is the download cache, already filled by the main thread: a worker never downloads.
 */
export type CandleDataSpec =
  | {
      readonly kind: 'files';
      readonly dataPath: string;
      readonly markets: readonly Market[];
      readonly timeframe: Timeframe;
      /** Directory of the binary column cache of the files (see `column-cache.ts`); none when absent. */
      readonly columnCacheDir?: string;
    }
  | {
      readonly kind: 'cache';
      readonly cacheDir: string;
      readonly markets: readonly Market[];
      readonly timeframe: Timeframe;
      /** The main thread's clock when it filled the cache; decides which chunks count as closed. */
      readonly now: number;
    };

/**
 * Settings shared by every backtest of one optimisation, as plain data (money as decimal strings,
 * risk as the config's numbers) because they are cloned into every worker thread.
 */
export interface RunSettings {
  readonly strategies: readonly StrategyName[];
  readonly capitalKrw: string;
  readonly feeRate: string;
  readonly slippageBps: number;
  readonly seed: number;
  /** The user's configured parameters; each trial's overrides apply on top. */
  readonly baseParams?: StrategyParamOverrides;
  readonly weights?: Partial<Record<StrategyName, number>>;
  /** The config's risk section; the engine's defaults when absent. */
  readonly risk?: RiskSettings;
  /** Daily goal as a fraction (0.02). */
  readonly dailyGoal?: number;
}

/** A trial's overrides laid over the configured parameters, strategy by strategy. */
export function mergeParams(
  base: StrategyParamOverrides | undefined,
  trial: StrategyParamOverrides,
): StrategyParamOverrides {
  const out: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(base ?? {}), ...Object.keys(trial)]))
    out[name] = {
      ...(base as Record<string, object | undefined> | undefined)?.[name],
      ...(trial as Record<string, object | undefined>)[name],
    };
  return out as StrategyParamOverrides;
}

/** What one task measured: the window's metrics and its KST daily returns. */
export interface TaskResult {
  readonly metrics: BacktestMetrics;
  readonly dailyReturns: readonly number[];
  /** KST date of each daily return (a window's first and last days are partial). */
  readonly days: readonly string[];
}

/**
 * One backtest to run: a trial's parameters on one fold's in- or out-of-sample window, on the
 * selection window (all data before the holdout), or, for the final pick only, on the holdout.
 */
export interface OptimizeTask {
  readonly id: number;
  readonly trial: number;
  /** Fold index; -1 for the selection and holdout windows, which belong to no fold. */
  readonly fold: number;
  readonly segment: Segment;
  /** The scored window. */
  readonly window: Window;
  /** Where the run starts (≤ `window.from`): bars before the window only warm the strategies up. */
  readonly warmupFrom: EpochMs;
  readonly params: StrategyParamOverrides;
}

const noDownloads = {
  getCandles(): Promise<Candle[]> {
    return Promise.reject(
      new CandleDownloadError('optimizer workers only read the cache; the main thread downloads first'),
    );
  },
};

async function sourcesFor(data: CandleDataSpec, window: Window): Promise<Map<Market, CandleSource>> {
  const out = new Map<Market, CandleSource>();
  if (data.kind === 'files') {
    for (const file of findCandleFiles(data.dataPath, data.markets)) {
      const cols =
        data.columnCacheDir === undefined
          ? undefined
          : fileColumns(file, data.timeframe, data.columnCacheDir);
      out.set(
        file.market,
        cols !== undefined
          ? windowCandles(cols, file.market, data.timeframe, window)
          : candlesOf(
              file,
              data.timeframe,
              window,
              data.columnCacheDir === undefined ? undefined : { dir: data.columnCacheDir },
            ),
      );
    }
    return out;
  }
  for (const market of data.markets)
    out.set(
      market,
      cachedWindow(data, market, window) ??
        (await loadCandles({
          market,
          timeframe: data.timeframe,
          from: window.from,
          to: window.to,
          cacheDir: data.cacheDir,
          quotation: noDownloads,
          now: data.now as EpochMs,
        })),
    );
  return out;
}

/**
 * Runs one task's backtest from its warm-up start and keeps only the scored window's metrics and
 * daily returns: a score-only run, since ranking needs nothing else (a trade list and curves would
 * only cost work per bar and bloat the messages between threads).
 * Pure given its inputs, so a task gives the same metrics in any worker, in any order.
 */
export async function evaluateTask(
  task: OptimizeTask,
  data: CandleDataSpec,
  settings: RunSettings,
): Promise<TaskResult> {
  const capital = krw(parseDecimal(settings.capitalKrw));
  const scorer = new WindowScorer(
    task.window.from,
    capital.toNumber(),
    settings.dailyGoal ?? DEFAULT_DAILY_GOAL,
  );
  await runBacktest(
    {
      candlesByMarket: await sourcesFor(data, { from: task.warmupFrom, to: task.window.to }),
      timeframe: data.timeframe,
      strategies: settings.strategies,
      params: {
        strategies: mergeParams(settings.baseParams, task.params),
        ...(settings.weights === undefined ? {} : { weights: settings.weights }),
      },
      capital,
      feeRate: parseDecimal(settings.feeRate),
      slippageBps: settings.slippageBps,
      seed: settings.seed,
      ...(settings.risk === undefined ? {} : { risk: riskLimitsFromSettings(settings.risk) }),
      ...(settings.dailyGoal === undefined ? {} : { dailyGoal: settings.dailyGoal }),
    },
    // The scorer itself, not a new `{ onStepEquity: (step) => … }` per task: the engine's step
    // loop (its largest compiled function) inlines the hook it saw, and a new closure each task was
    // a different call target, deoptimising the loop once more in every worker.
    scorer,
    // Score-only: the scorer reads every step's equity and every fill, nothing else, so the run
    // builds no trade list, curves, mark-outs or result (work per bar, and code each worker isolate
    // would otherwise compile).
    RunCollect.scoreOnly,
  );
  return { metrics: scorer.metrics(), dailyReturns: scorer.dailyReturns(), days: scorer.days() };
}

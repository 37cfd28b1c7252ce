import { existsSync } from 'node:fs';
import type { TimeWindow } from '../../shared/src/backtest/data/candle-files';
import { siblingBookRoot } from '../../shared/src/backtest/data/tape-files';
import { availableStrategies } from '../../shared/src/backtest/engine/strategy-registry';
import type { AppConfig } from '../../shared/src/config/config-schema';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { bucketStart, parseTimeframe, type Timeframe } from '../../shared/src/domain/market/timeframe';
import { type EpochMs, epochMs, MS } from '../../shared/src/domain/time/epoch';
import {
  isStrategyName,
  STRATEGY_NAMES,
  type StrategyName,
} from '../../shared/src/domain/trading/strategy-name';
import { asUsageError, numberOption, type ParsedOptions, stringOption, timeOption, UsageError } from './args';

/** Everything `npm run backtest` was asked to do, checked. */
export interface BacktestOptions {
  readonly json: boolean;
  readonly timeframe: Timeframe;
  readonly dataPath?: string;
  readonly tradesPath?: string;
  /** `--books`, or the directory of `--trades` when order books were recorded next to it. */
  readonly booksPath?: string;
  /** True when the books were found next to the tape rather than named. */
  readonly booksDetected: boolean;
  readonly markets: Market[];
  readonly window: TimeWindow;
  /** The current bar start (download end and default `--to`). */
  readonly now: EpochMs;
  readonly capital: number;
  readonly fee: number;
  readonly slippageBps: number;
  readonly seed: number;
  readonly strategies: 'all' | StrategyName[];
  readonly reportPath?: string;
}

/**
 * `--market` (comma-separated), else every market of `--data` (an empty list: the files decide), else
 * the configured markets; a bad market code is a usage error naming it.
 */
export function marketsOption(
  options: ParsedOptions,
  dataPath: string | undefined,
  config: AppConfig,
): Market[] {
  const marketText = stringOption(options, 'market');
  return asUsageError(() =>
    marketText !== undefined
      ? marketText.split(',').map((m) => parseMarket(m.trim()))
      : dataPath !== undefined
        ? []
        : config.markets.map((m) => parseMarket(m)),
  );
}

function parseStrategies(text: string | undefined): 'all' | StrategyName[] {
  if (text === undefined || text === 'all') return 'all';
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const n of names)
    if (!isStrategyName(n))
      throw new UsageError(`unknown strategy "${n}": use ${STRATEGY_NAMES.join(', ')} or all`);
  const available = availableStrategies();
  const missing = names.filter((n) => !available.includes(n as StrategyName));
  if (missing.length > 0)
    throw new UsageError(`strategy ${missing.join(', ')} is not available in this build`);
  return names as StrategyName[];
}

function existing(options: ParsedOptions, name: string): string | undefined {
  const path = stringOption(options, name);
  if (path !== undefined && !existsSync(path))
    throw new UsageError(`--${name} ${path}: no such file or directory`);
  return path;
}

/**
 * Reads and checks the command line: paths exist, names and times parse, numbers are in range. The
 * window is `--from/--to`, else the last `--days` (always when downloading; with `--data` only when
 * `--days` is given, otherwise the whole file).
 */
export function parseBacktestOptions(
  options: ParsedOptions,
  config: AppConfig,
  clockMs: number,
): BacktestOptions {
  const timeframe = asUsageError(() => parseTimeframe(stringOption(options, 'timeframe') ?? '1m'));
  const dataPath = existing(options, 'data');
  const tradesPath = existing(options, 'trades');
  const named = existing(options, 'books');
  const detected = named === undefined && tradesPath !== undefined ? siblingBookRoot(tradesPath) : undefined;
  const booksPath = named ?? detected;
  const markets = marketsOption(options, dataPath, config);
  const now = epochMs(bucketStart(clockMs, timeframe));
  const from = timeOption(options, 'from');
  const toGiven = timeOption(options, 'to');
  const daysGiven = stringOption(options, 'days') !== undefined;
  const days = numberOption(options, 'days', 30, { min: 1 / 1440, max: 3660 });
  let window: TimeWindow = {};
  if (from !== undefined || toGiven !== undefined) {
    const to = toGiven ?? now;
    const start = from ?? epochMs(to - days * MS.day);
    if (!(start < to)) throw new UsageError('--from must be before --to');
    window = { from: start, to };
  } else if (dataPath === undefined || daysGiven)
    window = { from: epochMs(bucketStart(now - days * MS.day, timeframe)), to: now };
  const reportPath = stringOption(options, 'report');
  return {
    json: options.json === true,
    timeframe,
    ...(dataPath === undefined ? {} : { dataPath }),
    ...(tradesPath === undefined ? {} : { tradesPath }),
    ...(booksPath === undefined ? {} : { booksPath }),
    booksDetected: detected !== undefined,
    markets,
    window,
    now,
    capital: numberOption(options, 'capital', 10_000_000, { min: 5000 }),
    fee: numberOption(options, 'fee', 0.0005, { min: 0, max: 0.01 }),
    slippageBps: numberOption(options, 'slippage-bps', 2, { min: 0, max: 1000 }),
    seed: numberOption(options, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true }),
    strategies: parseStrategies(stringOption(options, 'strategy')),
    ...(reportPath === undefined ? {} : { reportPath }),
  };
}

import { existsSync } from 'node:fs';
import type { BacktestParams } from '../shared/src/backtest/engine/backtest-input';
import { CurveSampler } from '../shared/src/backtest/engine/equity-curve';
import { runBacktest } from '../shared/src/backtest/engine/run-backtest';
import { availableStrategies, selectedStrategies } from '../shared/src/backtest/engine/strategy-registry';
import type { PricePoint } from '../shared/src/backtest/report/chart-data';
import { writeHtmlReport } from '../shared/src/backtest/report/html-report';
import type { BacktestResult } from '../shared/src/backtest/result/backtest-result';
import { loadConfig } from '../shared/src/config/load-config';
import { parseMarket } from '../shared/src/domain/market/market-id';
import { bucketStart, parseTimeframe, timeframeMs } from '../shared/src/domain/market/timeframe';
import { decimalFromNumber } from '../shared/src/domain/money/decimal';
import { krw } from '../shared/src/domain/money/quantities';
import { riskLimitsFromSettings } from '../shared/src/domain/risk/risk-settings';
import { epochMs, MS, parseIsoUtc } from '../shared/src/domain/time/epoch';
import {
  isStrategyName,
  STRATEGY_NAMES,
  type StrategyName,
} from '../shared/src/domain/trading/strategy-name';
import {
  type CommandSpec,
  helpText,
  numberOption,
  parseCommandLine,
  stringOption,
  UsageError,
} from './lib/args';
import { openCandleSources, openTradeSources } from './lib/backtest-sources';
import { renderSummary } from './lib/backtest-summary';
import { writeJsonStreamingArray } from './lib/json-output';
import { createProgress, progressEnabled } from './lib/progress';
import { runCommand } from './lib/run-command';
import { timeframeNotes } from './lib/timeframe-notes';

const SPEC: CommandSpec = {
  usage: 'npm run backtest -- [options]',
  summary:
    "Replays Upbit candles through the same strategies, ensemble and risk engine as live trading, with a simulated broker that applies Upbit's tick, minimum-order and fee rules.",
  options: [
    {
      name: 'strategy',
      type: 'string',
      value: 'NAME',
      defaultText: 'all',
      description: `${STRATEGY_NAMES.join('|')}|all (comma-separated for several).`,
    },
    {
      name: 'market',
      type: 'string',
      value: 'LIST',
      description: 'Markets, e.g. KRW-BTC,KRW-ETH (default: config markets; with --data, every file found).',
    },
    {
      name: 'timeframe',
      type: 'string',
      value: 'TF',
      defaultText: '1m',
      description: 'Bar length: 1m, 3m, 5m, 15m, 60m, 240m, 1d.',
    },
    {
      name: 'days',
      type: 'string',
      value: 'N',
      defaultText: '30',
      description:
        'Backtest the last N days (ignored with --from/--to; with --data the whole file unless given).',
    },
    {
      name: 'from',
      type: 'string',
      value: 'ISO',
      description: 'Start time, e.g. 2026-10-01 or 2026-10-01T00:00:00Z (UTC without zone).',
    },
    { name: 'to', type: 'string', value: 'ISO', description: 'End time, exclusive (default: now).' },
    {
      name: 'data',
      type: 'string',
      value: 'FILE|DIR',
      description:
        'Upbit candle JSON or CSV timestamp,open,high,low,close,volume; a directory holds KRW-XXX*.json|csv per market.',
    },
    {
      name: 'trades',
      type: 'string',
      value: 'FILE|DIR',
      description:
        'Optional public trades per market (Upbit /v1/trades/ticks JSON or CSV timestamp,price,volume,side), fed to the strategies in time order between bars.',
    },
    { name: 'capital', type: 'string', value: 'KRW', defaultText: '10000000', description: 'Starting cash.' },
    {
      name: 'fee',
      type: 'string',
      value: 'RATE',
      defaultText: '0.0005',
      description: 'Fee rate per fill, maker and taker.',
    },
    {
      name: 'slippage-bps',
      type: 'string',
      value: 'N',
      defaultText: '2',
      description: 'Mean taker slippage beyond the one-tick spread.',
    },
    {
      name: 'seed',
      type: 'string',
      value: 'N',
      defaultText: '1',
      description: 'Seed of the slippage draws; same inputs + seed = identical output.',
    },
    { name: 'json', type: 'boolean', description: 'Print the result as JSON on stdout and nothing else.' },
    {
      name: 'report',
      type: 'string',
      value: 'FILE',
      description: 'Also write a self-contained HTML report (opens offline).',
    },
  ],
  examples: [
    'npm run backtest -- --days 30 --strategy all',
    'npm run backtest -- --strategy stat_arb --market KRW-BTC,KRW-ETH --from 2026-10-01 --to 2026-11-01',
    'npm run backtest -- --data test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json --json',
    'npm run backtest -- --data candles/ --report out.html',
    'npm run backtest -- --data candles/ --trades ticks/ --strategy microstructure',
  ],
  notes: [
    "Without --data, candles are downloaded from Upbit's public API and cached in QTS_CACHE_DIR or ~/.cache/qts.",
    'Fill model: orders placed at a bar close execute on the next bar; resting limit orders fill only when the price trades through them.',
  ],
};

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

function parseTime(name: string, text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return parseIsoUtc(text);
  } catch {
    throw new UsageError(
      `--${name} must be an ISO-8601 time like 2026-10-01 or 2026-10-01T09:00:00+09:00, got "${text}"`,
    );
  }
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), SPEC);
  if (help) {
    process.stdout.write(helpText(SPEC));
    return;
  }
  const json = options.json === true;
  const config = loadConfig();
  let timeframe: ReturnType<typeof parseTimeframe>;
  try {
    timeframe = parseTimeframe(stringOption(options, 'timeframe') ?? '1m');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const dataPath = stringOption(options, 'data');
  if (dataPath !== undefined && !existsSync(dataPath))
    throw new UsageError(`--data ${dataPath}: no such file or directory`);
  const tradesPath = stringOption(options, 'trades');
  if (tradesPath !== undefined && !existsSync(tradesPath))
    throw new UsageError(`--trades ${tradesPath}: no such file or directory`);
  const marketText = stringOption(options, 'market');
  let markets: ReturnType<typeof parseMarket>[];
  try {
    markets =
      marketText !== undefined
        ? marketText.split(',').map((m) => parseMarket(m.trim()))
        : dataPath !== undefined
          ? []
          : config.markets.map((m) => parseMarket(m));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const now = epochMs(bucketStart(Date.now(), timeframe));
  const from = parseTime('from', stringOption(options, 'from'));
  const toGiven = parseTime('to', stringOption(options, 'to'));
  const daysGiven = stringOption(options, 'days') !== undefined;
  const days = numberOption(options, 'days', 30, { min: 1 / 1440, max: 3660 });
  let window: { from?: ReturnType<typeof epochMs>; to?: ReturnType<typeof epochMs> } = {};
  if (from !== undefined || toGiven !== undefined) {
    const to = toGiven ?? now;
    const start = from ?? epochMs(to - days * MS.day);
    if (!(start < to)) throw new UsageError('--from must be before --to');
    window = { from: start, to };
  } else if (dataPath === undefined || daysGiven)
    window = { from: epochMs(bucketStart(now - days * MS.day, timeframe)), to: now };

  const capital = numberOption(options, 'capital', 10_000_000, { min: 5000 });
  const fee = numberOption(options, 'fee', 0.0005, { min: 0, max: 0.01 });
  const slippageBps = numberOption(options, 'slippage-bps', 2, { min: 0, max: 1000 });
  const seed = numberOption(options, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });
  const strategies = parseStrategies(stringOption(options, 'strategy'));
  const reportPath = stringOption(options, 'report');
  const showProgress = progressEnabled(json);

  const download = createProgress('Downloading candles', showProgress && dataPath === undefined);
  const sources = await openCandleSources({
    ...(dataPath === undefined ? {} : { dataPath }),
    markets,
    timeframe,
    window,
    restUrl: config.upbit.restUrl,
    now,
    onDownloadProgress: (d, t) => download.update(d, t),
  });
  download.stop();
  const tapes =
    tradesPath === undefined ? undefined : openTradeSources(tradesPath, [...sources.keys()], window);

  if (!json)
    for (const note of timeframeNotes(
      (n) => config.strategies[n].params.timeframe,
      selectedStrategies(strategies),
      timeframe,
    ))
      process.stderr.write(`${note}\n`);
  const params: BacktestParams = {
    strategies: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, config.strategies[n].params])),
    weights: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, config.strategies[n].weight])),
  };
  const span = window.from !== undefined && window.to !== undefined ? window.to - window.from : undefined;
  const expectedBars = span === undefined ? 0 : Math.ceil(span / timeframeMs(timeframe)) * sources.size;
  const progress = createProgress('Backtesting', showProgress);
  const closes = reportPath === undefined ? undefined : new Map<string, CurveSampler<PricePoint>>();
  let result: BacktestResult;
  try {
    result = await runBacktest(
      {
        candlesByMarket: sources,
        ...(tapes === undefined ? {} : { tradesByMarket: tapes }),
        timeframe,
        strategies,
        params,
        capital: krw(decimalFromNumber(capital)),
        feeRate: decimalFromNumber(fee),
        slippageBps,
        seed,
        risk: riskLimitsFromSettings(config),
        dailyGoal: config.dailyGoalPct / 100,
        expectedBars,
      },
      {
        onProgress: (d, t) => progress.update(d, t),
        ...(closes === undefined
          ? {}
          : {
              onStep: (s) => {
                for (const [m, h] of s.holdings) {
                  let sampler = closes.get(m);
                  if (sampler === undefined) {
                    sampler = new CurveSampler<PricePoint>();
                    closes.set(m, sampler);
                  }
                  sampler.add({ time: s.at, close: h.mark.toNumber() });
                }
              },
            }),
      },
    );
  } finally {
    progress.stop();
  }
  if (reportPath !== undefined) writeReport(result, reportPath, closes ?? new Map(), json);
  if (json) {
    writeJsonStreamingArray(result, 'trades', (chunk) => process.stdout.write(chunk));
    process.stdout.write('\n');
  } else process.stdout.write(renderSummary(result));
}

function writeReport(
  result: BacktestResult,
  path: string,
  closes: Map<string, CurveSampler<PricePoint>>,
  json: boolean,
): void {
  const prices: Record<string, PricePoint[]> = {};
  for (const [m, sampler] of closes) prices[m] = sampler.points();
  const bytes = writeHtmlReport(result, path, { prices });
  if (!json) process.stderr.write(`Report written to ${path} (${Math.round(bytes / 1024)} KB)\n`);
}

runCommand('backtest', main);

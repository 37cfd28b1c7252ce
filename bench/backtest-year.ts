import { closeSync, openSync, writeSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import {
  type CommandSpec,
  helpText,
  numberOption,
  parseCommandLine,
  stringOption,
  UsageError,
} from '../cli/lib/args';
import { writeJsonStreamingArray } from '../cli/lib/json-output';
import { createProgress, progressEnabled } from '../cli/lib/progress';
import { runCommand } from '../cli/lib/run-command';
import { formatNumber, renderTable } from '../cli/lib/table';
import { toCandleColumns } from '../shared/src/backtest/data/candle-columns';
import { columnCandleViews } from '../shared/src/backtest/data/candle-views';
import type { CandleSource } from '../shared/src/backtest/engine/bar-steps';
import { runBacktest } from '../shared/src/backtest/engine/run-backtest';
import { limitHeapGrowth } from '../shared/src/backtest/heap-growth';
import type { Market } from '../shared/src/domain/market/market-id';
import { decimalFromNumber } from '../shared/src/domain/money/decimal';
import { krw } from '../shared/src/domain/money/quantities';
import { epochMs, parseIsoUtc } from '../shared/src/domain/time/epoch';
import type { StrategyName } from '../shared/src/domain/trading/strategy-name';
import { memoryTraceFromEnv } from './memory-trace';
import { MAX_SYNTHETIC_MARKETS, syntheticCandles, syntheticMarkets } from './synthetic-candles';

const SPEC: CommandSpec = {
  usage: 'npx tsx bench/backtest-year.ts [options]',
  summary:
    'Measures the backtest loop (all strategies, ensemble, risk, simulated broker) on a seeded synthetic 1-minute series streamed per market: throughput, wall time, peak RSS and heap.',
  options: [
    { name: 'days', type: 'string', value: 'N', defaultText: '365', description: 'Days of 1-minute bars.' },
    {
      name: 'markets',
      type: 'string',
      value: 'N',
      defaultText: '5',
      description: `Markets (1–${MAX_SYNTHETIC_MARKETS}): BTC, ETH, XRP, ADA, SOL, …`,
    },
    {
      name: 'seed',
      type: 'string',
      value: 'N',
      defaultText: '1',
      description: 'Seed of prices and slippage.',
    },
    {
      name: 'strategy',
      type: 'string',
      value: 'NAME',
      defaultText: 'all',
      description: 'all, or one or more strategies (comma-separated).',
    },
    {
      name: 'input',
      type: 'string',
      value: 'MODE',
      defaultText: 'columns',
      description:
        'columns: generate every bar into Float64Array columns before the clock starts (the engine alone is measured); stream: generate lazily inside the measured run (memory O(markets), for a year × 5 markets).',
    },
    {
      name: 'out',
      type: 'string',
      value: 'FILE',
      description: "Also write the backtest's --json result there, to diff runs before/after a change.",
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'Print the measurements as JSON on stdout and nothing else.',
    },
  ],
  examples: [
    'npx tsx bench/backtest-year.ts --days 10 --markets 5',
    'npx tsx bench/backtest-year.ts --json > year.json',
    'node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/backtest-year.ts --days 10',
  ],
  notes: [
    'Deterministic: same --days/--markets/--seed give the same bars and the same result (compare with --out).',
    "Peak RSS is the process's high-water mark (getrusage, as `/usr/bin/time -v` reports it; generation before the clock included); peak heap is sampled every 10,000 market-bars from the progress hook, plus once at the end.",
  ],
};

/** Start of the synthetic series: fixed so runs repeat, on the current tick table. */
const SERIES_START = parseIsoUtc('2026-01-01T00:00:00Z');

/** What one run measured; the `--json` shape. */
interface BenchResult {
  readonly days: number;
  readonly markets: number;
  readonly marketBars: number;
  /** How the bars were fed (see --input): `columns` keeps generation out of the measured times. */
  readonly input: 'columns' | 'stream';
  /** CPU seconds spent generating the columns before the measured run (0 when streamed). */
  readonly generateCpuSeconds: number;
  readonly wallSeconds: number;
  /** User + system CPU time: steadier than wall time on a machine shared with other work. */
  readonly cpuSeconds: number;
  readonly marketBarsPerSecond: number;
  readonly microsPerMarketBar: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly finalHeapUsedMb: number;
  readonly trades: number;
  readonly node: string;
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), SPEC);
  if (help) {
    process.stdout.write(helpText(SPEC));
    return;
  }
  const json = options.json === true;
  const days = numberOption(options, 'days', 365, { min: 1 / 1440, max: 3660 });
  const count = numberOption(options, 'markets', 5, { min: 1, max: MAX_SYNTHETIC_MARKETS, integer: true });
  const seed = numberOption(options, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });
  const out = stringOption(options, 'out');
  const strategyText = stringOption(options, 'strategy') ?? 'all';
  const strategies = strategyText === 'all' ? ('all' as const) : (strategyText.split(',') as StrategyName[]);
  const inputText = stringOption(options, 'input') ?? 'columns';
  if (inputText !== 'columns' && inputText !== 'stream')
    throw new UsageError(`--input ${inputText}: expected columns or stream`);
  const input: 'columns' | 'stream' = inputText;
  const minutes = Math.round(days * 1440);
  const markets = syntheticMarkets(count);
  const sources = new Map<Market, CandleSource>();
  const genStart = process.cpuUsage();
  markets.forEach((m, i) => {
    const lazy = syntheticCandles(m, i, epochMs(SERIES_START), minutes, seed);
    sources.set(m, input === 'stream' ? lazy : columnCandleViews(toCandleColumns(lazy, minutes), m, '1m'));
  });
  const gen = process.cpuUsage(genStart);
  const generateCpuSeconds = input === 'stream' ? 0 : (gen.user + gen.system) / 1e6;

  // Peak heap is sampled; peak RSS is not: `process.memoryUsage()` reads /proc/self/stat for the RSS
  // on every call (~70 µs on a grown heap, 1–3 % of a single strategy's year at 117 samples), so the
  // runner measured itself. The kernel's high-water mark (getrusage's ru_maxrss, the figure
  // `/usr/bin/time -v` prints) is read once at the end instead: the true peak of the whole process,
  // the column generation before the clock included, so never below what sampling would have seen
  // (a sample can miss a peak between two samples). The heap has no such mark: its used size is
  // sampled from V8's statistics alone (no RSS read), as before every 10,000 market-bars.
  let peakHeap = 0;
  let lastSample = 0;
  const sample = (): void => {
    const used = getHeapStatistics().used_heap_size;
    if (used > peakHeap) peakHeap = used;
  };
  const progress = createProgress('Backtesting', progressEnabled(json));
  // Off unless QTS_BENCH_MEMORY_TRACE / QTS_BENCH_HEAP_SNAPSHOT ask for it (bench/memory-trace.ts).
  const trace = memoryTraceFromEnv(process.env);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await runBacktest(
    {
      candlesByMarket: sources,
      timeframe: '1m',
      strategies,
      capital: krw(decimalFromNumber(10_000_000)),
      feeRate: decimalFromNumber(0.0005),
      slippageBps: 2,
      seed,
      expectedBars: minutes * count,
    },
    {
      onProgress: (done, total) => {
        progress.update(done, total);
        // The first steps sample too (V8 records a function's feedback only after a few calls), so
        // the optimised loop never meets the sampling call cold: an untaken call there deoptimised
        // it after its first 10,000 bars.
        if (done - lastSample >= 10_000 || done <= 64) {
          lastSample = done;
          sample();
        }
        if (trace !== undefined) trace.onBars(done);
      },
    },
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  progress.stop();
  sample();
  trace?.atEnd();
  // ru_maxrss is in KiB on Linux (Node reports it as is).
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const measured: BenchResult = {
    days,
    markets: count,
    marketBars: result.bars,
    input,
    generateCpuSeconds: Math.round(generateCpuSeconds * 100) / 100,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    marketBarsPerSecond: Math.round(result.bars / wallSeconds),
    microsPerMarketBar: Math.round((wallSeconds * 1e6 * 10) / result.bars) / 10,
    peakRssMb: mb(peakRss),
    peakHeapUsedMb: mb(peakHeap),
    finalHeapUsedMb: mb(process.memoryUsage().heapUsed),
    trades: result.trades.length,
    node: process.version,
  };
  if (out !== undefined) {
    // Chunk by chunk: a year of fills is hundreds of MB of JSON.
    const fd = openSync(out, 'w');
    try {
      writeJsonStreamingArray(result, 'trades', (c) => writeSync(fd, c));
      writeSync(fd, '\n');
    } finally {
      closeSync(fd);
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(measured, null, 2)}\n`);
    return;
  }
  const rows: [string, string][] = [
    ['days × markets', `${formatNumber(days, Number.isInteger(days) ? 0 : 2)} × ${count}`],
    ['market-bars', formatNumber(measured.marketBars, 0)],
    ['wall time', `${formatNumber(measured.wallSeconds, 1)} s`],
    ['CPU time', `${formatNumber(measured.cpuSeconds, 1)} s`],
    [
      'input',
      input === 'columns'
        ? `columns (generated in ${formatNumber(generateCpuSeconds, 1)} CPU s, not measured)`
        : 'stream (generation measured)',
    ],
    ['market-bars/s', formatNumber(measured.marketBarsPerSecond, 0)],
    ['µs per market-bar', formatNumber(measured.microsPerMarketBar, 1)],
    ['peak RSS', `${formatNumber(measured.peakRssMb, 1)} MB`],
    ['peak heap used', `${formatNumber(measured.peakHeapUsedMb, 1)} MB`],
    ['trades (fills)', formatNumber(measured.trades, 0)],
  ];
  process.stdout.write(`${renderTable(['measure', 'value'], rows, ['left', 'right'])}\n`);
}

limitHeapGrowth();
runCommand('backtest-year', main);

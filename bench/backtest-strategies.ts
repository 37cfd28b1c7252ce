import { type CommandSpec, helpText, numberOption, parseCommandLine } from '../cli/lib/args';
import { runCommand } from '../cli/lib/run-command';
import { formatNumber, renderTable } from '../cli/lib/table';
import { toCandleColumns } from '../shared/src/backtest/data/candle-columns';
import { columnCandleViews } from '../shared/src/backtest/data/candle-views';
import type { CandleSource } from '../shared/src/backtest/engine/bar-steps';
import { runBacktest } from '../shared/src/backtest/engine/run-backtest';
import type { Market } from '../shared/src/domain/market/market-id';
import { decimalFromNumber } from '../shared/src/domain/money/decimal';
import { krw } from '../shared/src/domain/money/quantities';
import { epochMs, parseIsoUtc } from '../shared/src/domain/time/epoch';
import type { StrategyName } from '../shared/src/domain/trading/strategy-name';
import { syntheticCandles, syntheticMarkets } from './synthetic-candles';

const SPEC: CommandSpec = {
  usage: 'npx tsx bench/backtest-strategies.ts [options]',
  summary:
    "Backtest throughput per strategy, in one process, on seeded synthetic 1-minute bars: each single strategy on one market, stat_arb on two, market_making and all on one. Rates are market-bars per CPU second of the run (the issue's 'bars/s per core'), wall rates beside them.",
  options: [
    {
      name: 'days',
      type: 'string',
      value: 'N',
      defaultText: '7',
      description: 'Days of bars for the single strategies and stat_arb.',
    },
    {
      name: 'heavy-days',
      type: 'string',
      value: 'N',
      defaultText: '2',
      description: 'Days of bars for market_making and all.',
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'Print the measurements as JSON on stdout and nothing else.',
    },
  ],
  examples: [
    'npx tsx bench/backtest-strategies.ts',
    'npx tsx bench/backtest-strategies.ts --days 1 --heavy-days 0.25 --json',
  ],
  notes: [
    'Each case runs once after a short untimed warm-up run of the same case, so the JIT has compiled the loop.',
  ],
};

/** One case of the table in issue 16. */
interface Case {
  readonly name: string;
  readonly strategies: readonly StrategyName[] | 'all';
  readonly markets: number;
  readonly heavy: boolean;
}

const CASES: readonly Case[] = [
  { name: 'momentum_scalping', strategies: ['momentum_scalping'], markets: 1, heavy: false },
  { name: 'mean_reversion', strategies: ['mean_reversion'], markets: 1, heavy: false },
  { name: 'microstructure', strategies: ['microstructure'], markets: 1, heavy: false },
  { name: 'stat_arb_2_markets', strategies: ['stat_arb'], markets: 2, heavy: false },
  { name: 'market_making', strategies: ['market_making'], markets: 1, heavy: true },
  { name: 'all', strategies: 'all', markets: 1, heavy: true },
];

/** One measured case; the `--json` element shape. */
export interface StrategyRun {
  readonly name: string;
  readonly markets: number;
  readonly marketBars: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** Market-bars per CPU second (user + system) of this process during the run. */
  readonly barsPerCpuSecond: number;
  readonly barsPerWallSecond: number;
  readonly trades: number;
}

const SERIES_START = epochMs(parseIsoUtc('2026-01-01T00:00:00Z'));

async function runCase(c: Case, minutes: number): Promise<StrategyRun> {
  const sources = new Map<Market, CandleSource>();
  // Generated into columns before the clock starts: the figure is the engine's, not the generator's.
  // Handed over as views of the held rows, as bench/backtest-year.ts does (candle-views.ts): one
  // object a bar instead of a candle whose seven doubles are each a heap number.
  syntheticMarkets(c.markets).forEach((m, i) => {
    sources.set(
      m,
      columnCandleViews(toCandleColumns(syntheticCandles(m, i, SERIES_START, minutes, 1), minutes), m, '1m'),
    );
  });
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await runBacktest(
    {
      candlesByMarket: sources,
      timeframe: '1m',
      strategies: c.strategies,
      capital: krw(decimalFromNumber(10_000_000)),
      feeRate: decimalFromNumber(0.0005),
      slippageBps: 2,
      seed: 1,
      expectedBars: minutes * c.markets,
    },
    {},
  );
  const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    name: c.name,
    markets: c.markets,
    marketBars: result.bars,
    cpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    barsPerCpuSecond: Math.round(result.bars / cpuSeconds),
    barsPerWallSecond: Math.round(result.bars / wallSeconds),
    trades: result.trades.length,
  };
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), SPEC);
  if (help) {
    process.stdout.write(helpText(SPEC));
    return;
  }
  const days = numberOption(options, 'days', 7, { min: 1 / 1440, max: 3660 });
  const heavyDays = numberOption(options, 'heavy-days', 2, { min: 1 / 1440, max: 3660 });
  const runs: StrategyRun[] = [];
  for (const c of CASES) {
    const minutes = Math.round((c.heavy ? heavyDays : days) * 1440);
    await runCase(c, Math.min(minutes, 240)); // warm-up: compile this strategy's code paths
    runs.push(await runCase(c, minutes));
    if (options.json !== true) process.stderr.write(`backtest-strategies: ${c.name} done\n`);
  }
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return;
  }
  const rows = runs.map((r) => [
    r.name,
    formatNumber(r.marketBars, 0),
    formatNumber(r.barsPerCpuSecond, 0),
    formatNumber(r.barsPerWallSecond, 0),
    formatNumber(r.trades, 0),
  ]);
  process.stdout.write(
    `${renderTable(['case', 'market-bars', 'bars/CPU-s', 'bars/wall-s', 'fills'], rows, ['left', 'right', 'right', 'right', 'right'])}\n`,
  );
}

runCommand('backtest-strategies', main);

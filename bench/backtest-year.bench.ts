import { join } from 'node:path';
import type { Benchmark } from './lib/bench-types';
import { runScript } from './lib/child-process';
import { absoluteResult, atLeast } from './lib/results';

const SCRIPT = join(__dirname, 'backtest-year.ts');
/** Days of 1-minute bars × 5 markets. Quick: a smoke run (JIT warm-up weighs on it, so no target). */
const QUICK_DAYS = 0.25;
const FULL_DAYS = 7;
const MARKETS = 5;

/** What `bench/backtest-year.ts --json` prints (the fields used here). */
interface YearRun {
  readonly marketBars: number;
  readonly marketBarsPerSecond: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

const backtestYear: Benchmark = {
  name: 'backtest loop, all strategies, synthetic 1m bars',
  description: `bench/backtest-year.ts (strategy all, ${MARKETS} markets, seeded synthetic bars) in a child process: market-bars/s and peak RSS. ${QUICK_DAYS} day(s) in quick mode, ${FULL_DAYS} days in full mode, where the >= 300,000 bars/s target applies.`,
  async run(context) {
    const days = context.quick ? QUICK_DAYS : FULL_DAYS;
    context.progress(`${days} day(s) × ${MARKETS} markets in a child process`);
    const child = await runScript(SCRIPT, ['--days', String(days), '--markets', String(MARKETS), '--json']);
    if (child.exitCode !== 0)
      throw new Error(`backtest-year.ts exited ${child.exitCode}: ${child.stderr.trim().slice(-300)}`);
    const run = JSON.parse(child.stdout) as YearRun;
    const prefix = 'backtest.synthetic_5_markets.all';
    return [
      absoluteResult(
        `${prefix}.bars_per_s`,
        run.marketBarsPerSecond,
        'bars/s',
        context.quick ? undefined : atLeast(300_000, 'bars/s'),
      ),
      absoluteResult(`${prefix}.cpu_us_per_bar`, (run.cpuSeconds * 1e6) / run.marketBars, 'µs'),
      absoluteResult(`${prefix}.peak_rss_mb`, child.maxRssMb, 'MB'),
    ];
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [backtestYear];

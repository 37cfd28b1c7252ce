import { join } from 'node:path';
import type { StrategyRun } from './backtest-strategies';
import type { Benchmark } from './lib/bench-types';
import { runScript } from './lib/child-process';
import { absoluteResult, atLeast } from './lib/results';

const SCRIPT = join(__dirname, 'backtest-strategies.ts');

/** Issue 16's targets, market-bars per CPU second: single strategies 1M, market_making and all 300k. */
const TARGETS: Readonly<Record<string, number>> = {
  momentum_scalping: 1_000_000,
  mean_reversion: 1_000_000,
  microstructure: 1_000_000,
  stat_arb_2_markets: 1_000_000,
  market_making: 300_000,
  all: 300_000,
};

const perStrategy: Benchmark = {
  name: 'backtest throughput per strategy, synthetic 1m bars',
  description:
    'bench/backtest-strategies.ts in a child process: market-bars per CPU second for each single strategy (1 market), stat_arb (2 markets), market_making and all (1 market). Full mode: a year of 1-minute bars for every case (as issue 16 measures), with the issue-16 targets; quick mode: 1 day (0.25), a smoke run without targets.',
  async run(context) {
    const args = context.quick
      ? ['--days', '1', '--heavy-days', '0.25']
      : ['--days', '365', '--heavy-days', '365'];
    context.progress(`${args.join(' ')} in a child process`);
    const child = await runScript(SCRIPT, [...args, '--json']);
    if (child.exitCode !== 0)
      throw new Error(`backtest-strategies.ts exited ${child.exitCode}: ${child.stderr.trim().slice(-300)}`);
    const runs = JSON.parse(child.stdout) as StrategyRun[];
    return runs.map((r) => {
      const target = TARGETS[r.name];
      return absoluteResult(
        `backtest.synthetic.${r.name}.bars_per_cpu_s`,
        r.barsPerCpuSecond,
        'bars/s',
        context.quick || target === undefined ? undefined : atLeast(target, 'bars/s'),
      );
    });
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [perStrategy];

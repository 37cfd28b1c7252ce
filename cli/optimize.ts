import { availableStrategies } from '../shared/src/backtest/engine/strategy-registry';
import { limitHeapGrowth } from '../shared/src/backtest/heap-growth';
import { writeBestParamsYaml } from '../shared/src/backtest/optimize/best-params-yaml';
import { OPTIMIZE_METRICS, parseOptimizeMetric } from '../shared/src/backtest/optimize/objective';
import { renderOptimizeSummary } from '../shared/src/backtest/optimize/optimize-summary';
import { type OptimizeResult, runOptimize } from '../shared/src/backtest/optimize/run-optimize';
import { defaultWorkerCount } from '../shared/src/backtest/optimize/task-pool';
import { loadConfig } from '../shared/src/config/load-config';
import { parseTimeframe } from '../shared/src/domain/market/timeframe';
import { MS } from '../shared/src/domain/time/epoch';
import {
  isStrategyName,
  STRATEGY_NAMES,
  type StrategyName,
} from '../shared/src/domain/trading/strategy-name';
import {
  asUsageError,
  type CommandSpec,
  helpText,
  numberOption,
  type OptionSpec,
  parseCommandLine,
  stringOption,
  UsageError,
} from './lib/args';
import { chooseData } from './lib/optimize-data';
import { createProgress, progressEnabled } from './lib/progress';
import { runCommand } from './lib/run-command';
import { renderTable } from './lib/table';

/** A valued option for the spec below; keeps the table of options readable. */
function opt(name: string, value: string, description: string, defaultText?: string): OptionSpec {
  return { name, type: 'string', value, description, ...(defaultText === undefined ? {} : { defaultText }) };
}

const SPEC: CommandSpec = {
  usage: 'npm run optimize -- --strategy NAME [options]',
  summary:
    'Walk-forward random search over a strategy’s parameters without selection bias: in each fold the best in-sample configuration is judged on the next out-of-sample window (chained: the walk-forward result); the final pick is the best on all data before a holdout that no choice ever sees, judged once on it, and only it is written to --out. Every Sharpe comes with its deflated Sharpe ratio.',
  options: [
    opt(
      'strategy',
      'NAME',
      `${STRATEGY_NAMES.join('|')}|all (comma-separated to tune several together).`,
      'stat_arb',
    ),
    opt('metric', 'M', `${OPTIMIZE_METRICS.join('|')}.`, 'sharpe'),
    opt('folds', 'N', 'Walk-forward folds (rolling in-sample/out-of-sample windows).', '4'),
    opt('trials', 'N', 'Parameter sets to try; trial 0 is always your configured parameters.', '30'),
    opt('in-sample-ratio', 'R', 'In-sample length as a multiple of the out-of-sample length.', '3'),
    opt(
      'holdout',
      'SHARE',
      'Share of the data, at its end, kept as a final holdout no choice sees (0 turns it off).',
      '0.2',
    ),
    opt(
      'seed',
      'N',
      'Seed of the trial draws and the slippage model; same inputs + seed = same output.',
      '1',
    ),
    opt('workers', 'N', 'Worker threads; 0 runs everything on the main thread.', 'cores − 1'),
    opt(
      'market',
      'LIST',
      'Markets, e.g. KRW-BTC,KRW-ETH (default: config markets; with --data, every file found).',
    ),
    opt('timeframe', 'TF', 'Bar length: 1m, 3m, 5m, 15m, 60m, 240m, 1d.', '1m'),
    opt('days', 'N', 'Download the last N whole UTC days (ignored with --data or --from/--to).', '30'),
    opt('from', 'ISO', 'Start of the data window (UTC without zone).'),
    opt('to', 'ISO', 'End of the data window, exclusive.'),
    opt(
      'data',
      'FILE|DIR',
      'Upbit candle JSON or CSV per market instead of downloading (see npm run backtest -- --help).',
    ),
    opt('capital', 'KRW', 'Starting cash of every backtest.', '10000000'),
    opt('fee', 'RATE', 'Fee rate per fill.', '0.0005'),
    opt('slippage-bps', 'N', 'Mean taker slippage beyond the one-tick spread.', '2'),
    opt(
      'warmup-bars',
      'N',
      'Bars each run replays before its window so indicators are warm; not scored.',
      '720',
    ),
    opt('min-trades', 'N', 'Configurations with fewer closed in-sample trades are picked last.', '1'),
    opt('top', 'N', 'Rows of the ranking shown in the terminal.', '10'),
    opt(
      'out',
      'FILE',
      'Write the final pick (chosen without seeing the holdout) as a config snippet (strategies: …), e.g. best.yaml.',
    ),
    {
      name: 'json',
      type: 'boolean',
      description: 'Print the full result as JSON on stdout and nothing else.',
    },
  ],
  examples: [
    'npm run optimize -- --strategy stat_arb --metric sharpe',
    'npm run optimize -- --strategy market_making --metric calmar --folds 5 --trials 60 --out best.yaml',
    'npm run -s optimize -- --strategy market_making --data test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json --market KRW-BTC --folds 1 --in-sample-ratio 1 --trials 4 --warmup-bars 30 --holdout 0.25 --json | jq .holdout',
  ],
  notes: [
    'Trust the walk-forward and holdout lines, not the top row of the ranking: the top row is the best of N in sample, and its DSR says how much of that is luck.',
    'Sharpe ratios from fewer than 30 daily returns are flagged: use more data or --metric return|calmar on short windows.',
    "Without --data, whole UTC days are downloaded from Upbit's public API into QTS_CACHE_DIR or ~/.cache/qts first.",
  ],
};

/** Strategy names to tune; `all` tunes every available strategy together (a much larger space). */
function parseStrategies(text: string): StrategyName[] {
  if (text.trim() === 'all') return availableStrategies();
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const available = availableStrategies();
  for (const n of names) {
    if (!isStrategyName(n)) throw new UsageError(`unknown strategy "${n}": use ${STRATEGY_NAMES.join(', ')}`);
    if (!available.includes(n))
      throw new UsageError(`strategy ${n} is not available in this build (${available.join(', ')})`);
  }
  if (names.length === 0) throw new UsageError('--strategy needs at least one name');
  return names as StrategyName[];
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), SPEC);
  if (help) {
    process.stdout.write(helpText(SPEC));
    return;
  }
  const json = options.json === true;
  const timeframe = asUsageError(() => parseTimeframe(stringOption(options, 'timeframe') ?? '1m'));
  const metric = asUsageError(() => parseOptimizeMetric(stringOption(options, 'metric') ?? 'sharpe'));
  const strategies = parseStrategies(stringOption(options, 'strategy') ?? 'stat_arb');
  const folds = numberOption(options, 'folds', 4, { min: 1, max: 50, integer: true });
  const trials = numberOption(options, 'trials', 30, { min: 1, max: 10_000, integer: true });
  const ratio = numberOption(options, 'in-sample-ratio', 3, { min: 0.25, max: 20 });
  const holdout = numberOption(options, 'holdout', 0.2, { min: 0, max: 0.9 });
  const seed = numberOption(options, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });
  const workers = numberOption(options, 'workers', defaultWorkerCount(), { min: 0, max: 256, integer: true });
  const capital = numberOption(options, 'capital', 10_000_000, { min: 5000 });
  const fee = numberOption(options, 'fee', 0.0005, { min: 0, max: 0.01 });
  const slippageBps = numberOption(options, 'slippage-bps', 2, { min: 0, max: 1000 });
  const top = numberOption(options, 'top', 10, { min: 1, integer: true });
  const minTrades = numberOption(options, 'min-trades', 1, { min: 0, integer: true });
  const warmupBars = numberOption(options, 'warmup-bars', 720, { min: 0, max: 1_000_000, integer: true });
  if (holdout === 0 && !json)
    process.stderr.write(
      'optimize: --holdout 0: the final pick is never judged on unseen data; its numbers are all in sample or walk-forward.\n',
    );
  const out = stringOption(options, 'out');
  const config = loadConfig();
  const { data, from, to } = await chooseData(options, config, timeframe, json);
  const oosDays = ((to - from) * (1 - holdout)) / (ratio + folds) / MS.day;
  if ((metric === 'sharpe' || metric === 'sortino') && oosDays < 3 && !json)
    process.stderr.write(
      `optimize: out-of-sample windows are ${oosDays.toFixed(2)} days; ${metric} uses daily (KST) returns and is ` +
        'meaningless below a few days. Use more data, fewer --folds, or --metric return|calmar.\n',
    );
  const bar = createProgress('Optimizing (bars)', progressEnabled(json));
  let result: OptimizeResult;
  try {
    result = await runOptimize({
      metric,
      folds,
      trials,
      inSampleRatio: ratio,
      holdout,
      minTrades,
      warmupBars,
      from,
      to,
      data,
      workers,
      settings: {
        strategies,
        capitalKrw: String(capital),
        feeRate: String(fee),
        slippageBps,
        seed,
        baseParams: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, config.strategies[n].params])),
        weights: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, config.strategies[n].weight])),
        risk: {
          capital: config.capital,
          lossLimits: config.lossLimits,
          positions: config.positions,
          guards: config.guards,
          sizing: config.sizing,
          emergency: config.emergency,
        },
        dailyGoal: config.dailyGoalPct / 100,
      },
      onProgress: (d, t) => bar.update(d, t),
    });
  } finally {
    bar.stop();
  }
  if (out !== undefined) {
    writeBestParamsYaml(result, out);
    if (!json)
      process.stderr.write(
        `Final pick (trial ${result.best.trial}, chosen without the holdout) written to ${out}\n`,
      );
  }
  process.stdout.write(
    json ? `${JSON.stringify(result, null, 2)}\n` : renderOptimizeSummary(result, top, renderTable),
  );
}

limitHeapGrowth();
runCommand('optimize', main);

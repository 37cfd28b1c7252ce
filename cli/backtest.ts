import type { BacktestParams } from '../shared/src/backtest/engine/backtest-input';
import { CurveSampler } from '../shared/src/backtest/engine/equity-curve';
import { runBacktest } from '../shared/src/backtest/engine/run-backtest';
import { selectedStrategies } from '../shared/src/backtest/engine/strategy-registry';
import { limitHeapGrowth } from '../shared/src/backtest/heap-growth';
import type { PricePoint } from '../shared/src/backtest/report/chart-data';
import { writeHtmlReport } from '../shared/src/backtest/report/html-report';
import type { BacktestResult } from '../shared/src/backtest/result/backtest-result';
import { loadConfig } from '../shared/src/config/load-config';
import { decimalFromNumber } from '../shared/src/domain/money/decimal';
import { krw } from '../shared/src/domain/money/quantities';
import { riskLimitsFromSettings } from '../shared/src/domain/risk/risk-settings';
import { STRATEGY_NAMES } from '../shared/src/domain/trading/strategy-name';
import { helpText, parseCommandLine } from './lib/args';
import { parseBacktestOptions } from './lib/backtest-options';
import { openBookSources, openCandleSources, openTradeSources } from './lib/backtest-sources';
import { BACKTEST_SPEC } from './lib/backtest-spec';
import { renderSummary } from './lib/backtest-summary';
import { writeJsonStreamingArray } from './lib/json-output';
import { createProgress, progressEnabled } from './lib/progress';
import { runCommand } from './lib/run-command';
import { timeframeNotes } from './lib/timeframe-notes';

/** Samples each market's close as the run goes, for the price line under the report's trade markers. */
function closeRecorder(): {
  onStep(s: { at: number; holdings: ReadonlyMap<string, { mark: { toNumber(): number } }> }): void;
  prices(): Record<string, PricePoint[]>;
} {
  const closes = new Map<string, CurveSampler<PricePoint>>();
  return {
    onStep(s) {
      for (const [m, h] of s.holdings) {
        let sampler = closes.get(m);
        if (sampler === undefined) {
          sampler = new CurveSampler<PricePoint>();
          closes.set(m, sampler);
        }
        sampler.add({ time: s.at, close: h.mark.toNumber() });
      }
    },
    prices: () => Object.fromEntries([...closes].map(([m, sampler]) => [m, sampler.points()])),
  };
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), BACKTEST_SPEC);
  if (help) {
    process.stdout.write(helpText(BACKTEST_SPEC));
    return;
  }
  const config = loadConfig();
  const opts = parseBacktestOptions(options, config, Date.now());
  const { json, timeframe, window } = opts;
  const showProgress = progressEnabled(json);
  const note = (text: string) => {
    if (!json) process.stderr.write(`${text}\n`);
  };

  const download = createProgress('Downloading candles', showProgress && opts.dataPath === undefined);
  const { sources, expectedBars } = await openCandleSources({
    ...(opts.dataPath === undefined ? {} : { dataPath: opts.dataPath }),
    markets: opts.markets,
    timeframe,
    window,
    restUrl: config.upbit.restUrl,
    wsUrl: config.upbit.wsUrl,
    now: opts.now,
    onDownloadProgress: (d, t) => download.update(d, t),
  });
  download.stop();
  const markets = [...sources.keys()];
  const tapes =
    opts.tradesPath === undefined ? undefined : openTradeSources(opts.tradesPath, markets, window);
  const books = opts.booksPath === undefined ? undefined : openBookSources(opts.booksPath, markets, window);
  if (opts.booksDetected && books !== undefined && books.size > 0)
    note(`Order books found next to the tape (${opts.booksPath}): queue positions come from them.`);
  for (const text of timeframeNotes(
    (n) => config.strategies[n].params.timeframe,
    selectedStrategies(opts.strategies),
    timeframe,
  ))
    note(text);
  const params: BacktestParams = {
    strategies: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, config.strategies[n].params])),
    weights: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, config.strategies[n].weight])),
  };
  const progress = createProgress('Backtesting (bars)', showProgress);
  const closes = opts.reportPath === undefined ? undefined : closeRecorder();
  let result: BacktestResult;
  try {
    result = await runBacktest(
      {
        candlesByMarket: sources,
        ...(tapes === undefined ? {} : { tradesByMarket: tapes }),
        ...(books === undefined || books.size === 0 ? {} : { booksByMarket: books }),
        timeframe,
        strategies: opts.strategies,
        params,
        capital: krw(decimalFromNumber(opts.capital)),
        feeRate: decimalFromNumber(opts.fee),
        slippageBps: opts.slippageBps,
        seed: opts.seed,
        risk: riskLimitsFromSettings(config),
        dailyGoal: config.dailyGoalPct / 100,
        expectedBars,
      },
      {
        onProgress: (d, t) => progress.update(d, t),
        ...(closes === undefined ? {} : { onStep: (s) => closes.onStep(s) }),
      },
    );
  } finally {
    progress.stop();
  }
  if (opts.reportPath !== undefined) {
    const bytes = writeHtmlReport(result, opts.reportPath, { prices: closes?.prices() ?? {} });
    note(`Report written to ${opts.reportPath} (${Math.round(bytes / 1024)} KB)`);
  }
  if (json) {
    writeJsonStreamingArray(result, 'trades', (chunk) => process.stdout.write(chunk));
    process.stdout.write('\n');
  } else process.stdout.write(renderSummary(result));
}

limitHeapGrowth();
runCommand('backtest', main);

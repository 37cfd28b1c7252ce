import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CandleFile, candlesOf } from '../shared/src/backtest/data/candle-files';
import type { ColumnCacheOptions } from '../shared/src/backtest/data/column-cache';
import type { Timeframe } from '../shared/src/domain/market/timeframe';
import { epochMs, parseIsoUtc } from '../shared/src/domain/time/epoch';
import type { Benchmark } from './lib/bench-types';
import { absoluteResult, atLeast, ratioResult } from './lib/results';
import { syntheticCandles, syntheticMarkets } from './synthetic-candles';

/** Bars in the CSV: 30 days in quick mode, a year of 1-minute bars in full mode. */
const QUICK_BARS = 30 * 1440;
const FULL_BARS = 365 * 1440;
const TF: Timeframe = '1m';

/** CPU seconds (user + system) of `fn`, and what it returned. */
function cpuSeconds<T>(fn: () => T): { seconds: number; value: T } {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, value };
}

/** Reads every candle of the file (summing a field so nothing is optimised away); returns the count. */
function readAll(file: CandleFile, cache?: ColumnCacheOptions): number {
  let n = 0;
  let sum = 0;
  for (const c of candlesOf(file, TF, {}, cache)) {
    n += 1;
    sum += c.close;
  }
  if (!(sum > 0)) throw new Error('no candles read');
  return n;
}

const candleLoad: Benchmark = {
  name: 'candle input: CSV parsing vs the binary column cache',
  description:
    'A seeded synthetic 1m CSV (30 days quick, a year full) read through candlesOf as `npm run backtest --data` does: parsed from text, then through the .qtsbin column cache (first run builds it, later runs read it). Bars per CPU second.',
  async run(context) {
    const bars = context.quick ? QUICK_BARS : FULL_BARS;
    const dir = mkdtempSync(join(tmpdir(), 'qts-candle-load-'));
    try {
      const market = syntheticMarkets(1)[0] as CandleFile['market'];
      context.progress(`writing ${bars} bars of CSV`);
      const lines = ['timestamp,open,high,low,close,volume,quote_volume'];
      for (const c of syntheticCandles(market, 0, epochMs(parseIsoUtc('2026-01-01T00:00:00Z')), bars, 1))
        lines.push(`${c.openTime},${c.open},${c.high},${c.low},${c.close},${c.volume},${c.quoteVolume}`);
      const path = join(dir, `${market}.csv`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      const file: CandleFile = { market, path, format: 'csv' };
      const cache: ColumnCacheOptions = {
        dir: join(dir, 'cache'),
        onWarning: (m) => {
          throw new Error(m);
        },
      };
      readAll(file); // warm-up: compile the reader
      context.progress('parsing the CSV');
      const csv = cpuSeconds(() => readAll(file));
      context.progress('building the cache');
      const build = cpuSeconds(() => readAll(file, cache));
      readAll(file, cache); // warm-up of the cached path
      context.progress('reading the cache');
      const hit = cpuSeconds(() => readAll(file, cache));
      if (csv.value !== bars || build.value !== bars || hit.value !== bars)
        throw new Error(`read ${csv.value}/${build.value}/${hit.value} bars, expected ${bars}`);
      const csvRate = bars / csv.seconds;
      const hitRate = bars / hit.seconds;
      return [
        absoluteResult('backtest.candle_load.csv.bars_per_s', Math.round(csvRate), 'bars/s'),
        absoluteResult(
          'backtest.candle_load.cache_build.bars_per_s',
          Math.round(bars / build.seconds),
          'bars/s',
        ),
        absoluteResult(
          'backtest.candle_load.cache_hit.bars_per_s',
          Math.round(hitRate),
          'bars/s',
          context.quick ? undefined : atLeast(1_000_000, 'bars/s'),
        ),
        ratioResult('backtest.candle_load.cache_hit.ratio_vs_csv', hitRate / csvRate, 'CSV parsing'),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [candleLoad];

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OptimizeResult, runOptimize } from '../../shared/src/backtest/optimize/run-optimize';
import { SeededRandom } from '../../shared/src/domain/exchange/prng';
import type { Market } from '../../shared/src/domain/market/market-id';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const HOUR = 3_600_000;
const DAYS = 120;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** A driftless random walk of hourly KRW-BTC bars on the 1,000-won grid: nothing to find. */
function randomWalkCsv(seed: number): string {
  const rng = new SeededRandom(seed);
  const rows = ['timestamp,open,high,low,close,volume'];
  let p = 50_000_000;
  const sigma = 0.004;
  const wick = Math.round((p * sigma) / 1000);
  for (let i = 0; i < (DAYS * 24 * HOUR) / HOUR; i++) {
    const open = p;
    const close = Math.max(1000, Math.round((open * Math.exp(sigma * rng.normal())) / 1000) * 1000);
    const high = Math.max(open, close) + 1000 * (1 + rng.int(wick));
    const low = Math.min(open, close) - 1000 * (1 + rng.int(wick));
    rows.push(`${T0 + i * HOUR},${open},${high},${low},${close},${(5 + 10 * rng.next()).toFixed(4)}`);
    p = close;
  }
  return rows.join('\n');
}

/** Mean over its standard error: above 2 is "significantly above zero" at about 5 %. */
function tStat(values: readonly number[]): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return mean / (sd / Math.sqrt(n));
}

describe('the optimizer on pure noise (seeded random walks)', () => {
  const results: OptimizeResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'qts-noise-'));

  beforeAll(async () => {
    for (const seed of SEEDS) {
      const path = join(dir, `KRW-BTC_${seed}.csv`);
      writeFileSync(path, randomWalkCsv(seed));
      results.push(
        await runOptimize({
          metric: 'sharpe',
          folds: 2,
          trials: 6,
          holdout: 0.3,
          warmupBars: 50,
          from: T0 as EpochMs,
          to: (T0 + DAYS * 24 * HOUR) as EpochMs,
          data: { kind: 'files', dataPath: path, markets: ['KRW-BTC' as Market], timeframe: '60m' },
          settings: {
            strategies: ['mean_reversion'],
            capitalKrw: '10000000',
            feeRate: '0.0005',
            slippageBps: 2,
            seed,
          },
          workers: 0,
        }),
      );
    }
  }, 600_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a holdout Sharpe that is not significantly above zero across seeds', () => {
    // A run whose final pick never trades in the holdout earned exactly nothing: Sharpe 0.
    const holdout = results.map((r) => r.holdout?.sharpe ?? 0);
    expect(results.every((r) => r.holdout !== null && r.holdout.days >= 30)).toBe(true);
    expect(tStat(holdout)).toBeLessThan(2);
    // The old headline — the best mean out-of-sample score, chosen on those same windows, which the
    // previous optimizer ranked by and wrote to --out — fails this very test: choosing on the test
    // windows made them training windows (t ≈ 2.9 here, against ≈ −0.9 for the holdout).
    const bestOutOfSample = results.map((r) => Math.max(...r.ranking.map((t) => t.outOfSampleMean)));
    expect(tStat(bestOutOfSample)).toBeGreaterThan(2);
  });

  it("never calls the in-sample winner's Sharpe significant once deflated for the configurations tried", () => {
    for (const r of results) {
      expect(r.best.selection.deflatedFor).toBe(6);
      if (r.best.selection.deflatedSharpe !== null)
        expect(r.best.selection.deflatedSharpe).toBeLessThan(0.95);
    }
  });
});

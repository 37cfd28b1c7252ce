import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
// 480 real 1-minute candles: enough for 2 folds of ≥ 60 out-of-sample bars and a 20 % holdout.
const DATA = 'test/fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv';
// Jest's emulator setup exports QTS_EMULATOR_* variables, which the config loader rightly refuses
// as unknown keys; the CLI under test gets the environment a user's shell would have, plus the run's
// own cache directory (global setup's) so no cache file lands in the user's ~/.cache.
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QTS_'))),
  QTS_CACHE_DIR: process.env.QTS_CACHE_DIR,
};

async function optimize(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['cli/optimize.ts', ...args], {
      cwd: process.cwd(),
      timeout: 60_000,
      env: ENV,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Each case spawns the CLI (tsx start-up plus real backtests): allow more than the default 30 s.
jest.setTimeout(90_000);

describe('npm run optimize', () => {
  it('prints only JSON under --json, with worker threads, and writes the best params snippet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-optimize-'));
    try {
      const out = join(dir, 'best.yaml');
      const args = [
        ...['--strategy', 'market_making', '--data', DATA, '--market', 'KRW-BTC'],
        ...['--folds', '2', '--trials', '3', '--in-sample-ratio', '2', '--metric', 'calmar', '--seed', '5'],
        ...['--workers', '2', '--json', '--out', out],
      ];
      const first = await optimize(args);
      expect(first.code).toBe(0);
      expect(first.stderr).toBe('');
      const result = JSON.parse(first.stdout) as {
        metric: string;
        ranking: { rank: number }[];
        best: { trial: number };
        holdout: { from: string } | null;
      };
      expect(result.metric).toBe('calmar');
      expect(result.ranking).toHaveLength(3);
      expect(result.holdout?.from).toBe('2021-02-21T06:24:00.000Z');
      const snippet = parse(readFileSync(out, 'utf8')) as {
        strategies: { market_making: { enabled: boolean } };
      };
      expect(snippet.strategies.market_making.enabled).toBe(true);
      const inProcess = await optimize(args.map((a, i) => (args[i - 1] === '--workers' ? '0' : a)));
      expect(inProcess.stdout).toBe(first.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a readable table without --json, and --help explains every option', async () => {
    const table = await optimize([
      ...['--strategy', 'market_making', '--data', DATA, '--market', 'KRW-BTC'],
      ...['--folds', '2', '--trials', '2', '--in-sample-ratio', '2', '--workers', '0'],
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Walk-forward: each fold's in-sample pick, judged out of sample, chained");
    expect(table.stdout).toContain('Holdout: the final pick on data no choice saw');
    expect(table.stdout).toMatch(/IS sharpe\s+IS Sharpe\s+DSR N=2/);
    expect(table.stdout).toMatch(/Sharpe (–|-?\d+\.\d\d \(DSR)/);
    expect(table.stdout).toContain('⚠ Sharpe and Sortino from');
    const help = await optimize(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--metric',
      '--folds',
      '--trials',
      '--seed',
      '--data',
      '--json',
      '--out',
      '--workers',
      '--holdout',
    ])
      expect(help.stdout).toContain(flag);
  });

  it('refuses bad input with exit code 2 and a pointer to --help', async () => {
    const bad = await optimize(['--metric', 'alpha', '--data', DATA, '--market', 'KRW-BTC']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/sharpe, sortino, return, calmar, profit_factor/);
    expect(bad.stdout).toBe('');
  });
});

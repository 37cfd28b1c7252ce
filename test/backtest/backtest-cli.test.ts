import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestResult } from '../../shared/src/backtest/result/backtest-result';

const ROOT = join(__dirname, '../..');
const DATA = 'test/fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv';

function cli(args: readonly string[]) {
  const r = spawnSync('npx', ['tsx', 'cli/backtest.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // No QTS_* overrides from the developer's shell: the test must see the shipped defaults.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, QTS_CACHE_DIR: process.env.QTS_CACHE_DIR },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run backtest (CLI)', () => {
  it('prints only the JSON result on stdout with --json, the same bytes on every run', () => {
    const args = ['--data', DATA, '--strategy', 'market_making,momentum_scalping', '--seed', '3', '--json'];
    const first = cli(args);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout) as BacktestResult;
    expect(result.strategy).toBe('market_making,momentum_scalping');
    expect(result.markets).toEqual(['KRW-BTC']);
    expect(result.bars).toBe(480);
    expect(result.from).toBe('2021-02-21T00:00:00.000Z');
    expect(result.to).toBe('2021-02-21T08:00:00.000Z');
    expect(result.assumptions.seed).toBe(3);
    expect(result.trades.length).toBe(result.metrics.fills);
    expect(Object.keys(result.perStrategy).sort()).toEqual(['market_making', 'momentum_scalping']);
    expect(cli(args).stdout).toBe(first.stdout);
  }, 240_000);

  it('prints a readable summary table without --json', () => {
    const r = cli([
      '--data',
      DATA,
      '--strategy',
      'market_making',
      '--from',
      '2021-02-21T02:00',
      '--to',
      '2021-02-21T04:00',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Backtest market_making on KRW-BTC (1m)');
    expect(r.stdout).toContain(
      '2021-02-21T02:00:00.000Z → 2021-02-21T04:00:00.000Z (2021-02-21 11:00 KST → 2021-02-21 13:00 KST), 120 bars',
    );
    expect(r.stdout).toMatch(/Total return %\s+-?[\d.]+/);
  }, 120_000);

  it('documents every flag under --help and refuses typos with exit code 2', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const flag of [
      '--days',
      '--strategy',
      '--market',
      '--timeframe',
      '--from',
      '--to',
      '--data',
      '--capital',
      '--fee',
      '--slippage-bps',
      '--seed',
      '--json',
      '--report',
      '--trades',
    ])
      expect(help.stdout).toContain(flag);
    const typo = cli(['--captial', '5']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('--help');
    const bad = cli(['--data', DATA, '--strategy', 'scalping']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown strategy "scalping"');
  }, 120_000);
});

describe('npm run backtest --report', () => {
  it('writes a self-contained HTML report next to the summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-report-'));
    const out = join(dir, 'out.html');
    const r = cli(['--data', DATA, '--strategy', 'market_making', '--report', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`Report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
  }, 120_000);
});

describe('npm run backtest --trades', () => {
  it('feeds a CSV tape next to the candles and notes a timeframe the parameters were not tuned for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-tape-'));
    const tape = join(dir, 'KRW-BTC_trades.csv');
    const t0 = Date.parse('2021-02-21T02:00:00Z');
    const rows = Array.from(
      { length: 600 },
      (_, i) => `${t0 + i * 12_000},${57000 + (i % 7)},0.05,${i % 3 === 0 ? 'sell' : 'buy'}`,
    );
    writeFileSync(tape, `timestamp,price,volume,side\n${rows.join('\n')}\n`);
    const args = [
      '--data',
      DATA,
      '--trades',
      tape,
      '--strategy',
      'microstructure',
      '--from',
      '2021-02-21T02:00',
      '--to',
      '2021-02-21T04:00',
    ];
    const json = cli([...args, '--json']);
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as BacktestResult).bars).toBe(120);
    expect(cli([...args, '--json']).stdout).toBe(json.stdout);
    const wrong = cli([...args, '--market', 'KRW-BTC', '--trades', join(dir, 'missing.csv')]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--trades');
    const daily = cli([
      '--data',
      'test/fixtures/backtest/bitstamp-daily',
      '--timeframe',
      '1d',
      '--strategy',
      'stat_arb',
    ]);
    expect(daily.status).toBe(0);
    expect(daily.stderr).toContain(
      'note: stat_arb parameters are configured for 1m bars; this run uses 1d bars',
    );
  }, 240_000);
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const DATA = 'test/fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv';
const SCRIPT = '/usr/bin/script';

/** Runs the backtest CLI under a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function onTty(args: string): string {
  const r = spawnSync(SCRIPT, ['-qec', `node_modules/.bin/tsx cli/backtest.ts ${args}`, '/dev/null'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      QTS_CACHE_DIR: process.env.QTS_CACHE_DIR,
      TERM: 'xterm',
      COLUMNS: '120',
    },
    timeout: 120_000,
  });
  expect(r.status).toBe(0);
  return r.stdout;
}

(existsSync(SCRIPT) ? describe : describe.skip)('progress on a terminal', () => {
  it('shows a bar with the total number of bars and an ETA for --data runs', () => {
    const out = onTty(`--data ${DATA} --strategy market_making`);
    expect(out).toMatch(/Backtesting \(bars\) \[[^\]]*\] \d+% \| \d+\/480 \| ETA/);
    expect(out).toContain('480/480');
    expect(out).not.toMatch(/Backtesting \d+\r?\n/);
  }, 150_000);

  it('stays quiet with --json, even on a terminal', () => {
    const out = onTty(`--data ${DATA} --strategy market_making --json`);
    expect(out).not.toContain('Backtesting');
    expect(() => JSON.parse(out.replace(/\r\n/g, '\n'))).not.toThrow();
  }, 150_000);
});

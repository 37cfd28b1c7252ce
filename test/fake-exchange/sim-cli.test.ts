import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  parseBalances,
  parseFaults,
  parseMarkets,
  parseRateLimit,
  parseSimArgs,
  SimUsageError,
} from '../../shared/src/fake-exchange/sim-cli-args';

const ROOT = join(__dirname, '..', '..');

/** Runs `npx tsx cli/sim.ts ...` in its own process group; collects stdout/stderr. */
function runSim(args: string[]): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<void>;
} {
  const child = spawn('npx', ['tsx', 'cli/sim.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.stdout?.on('close', () => resolve()));
  return { child, out: () => out, err: () => err, exited };
}

async function until(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run sim (spawned CLI)', () => {
  it('starts on a free port, prints the URLs and keys, serves Upbit REST, and stops on SIGTERM', async () => {
    const sim = runSim(['--port', '0', '--seed', '5', '--markets', 'KRW-BTC,KRW-DOGE=350']);
    try {
      await until(
        () => /Stop with Ctrl-C/.test(sim.out()),
        25_000,
        () => sim.out() + sim.err(),
      );
      const rest = /REST\s+(http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(sim.out())?.[1];
      expect(rest).toBeDefined();
      expect(sim.out()).toContain('SIMaccessKEY0000000000000000000000000001');
      const res = await fetch(`${rest}/ticker?markets=KRW-DOGE`);
      expect(res.status).toBe(200);
      const [ticker] = (await res.json()) as { trade_price: number }[];
      expect(ticker?.trade_price).toBeGreaterThan(300);
      // A market that has been open for a while: 200 one-minute candles right after start, newest first.
      const candles = (await (await fetch(`${rest}/candles/minutes/1?market=KRW-BTC&count=200`)).json()) as {
        candle_date_time_utc: string;
        trade_price: number;
      }[];
      expect(candles).toHaveLength(200);
      const times = candles.map((c) => Date.parse(`${c.candle_date_time_utc}Z`));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeLessThan(times[i - 1] as number);
      // The random walk starts at the default BTC price, and so does the end of its past.
      expect(candles[0]?.trade_price).toBeGreaterThan(100_000_000);
    } finally {
      if (sim.child.pid !== undefined) process.kill(-sim.child.pid, 'SIGTERM');
    }
    await sim.exited;
    expect(sim.out()).toContain('SIGTERM: stopping the fake exchange');
  }, 40_000);

  it('--json prints exactly one JSON line with the URLs and keys', async () => {
    const sim = runSim(['--port', '0', '--json', '--markets', 'KRW-XRP']);
    try {
      await until(
        () => sim.out().includes('\n'),
        25_000,
        () => sim.out() + sim.err(),
      );
      const info = JSON.parse(sim.out().trim());
      expect(info).toMatchObject({
        markets: ['KRW-XRP'],
        secretKey: 'SIMsecretKEY0000000000000000000000000002',
      });
      expect((await fetch(`${info.restUrl}/market/all`)).status).toBe(200);
    } finally {
      if (sim.child.pid !== undefined) process.kill(-sim.child.pid, 'SIGTERM');
    }
    await sim.exited;
    expect(sim.out().trim().split('\n')).toHaveLength(1);
  }, 40_000);

  it('exits non-zero at once when the port is taken, with the --port 0 hint', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const sim = runSim(['--port', String(port)]);
      const code = await new Promise<number | null>((resolve) => sim.child.on('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(sim.err()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(sim.err()).toContain('--port 0');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 40_000);

  it('--help explains every option; a bad option exits 2 with a pointer to --help', async () => {
    const help = runSim(['--help']);
    await help.exited;
    for (const flag of [
      '--port',
      '--data',
      '--speed',
      '--seed',
      '--balance',
      '--state',
      '--faults',
      '--rate-limit',
      '--history-days',
    ])
      expect(help.out()).toContain(flag);
    expect(help.out()).toContain('SIM_SECRET_KEY');
    const bad = runSim(['--speed', 'fast']);
    const code = await new Promise<number | null>((resolve) => bad.child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(bad.err()).toMatch(/--speed .*\n.*--help/);
  }, 40_000);
});

describe('sim argument parsing', () => {
  it('reads balances, markets with start prices, faults and rate limits', () => {
    expect(parseBalances('KRW=10000000,btc=0.1')).toEqual({ KRW: '10000000', BTC: '0.1' });
    expect(parseMarkets('KRW-BTC,krw-doge=350')).toEqual({
      markets: ['KRW-BTC', 'KRW-DOGE'],
      startPrices: { 'KRW-DOGE': 350 },
    });
    expect(
      parseFaults('latency=200,fail-next=3,fail-status=503,error-rate=0.1,timeout-after-accept=1'),
    ).toEqual({
      latencyMs: 200,
      failNext: 3,
      failStatus: 503,
      errorRate: 0.1,
      timeoutAfterAccept: 1,
    });
    expect(parseRateLimit('off')).toBe(false);
    expect(parseRateLimit('order=2,default=5')).toEqual({ order: 2, default: 5 });
  });

  it('refuses bad values with a usage error naming the option', () => {
    expect(() => parseBalances('KRW')).toThrow(SimUsageError);
    expect(() => parseBalances('KRW=-1')).toThrow(/--balance KRW/);
    expect(() => parseMarkets('BTC-KRW')).toThrow(/--markets/);
    expect(() => parseMarkets('KRW-BTC=1e400')).toThrow(/start price/);
    expect(() => parseFaults('chaos=1')).toThrow(/--faults chaos/);
    expect(() => parseRateLimit('orders=2')).toThrow(/--rate-limit/);
    expect(() => parseSimArgs(['--port', '99999'], {})).toThrow(/--port/);
    expect(() => parseSimArgs(['--nope'], {})).toThrow(SimUsageError);
    expect(() => parseSimArgs(['--history-days', '30'], {})).toThrow(/--history-days/);
  });

  it('defaults to port 7070, seed 1 and the control API; keys come from SIM_* variables', () => {
    const cmd = parseSimArgs(['--data', 'x.csv', '--speed', '10'], {
      SIM_ACCESS_KEY: 'a',
      SIM_SECRET_KEY: 's',
    });
    expect(cmd).toEqual({
      kind: 'run',
      json: false,
      options: expect.objectContaining({
        port: 7070,
        seed: 1,
        speed: 10,
        dataPath: 'x.csv',
        controlApi: true,
        accessKey: 'a',
        secretKey: 's',
      }),
    });
    expect(parseSimArgs(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseSimArgs(['--history-days', '0'], {})).toMatchObject({ options: { history: false } });
    expect(parseSimArgs(['--history-days', '3'], {})).toMatchObject({
      options: { history: { minuteDays: 3 } },
    });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../cli/lib/args';
import { withLocalStack } from '../../cli/ops/ops-local-stack';
import { restartDelayMs } from '../../cli/start/executor-supervisor';
import { LogStream } from '../../cli/start/log-stream';
import { dailyAtNineKst, everyMinute, MINUTE_JOB_DELAY_MS, Scheduler } from '../../cli/start/scheduler';
import {
  lockStateDir,
  readStackFile,
  removeStackFile,
  type StackInfo,
  StateDirBusyError,
  writeJsonFile,
} from '../../cli/start/stack-file';
import { executorEnv } from '../../cli/start/stack-services';
import { configOverrides, startOptions } from '../../cli/start/start-options';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';

const at = (iso: string) => Date.parse(iso) as EpochMs;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qts-stack-parts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('local scheduler', () => {
  it('runs the minute job just after each minute closes and the report at 09:00 KST (00:00 UTC)', () => {
    const minute = everyMinute();
    expect(minute(at('2026-11-25T03:04:05Z'))).toBe(at('2026-11-25T03:04:08Z'));
    expect(minute(at('2026-11-25T03:04:08Z'))).toBe(at('2026-11-25T03:05:08Z'));
    expect(minute(at('2026-11-25T03:04:09Z'))).toBe(at('2026-11-25T03:05:08Z'));
    const daily = dailyAtNineKst();
    expect(daily(at('2026-11-25T03:00:00Z'))).toBe(at('2026-11-26T00:00:08Z'));
    expect(new Date(daily(at('2026-11-25T23:59:59Z')) - MINUTE_JOB_DELAY_MS).toISOString()).toBe(
      '2026-11-26T00:00:00.000Z',
    );
  });

  it('runs each job on the clock, keeps going after a failed run, skips what a slow run missed, and stops', async () => {
    const clock = new ManualClock(at('2026-11-25T03:04:30Z'));
    const logger = new MemoryLogger(clock);
    const runs: string[] = [];
    let fail = true;
    const scheduler = new Scheduler({
      clock,
      logger,
      jobs: [
        {
          name: 'minute',
          next: everyMinute(),
          run: async (t) => {
            runs.push(new Date(t).toISOString());
            if (fail) {
              fail = false;
              throw new Error('boom');
            }
            if (runs.length === 2) await clock.sleep(150_000); // a run far longer than a minute
          },
        },
      ],
    });
    scheduler.start();
    await clock.advance(40_000); // 03:05:10: the 03:05:08 run (fails)
    await clock.advance(60_000); // 03:06:10: the 03:06:08 run, which takes 150 s
    await clock.advance(150_000); // 03:08:40: done; 03:07:08 and 03:08:08 were missed
    await clock.advance(30_000); // 03:09:10: the 03:09:08 run
    expect(runs).toEqual([
      '2026-11-25T03:05:08.000Z',
      '2026-11-25T03:06:08.000Z',
      '2026-11-25T03:09:08.000Z',
    ]);
    const messages = logger.records().map((r) => r.msg);
    expect(messages).toContain('scheduled run failed; next run at its usual time');
    expect(messages).toContain('scheduled run skipped: the previous one ran past it');
    await scheduler.stop();
    await clock.advance(120_000);
    expect(runs).toHaveLength(3);
  });
});

describe('executor restarts', () => {
  it('back off from 1 s doubling to 60 s, and start over after a long run', () => {
    let delay: number | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 9; i++) {
      delay = restartDelayMs(delay, 5_000);
      seen.push(delay);
    }
    expect(seen).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(restartDelayMs(60_000, 10 * 60_000)).toBe(1_000);
  });

  it('get Upbit keys only in live mode, never the API token; with the sim, orders and tape go to it and the state directory', () => {
    const base = {
      UPBIT_ACCESS_KEY: 'a',
      UPBIT_SECRET_KEY: 'b',
      QTS_API_TOKEN: 't',
      AWS_PROFILE: 'prod',
      PATH: '/bin',
    };
    const sim = { restUrl: 'http://127.0.0.1:1/v1', wsUrl: 'ws://127.0.0.1:1/websocket/v1' } as FakeExchange;
    const paper = executorEnv(
      base,
      { QTS_STATE_TABLE: 'qts-local-state' },
      { mode: 'paper', stateDir: dir, sim },
    );
    expect(paper).toMatchObject({
      PATH: '/bin',
      QTS_STATE_TABLE: 'qts-local-state',
      UPBIT_REST_URL: sim.restUrl,
      UPBIT_WS_URL: sim.wsUrl,
      QTS_EXECUTOR__PAPER_VENUE: 'sim',
      QTS_EXECUTOR__PAPER_STATE_FILE: join(dir, 'paper-venue.json'),
      QTS_EXECUTOR__TAPE_DIR: join(dir, 'tape'),
    });
    for (const gone of ['UPBIT_ACCESS_KEY', 'UPBIT_SECRET_KEY', 'QTS_API_TOKEN', 'AWS_PROFILE'])
      expect(paper[gone]).toBeUndefined();
    const live = executorEnv(base, {}, { mode: 'live', stateDir: dir });
    expect(live).toMatchObject({ UPBIT_ACCESS_KEY: 'a', UPBIT_SECRET_KEY: 'b' });
    expect(live.QTS_API_TOKEN).toBeUndefined();
    expect(live.UPBIT_REST_URL).toBeUndefined();
  });
});

describe('npm start options', () => {
  it('defaults to paper trading on Upbit data; flags win over QTS_EXCHANGE / QTS_MODE', () => {
    const none = startOptions({}, {}, '/repo');
    expect(none).toMatchObject({
      exchange: 'upbit',
      mode: 'paper',
      simPort: 0,
      executorOpsPort: 0,
      jsonLogs: false,
    });
    expect(none.stateDir).toMatch(/\.qts\/stack\/upbit-paper$/);
    expect(startOptions({}, { QTS_EXCHANGE: 'sim' }).exchange).toBe('sim');
    const flags = startOptions(
      { exchange: 'sim', port: '0', markets: 'KRW-BTC', 'state-dir': 'st', 'ready-file': 'r.json' },
      { QTS_EXCHANGE: 'upbit' },
      '/work',
    );
    expect(flags).toMatchObject({
      exchange: 'sim',
      port: 0,
      stateDir: '/work/st',
      readyFile: '/work/r.json',
    });
    expect(configOverrides(flags)).toEqual({
      QTS_EXCHANGE: 'sim',
      QTS_MODE: 'paper',
      QTS_MARKETS: 'KRW-BTC',
      QTS_API__PORT: '0',
    });
    expect(() => startOptions({ exchange: 'binance' }, {})).toThrow(UsageError);
    expect(() => startOptions({ port: '70000' }, {})).toThrow(UsageError);
    expect(() => startOptions({}, { QTS_MODE: 'real' })).toThrow(/QTS_MODE must be paper or live/);
  });

  it('runs the sim in real time unless --sim-speed accelerates it (the reliability soak uses 24)', () => {
    expect(startOptions({}, {}).simSpeed).toBe(1);
    expect(startOptions({ 'sim-speed': '24' }, {}).simSpeed).toBe(24);
    expect(() => startOptions({ 'sim-speed': '0' }, {})).toThrow(/--sim-speed/);
    expect(() => startOptions({ 'sim-speed': 'fast' }, {})).toThrow(UsageError);
  });
});

describe('log stream', () => {
  const make = (format: 'pretty' | 'json', minLevel: 'info' | 'warn' = 'info') => {
    const out: string[] = [];
    const clock = new ManualClock(at('2026-11-25T03:04:05Z'));
    return {
      out,
      logs: new LogStream({ format, colour: false, minLevel, clock, write: (t) => out.push(t) }),
    };
  };

  it('writes readable prefixed lines, or JSON with the component, and filters by level', () => {
    const pretty = make('pretty', 'info');
    pretty.logs.logger('analyze').info('analysis done', { decisions: 2, note: 'two words' });
    pretty.logs.logger('risk').debug('hidden');
    pretty.logs.line(
      'executor',
      JSON.stringify({
        time: '2026-11-25T03:04:06.000Z',
        level: 'warn',
        msg: 'slow',
        component: 'executor',
        ms: 5,
      }),
    );
    expect(pretty.out).toEqual([
      '03:04:05 analyze   INFO  analysis done  decisions=2 note="two words"\n',
      '03:04:06 executor  WARN  slow  ms=5\n',
    ]);
    const json = make('json');
    json.logs.logger('api').warn('refused', { route: 'status' });
    expect(JSON.parse(json.out[0] ?? '{}')).toMatchObject({
      level: 'warn',
      msg: 'refused',
      component: 'api',
      route: 'status',
    });
  });

  it('never writes a secret: fields are redacted by the logger, free text lines from a child too', () => {
    const { out, logs } = make('pretty');
    logs.logger('api').info('request', { authorization: 'Bearer abc.def', apiToken: 'xyz' });
    logs.line('executor', 'executor: failed with Authorization: Bearer sekret-token-value');
    const text = out.join('');
    expect(text).not.toContain('sekret-token-value');
    expect(text).not.toContain('xyz');
    expect(text).not.toContain('abc.def');
  });
});

describe('stack file and state directory', () => {
  const info = (pid: number): StackInfo => ({
    pid,
    status: 'ready',
    startedAt: '2026-11-25T03:04:05.000Z',
    stateDir: dir,
    exchange: 'sim',
    mode: 'paper',
    markets: ['KRW-BTC'],
    apiUrl: 'http://127.0.0.1:8080',
    dashboardUrl: 'http://127.0.0.1:8080/',
    env: { QTS_STATE_TABLE: 'qts-local-state', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
    emulators: { pid: undefined },
    executor: { pid: undefined, opsUrl: 'http://127.0.0.1:9090', restarts: 0 },
  });
  const DEAD_PID = 2 ** 22 + 12_345; // above Linux's pid_max default: never a live process

  it('lets one stack use a state directory at a time and takes over the lock of a dead one', () => {
    const release = lockStateDir(dir);
    writeFileSync(join(dir, 'stack.lock'), `${process.ppid}\n`);
    expect(() => lockStateDir(dir)).toThrow(StateDirBusyError);
    writeFileSync(join(dir, 'stack.lock'), `${DEAD_PID}\n`);
    const again = lockStateDir(dir);
    again();
    release();
  });

  it('tells a running stack from a stale file; ops uses a running one unless QTS_STATE_TABLE is set', () => {
    const path = join(dir, 'stack.json');
    const env = { QTS_STACK_FILE: path };
    expect(readStackFile(path)).toEqual({ kind: 'none' });
    expect(withLocalStack(env)).toEqual({ env });
    writeJsonFile(path, info(DEAD_PID));
    expect(readStackFile(path).kind).toBe('stale');
    expect(withLocalStack(env).note).toMatch(/is not running: start it with npm start/);
    writeJsonFile(path, info(process.pid));
    const found = withLocalStack({ ...env, AWS_ENDPOINT_URL_DYNAMODB: 'http://mine:1' });
    expect(found.env).toMatchObject({
      QTS_STATE_TABLE: 'qts-local-state',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://mine:1',
    });
    expect(withLocalStack({ ...env, QTS_STATE_TABLE: 'cloud' })).toEqual({
      env: { ...env, QTS_STATE_TABLE: 'cloud' },
    });
    removeStackFile(path, process.pid + 1);
    expect(readStackFile(path).kind).toBe('running');
    removeStackFile(path);
    expect(readStackFile(path).kind).toBe('none');
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EmulatorEndpoints } from '../shared/testing/emulators/emulator-endpoints';
import { createTestQueues, createTestTable, emulatorProcessEnv } from '../shared/testing/emulators/provision';
import { cleanEnv, healthOf } from '../test/executor/support/child-executor';
import { metricValue } from '../test/reliability/lib/executor-process';
import { startSimProcess } from '../test/reliability/lib/sim-process';

const ROOT = resolve(__dirname, '..');
const MB = 1024;
type Cleanup = () => Promise<unknown>;

/** How to start the executor child: the production bundle, or the development command under tsx. */
export type ExecutorRuntime = 'bundle' | 'tsx';

/** One run of {@link executorRss}. */
export interface ExecutorRssOptions {
  readonly runtime: ExecutorRuntime;
  /** The bundle to run (`dist/executor/main.cjs`), for runtime `bundle`; may still be building. */
  readonly bundle: string | Promise<string>;
  /** Node flags before the script (the VM unit's: `unitNodeFlags` in test/deploy/support/executor-unit.ts). */
  readonly nodeFlags: readonly string[];
  /** Environment the unit sets besides the executor's own (its `Environment=` lines: `unitEnvironment` there). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly markets: readonly string[];
  /** The sim's `--speed`: sim seconds per wall second. */
  readonly speed: number;
  /** Wall seconds of feed measured after the executor reconciled. */
  readonly wallSeconds: number;
  /** The sim's `--history-days` (candles the executor backfills at start). */
  readonly historyDays: number;
  /** DynamoDB Local + fauxqs (the production stores); undefined = in-memory stores (paper only). */
  readonly emulators: EmulatorEndpoints | undefined;
  readonly progress: (message: string) => void;
}

/** What one run measured (MB are MiB: /proc reports kB). */
export interface ExecutorRssResult {
  /** VmHWM at the end: the peak resident set over the whole life of the process, start included. */
  readonly peakRssMb: number;
  /** Highest VmRSS sampled during the measured feed (every 250 ms). */
  readonly feedPeakRssMb: number;
  /** VmRSS once reconciled, before the measured feed. */
  readonly startRssMb: number;
  /** VmRSS at the end of the feed. */
  readonly endRssMb: number;
  /** RssAnon at the end: the process's own memory, without the node binary's shared file pages. */
  readonly endAnonMb: number;
  readonly wallSeconds: number;
  readonly simMinutes: number;
  /** WebSocket frames the executor received during the measured feed. */
  readonly frames: number;
  readonly framesPerWallSecond: number;
}

/** VmRSS, VmHWM and RssAnon of a process in kB, from /proc/<pid>/status (undefined once it exited). */
export function procMemory(pid: number): { rssKb: number; hwmKb: number; anonKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), anonKb: kb('RssAnon') };
  } catch {
    return undefined;
  }
}

async function frames(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return metricValue(text, 'qts_executor_ws_frames_total');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The VM's environment for a paper executor on the sim: state table and queues when emulated. */
async function executorEnv(
  o: ExecutorRssOptions,
  dir: string,
  sim: { restUrl: string; wsUrl: string },
  cleanups: Cleanup[],
): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    ...cleanEnv(),
    ...o.environment,
    NODE_ENV: 'production',
    QTS_EXCHANGE: 'sim',
    QTS_MODE: 'paper',
    QTS_MARKETS: o.markets.join(','),
    UPBIT_REST_URL: sim.restUrl,
    UPBIT_WS_URL: sim.wsUrl,
    QTS_EXECUTOR__TAPE_DIR: join(dir, 'tape'),
    QTS_EXECUTOR__PAPER_STATE_FILE: join(dir, 'paper.json'),
    QTS_LOG_LEVEL: 'info',
  };
  if (o.emulators === undefined) return env;
  const table = await createTestTable();
  cleanups.push(() => table.drop());
  const queues = await createTestQueues();
  cleanups.push(async () => queues.client.destroy());
  return { ...env, ...emulatorProcessEnv(o.emulators, table, queues) };
}

/**
 * Spawns the executor (JSON log to a file) and resolves its ops port once it reconciled. The bundle
 * runs from `dir`, outside the repository: it must find its config and need nothing of the source
 * tree at run time, as on the VM.
 */
async function startExecutor(
  o: ExecutorRssOptions,
  dir: string,
  env: Record<string, string>,
  cleanups: Cleanup[],
): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const script =
    o.runtime === 'bundle' ? [await o.bundle] : ['--import', 'tsx', join(ROOT, 'executor/src/main.ts')];
  const log = openSync(join(dir, 'executor.log'), 'a');
  const child = spawn(process.execPath, [...o.nodeFlags, ...script, '--ops-port', '0'], {
    cwd: o.runtime === 'bundle' ? dir : ROOT,
    env,
    stdio: ['ignore', log, 'pipe'],
  });
  closeSync(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  cleanups.unshift(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const stderr = () => err.slice(-800);
  const alive = () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`executor exited: ${stderr()}`);
  };
  const port = await until(
    'the ops port',
    async () => {
      alive();
      const m = /ops server on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      return m?.[1] === undefined ? undefined : Number(m[1]);
    },
    60_000,
  );
  o.progress(`${o.runtime}: reconciling`);
  await until(
    'reconciliation',
    async () => {
      alive();
      return (await healthOf(port))?.body.reconciled === true ? true : undefined;
    },
    90_000,
  );
  return { child, port, stderr };
}

/**
 * Starts the fake exchange (`npm run sim` in a child, `--speed` accelerated) and the executor as
 * its own process exactly as the VM does (paper mode, `--exchange sim`, state table and queues on
 * the emulators when given, JSON logs at info), waits until it reconciled, then feeds it for
 * `wallSeconds` while sampling /proc/<pid>/status every 250 ms.
 */
export async function executorRss(o: ExecutorRssOptions): Promise<ExecutorRssResult> {
  const dir = mkdtempSync(join(tmpdir(), 'qts-bench-rss-'));
  const cleanups: Cleanup[] = [];
  try {
    const sim = await startSimProcess({
      markets: o.markets,
      seed: 1,
      speed: o.speed,
      historyDays: o.historyDays,
      rateLimit: 'off',
      logFile: join(dir, 'sim.log'),
    });
    cleanups.push(() => sim.stop());
    const env = await executorEnv(o, dir, sim, cleanups);
    const { child, port, stderr } = await startExecutor(o, dir, env, cleanups);
    const pid = child.pid ?? 0;
    const start = procMemory(pid);
    const framesAtStart = await frames(port);
    const t0 = Date.now();
    o.progress(`${o.runtime}: ${o.wallSeconds} s of feed at --speed ${o.speed}`);
    let lastReport = t0;
    let feedPeakKb = start?.rssKb ?? 0;
    while (Date.now() - t0 < o.wallSeconds * 1000) {
      await new Promise((r) => setTimeout(r, 250));
      const m = procMemory(pid);
      if (m === undefined) throw new Error(`executor died: ${stderr()}`);
      feedPeakKb = Math.max(feedPeakKb, m.rssKb);
      if (Date.now() - lastReport >= 30_000) {
        lastReport = Date.now();
        o.progress(
          `${o.runtime}: ${Math.round((lastReport - t0) / 1000)} s, RSS ${(m.rssKb / MB).toFixed(1)} MB`,
        );
      }
    }
    const wallSeconds = (Date.now() - t0) / 1000;
    const total = (await frames(port)) - framesAtStart;
    const end = procMemory(pid);
    if (start === undefined || end === undefined) throw new Error(`executor exited: ${stderr()}`);
    return {
      peakRssMb: end.hwmKb / MB,
      feedPeakRssMb: feedPeakKb / MB,
      startRssMb: start.rssKb / MB,
      endRssMb: end.rssKb / MB,
      endAnonMb: end.anonKb / MB,
      wallSeconds,
      simMinutes: (wallSeconds * o.speed) / 60,
      frames: total,
      framesPerWallSecond: total / wallSeconds,
    };
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters, type UpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import { Secret } from '../../../shared/src/domain/security/secret';
import { cleanEnv } from '../../executor/support/child-executor';
import { FAKE_SECRETS } from './captured-logs';

const ROOT = join(__dirname, '..', '..', '..');

/** Options of {@link startSimProcess}: the `npm run sim` flags the campaign uses. */
export interface SimProcessOptions {
  readonly markets: readonly string[];
  readonly seed: number;
  readonly speed?: number;
  readonly balance?: string;
  readonly historyDays?: number;
  readonly rateLimit?: string;
  readonly banAfter?: number;
  readonly faults?: string;
  /** stderr goes here (the sim's stdout is its JSON start line, read by the harness). */
  readonly logFile: string;
}

/** A running `npm run sim` child: URLs, a signed client for audits, the control API, stop. */
export interface SimProcess {
  readonly process: ChildProcess;
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly controlUrl: string;
  /** A client with the sim's (fake-secret) keys, for the audits. */
  readonly client: UpbitAdapters;
  /** `POST /_sim/<path>` with a JSON body; throws on a non-200 answer. */
  control(path: 'faults' | 'book' | 'trade' | 'balance', body: unknown): Promise<unknown>;
  status(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Starts the fake exchange as its own process, exactly as `npm run sim -- --port 0 --json` (keys from
 * the campaign's recognisable fake secrets), and waits for its start line.
 */
export async function startSimProcess(options: SimProcessOptions): Promise<SimProcess> {
  const args = [
    '--import',
    'tsx',
    'cli/sim.ts',
    '--port',
    '0',
    '--json',
    '--markets',
    options.markets.join(','),
    '--seed',
    String(options.seed),
    '--speed',
    String(options.speed ?? 1),
    '--history-days',
    String(options.historyDays ?? 1),
    '--balance',
    options.balance ?? 'KRW=10000000',
    '--rate-limit',
    options.rateLimit ?? 'on',
    ...(options.banAfter === undefined ? [] : ['--ban-after', String(options.banAfter)]),
    ...(options.faults === undefined ? [] : ['--faults', options.faults]),
  ];
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      SIM_ACCESS_KEY: FAKE_SECRETS.upbitAccessKey,
      SIM_SECRET_KEY: FAKE_SECRETS.upbitSecretKey,
    },
    stdio: ['ignore', 'pipe', log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const start = await new Promise<{ restUrl: string; wsUrl: string; controlUrl: string }>(
    (resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line !== undefined) {
          try {
            resolve(JSON.parse(line) as { restUrl: string; wsUrl: string; controlUrl: string });
          } catch (error) {
            reject(error);
          }
        }
      });
      child.once('exit', (code) =>
        reject(new Error(`the sim exited (${code}) before it started; see ${options.logFile}`)),
      );
    },
  );
  const clock = new SystemClock();
  const client = createUpbitAdapters({
    restUrl: start.restUrl,
    wsUrl: start.wsUrl,
    clock,
    credentials: {
      accessKey: FAKE_SECRETS.upbitAccessKey,
      secretKey: new Secret(FAKE_SECRETS.upbitSecretKey),
    },
  });
  const control = async (path: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${start.controlUrl}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as unknown;
    if (res.status !== 200) throw new Error(`POST /_sim/${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    process: child,
    ...start,
    client,
    control,
    status: async () => (await (await fetch(`${start.controlUrl}/status`)).json()) as Record<string, unknown>,
    stop: async () => {
      await client.stream.stop().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

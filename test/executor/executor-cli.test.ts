import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { EMULATOR_STARTUP_TIMEOUT_MS } from '../../shared/testing/emulators/emulator-endpoints';
import { cleanEnv, healthOf, spawnExecutor } from './support/child-executor';
import { eventually, type RealWorld, realWorld } from './support/real-world';

const ROOT = join(__dirname, '..', '..');
const BTC = parseMarket('KRW-BTC');
let w: RealWorld;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function executor(args: readonly string[], env: Record<string, string | undefined>): Promise<Run> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...cleanEnv(), ...env })) if (v !== undefined) childEnv[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'executor/src/main.ts', ...args],
      { cwd: ROOT, env: childEnv },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}

beforeAll(async () => {
  w = await realWorld();
  w.fake.controls.setBook(BTC, { bids: [['99999000', '1']], asks: [['100000000', '1']] });
  w.fake.controls.trade(BTC, '99999000', '0.001', 'ask');
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await w?.close();
});

describe('npm run executor (spawned as production runs it)', () => {
  it('prints help, and refuses live mode without keys and QTS_LIVE_CONFIRM=yes, naming what to set', async () => {
    const help = await executor(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--self-check');
    const noKeys = await executor(['--exchange', 'upbit', '--mode', 'live'], {});
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain('UPBIT_ACCESS_KEY');
    expect(noKeys.stderr).toContain('UPBIT_SECRET_KEY');
    expect(noKeys.stderr).toContain('QTS_LIVE_CONFIRM=yes');
    const unconfirmed = await executor(['--exchange', 'upbit', '--mode', 'live'], {
      UPBIT_ACCESS_KEY: 'a'.repeat(40),
      UPBIT_SECRET_KEY: 'b'.repeat(40),
    });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('live.confirmed');
    expect(unconfirmed.stderr).not.toContain('bbbbbbbb');
    const typo = await executor(['--mode', 'real'], {});
    expect(typo).toMatchObject({ code: 2 });
    expect(typo.stderr).toContain('--mode must be paper or live');
  });

  it('--self-check reports every dependency and exits 0; a broken queue makes it 1', async () => {
    const ok = await executor(['--self-check'], w.env);
    expect(ok.stdout).toMatch(/^ok +state store +table /m);
    expect(ok.stdout).toMatch(/^ok +exchange accounts +1 currencies/m);
    expect(ok.stdout).toContain('All checks passed.');
    expect(ok.code).toBe(0);
    const broken = await executor(['--self-check', '--json'], {
      ...w.env,
      QTS_CONTROL_QUEUE_URL: `${w.env.QTS_CONTROL_QUEUE_URL}-missing`,
    });
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'control queue')?.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'decision queue')?.ok).toBe(true);
  });

  it('--dry-run reconciles, places nothing and exits 0', async () => {
    const run = await executor(['--dry-run', '--ops-port', '0'], w.env);
    expect(run.stderr).toContain('dry run reconciled');
    expect(run.code).toBe(0);
    expect(await w.sim.venue?.listOpenOrders()).toEqual([]);
  });

  it('serves /healthz and /metrics, drains on POST /drain, and exits 0 on SIGTERM', async () => {
    const child = spawnExecutor({ ...w.env, QTS_RELEASE: 'r-test-7' }, join(w.dir, 'ops.log'));
    const port = await child.port;
    const healthy = await eventually(
      'healthz 200',
      async () => {
        const h = await healthOf(port);
        return h?.status === 200 ? h : undefined;
      },
      30_000,
    );
    expect(healthy.body).toMatchObject({
      status: 'healthy',
      reconciled: true,
      draining: false,
      mode: 'paper',
      exchange: 'sim',
      version: 'r-test-7',
    });
    expect(typeof healthy.body.startedAt).toBe('number');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of [
      'qts_executor_orders_placed_total',
      'qts_executor_fills_total',
      'qts_executor_orders_rejected_total',
      'qts_executor_ws_reconnects_total',
      'qts_executor_ws_decode_errors_total',
      'qts_executor_queue_lag_seconds',
      'qts_executor_event_loop_lag_seconds',
      'qts_executor_resident_memory_bytes',
      'qts_executor_active_resources',
    ])
      expect(metrics).toContain(`# TYPE ${name}`);
    // The soak's handle-leak figure reads these: at least the ops server's socket is live.
    expect(metrics).toMatch(/^qts_executor_active_resources\{type="TCPServerWrap"\} [1-9]/m);
    const drain = await fetch(`http://127.0.0.1:${port}/drain`, { method: 'POST' });
    expect(drain.status).toBe(200);
    expect(await drain.json()).toEqual({ drained: true });
    expect((await healthOf(port))?.body.draining).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    // Found by the reliability campaign (soak): with eleven periodic loops waiting on the life
    // signal, Node warned of a "possible EventTarget memory leak" at every start.
    expect(child.stderr()).not.toContain('MaxListenersExceededWarning');
  });
});

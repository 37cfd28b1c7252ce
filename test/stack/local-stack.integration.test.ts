import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/start/stack-file';
import { createDocumentClient } from '../../shared/src/adapters/dynamodb/dynamodb-client';
import { DynamoDbStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { parseOrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { type FakeTelegramServer, startFakeTelegram } from '../../shared/testing/fake-telegram-server';
import { eventually, type StackProcess, startStack, survivors } from './support/stack-process';

/**
 * The real `npm start -- --exchange sim` (emulators, sim, executor child, scheduler, API) on free
 * ports, driven over HTTP and with `npm run ops` like an operator would. Slow on purpose: minutes of
 * wall time for real minute bars; bounded by the timeouts below.
 */
jest.setTimeout(480_000);

const TOKEN = 'stack-test-token-0123456789abcdefghij';
const stateDir = mkdtempSync(join(tmpdir(), 'qts-stack-'));
let stack: StackProcess | undefined;
let telegram: FakeTelegramServer;
const CHAT = '777';
/** Telegram configured, pointed at the fake Bot API. */
const telegramEnv = () => ({
  TELEGRAM_BOT_TOKEN: 'stack-test-bot',
  TELEGRAM_CHAT_ID: CHAT,
  QTS_TELEGRAM__API_BASE_URL: telegram.baseUrl,
});
const sent = async (text: string) =>
  eventually(
    `a Telegram message containing "${text}"`,
    async () => telegram.messages.find((m) => m.chatId === CHAT && m.text.includes(text)),
    60_000,
    () => stack?.output() ?? '',
  );

afterAll(async () => {
  if (stack !== undefined) {
    const pids = stack.pids();
    await stack.stop();
    await survivors(pids);
  }
  rmSync(stateDir, { recursive: true, force: true });
  await telegram?.close();
});

const running = (): StackProcess => {
  if (stack === undefined) throw new Error('the stack is not running');
  return stack;
};

async function tradingState(): Promise<string | undefined> {
  const { status, json } = await running().api('/api/status');
  return status === 200 ? (json as { tradingState: string }).tradingState : undefined;
}

function ops(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'ops', '--', ...args],
      { cwd: REPO_ROOT, env: running().env },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

describe('npm start -- --exchange sim', () => {
  beforeAll(async () => {
    telegram = await startFakeTelegram();
    stack = await startStack({ stateDir, token: TOKEN, env: telegramEnv() });
  }, 200_000);

  it('serves health to anyone and everything else only with the token', async () => {
    const s = running();
    expect((await s.api('/api/health', { auth: false })).status).toBe(200);
    const refused = await s.api('/api/status', { auth: false });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'unauthorized' });
    const status = await s.api('/api/status');
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ mode: 'paper', exchange: 'sim', tradingState: 'running' });
    const page = await fetch(s.info.dashboardUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('runs one full cycle: the minute analysis records a decision and the executor places its paper order on the sim', async () => {
    const s = running();
    const identifier = await eventually(
      'a paper order on the sim from a decision',
      async () => (await s.simOrderIdentifiers())[0],
      180_000,
      s.output,
    );
    const parsed = parseOrderIdentifier(identifier);
    expect(parsed).toBeDefined();
    const db = createDocumentClient({
      endpoint: s.info.env.AWS_ENDPOINT_URL_DYNAMODB ?? '',
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const store = new DynamoDbStateStore({ client: db, tableName: s.info.env.QTS_STATE_TABLE ?? '' });
      const decision = await store.getDecision(parsed?.decisionId as never);
      expect(decision).toMatchObject({ id: parsed?.decisionId });
    } finally {
      db.destroy();
    }
    // The pass reports its status after it has sent its decisions, so the executor may place the
    // order first: wait for the report instead of reading it once.
    const lastAnalysisAt = await eventually(
      'the analysis reporting its pass in /api/status',
      async () =>
        ((await s.api('/api/status')).json as { lastAnalysisAt: number | null }).lastAnalysisAt ?? undefined,
      30_000,
      s.output,
    );
    expect(lastAnalysisAt).toBeGreaterThan(0);
  });

  it('restarts an executor that was killed, says so, and keeps it healthy', async () => {
    const s = running();
    const before = s.current().executor;
    expect(before.pid).toBeDefined();
    process.kill(before.pid ?? 0, 'SIGKILL');
    const after = await eventually(
      'the executor restarted',
      async () => {
        const now = s.current().executor;
        return now.restarts >= 1 && now.pid !== before.pid ? now : undefined;
      },
      60_000,
      s.output,
    );
    expect(s.output()).toContain('executor exited; restarting it');
    await eventually(
      'the restarted executor healthy',
      async () => ((await fetch(`${after.opsUrl}/healthz`)).ok ? true : undefined),
      90_000,
      s.output,
    );
  });

  it('switches a strategy from npm run ops exactly as the dashboard does', async () => {
    const off = await ops(['strategy', '--name', 'stat_arb', '--disable', '--actor', 'jest']);
    expect(off).toMatchObject({ code: 0 });
    expect(off.stdout).toMatch(/stat_arb\s+off/);
    const view = (await running().api('/api/strategies')).json as {
      strategies: { name: string; enabled: boolean; updatedBy: string | null }[];
    };
    expect(view.strategies.find((x) => x.name === 'stat_arb')).toMatchObject({
      enabled: false,
      updatedBy: 'jest',
    });
    const bad = await ops(['strategy', '--name', 'stat_arb', '--weight', '2']);
    expect(bad.code).toBe(2);
    expect((await ops(['strategy', '--name', 'stat_arb', '--enable', '--actor', 'jest'])).code).toBe(0);
  });

  it('talks Telegram: answers /status from the allowed chat, delivers the daily report run on demand through the alert queue', async () => {
    telegram.pushUpdate({ chatId: CHAT, text: '/status', username: 'jest' });
    await sent('상태:');
    const report = await ops(['report']);
    expect(report).toMatchObject({ code: 0 });
    expect(report.stdout).toContain('일일 리포트');
    await sent('일일 리포트');
  });

  it('latches an emergency stop across a restart, releases it with npm run ops, and close-all flattens the sim', async () => {
    const stop = await running().api('/api/emergency-stop', {
      method: 'POST',
      body: { reason: 'stack test', actor: 'jest', state: 'halted' },
    });
    expect(stop.status).toBe(200);
    expect(await tradingState()).toBe('halted');
    await sent('사유: stack test');
    // Coins appear on the account behind the system's back: the restarted executor adopts them.
    const control = running().info.sim?.controlUrl ?? '';
    const put = await fetch(`${control}/balance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'XRP', amount: '150' }),
    });
    expect(put.status).toBe(200);

    const pids = running().pids();
    expect(await running().stop()).toBe(0);
    expect(await survivors(pids)).toEqual([]);
    stack = await startStack({ stateDir, token: TOKEN, env: telegramEnv() });
    expect(await tradingState()).toBe('halted');
    const latch = ((await running().api('/api/status')).json as { latch: { reason: string } }).latch;
    expect(latch.reason).toBe('stack test');

    const release = await ops(['release', '--reason', 'stack test done', '--actor', 'jest']);
    expect(release).toMatchObject({ code: 0 });
    expect(release.stdout).toContain('RELEASED');
    expect(await tradingState()).toBe('running');

    await eventually(
      'the restarted executor to adopt the XRP found on the account',
      async () =>
        JSON.stringify((await running().api('/api/positions')).json).includes('KRW-XRP') ? true : undefined,
      60_000,
      running().output,
    );
    const close = await running().api('/api/close-all-positions', {
      method: 'POST',
      body: { reason: 'flatten for the test', actor: 'jest' },
    });
    expect(close.status).toBe(200);
    // Sold means: nothing worth an order is left (below Upbit's 5,000 KRW minimum no sell is possible).
    const coins = async () => {
      const prices = await running().simPrices();
      return (await running().simBalances()).filter(
        (b) =>
          b.currency !== 'KRW' &&
          b.balance
            .plus(b.locked)
            .times(prices.get(`KRW-${b.currency}`) ?? 0)
            .gte(5_000),
      );
    };
    await eventually(
      'every coin on the sim sold',
      async () => ((await coins()).length === 0 ? true : undefined),
      90_000,
      running().output,
    );
    expect(await tradingState()).toBe('reducing');
  });
});

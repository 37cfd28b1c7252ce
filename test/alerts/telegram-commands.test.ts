import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryFifoQueue } from '../../shared/src/adapters/memory/memory-fifo-queue';
import { MemorySecrets } from '../../shared/src/adapters/memory/memory-secrets';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { TelegramBotApi } from '../../shared/src/adapters/telegram/telegram-bot-api';
import {
  TelegramPoller,
  telegramWebhookHandler,
  webhookSecret,
} from '../../shared/src/adapters/telegram/telegram-commands';
import { startTelegram } from '../../shared/src/adapters/telegram/telegram-setup';
import { type ChatCommandDeps, handleChatCommand } from '../../shared/src/application/alerts/chat-commands';
import { decodeControlMessage } from '../../shared/src/application/messaging/message-envelope';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { Secret } from '../../shared/src/domain/security/secret';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { type FakeTelegramServer, startFakeTelegram } from '../../shared/testing/fake-telegram-server';
import { T0 } from '../../shared/testing/state-builders';

const CHAT = '777000';
const BOT = new Secret('999:BOT-TOKEN-FOR-TESTS');

async function world(options: { enabled?: boolean; allowed?: string | undefined } = {}) {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const queue = new MemoryFifoQueue({ clock });
  const statuses = new MemoryComponentStatusStore();
  const equity = new MemoryEquityHistoryStore();
  const logger = new MemoryLogger(clock);
  await statuses.putStatus({
    component: 'executor',
    at: (T0 - 3_000) as EpochMs,
    healthy: true,
    summary: 'running',
    details: {},
  });
  await equity.putPoint({
    at: (T0 - 60_000) as EpochMs,
    equity: krw('10250000'),
    cash: krw('10250000'),
    holdings: krw('0'),
    unpriced: [],
  });
  const allowed = 'allowed' in options ? options.allowed : CHAT;
  const deps: ChatCommandDeps = {
    operator: {
      store,
      queue,
      clock,
      channel: 'telegram',
      limits: DEFAULT_RISK_LIMITS,
      rules: KRW_MARKET_RULES,
    },
    statuses,
    equity,
    clock,
    logger,
    allowedChatId: allowed === undefined ? undefined : new Secret(allowed),
    enabled: options.enabled ?? true,
    language: 'ko',
    heartbeatStaleMs: 60_000,
  };
  const commands = async () => {
    const out = [];
    for (const m of await queue.receive({ maxMessages: 10, waitTimeMs: 0 })) {
      const d = decodeControlMessage(m.body);
      if (d.ok) out.push(d.message.command);
      await queue.ack(m);
    }
    return out;
  };
  return { deps, store, clock, logger, commands };
}

describe('Telegram commands (application)', () => {
  it('answers only the allow-listed chat; to others the bot stays silent and nothing changes', async () => {
    const { deps, store, logger, commands } = await world();
    expect(await handleChatCommand(deps, { updateId: 1, chatId: '123', text: '/emergency' })).toBeUndefined();
    expect((await store.getControl()).latch).toBeUndefined();
    expect(await commands()).toEqual([]);
    expect(logger.lines.join('\n')).toContain('not allowed');
    const none = await world({ allowed: undefined });
    expect(await handleChatCommand(none.deps, { updateId: 1, chatId: CHAT, text: '/stop' })).toBeUndefined();
  });

  it('/status reports state, latch, heartbeat and equity in Korean', async () => {
    const { deps } = await world();
    const reply = await handleChatCommand(deps, { updateId: 2, chatId: CHAT, text: '/status' });
    expect(reply).toContain('상태: 거래 중');
    expect(reply).toContain('긴급 정지: 없음');
    expect(reply).toContain('실행기: 3초 전');
    expect(reply).toContain('10,250,000 KRW');
  });

  it('/stop flips the switch and /emergency latches reducing, each with the update id as command id', async () => {
    const { deps, store, commands } = await world();
    expect(
      await handleChatCommand(deps, { updateId: 10, chatId: CHAT, text: '/stop', from: '@kim' }),
    ).toContain('거래를 중지');
    expect((await store.getControl()).tradingEnabled).toBe(false);
    const reply = await handleChatCommand(deps, {
      updateId: 11,
      chatId: CHAT,
      text: '/emergency@qts_bot 거래소 점검',
      from: '@kim',
    });
    expect(reply).toContain('긴급 정지: reducing (set)');
    expect((await store.getControl()).latch).toMatchObject({
      state: 'reducing',
      reason: '거래소 점검',
      actor: 'telegram:@kim',
    });
    expect((await commands()).map((c) => [c.kind, c.id])).toEqual([
      ['stop_trading', 'telegram-10'],
      ['emergency_stop', 'telegram-11'],
    ]);
    // A redelivered update acts on the store idempotently and its command is deduplicated by id.
    await handleChatCommand(deps, { updateId: 11, chatId: CHAT, text: '/emergency 거래소 점검' });
    expect(await commands()).toEqual([]);
  });

  it('/start and unknown commands only show help: opening the bot never starts trading', async () => {
    const { deps, store, commands } = await world();
    await store.setTradingEnabled(false, 'ops', T0);
    expect(await handleChatCommand(deps, { updateId: 3, chatId: CHAT, text: '/start' })).toContain('/status');
    expect(await handleChatCommand(deps, { updateId: 4, chatId: CHAT, text: '/release now' })).toContain(
      '/emergency',
    );
    expect((await store.getControl()).tradingEnabled).toBe(false);
    expect(await commands()).toEqual([]);
    const off = await world({ enabled: false });
    expect(await handleChatCommand(off.deps, { updateId: 5, chatId: CHAT, text: '/stop' })).toContain('꺼져');
  });
});

describe('Telegram commands over the fake Bot API', () => {
  let server: FakeTelegramServer;
  beforeEach(async () => {
    server = await startFakeTelegram();
  });
  afterEach(() => server.close());

  it('the long-polling loop answers an allowed /emergency and ignores a stranger', async () => {
    const { deps, store, clock, logger } = await world();
    const api = new TelegramBotApi({ botToken: BOT, baseUrl: server.baseUrl, clock, logger });
    const poller = new TelegramPoller({
      api,
      clock,
      logger,
      waitSeconds: 5,
      handle: (c) => handleChatCommand(deps, c),
    });
    poller.start();
    server.pushUpdate({ chatId: 555, text: '/emergency' });
    server.pushUpdate({ chatId: Number(CHAT), text: '/emergency 텔레그램 테스트', username: 'lee' });
    await server.waitForMessages(1);
    await poller.stop();
    expect(server.messages).toEqual([
      { token: BOT.reveal(), chatId: CHAT, text: expect.stringContaining('긴급 정지: reducing (set)') },
    ]);
    expect((await store.getControl()).latch).toMatchObject({
      reason: '텔레그램 테스트',
      actor: 'telegram:@lee',
    });
    expect(logger.lines.join('\n')).not.toContain('BOT-TOKEN-FOR-TESTS');
  });

  it('the webhook checks the secret token and answers with a sendMessage method', async () => {
    const { deps, store, logger } = await world();
    const secret = webhookSecret(BOT);
    expect(secret.reveal()).toMatch(/^[0-9a-f]{64}$/);
    const webhook = telegramWebhookHandler({ secret, logger, handle: (c) => handleChatCommand(deps, c) });
    const update = JSON.stringify({
      update_id: 42,
      message: { message_id: 1, chat: { id: Number(CHAT) }, text: '/stop' },
    });
    const base = { method: 'POST', path: '/telegram', query: {}, body: update };
    const refused = await webhook({ ...base, headers: { 'x-telegram-bot-api-secret-token': 'guess' } });
    expect(refused.status).toBe(401);
    expect((await store.getControl()).tradingEnabled).toBe(true);
    const ok = await webhook({ ...base, headers: { 'x-telegram-bot-api-secret-token': secret.reveal() } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      method: 'sendMessage',
      chat_id: CHAT,
      text: expect.stringContaining('거래를 중지'),
    });
    expect((await store.getControl()).tradingEnabled).toBe(false);
    const junk = await webhook({
      ...base,
      body: 'not json',
      headers: { 'x-telegram-bot-api-secret-token': secret.reveal() },
    });
    expect(junk.status).toBe(200);
  });
});

describe('startTelegram (what npm start and the executor wire)', () => {
  const settings = { language: 'ko' as const, commands: true, dedupWindowSeconds: 300, maxPerMinute: 20 };

  it('sends alerts to the configured chat and answers commands by long polling', async () => {
    const server = await startFakeTelegram();
    const { deps, store, clock, logger } = await world();
    const telegram = await startTelegram({
      settings: { ...settings, apiBaseUrl: server.baseUrl },
      secrets: new MemorySecrets({ TELEGRAM_BOT_TOKEN: BOT.reveal(), TELEGRAM_CHAT_ID: CHAT }),
      clock,
      logger,
      poll: true,
      commands: {
        operator: deps.operator,
        statuses: deps.statuses,
        equity: deps.equity,
        heartbeatStaleMs: 60_000,
      },
    });
    expect(telegram.connected).toBe(true);
    await telegram.notifier.notify({
      severity: 'warning',
      key: 'k',
      at: T0,
      text: { ko: '경고', en: 'warn' },
    });
    await telegram.notifier.flush();
    server.pushUpdate({ chatId: Number(CHAT), text: '/stop' });
    await server.waitForMessages(2);
    await telegram.stop();
    await server.close();
    expect(server.messages.map((m) => m.text)).toEqual(['⚠️ 경고', expect.stringContaining('거래를 중지')]);
    expect((await store.getControl()).tradingEnabled).toBe(false);
  });

  it('logs alerts when no bot is configured', async () => {
    const { deps, clock, logger } = await world();
    const telegram = await startTelegram({
      settings: { ...settings, apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: new MemorySecrets({}),
      clock,
      logger,
      poll: true,
      commands: {
        operator: deps.operator,
        statuses: deps.statuses,
        equity: deps.equity,
        heartbeatStaleMs: 60_000,
      },
    });
    expect(telegram.connected).toBe(false);
    expect(
      await telegram.notifier.dispatch({
        severity: 'critical',
        key: 'x',
        at: T0,
        text: { ko: '긴급', en: 'x' },
      }),
    ).toBe('sent');
    await telegram.stop();
    expect(logger.records().find((r) => r.msg === 'alert (Telegram not configured)')).toMatchObject({
      text: '🚨 긴급',
    });
  });
});

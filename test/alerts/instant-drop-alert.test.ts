import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { TelegramNotifier } from '../../shared/src/adapters/telegram/telegram-notifier';
import { checkLossLimits } from '../../shared/src/application/risk/check-loss-limits';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { Secret } from '../../shared/src/domain/security/secret';
import { type FakeTelegramServer, startFakeTelegram } from '../../shared/testing/fake-telegram-server';
import { T0 } from '../../shared/testing/state-builders';

let server: FakeTelegramServer;
beforeAll(async () => {
  server = await startFakeTelegram();
});
afterAll(() => server.close());

describe('a −3 % drop reaches the operator on Telegram', () => {
  it('the scheduled loss check latches the stop and the fake Bot API receives the Korean alert, once', async () => {
    const clock = new ManualClock(T0);
    const logger = new MemoryLogger(clock);
    const store = new MemoryStateStore();
    const notifier = new TelegramNotifier({
      botToken: new Secret('1:TOKEN'),
      chatId: new Secret('4242'),
      language: 'ko',
      clock,
      logger,
      baseUrl: server.baseUrl,
    });
    const deps = {
      store,
      notifier,
      clock,
      venue: {
        listOpenOrders: async () => [],
        cancelOrder: async () => {
          throw new Error('no orders');
        },
        placeOrder: async () => {
          throw new Error('not in this test');
        },
      },
    };
    const input = { limits: DEFAULT_RISK_LIMITS, rules: KRW_MARKET_RULES };
    const calm = await checkLossLimits(deps, { ...input, equity: krw('10000000') });
    expect(calm.trigger).toBeUndefined();
    await clock.advance(60_000);
    const drop = await checkLossLimits(deps, { ...input, equity: krw('9700000') });
    expect(drop.trigger).toMatchObject({ outcome: 'set', alerted: true, latch: { trigger: 'instant_drop' } });
    await notifier.flush();
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]).toMatchObject({ chatId: '4242' });
    expect(server.messages[0]?.text).toMatch(/^🚨 \[긴급 정지\] 순간 급락 한도 — 상태: /);
    expect(server.messages[0]?.text).toContain('3.00 %');
    await clock.advance(60_000);
    await checkLossLimits(deps, { ...input, equity: krw('9650000') });
    await notifier.flush();
    expect(server.messages).toHaveLength(1);
  });
});

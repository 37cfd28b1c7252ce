import type { ExecutionSettings } from '../../executor/src/execution/plan-support';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters, type UpbitAdapters } from '../../shared/src/adapters/upbit/upbit-adapters';
import { type Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { Secret } from '../../shared/src/domain/security/secret';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { type FakeExchange, startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { firstDelivery, SETTINGS } from './support/execution-world';
import { LateVenue } from './support/late-venue';
import { BTC, BTC_BOOK, T0 } from './support/memory-world';
import { type ProcessStack, processStack } from './support/restart-stack';

/*
 * The late request of late-arrival.test.ts against the fake exchange over real HTTP: the real Upbit
 * venue adapter, the fake's matching engine, and the executor's stack (in-memory store, manual clock
 * for the executor's own time). The adapter's first POST /orders of the decision "times out" and is
 * sent for real later (LateVenue), the way a request stuck in a proxy would reach Upbit.
 */

const RESTING: ExecutionSettings = { ...SETTINGS, makerWindowMs: 120_000 };
let fake: FakeExchange;
let seq = 0;

beforeEach(async () => {
  fake = await startFakeExchange({
    clock: new SystemClock(),
    autoMarket: false,
    history: false,
    markets: ['KRW-BTC'],
    balances: { KRW: '10000000' },
    rateLimits: false,
  });
  fake.controls.setBook(BTC, {
    bids: BTC_BOOK.bids.map(([p, v]) => [String(p), String(v)] as const),
    asks: BTC_BOOK.asks.map(([p, v]) => [String(p), String(v)] as const),
  });
});

afterEach(async () => {
  await fake.close();
});

async function scene() {
  const upbit: UpbitAdapters = createUpbitAdapters({
    restUrl: fake.restUrl,
    wsUrl: fake.wsUrl,
    clock: new SystemClock(),
    credentials: { accessKey: fake.accessKey, secretKey: new Secret(fake.secretKey) },
  });
  if (upbit.venue === undefined) throw new Error('no venue');
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const venue = new LateVenue(upbit.venue);
  const start = (): ProcessStack => {
    const p = processStack({ clock, store, venue }, undefined, [BTC], RESTING);
    p.feedBook(BTC, BTC_BOOK);
    return p;
  };
  const p = start();
  p.gate.setReconciled(true);
  const decision: Decision = {
    id: makeDecisionId('late-fake', BTC, T0 as EpochMs, ++seq),
    market: BTC,
    createdAt: T0 as EpochMs,
    expiresAt: (T0 + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent: { kind: 'directional', side: 'bid', notional: krw('200000'), urgency: 'passive' },
    signals: [],
  };
  await p.handler.handle(
    { type: 'decision', sentAt: T0 as EpochMs, producer: 'test', decision },
    firstDelivery(),
  );
  const attempt = (n: number) => orderIdentifier(decision.id, 0, n);
  return {
    decision,
    clock,
    store,
    venue,
    p,
    start,
    attempt,
    async step(q: ProcessStack = p) {
      await clock.advance(2_500);
      q.engine.poke(BTC);
      await q.settle(BTC);
      await q.tracker.pollOnce();
    },
    async spent(): Promise<Decimal> {
      const orders = await store.listOrdersByDecision(decision.id);
      return orders.reduce<Decimal>((s, o) => s.plus(o.executedFunds), ZERO);
    },
    async open(): Promise<string[]> {
      return (await venue.listOpenOrders(BTC)).map((o) => o.identifier ?? o.uuid);
    },
  };
}

describe('a late request on the fake exchange', () => {
  it('arriving while the re-send rests: cancelled by the running plan, the decision spends its notional once', async () => {
    const s = await scene();
    for (let i = 0; i < 14; i++) await s.step();
    expect((await s.store.getOrder(s.attempt(0)))?.state).toBe('rejected');
    expect(await s.open()).toEqual([s.attempt(1)]);
    await s.venue.arrive();
    expect((await s.open()).sort()).toEqual([s.attempt(0), s.attempt(1)].sort());
    const report = await s.p.reconciler.reconcile();
    expect(report.discrepancies.map((x) => x.kind)).toContain('revived_order');
    await s.step();
    expect(await s.open()).toEqual([s.attempt(1)]);
    fake.controls.trade(BTC, '99990000', '0.01', 'ask'); // the market falls through both prices
    for (let i = 0; i < 12; i++) await s.step(); // past the expiry
    expect(await s.open()).toEqual([]);
    const spent = await s.spent();
    expect(spent.lte(200_000)).toBe(true);
    expect(spent.gt(199_000)).toBe(true);
    // Two attempts, each sent once: the late one was cancelled, never re-sent.
    expect((await s.store.listOrdersByDecision(s.decision.id)).map((o) => [o.identifier, o.state])).toEqual([
      [s.attempt(0), 'cancelled'],
      [s.attempt(1), 'filled'],
    ]);
  });

  it('arriving after the decision expired, found by the start-up reconciliation of a new process', async () => {
    const s = await scene();
    for (let i = 0; i < 14; i++) await s.step();
    await s.clock.advance(40_000); // the process is gone past the decision's expiry
    await s.venue.arrive();
    const p2 = s.start();
    await p2.start();
    expect(await s.open()).toEqual([]);
    expect((await s.store.getOrder(s.attempt(0)))?.state).toBe('cancelled');
    expect(p2.notifier.texts().some((t) => t.includes('revived_order') && t.includes('cancelled'))).toBe(
      true,
    );
    fake.controls.trade(BTC, '99990000', '0.01', 'ask');
    expect((await s.spent()).isZero()).toBe(true);
  });
});

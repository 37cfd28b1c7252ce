import type { ExecutionSettings } from '../../../executor/src/execution/plan-support';
import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters, type UpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { orderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import { Secret } from '../../../shared/src/domain/security/secret';
import { type FakeExchange, startFakeExchange } from '../../../shared/src/fake-exchange/fake-exchange';
import { SETTINGS } from './execution-world';
import { LateVenue } from './late-venue';
import { BTC, BTC_BOOK, T0 } from './memory-world';
import { deliverPassiveBuy } from './passive-buy-stack';
import { type ProcessStack, processStack } from './restart-stack';

/*
 * The late request of late-arrival.test.ts against the fake exchange over real HTTP: the real Upbit
 * venue adapter, the fake's matching engine, and the executor's stack (in-memory store, manual clock
 * for the executor's own time). The adapter's first POST /orders of the decision "times out" and is
 * sent for real later (LateVenue), the way a request stuck in a proxy would reach Upbit.
 */

const RESTING: ExecutionSettings = { ...SETTINGS, makerWindowMs: 120_000 };
let seq = 0;

/** A fake exchange with 10M KRW and the test book of KRW-BTC (its rate limiter off unless a test turns it on). */
export async function startLateFake(): Promise<FakeExchange> {
  const fake = await startFakeExchange({
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
  return fake;
}

/** The executor's stack on `fake` after a passive 200,000 KRW buy was handled, and the tests' helpers. */
export async function lateFakeScene(fake: FakeExchange) {
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
  const decision = await deliverPassiveBuy(p, 'late-fake', ++seq, 'test');
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

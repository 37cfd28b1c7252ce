import { LATE_WATCH_TICK_MS } from '../../executor/src/reconcile/late-request-watch';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { lateFakeScene, startLateFake } from './support/late-fake-world';
import { BTC } from './support/memory-world';
import type { ProcessStack } from './support/restart-stack';

/*
 * The late-request watch against the fake exchange over real HTTP (the real Upbit adapter and its
 * rate limiter), with no private stream and no reconciliation: the given-up attempt 0 reaches the
 * exchange late and the watch's GET /order?identifier= finds it; its decision cancels it.
 */

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startLateFake();
});

afterEach(async () => {
  await fake.close();
});

type Scene = Awaited<ReturnType<typeof lateFakeScene>>;

/** Ticks the watch every second of the executor's clock for `ms`. */
async function watchFor(s: Scene, ms: number, p: ProcessStack = s.p): Promise<void> {
  for (let t = 0; t < ms; t += LATE_WATCH_TICK_MS) {
    await s.clock.advance(LATE_WATCH_TICK_MS);
    await p.lateWatch.tick();
  }
}

/** Steps the plan until attempt 0 was given up and attempt 1 rests. */
async function untilResent(s: Scene): Promise<void> {
  for (let i = 0; i < 14; i++) await s.step();
  expect((await s.store.getOrder(s.attempt(0)))?.state).toBe('rejected');
  expect(await s.open()).toEqual([s.attempt(1)]);
}

describe('the late-request watch on the fake exchange', () => {
  it('finds the late request within the first lookups and cancels it; the decision spends its notional once', async () => {
    const s = await lateFakeScene(fake);
    await untilResent(s);
    expect(s.p.lateWatch.watching()).toEqual([s.attempt(0)]);
    await s.venue.arrive();
    expect((await s.open()).sort()).toEqual([s.attempt(0), s.attempt(1)].sort());
    await watchFor(s, 10_000);
    expect(s.p.metrics.lateFound.value()).toBe(1);
    expect(await s.open()).toEqual([s.attempt(1)]);
    expect((await s.store.getOrder(s.attempt(0)))?.state).toBe('cancelled');
    fake.controls.trade(BTC, '99990000', '0.01', 'ask'); // the market falls through both prices
    for (let i = 0; i < 12; i++) await s.step(); // past the expiry
    const spent = await s.spent();
    expect(spent.lte(200_000)).toBe(true);
    expect(spent.gt(199_000)).toBe(true);
    expect((await s.store.listOrdersByDecision(s.decision.id)).map((o) => [o.identifier, o.state])).toEqual([
      [s.attempt(0), 'cancelled'],
      [s.attempt(1), 'filled'],
    ]);
  });

  it('429s from the exchange: the adapter backs off, the failed lookup is retried later, the watch is kept', async () => {
    const s = await lateFakeScene(fake);
    await untilResent(s);
    await s.venue.arrive();
    // Four 429s in a row outlast the adapter's three retries (it pauses 1, 2 and 4 s between them).
    fake.controls.faults.failNext(4, 429);
    await watchFor(s, 1_000);
    expect(s.p.metrics.lateLookups.value({ result: 'error' })).toBe(1);
    expect(s.p.lateWatch.watching()).toEqual([s.attempt(0)]);
    expect(await s.open()).toContain(s.attempt(0));
    await watchFor(s, 10_000);
    expect(s.p.metrics.lateFound.value()).toBe(1);
    expect(await s.open()).toEqual([s.attempt(1)]);
    expect(s.p.notifier.texts().some((t) => t.includes('revived_order'))).toBe(true);
  }, 60_000);

  it('a restarted process resumes the watch from the store and finds the late request', async () => {
    const s = await lateFakeScene(fake);
    await untilResent(s);
    const p2 = s.start();
    await p2.start();
    await s.venue.arrive();
    await watchFor(s, 6_000, p2);
    expect(p2.metrics.lateFound.value()).toBe(1);
    expect(await s.open()).toEqual([s.attempt(1)]);
    expect((await s.store.getOrder(s.attempt(0)))?.state).toBe('cancelled');
  });
});

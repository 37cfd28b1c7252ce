import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { lateFakeScene, startLateFake } from './support/late-fake-world';
import { BTC } from './support/memory-world';

/*
 * The late request of late-arrival.test.ts against the fake exchange over real HTTP (the scene is in
 * support/late-fake-world.ts): found by reconciliation here; by the late-request watch in
 * late-request-watch-fake-exchange.test.ts.
 */

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startLateFake();
});

afterEach(async () => {
  await fake.close();
});

const scene = () => lateFakeScene(fake);

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

import { SETTINGS } from './support/execution-world';
import {
  expectNoDuplicate,
  lateWorld,
  NOTIONAL,
  RESTING,
  revivedAction,
  untilResent,
} from './support/late-world';
import { BTC, BTC_BOOK } from './support/memory-world';
import { processStack } from './support/restart-stack';

/*
 * A POST /orders that timed out, was given up after the 30 s grace (rejected, re-sent as attempt 1),
 * and then reaches the exchange after all. Reconciliation takes it back; from then on it is its
 * decision's: cancelled at once (retried until the venue confirms, by its running plan as a stray or
 * by the engine), its fills counted against the decision's budget, in every order of events here
 * (after the re-send filled, while it rests, after the late attempt traded, after the expiry, under
 * the emergency latch, after a restart). Paper venue; other paths in late-arrival-paths.test.ts, the
 * fake exchange over HTTP in late-arrival-fake-exchange.test.ts, random orders of events in
 * late-arrival.property.test.ts. Every case ends with nothing resting and at most the decision's
 * notional spent, and never a second order under one identifier.
 */

describe('a late request taken back by reconciliation belongs to its decision', () => {
  it('after the re-send filled the whole notional: cancelled at once, nothing more is bought', async () => {
    // Shipped settings: past the 30 s maker window the re-send is the marketable IOC, which fills.
    const w = await lateWorld('late-a', SETTINGS);
    await untilResent(w, 'filled');
    await w.step();
    expect(w.p.engine.active()).toEqual([]); // the plan finished
    await w.venue.arrive();
    expect(await w.open()).toEqual([w.attempt(0)]);
    const action = revivedAction(await w.p.reconciler.reconcile());
    expect(action).toMatch(/cancelled \(its decision has no running plan\)/);
    expect(await w.open()).toEqual([]);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
    await w.p.reconciler.reconcile();
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
    expect(w.p.notifier.texts().some((t) => t.includes('revived_order') && t.includes('cancelled'))).toBe(
      true,
    );
    await expectNoDuplicate(w);
  });

  it('while the re-send rests part-filled: cancelled at once (retried by its plan), the re-send finishes the budget', async () => {
    const w = await lateWorld('late-b');
    await untilResent(w);
    w.inner.printTrade(BTC, '99999000', '0.001', 'ask'); // half of attempt 1
    await w.p.tracker.pollOnce();
    await w.venue.arrive();
    w.venue.cancelFailures = 1; // the first cancel meets a 503: the plan retries it as a stray
    expect(revivedAction(await w.p.reconciler.reconcile())).toMatch(
      /cancel requested \(its fills count against its decision's running directional plan\)/,
    );
    expect(w.p.logger.records().some((r) => r.msg === 'could not cancel an orphan order; retried')).toBe(
      true,
    );
    await w.step();
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect(await w.open()).toEqual([w.attempt(1)]);
    w.inner.printTrade(BTC, '99999000', '0.01', 'ask'); // the rest of attempt 1, nothing of attempt 0
    for (let i = 0; i < 12; i++) await w.step(); // past the expiry
    expect(await w.open()).toEqual([]);
    const spent = await w.spent();
    expect(spent.lte(NOTIONAL)).toBe(true);
    expect(spent.gt(NOTIONAL - 1_000)).toBe(true);
    await expectNoDuplicate(w);
  });

  it('when the late attempt trades before it is seen: its fills count, the re-send is pulled and resized', async () => {
    // The book fell a tick after attempt 0 went out: attempt 1 joins 99,998,000, so a print at
    // 99,999,000 fills the late attempt 0 alone.
    const lower = { bids: BTC_BOOK.bids.slice(1), asks: BTC_BOOK.asks };
    const w = await lateWorld('late-d', RESTING, lower);
    await untilResent(w);
    expect((await w.store.getOrder(w.attempt(1)))?.draft.price?.toFixed()).toBe('99998000');
    await w.venue.arrive();
    w.inner.printTrade(BTC, '99999000', '0.0015', 'ask'); // 149,998.5 KRW of attempt 0
    revivedAction(await w.p.reconciler.reconcile());
    expect((await w.spent()).toFixed()).toBe('149998.5');
    await w.step(); // the stray is cancelled; attempt 1 (200k) would over-spend and is pulled
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect((await w.store.getOrder(w.attempt(1)))?.state).toBe('cancelled');
    await w.step(); // re-placed from what is left
    const resized = await w.store.getOrder(w.attempt(2));
    expect(resized?.state).toBe('open');
    expect(resized?.draft.volume?.times(resized.draft.price ?? 0).lte(NOTIONAL - 149_998.5)).toBe(true);
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask'); // the market falls through every bid
    for (let i = 0; i < 12; i++) await w.step();
    expect(await w.open()).toEqual([]);
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
    await expectNoDuplicate(w);
  });

  it('after the decision expired: cancelled by the engine, retried until the exchange confirms', async () => {
    const w = await lateWorld('late-c');
    for (let i = 0; i < 26; i++) await w.step(); // 65 s: the plan ended at the expiry, attempt 1 pulled
    expect(w.p.engine.active()).toEqual([]);
    expect(await w.open()).toEqual([]);
    await w.venue.arrive();
    w.venue.cancelFailures = 1;
    const report = await w.p.reconciler.reconcile(); // completes although the cancel failed
    expect(revivedAction(report)).toMatch(/retried until the exchange confirms/);
    expect(w.p.engine.orphans()).toEqual([w.attempt(0)]);
    const stop = new AbortController();
    const loop = w.p.engine.run(stop.signal);
    await w.clock.advance(5_250);
    stop.abort();
    await loop;
    expect(await w.open()).toEqual([]);
    expect(w.p.engine.orphans()).toEqual([]);
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
    expect((await w.spent()).isZero()).toBe(true);
  });

  it('under the emergency latch: cancelled although nothing may be sent, and nothing is re-placed', async () => {
    const w = await lateWorld('late-e');
    await untilResent(w);
    await w.p.control.emergencyStop({ reason: 'audit', actor: 'audit', state: 'halted' });
    expect(await w.open()).toEqual([]);
    await w.venue.arrive();
    expect(revivedAction(await w.p.reconciler.reconcile())).toMatch(/cancelled/);
    for (let i = 0; i < 4; i++) await w.step();
    expect(await w.open()).toEqual([]);
    expect(await w.orders()).toHaveLength(2);
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
    expect((await w.spent()).isZero()).toBe(true);
  });

  it('after a restart: the start-up reconciliation cancels it, the resumed plan keeps the re-send', async () => {
    const w = await lateWorld('late-f');
    await untilResent(w);
    // The process is replaced (its memory lost); the late request lands while it is down.
    const p2 = processStack({ clock: w.clock, store: w.store, venue: w.venue }, undefined, [BTC], RESTING);
    p2.feedBook(BTC, BTC_BOOK);
    await w.venue.arrive();
    await p2.start();
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect(p2.engine.active().map((p) => p.working())).toEqual([[w.attempt(1)]]);
    expect(await w.open()).toEqual([w.attempt(1)]);
    w.inner.printTrade(BTC, '99999000', '0.01', 'ask');
    for (let i = 0; i < 12; i++) await w.step(p2);
    expect(await w.open()).toEqual([]);
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
    expect(await w.orders()).toHaveLength(2);
    await expectNoDuplicate(w);
  });

  it('after a restart past the expiry: both the late attempt and the re-send are cancelled', async () => {
    const w = await lateWorld('late-g');
    await untilResent(w);
    await w.clock.advance(40_000);
    const p2 = processStack({ clock: w.clock, store: w.store, venue: w.venue }, undefined, [BTC], RESTING);
    p2.feedBook(BTC, BTC_BOOK);
    await w.venue.arrive();
    await p2.start();
    expect(await w.open()).toEqual([]);
    expect(p2.engine.active()).toEqual([]);
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
    expect((await w.spent()).isZero()).toBe(true);
  });
});

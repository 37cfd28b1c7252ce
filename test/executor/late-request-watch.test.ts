import {
  LATE_WATCH_EVERY_MS,
  LATE_WATCH_GAPS_MS,
  LATE_WATCH_LOOKUPS_PER_TICK,
  LATE_WATCH_TICK_MS,
  LATE_WATCH_WINDOW_MS,
} from '../../executor/src/reconcile/late-request-watch';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import {
  expectNoDuplicate,
  lateWorld,
  NOTIONAL,
  RESTING,
  untilResent,
  type World,
} from './support/late-world';
import { BTC, BTC_BOOK } from './support/memory-world';
import { type ProcessStack, processStack } from './support/restart-stack';

/*
 * A POST /orders that timed out, was given up after the 30 s grace and re-sent as attempt 1, reaches
 * the exchange later, with no private stream to show it (these stacks have none) and no
 * reconciliation run: the late-request watch finds it by looking its identifier up, and its decision
 * takes it back and cancels it, seconds after it arrived instead of at the next reconciliation.
 * Paper venue; the fake exchange over HTTP in late-request-watch-fake-exchange.test.ts.
 */

/** Ticks the watch as the executor does (every second of the clock) for `ms`. */
async function watchFor(w: World, ms: number, p: ProcessStack = w.p): Promise<void> {
  for (let t = 0; t < ms; t += LATE_WATCH_TICK_MS) {
    await w.clock.advance(LATE_WATCH_TICK_MS);
    await p.lateWatch.tick();
  }
}

function lookupsOf(w: World): number {
  return w.venue.lookups.filter((id) => id === w.attempt(0)).length;
}

function placements(w: World): jest.SpyInstance {
  return jest.spyOn(w.inner, 'placeOrder');
}

describe('the late-request watch finds a given-up request without the private stream', () => {
  it('looks it up on a back-off schedule and cancels it within seconds of arriving; places nothing', async () => {
    const w = await lateWorld('watch-a');
    await untilResent(w);
    expect(w.p.lateWatch.watching()).toEqual([w.attempt(0)]);
    await watchFor(w, 3_000); // the first lookups find nothing: the request is still stuck
    const before = lookupsOf(w);
    expect(before).toBeGreaterThan(0);
    await w.venue.arrive();
    const placed = placements(w);
    expect((await w.open()).sort()).toEqual([w.attempt(0), w.attempt(1)].sort());
    let waited = 0;
    while ((await w.open()).length > 1 && waited < 15_000) {
      await watchFor(w, 1_000);
      waited += 1_000;
    }
    // Found by the next lookup: at most the longest early gap after arriving.
    expect(waited).toBeLessThanOrEqual(Math.max(...LATE_WATCH_GAPS_MS));
    expect(await w.open()).toEqual([w.attempt(1)]);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect(w.p.lateWatch.watching()).toEqual([]);
    expect(w.p.metrics.lateFound.value()).toBe(1);
    expect(w.p.metrics.lateDetectionSeconds.value()).toBeGreaterThan(0);
    expect(w.p.notifier.texts().some((t) => t.includes('revived_order') && t.includes('cancel'))).toBe(true);
    expect(placed).not.toHaveBeenCalled(); // the watch and the cancel never place anything
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask'); // the market falls through the re-send
    await w.p.tracker.pollOnce();
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
    await expectNoDuplicate(w);
  });

  it('a failed lookup (429 past the adapter retries) backs off and keeps the watch', async () => {
    const w = await lateWorld('watch-b');
    await untilResent(w);
    await w.venue.arrive();
    w.venue.lookupFailures = 2;
    await watchFor(w, 1_000);
    expect(w.p.metrics.lateLookups.value({ result: 'error' })).toBeGreaterThan(0);
    expect(w.p.lateWatch.watching()).toEqual([w.attempt(0)]);
    const afterFirst = lookupsOf(w);
    await w.p.lateWatch.tick(); // not due again yet: no lookup hammers a limited exchange
    expect(lookupsOf(w)).toBe(afterFirst);
    await watchFor(w, 20_000);
    expect(w.p.metrics.lateLookups.value({ result: 'error' })).toBe(2);
    expect(w.p.metrics.lateFound.value()).toBe(1);
    expect(await w.open()).toEqual([w.attempt(1)]);
    expect(
      w.p.logger
        .records()
        .some((r) => r.msg === 'late request lookup failed; the watch is kept and looks again later'),
    ).toBe(true);
  });

  it('a restart resumes the watch from the store', async () => {
    const w = await lateWorld('watch-c');
    await untilResent(w);
    // The process is gone; a new one knows only the store.
    const p2 = processStack({ clock: w.clock, store: w.store, venue: w.venue }, undefined, [BTC], RESTING);
    p2.feedBook(BTC, BTC_BOOK);
    await p2.start();
    expect(p2.lateWatch.watching()).toEqual([]);
    await w.venue.arrive();
    await watchFor(w, 6_000, p2);
    expect(p2.metrics.lateWatched.value()).toBe(1);
    expect(p2.metrics.lateFound.value()).toBe(1);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect(await w.open()).toEqual([w.attempt(1)]);
  });

  it('ends after its window, with a bounded number of lookups, having placed and cancelled nothing', async () => {
    const w = await lateWorld('watch-d');
    await untilResent(w);
    const placed = placements(w);
    const cancels = jest.spyOn(w.inner, 'cancelOrder');
    const before = lookupsOf(w);
    await watchFor(w, LATE_WATCH_WINDOW_MS);
    expect(w.p.lateWatch.watching()).toEqual([]);
    expect(w.p.metrics.lateWatchEnded.value({ reason: 'window_ended' })).toBe(1);
    const made = lookupsOf(w) - before;
    const bound = LATE_WATCH_GAPS_MS.length + Math.ceil(LATE_WATCH_WINDOW_MS / LATE_WATCH_EVERY_MS);
    expect(made).toBeGreaterThanOrEqual(LATE_WATCH_WINDOW_MS / LATE_WATCH_EVERY_MS - 1);
    expect(made).toBeLessThanOrEqual(bound);
    expect(placed).not.toHaveBeenCalled();
    expect(cancels).not.toHaveBeenCalled();
    // Arriving after the window: no lookup any more; the periodic reconciliation is the net.
    await w.venue.arrive();
    await watchFor(w, 60_000);
    expect(lookupsOf(w) - before).toBe(made);
    expect(w.p.metrics.lateFound.value()).toBe(0);
  });

  it('keeps looking under the emergency latch; what it finds is cancelled, nothing is placed', async () => {
    const w = await lateWorld('watch-e');
    await untilResent(w);
    await w.p.control.emergencyStop({ reason: 'test', actor: 'test', state: 'halted' });
    await w.venue.arrive();
    const placed = placements(w);
    await watchFor(w, 12_000);
    expect(w.p.metrics.lateFound.value()).toBe(1);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect(await w.open()).not.toContain(w.attempt(0));
    expect(placed).not.toHaveBeenCalled();
  });

  it('a request taken back by a reconciliation first stops being watched, and is handed over once', async () => {
    const w = await lateWorld('watch-f');
    await untilResent(w);
    await w.venue.arrive();
    await w.p.reconciler.reconcile();
    expect(w.p.lateWatch.watching()).toEqual([]);
    expect(w.p.metrics.lateWatchEnded.value({ reason: 'taken_back' })).toBe(1);
    await watchFor(w, 12_000);
    expect(w.p.metrics.lateFound.value()).toBe(0);
    expect(w.p.notifier.texts().filter((t) => t.includes('revived_order'))).toHaveLength(1);
  });

  it('sends at most the per-tick number of lookups, one at a time, however many are watched', async () => {
    const w = await lateWorld('watch-g');
    await untilResent(w);
    const given = await w.store.getOrder(w.attempt(0));
    if (given === undefined) throw new Error('attempt 0 not stored');
    // Nine more given-up requests in the store (other legs of the decision), as after a bad minute.
    for (let leg = 1; leg <= 9; leg++)
      await w.store.createOrder({ ...given, identifier: orderIdentifier(w.decision.id, leg, 0) });
    const p2 = processStack({ clock: w.clock, store: w.store, venue: w.venue }, undefined, [BTC], RESTING);
    let inFlight = 0;
    let most = 0;
    const inner = w.venue.getOrder;
    w.venue.getOrder = async (ref) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        return await inner(ref);
      } finally {
        inFlight -= 1;
      }
    };
    const perTick: number[] = [];
    for (let t = 0; t < 60; t++) {
      const before = w.venue.lookups.length;
      await w.clock.advance(LATE_WATCH_TICK_MS);
      await p2.lateWatch.tick();
      perTick.push(w.venue.lookups.length - before);
    }
    expect(p2.lateWatch.watching()).toHaveLength(10);
    expect(Math.max(...perTick)).toBe(LATE_WATCH_LOOKUPS_PER_TICK);
    expect(most).toBe(1);
    // Every watched request was still looked up several times in the minute: none is starved.
    for (let leg = 0; leg <= 9; leg++)
      expect(
        w.venue.lookups.filter((id) => id === orderIdentifier(w.decision.id, leg, 0)).length,
      ).toBeGreaterThan(1);
  });
});

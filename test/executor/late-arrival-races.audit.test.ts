import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import type { MyOrderEvent } from '../../shared/src/ports/market-data-stream';
import { lateQuoteWorld } from './support/late-quote-world';
import { lateWorld, NOTIONAL, RESTING, untilResent, type World } from './support/late-world';
import { BTC, BTC_BOOK } from './support/memory-world';

/*
 * Adversarial review (audit5) of the late-request take-back (OrderManager.onOrderEvent's revive
 * hook, Reconciler #venueOrder / #closed, ExecutionEngine.adoptRevived, OrphanOrders) under
 * duplicates and races, on the real executor stack over the paper venue (late-world.ts).
 * Claims:
 *  L1  one late request is alerted once (one `revived_order`), however many paths see it at once;
 *  L2  it is cancelled and its decision spends no more than its notional once it is seen;
 *  L3  an orphan whose cancel keeps failing is retried every 5 s, not faster, and the orphan list
 *      does not grow; it empties once the exchange confirms.
 */

const LOWER = { bids: BTC_BOOK.bids.slice(1), asks: BTC_BOOK.asks };

/** Upbit's myOrder frame of the late attempt 0 as the venue holds it now. */
async function frameOfLate(w: World): Promise<MyOrderEvent> {
  const late = await w.inner.getOrder({ identifier: w.attempt(0) });
  if (late === undefined) throw new Error('the late request did not arrive');
  return {
    market: BTC,
    uuid: late.uuid,
    identifier: w.attempt(0),
    side: 'bid',
    ordType: 'limit',
    state: 'wait',
    ...(late.price === undefined ? {} : { price: late.price }),
    executedVolume: late.executedVolume,
    tradesCount: 1,
    reservedFee: krw('0'),
    remainingFee: krw('0'),
    paidFee: late.paidFee,
    locked: ZERO,
    timestamp: w.clock.now(),
  };
}

const revivedAlerts = (w: World) => w.p.notifier.texts().filter((t) => t.includes('revived_order'));

async function afterwards(w: World): Promise<void> {
  await w.step();
  w.inner.printTrade(BTC, '99990000', '0.05', 'ask'); // the market falls through every bid
  for (let i = 0; i < 12; i++) await w.step();
  expect(await w.open()).toEqual([]);
  expect((await w.spent()).lte(NOTIONAL)).toBe(true);
}

describe('a late request seen by several paths at once (audit5)', () => {
  it('L1/L2: the private stream and a reconciliation at once: cancelled, within the notional; alerts counted', async () => {
    const w = await lateWorld('a5-race1', RESTING, LOWER);
    await untilResent(w);
    await w.venue.arrive();
    w.inner.printTrade(BTC, '99999000', '0.0015', 'ask'); // 149,998.5 KRW of the late attempt 0
    const event = await frameOfLate(w);
    await Promise.all([w.p.manager.onOrderEvent(event), w.p.reconciler.reconcile()]);
    await w.p.settle(BTC);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect((await w.spent()).toFixed()).toBe('149998.5');
    expect(revivedAlerts(w).length).toBeGreaterThanOrEqual(1);
    await afterwards(w);
  });

  it('L1: the private stream and a reconciliation at once alert the late request once', async () => {
    const w = await lateWorld('a5-race2', RESTING, LOWER);
    await untilResent(w);
    await w.venue.arrive();
    const event = await frameOfLate(w);
    await Promise.all([w.p.manager.onOrderEvent(event), w.p.reconciler.reconcile()]);
    await w.p.settle(BTC);
    expect(revivedAlerts(w)).toHaveLength(1);
  });

  it('L1: a reconciliation that read the order just before the private stream took it back does not alert it again', async () => {
    // Was a counterexample (fixed: the reconciler revives only while the record is still in the state
    // it read, OrderManager.reviveIfStill; otherwise the other path has reported it).
    // Consequence (LOW-MEDIUM, operations: no money moves, but a false alarm): the operator gets two
    // `revived_order` alerts for one late request, and the second is wrong and alarming: the
    // reconciler sends its own cancel by uuid for the order the stream path already cancelled, the
    // venue answers order_not_found, and the alert says "its local record is final: could not cancel
    // it on the exchange …; tried again at the next reconciliation", as if a live order might still
    // rest. Minimal interleaving: Reconciler #venueOrder reads the local record (rejected), the
    // myOrder frame is then handled in full (revived, cancelled, alerted), then the reconciler's
    // manager.sync({ revive: true }) returns the order, now final, and it reports a revived_order too.
    // Fault: reconciler.ts #venueOrder decides on the record read before its sync; it does not
    // re-check the state inside the order's serial section (nor does onOrderEvent tell it the order
    // was already taken back).
    const w = await lateWorld('a5-race5', RESTING, LOWER);
    await untilResent(w);
    await w.venue.arrive();
    const event = await frameOfLate(w);
    const store = w.store as unknown as { getOrder: (id: string) => Promise<unknown> };
    const read = store.getOrder.bind(w.store);
    let armed = true;
    // The reconciler's read of attempt 0 returns the record as it was, and the stream's frame is
    // handled in full before the reconciler goes on: the interleaving two concurrent paths can take.
    store.getOrder = async (id) => {
      const stale = await read(id);
      if (armed && id === w.attempt(0)) {
        armed = false;
        await w.p.manager.onOrderEvent(event);
        await w.p.settle(BTC);
      }
      return stale;
    };
    const report = await w.p.reconciler.reconcile();
    store.getOrder = read;
    await w.p.settle(BTC);
    expect(armed).toBe(false);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect(revivedAlerts(w)).toHaveLength(1);
    expect(report.discrepancies.filter((x) => x.kind === 'revived_order')).toEqual([]);
  });

  it('L1: two reconciliations at once alert the late request once', async () => {
    const w = await lateWorld('a5-race3', RESTING, LOWER);
    await untilResent(w);
    await w.venue.arrive();
    await Promise.all([w.p.reconciler.reconcile(), w.p.reconciler.reconcile()]);
    await w.p.settle(BTC);
    expect(revivedAlerts(w)).toHaveLength(1);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
  });

  it('L1: the same myOrder frame delivered twice (a stream reconnect replays it) alerts once', async () => {
    const w = await lateWorld('a5-race4', RESTING, LOWER);
    await untilResent(w);
    await w.venue.arrive();
    const event = await frameOfLate(w);
    await Promise.all([w.p.manager.onOrderEvent(event), w.p.manager.onOrderEvent(event)]);
    await w.p.settle(BTC);
    expect(revivedAlerts(w)).toHaveLength(1);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
  });
});

describe('a late request whose cancel fails (audit5)', () => {
  it('L2: while the stray cannot be cancelled, the working re-send is pulled, so the decision cannot fill twice its notional', async () => {
    // Was a counterexample (fixed: the plans pull the working attempt while a stray's cancel fails).
    // Consequence (HIGH, money): up to twice the decision's notional is bought after the late
    // request was seen. When the stray's cancel fails (a 503 under exchange stress, twice: once in
    // adoptRevived, once in the plan's step), DirectionalPlan.step returns at once
    // (`!cancelStrays → return`) and never reaches #overCommitted, so the full-size re-send
    // (attempt 1, 200,000 KRW) keeps resting beside the live late attempt 0 (200,000 KRW); a
    // market that trades through both bids fills ~400,000 KRW for a 200,000 KRW decision. Pulling
    // the working attempt is a different cancel request (and allowed under any latch): it would have
    // bounded the loss to the stray alone. Fault: executor/src/execution/directional-plan.ts step
    // (and quote-plan.ts, which `continue`s the same way): the over-commitment check must not wait
    // for the strays' cancels to succeed.
    const w = await lateWorld('a5-twice', RESTING, LOWER);
    await untilResent(w); // attempt 1 rests at 99,998,000 for the whole 200,000 KRW
    await w.venue.arrive(); // the late attempt 0 rests at 99,999,000 for 200,000 KRW too
    w.venue.cancelFailures = 2;
    await w.p.reconciler.reconcile(); // seen: adoptRevived's cancel fails, the plan's step's too
    await w.p.settle(BTC);
    expect(w.venue.cancelFailures).toBe(0);
    // The stray's cancel failed, so the working re-send was pulled instead: one bid rests, not two.
    expect(await w.open()).toEqual([w.attempt(0)]);
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask'); // the market trades through both bids
    for (let i = 0; i < 12; i++) await w.step();
    expect(await w.open()).toEqual([]);
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
  });
});

describe('a late quote request whose cancel fails (audit5)', () => {
  it('L2: while the stray cannot be cancelled, the level does not rest twice its volume', async () => {
    // Was a counterexample (fixed with the one above).
    // Consequence (HIGH, money): the same fault in QuotePlan.step (`!cancelStrays → continue`): the
    // level's working attempt keeps resting beside the live late attempt, and a market through the
    // level fills both: 0.002 BTC bought for a 0.001 BTC level (about 100,000 KRW more than the
    // decision's inventory allows). Fault: executor/src/execution/quote-plan.ts step.
    const { store, inner, venue, p, level, open } = await lateQuoteWorld('a5-q');
    expect(await open()).toEqual([level(1)]);
    await venue.arrive();
    venue.cancelFailures = 2;
    await p.reconciler.reconcile();
    await p.settle(BTC);
    expect(venue.cancelFailures).toBe(0);
    // The stray's cancel failed, so the level's working attempt was pulled instead.
    expect(await open()).toEqual([level(0)]);
    inner.printTrade(BTC, '99800000', '0.01', 'ask'); // through the level
    await p.tracker.pollOnce();
    const position = await store.getPosition(BTC, 'market_making');
    expect(position?.volume.lte('0.001')).toBe(true);
  });
});

describe('an orphan whose cancel keeps failing (audit5)', () => {
  it('L3: retried at the 5 s cadence, never faster, the list stays one long, and empties once the exchange confirms', async () => {
    const w = await lateWorld('a5-orphan');
    for (let i = 0; i < 26; i++) await w.step(); // 65 s: the plan ended at the expiry
    expect(w.p.engine.active()).toEqual([]);
    await w.venue.arrive();
    w.venue.cancelFailures = 1_000;
    await w.p.reconciler.reconcile();
    expect(w.p.engine.orphans()).toEqual([w.attempt(0)]);
    const stop = new AbortController();
    const loop = w.p.engine.run(stop.signal);
    const before = w.venue.cancelFailures;
    for (let i = 0; i < 240; i++) await w.clock.advance(250); // 60 s
    const tries = before - w.venue.cancelFailures;
    expect(tries).toBeGreaterThanOrEqual(10);
    expect(tries).toBeLessThanOrEqual(13);
    expect(w.p.engine.orphans()).toEqual([w.attempt(0)]);
    w.venue.cancelFailures = 0;
    for (let i = 0; i < 24; i++) await w.clock.advance(250);
    stop.abort();
    await loop;
    expect(w.p.engine.orphans()).toEqual([]);
    expect(await w.open()).toEqual([]);
  });
});

import type { ExecutionSettings } from '../../executor/src/execution/plan-support';
import { executorMetrics, MetricsRegistry } from '../../executor/src/health/metrics';
import { Reconciler } from '../../executor/src/reconcile/reconciler';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { MemoryTradingVenue } from '../../shared/src/adapters/memory/memory-trading-venue';
import { type Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { firstDelivery, quotes, SETTINGS } from './support/execution-world';
import { LateVenue } from './support/late-venue';
import { BTC, BTC_BOOK, T0 } from './support/memory-world';
import { type PassiveBuyStack, passiveBuyStack } from './support/passive-buy-stack';
import { type ProcessStack, processStack } from './support/restart-stack';

/*
 * A POST /orders that timed out, was given up after the 30 s grace (rejected, re-sent as attempt 1),
 * and then reaches the exchange after all. Reconciliation takes it back; from then on it is its
 * decision's: counted against the decision's budget, cancelled by the running plan as a stray, or by
 * the engine when no plan runs (after the re-send filled, after the decision expired, under the
 * emergency latch, after a restart). Paper venue; the fake exchange over HTTP is in
 * late-arrival.integration.test.ts. Every case ends with nothing resting and at most the decision's
 * notional spent, and never a second order under one identifier.
 */

const NOTIONAL = 200_000;
/** A maker window past the decision's expiry: the re-send rests post-only instead of escalating. */
const RESTING: ExecutionSettings = { ...SETTINGS, makerWindowMs: 120_000 };

type World = PassiveBuyStack<LateVenue> & {
  /** One executor tick: 2.5 s on, the plans stepped, the tracker's REST backstop. */
  step(p?: ProcessStack): Promise<void>;
  /** KRW the decision's orders spent, from the store. */
  spent(): Promise<Decimal>;
  orders(): Promise<LocalOrder[]>;
  open(): Promise<string[]>;
  attempt(n: number): ReturnType<typeof orderIdentifier>;
};

async function lateWorld(scope: string, settings = RESTING, book = BTC_BOOK): Promise<World> {
  const w = await passiveBuyStack(scope, (v) => new LateVenue(v), settings);
  if (book !== BTC_BOOK) {
    w.inner.setBook(BTC, book);
    w.p.feedBook(BTC, book);
  }
  return {
    ...w,
    async step(p = w.p) {
      await w.clock.advance(2_500);
      p.engine.poke(BTC);
      await p.settle(BTC);
      await p.tracker.pollOnce();
    },
    async spent() {
      const orders = await w.store.listOrdersByDecision(w.decision.id);
      return orders.reduce<Decimal>((s, o) => s.plus(o.executedFunds), ZERO);
    },
    orders: () => w.store.listOrdersByDecision(w.decision.id),
    open: async () => (await w.inner.listOpenOrders(BTC)).map((o) => o.identifier ?? o.uuid),
    attempt: (n) => orderIdentifier(w.decision.id, 0, n),
  };
}

/** Steps until attempt 0 is given up and attempt 1 was sent (35 s: the 30 s grace, then a re-send). */
async function untilResent(w: World, state: LocalOrder['state'] = 'open'): Promise<void> {
  for (let i = 0; i < 14; i++) await w.step();
  expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('rejected');
  expect((await w.store.getOrder(w.attempt(1)))?.state).toBe(state);
}

function revivedAction(report: Awaited<ReturnType<ProcessStack['reconciler']['reconcile']>>): string {
  const found = report.discrepancies.filter((x) => x.kind === 'revived_order');
  expect(found).toHaveLength(1);
  return found[0]?.action ?? '';
}

/** Each identifier the venue ever saw, once: nothing was sent twice. */
async function expectNoDuplicate(w: World): Promise<void> {
  const ids = (await w.orders()).map((o) => o.identifier);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    const seen = await w.inner.getOrder({ identifier: id });
    if (seen !== undefined) expect(seen.identifier).toBe(id);
  }
}

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

  it('of a quote level: cancelled at once, its fills count for the level, the level rests once', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryStateStore();
    const inner = new MemoryTradingVenue({ markets: [BTC], clock, balances: { KRW: '10000000' } });
    inner.setBook(BTC, BTC_BOOK);
    const venue = new LateVenue(inner);
    const p = processStack({ clock, store, venue });
    p.feedBook(BTC, BTC_BOOK);
    p.gate.setReconciled(true);
    const decision: Decision = {
      id: makeDecisionId('late-q', BTC, T0 as EpochMs, 1),
      market: BTC,
      createdAt: T0 as EpochMs,
      expiresAt: (T0 + 60_000) as EpochMs,
      source: 'market_making',
      strategy: 'market_making',
      intent: quotes([['bid', '99900000', '0.001']]),
      signals: [],
    };
    await p.handler.handle(
      { type: 'decision', sentAt: T0 as EpochMs, producer: 'test', decision },
      firstDelivery(),
    );
    const level = (n: number) => orderIdentifier(decision.id, 0, n);
    const open = async () => (await inner.listOpenOrders(BTC)).map((o) => o.identifier);
    for (let i = 0; i < 14; i++) {
      await clock.advance(2_500);
      p.engine.poke(BTC);
      await p.settle(BTC);
      await p.tracker.pollOnce();
    }
    expect((await store.getOrder(level(0)))?.state).toBe('rejected');
    expect(await open()).toEqual([level(1)]);
    await venue.arrive();
    expect(revivedAction(await p.reconciler.reconcile())).toMatch(
      /^taken back as open; cancelled \(its fills count against its decision's running quotes plan\)$/,
    );
    await clock.advance(250);
    p.engine.poke(BTC);
    await p.settle(BTC);
    expect(await open()).toEqual([level(1)]);
    expect((await store.getOrder(level(0)))?.state).toBe('cancelled');
    inner.printTrade(BTC, '99800000', '0.01', 'ask'); // through the level: 0.001 fills, once
    await p.tracker.pollOnce();
    const position = await store.getPosition(BTC, 'market_making');
    expect(position?.volume.toFixed()).toBe('0.001');
  });

  it('found already filled in the closed orders: its fills are booked to the decision, the re-send is pulled', async () => {
    const lower = { bids: BTC_BOOK.bids.slice(1), asks: BTC_BOOK.asks };
    const w = await lateWorld('late-h', RESTING, lower);
    await untilResent(w);
    await w.venue.arrive();
    w.inner.printTrade(BTC, '99999000', '0.003', 'ask'); // the whole late attempt 0 (≈ 200k) fills
    expect(await w.open()).toEqual([w.attempt(1)]);
    // Upbit's GET /orders/closed, as production wires it (the paper venue has no such list).
    const reconciler = new Reconciler({
      store: w.store,
      venue: w.venue,
      manager: w.p.manager,
      tracker: w.p.tracker,
      market: w.p.state,
      clock: w.clock,
      logger: w.p.logger,
      notifier: w.p.notifier,
      metrics: executorMetrics(new MetricsRegistry()),
      markets: [BTC],
      equity: async () => krw('10000000'),
      unknownOrderPolicy: 'cancel',
      live: false,
      dryRun: false,
      closedOrders: async () => {
        const late = await w.inner.getOrder({ identifier: w.attempt(0) });
        return late === undefined || late.state === 'wait' ? [] : [late];
      },
      onRevived: (order) => w.p.engine.adoptRevived(order),
    });
    const action = revivedAction(await reconciler.reconcile());
    expect(action).toMatch(/^taken back as filled; already filled on the exchange; its fills count against/);
    const position = await w.store.getPosition(BTC, 'momentum_scalping');
    expect(position?.volume.toFixed()).toBe('0.00200002');
    await w.step(); // the decision's budget is spent: the resting re-send is pulled
    expect(await w.open()).toEqual([]);
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
    for (let i = 0; i < 12; i++) await w.step();
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
    await expectNoDuplicate(w);
  });
});

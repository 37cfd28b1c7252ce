import { executorMetrics, MetricsRegistry } from '../../executor/src/health/metrics';
import { Reconciler } from '../../executor/src/reconcile/reconciler';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { lateQuoteWorld } from './support/late-quote-world';
import {
  expectNoDuplicate,
  lateWorld,
  NOTIONAL,
  RESTING,
  revivedAction,
  untilResent,
} from './support/late-world';
import { BTC, BTC_BOOK } from './support/memory-world';

/*
 * The late request of late-arrival.test.ts down its other paths: a quote level's attempt, a late
 * attempt reconciliation finds already filled in Upbit's closed orders, and one the private stream
 * (myOrder) shows before any reconciliation runs.
 */

describe('a late request on its other paths', () => {
  it('of a quote level: cancelled at once, its fills count for the level, the level rests once', async () => {
    const { clock, store, inner, venue, p, level, open } = await lateQuoteWorld('late-q');
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

  it('seen first on the private stream: taken back and cancelled at once, its fills counted, alerted', async () => {
    const lower = { bids: BTC_BOOK.bids.slice(1), asks: BTC_BOOK.asks };
    const w = await lateWorld('late-i', RESTING, lower);
    await untilResent(w);
    await w.venue.arrive();
    w.inner.printTrade(BTC, '99999000', '0.0015', 'ask'); // 149,998.5 KRW of the late attempt 0
    const late = await w.inner.getOrder({ identifier: w.attempt(0) });
    if (late === undefined) throw new Error('the late request did not arrive');
    // Upbit's myOrder frame for it, long before the next reconciliation.
    await w.p.manager.onOrderEvent({
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
    });
    await w.p.settle(BTC);
    expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('cancelled');
    expect((await w.spent()).toFixed()).toBe('149998.5');
    expect(w.p.notifier.texts().some((t) => t.includes('revived_order') && t.includes('cancelled'))).toBe(
      true,
    );
    await w.step(); // attempt 1 (200k) would now over-spend: pulled, then re-placed from what is left
    expect((await w.store.getOrder(w.attempt(1)))?.state).toBe('cancelled');
    w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
    for (let i = 0; i < 12; i++) await w.step();
    expect(await w.open()).toEqual([]);
    expect((await w.spent()).lte(NOTIONAL)).toBe(true);
    const report = await w.p.reconciler.reconcile(); // nothing left for reconciliation to take back
    expect(report.discrepancies.filter((x) => x.kind === 'revived_order')).toEqual([]);
  });
});

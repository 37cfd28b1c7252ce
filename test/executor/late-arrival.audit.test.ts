import { ZERO } from '../../shared/src/domain/money/decimal';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { LateVenue } from './support/late-venue';
import { BTC } from './support/memory-world';
import { passiveBuyStack } from './support/passive-buy-stack';

/*
 * Audit, claim 2 at its edge: a POST /orders whose outcome is unknown (the adapter gave up after its
 * timeouts) is looked up by identifier; after UNKNOWN_OUTCOME_GRACE_MS (30 s) of "not found" the
 * executor marks it rejected and the plan moves on to the next attempt under a new identifier. If the
 * first request then does reach the matching engine (a request stuck in a proxy or a load balancer
 * queue), reconciliation takes it back as open ("revived_order"). This follows what happens next.
 */

describe('audit: an order request that arrives after the executor gave up on it', () => {
  // Was a COUNTEREXAMPLE (claim 2, edge; low likelihood). After the 30 s grace the plan re-sends
  // under attempt 1. The late attempt-0 buy arrived and was revived by reconciliation, but no plan
  // owned it: it was neither counted against the decision's remaining budget while both rested, nor
  // cancelled when the decision expired; it filled when the market came down to it, and the decision
  // spent up to twice its notional. Fixed: a revived attempt is its decision's (a stray of its leg,
  // cancelled by the running plan, fills counted; or cancelled by the engine when no plan runs).
  // late-arrival.test.ts covers the other orders of events.
  it('a revived late order is cancelled with its decision and the decision never over-spends', async () => {
    const {
      clock,
      store,
      inner,
      venue,
      p,
      decision: d,
    } = await passiveBuyStack('late', (v) => new LateVenue(v));
    expect((await store.getOrder(orderIdentifier(d.id, 0, 0)))?.state).toBe('submitted');
    const step = async () => {
      await clock.advance(2_500);
      p.engine.poke(BTC);
      await p.settle(BTC);
      await p.tracker.pollOnce();
    };
    // Past the 30 s grace: attempt 0 is given up (rejected) and the plan re-sends as attempt 1.
    for (let i = 0; i < 14; i++) await step();
    expect((await store.getOrder(orderIdentifier(d.id, 0, 0)))?.state).toBe('rejected');
    expect((await store.listOrdersByDecision(d.id)).length).toBeGreaterThan(1);
    // The first request reaches the venue now; reconciliation runs (every few minutes in production).
    await venue.arrive();
    await p.reconciler.reconcile();
    for (let i = 0; i < 20; i++) await step(); // past the decision's expiry
    // The market comes down through the resting bids.
    inner.printTrade(BTC, '99990000', '0.01', 'ask');
    await p.tracker.pollOnce();
    await p.reconciler.reconcile();

    const orders = await store.listOrdersByDecision(d.id);
    const spent = orders.reduce((s, o) => s.plus(o.executedFunds), ZERO);
    const open = (await inner.listOpenOrders(BTC)).map((o) => o.identifier);
    expect({ open, overspent: spent.gt(d.intent.kind === 'directional' ? d.intent.notional : 0) }).toEqual({
      open: [],
      overspent: false,
    });
  });
});

import fc from 'fast-check';
import type { ExecutionSettings } from '../../executor/src/execution/plan-support';
import { type Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { SETTINGS } from './support/execution-world';
import { LateVenue } from './support/late-venue';
import { BTC, BTC_BOOK } from './support/memory-world';
import { passiveBuyStack } from './support/passive-buy-stack';
import { type ProcessStack, processStack } from './support/restart-stack';

/*
 * The late request of late-arrival.test.ts in every order of events fast-check picks: when it
 * arrives (before the 30 s grace, right after the re-send, after the expiry), how much of the re-send
 * filled before, how much of the late attempt trades before reconciliation sees it, how many steps
 * the plan takes meanwhile, an emergency latch, a restart, failing cancels, the maker window. Paper
 * venue. Whatever the order: nothing rests at the end, an identifier is sent once, nothing is placed
 * under the latch, and from the moment reconciliation sees the late attempt the decision spends
 * nothing beyond its notional (what the two attempts filled before anyone could know is booked as
 * it happened, and caps what follows).
 */

const NOTIONAL = 200_000;
const RESTING: ExecutionSettings = { ...SETTINGS, makerWindowMs: 120_000 };
let scope = 0;

const scenario = fc.record({
  resting: fc.boolean(),
  lower: fc.boolean(),
  arriveAfter: fc.integer({ min: 1, max: 30 }),
  fillBefore: fc.constantFrom('0', '0.001', '0.01'),
  lateFill: fc.constantFrom('0', '0.0005', '0.0015', '0.003'),
  stepsUnseen: fc.integer({ min: 0, max: 3 }),
  latch: fc.boolean(),
  restart: fc.boolean(),
  failCancels: fc.integer({ min: 0, max: 2 }),
});

describe('a late request in any order of events', () => {
  it('leaves nothing resting, sends nothing twice and never spends past the notional once seen', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        scope += 1;
        const w = await passiveBuyStack(
          `late-p${scope}`,
          (v) => new LateVenue(v),
          s.resting ? RESTING : SETTINGS,
        );
        const settings = s.resting ? RESTING : SETTINGS;
        if (s.lower) {
          const lower = { bids: BTC_BOOK.bids.slice(1), asks: BTC_BOOK.asks };
          w.inner.setBook(BTC, lower);
          w.p.feedBook(BTC, lower);
        }
        const step = async (p: ProcessStack) => {
          await w.clock.advance(2_500);
          p.engine.poke(BTC);
          await p.settle(BTC);
          await p.tracker.pollOnce();
        };
        const spent = async (): Promise<Decimal> =>
          (await w.store.listOrdersByDecision(w.decision.id)).reduce<Decimal>(
            (sum, o) => sum.plus(o.executedFunds),
            ZERO,
          );
        for (let i = 0; i < s.arriveAfter; i++) await step(w.p);
        if (s.fillBefore !== '0') w.inner.printTrade(BTC, '99999000', s.fillBefore, 'ask');
        let ordersAtLatch: number | undefined;
        if (s.latch) {
          await w.p.control.emergencyStop({ reason: 'property', actor: 'property', state: 'halted' });
          ordersAtLatch = (await w.store.listOrdersByDecision(w.decision.id)).length;
        }
        await w.venue.arrive();
        if (s.lateFill !== '0') w.inner.printTrade(BTC, '99999000', s.lateFill, 'ask');
        for (let i = 0; i < s.stepsUnseen; i++) await step(w.p);
        w.venue.cancelFailures = s.failCancels;
        let p = w.p;
        if (s.restart) {
          p = processStack({ clock: w.clock, store: w.store, venue: w.venue }, undefined, [BTC], settings);
          p.feedBook(BTC, s.lower ? { bids: BTC_BOOK.bids.slice(1), asks: BTC_BOOK.asks } : BTC_BOOK);
          await p.start();
        } else {
          await p.reconciler.reconcile();
        }
        const seen = await spent();
        const stop = new AbortController();
        const loop = p.engine.run(stop.signal);
        // The market falls through every bid once the venue takes cancels again (up to two fail,
        // retried every 5 s): a late attempt whose cancels the venue refuses cannot be stopped.
        for (let i = 0; i < 8; i++) await step(p);
        w.inner.printTrade(BTC, '99990000', '0.05', 'ask');
        for (let i = 0; i < 40; i++) await step(p); // past the expiry and every retry
        await p.reconciler.reconcile();
        stop.abort();
        await loop;

        expect(await w.inner.listOpenOrders(BTC)).toEqual([]);
        const total = await spent();
        expect(total.lte(seen.gt(NOTIONAL) ? seen : NOTIONAL)).toBe(true);
        const orders = await w.store.listOrdersByDecision(w.decision.id);
        const ids = orders.map((o) => o.identifier);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toContain(orderIdentifier(w.decision.id, 0, 0));
        // Under the latch an attempt may be stored (refused by the gate), never sent.
        if (ordersAtLatch !== undefined)
          for (const o of orders.slice(ordersAtLatch)) {
            expect(o.state).toBe('rejected');
            expect(await w.inner.getOrder({ identifier: o.identifier })).toBeUndefined();
          }
      }),
      { seed: 20261205, numRuns: 100 },
    );
  });
});

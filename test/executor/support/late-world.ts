import type { ExecutionSettings } from '../../../executor/src/execution/plan-support';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { orderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import { SETTINGS } from './execution-world';
import { LateVenue } from './late-venue';
import { BTC, BTC_BOOK } from './memory-world';
import { type PassiveBuyStack, passiveBuyStack } from './passive-buy-stack';
import type { ProcessStack } from './restart-stack';

/*
 * The scene of the late-request tests (late-arrival*.test.ts): the passive 200,000 KRW buy of
 * passiveBuyStack on a paper venue whose first POST /orders times out and is kept to arrive later
 * (LateVenue), with the helpers those tests share.
 */

export const NOTIONAL = 200_000;
/** A maker window past the decision's expiry: the re-send rests post-only instead of escalating. */
export const RESTING: ExecutionSettings = { ...SETTINGS, makerWindowMs: 120_000 };

export type World = PassiveBuyStack<LateVenue> & {
  /** One executor tick: 2.5 s on, the plans stepped, the tracker's REST backstop. */
  step(p?: ProcessStack): Promise<void>;
  /** KRW the decision's orders spent, from the store. */
  spent(): Promise<Decimal>;
  orders(): Promise<LocalOrder[]>;
  open(): Promise<string[]>;
  attempt(n: number): ReturnType<typeof orderIdentifier>;
};

export async function lateWorld(scope: string, settings = RESTING, book = BTC_BOOK): Promise<World> {
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
export async function untilResent(w: World, state: LocalOrder['state'] = 'open'): Promise<void> {
  for (let i = 0; i < 14; i++) await w.step();
  expect((await w.store.getOrder(w.attempt(0)))?.state).toBe('rejected');
  expect((await w.store.getOrder(w.attempt(1)))?.state).toBe(state);
}

export function revivedAction(report: Awaited<ReturnType<ProcessStack['reconciler']['reconcile']>>): string {
  const found = report.discrepancies.filter((x) => x.kind === 'revived_order');
  expect(found).toHaveLength(1);
  return found[0]?.action ?? '';
}

/** Each identifier the venue ever saw, once: nothing was sent twice. */
export async function expectNoDuplicate(w: World): Promise<void> {
  const ids = (await w.orders()).map((o) => o.identifier);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    const seen = await w.inner.getOrder({ identifier: id });
    if (seen !== undefined) expect(seen.identifier).toBe(id);
  }
}

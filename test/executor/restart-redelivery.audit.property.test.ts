import fc from 'fast-check';
import { FAILPOINTS } from '../../executor/src/runtime/failpoints';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { MemoryTradingVenue } from '../../shared/src/adapters/memory/memory-trading-venue';
import type { DecisionMessage } from '../../shared/src/application/messaging/message-envelope';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import {
  makeDecisionId,
  type OrderIdentifier,
  parseOrderIdentifier,
} from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../shared/src/domain/trading/decision';
import type { VenueOrder } from '../../shared/src/ports/trading-venue';
import { firstDelivery } from './support/execution-world';
import { BTC, BTC_BOOK, T0 } from './support/memory-world';
import { Crash, type Durable, type ProcessStack, processStack } from './support/restart-stack';

/*
 * Audit, claim 1: a decision delivered again (SQS redelivery, before and after its first order reached
 * the venue) with the executor killed at any failpoint in between, then restarted (reconcile, resume,
 * redelivery): at most one venue order per identifier, no spend beyond the decision, local orders equal
 * the venue's, every venue trade booked exactly once, the position equal to the coins held. In-memory:
 * the failpoint throws instead of SIGKILL and every store/venue call of the "dead" process throws after
 * it, so nothing it does after the crash point becomes durable.
 */

const SEED = 20261205;

/** BTC_BOOK moved up by 3,000 KRW (three ticks). */
const UP_BOOK = {
  bids: BTC_BOOK.bids.map(([p, v]) => [String(Number(p) + 3_000), v] as const),
  asks: BTC_BOOK.asks.map(([p, v]) => [String(Number(p) + 3_000), v] as const),
};

type Kind = 'aggressive-bid' | 'passive-bid' | 'quotes' | 'aggressive-ask';

function intentOf(kind: Kind): DecisionIntent {
  switch (kind) {
    case 'aggressive-bid':
      return { kind: 'directional', side: 'bid', notional: krw('300000'), urgency: 'aggressive' };
    case 'passive-bid':
      return { kind: 'directional', side: 'bid', notional: krw('200000'), urgency: 'passive' };
    case 'aggressive-ask':
      return { kind: 'directional', side: 'ask', notional: krw('150000'), urgency: 'aggressive' };
    case 'quotes':
      return {
        kind: 'quotes',
        levels: [
          { side: 'bid', price: price('99999000'), volume: volume('0.001') },
          { side: 'bid', price: price('99990000'), volume: volume('0.001') },
        ],
      };
  }
}

function message(decision: Decision): DecisionMessage {
  return { type: 'decision', sentAt: decision.createdAt, producer: 'audit', decision };
}

/** Drives a process like its loops would: a book/trade, a plan step, an order poll; swallows its death. */
async function drive(p: ProcessStack, venue: MemoryTradingVenue, trade: boolean): Promise<void> {
  try {
    if (trade) venue.printTrade(BTC, '99990000', '0.0015', 'ask');
    p.engine.poke(BTC);
    await p.settle(BTC);
    await p.tracker.pollOnce();
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
}

async function deliver(p: ProcessStack, decision: Decision, receiveCount: number): Promise<void> {
  try {
    await p.handler.handle(message(decision), { ...firstDelivery(`m-${decision.id}`), receiveCount });
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
}

async function allVenueOrders(
  venue: MemoryTradingVenue,
  ids: readonly OrderIdentifier[],
): Promise<VenueOrder[]> {
  const out: VenueOrder[] = [];
  for (const identifier of ids) {
    const o = await venue.getOrder({ identifier });
    if (o !== undefined) out.push(o);
  }
  return out;
}

const scenario = fc.record({
  kind: fc.constantFrom<Kind>('aggressive-bid', 'passive-bid', 'quotes', 'aggressive-ask'),
  failpoint: fc.constantFrom(...FAILPOINTS),
  hits: fc.integer({ min: 1, max: 2 }),
  /** Redeliveries to the first process before it dies (a visibility timeout ran out mid-work). */
  earlyRedeliveries: fc.integer({ min: 0, max: 1 }),
  /** Steps the first process runs before it dies (it may die at the failpoint before that). */
  stepsBeforeDeath: fc.integer({ min: 0, max: 3 }),
  tradeWhileDown: fc.boolean(),
  downMs: fc.constantFrom(0, 1_000, 20_000, 45_000, 70_000),
  redeliveries: fc.integer({ min: 1, max: 3 }),
  concurrent: fc.boolean(),
});

describe('audit: redelivery and a crash at every failpoint, then a restart', () => {
  it('places at most one order per identifier, never over-spends, and ends equal to the venue', async () => {
    const seen = { died: new Set<string>(), withFills: 0, multiAttempt: 0, ordersBeforeDeath: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = new ManualClock(T0);
        const venue = new MemoryTradingVenue({
          markets: [BTC],
          clock,
          balances: s.kind === 'aggressive-ask' ? { KRW: '10000000', BTC: '0.01' } : { KRW: '10000000' },
        });
        venue.setBook(BTC, BTC_BOOK);
        const store = new MemoryStateStore();
        const durable: Durable = { clock, store, venue };
        const first = processStack(durable, `${s.failpoint}:${s.hits}`);
        first.feedBook(BTC, BTC_BOOK);
        first.gate.setReconciled(true);
        if (s.kind === 'aggressive-ask') {
          // The strategy holds what the account holds, booked before this decision.
          await recordFill(
            store,
            {
              fillId: 'seed.bid',
              identifier: 'qts.seed-BTC-20260302T0059-0.0.0' as OrderIdentifier,
              market: BTC,
              strategy: 'momentum_scalping',
              side: 'bid',
              price: price('99000000'),
              volume: volume('0.01'),
              fee: krw('495'),
              isMaker: true,
              at: (T0 - 60_000) as EpochMs,
            },
            krw('10000000'),
          );
        }
        const decision: Decision = {
          id: makeDecisionId('audit', BTC, T0 as EpochMs, 1),
          market: BTC,
          createdAt: T0 as EpochMs,
          expiresAt: (T0 + 60_000) as EpochMs,
          source: s.kind === 'quotes' ? 'market_making' : 'ensemble',
          strategy: s.kind === 'quotes' ? 'market_making' : 'momentum_scalping',
          intent: intentOf(s.kind),
          signals: [],
        };
        await deliver(first, decision, 1);
        for (let k = 0; k < s.earlyRedeliveries && !first.dead(); k++) await deliver(first, decision, 2 + k);
        for (let k = 0; k < s.stepsBeforeDeath && !first.dead(); k++) {
          await clock.advance(2_500);
          if (k === 0) {
            // The market moves up a few ticks: a resting maker re-prices (cancel, then a new attempt).
            venue.setBook(BTC, UP_BOOK);
            first.feedBook(BTC, UP_BOOK);
          }
          await drive(first, venue, k === 1);
        }
        // Killed (at the failpoint or from outside); the venue lives on.
        if (first.dead()) seen.died.add(s.failpoint);
        if ((await store.listOrdersByDecision(decision.id)).length > 0) seen.ordersBeforeDeath += 1;
        if (s.tradeWhileDown) venue.printTrade(BTC, '99990000', '0.0015', 'ask');
        await clock.advance(s.downMs);

        const second = processStack(durable);
        second.feedBook(BTC, BTC_BOOK);
        await second.start();
        const deliveries = Array.from({ length: s.redeliveries }, (_, k) => deliver(second, decision, 3 + k));
        if (s.concurrent) await Promise.all(deliveries);
        else for (const d of deliveries) await d;
        for (let t = 0; t < 40; t++) {
          await clock.advance(2_500);
          await drive(second, venue, t % 7 === 3);
        }
        await clock.advance(31_000);
        await second.tracker.pollOnce();
        await second.reconciler.reconcile();

        // ---- invariants ----
        const local = await store.listOrdersByDecision(decision.id);
        const ids = local.map((o) => o.identifier);
        const remote = await allVenueOrders(venue, ids);
        const open = await venue.listOpenOrders(BTC);
        const context = JSON.stringify(s);
        // Nothing of ours is left open, nothing on the venue is unknown to us.
        expect({ context, open: open.map((o) => o.identifier) }).toEqual({ context, open: [] });
        // Local equals venue, per identifier.
        for (const v of remote) {
          const l = local.find((o) => o.identifier === v.identifier);
          expect({ context, id: v.identifier, uuid: l?.uuid, executed: l?.executedVolume.toFixed() }).toEqual(
            {
              context,
              id: v.identifier,
              uuid: v.uuid,
              executed: v.executedVolume.toFixed(),
            },
          );
        }
        expect({
          context,
          activeLocal: (await store.listActiveOrders()).map((o) => `${o.identifier}:${o.state}`),
        }).toEqual({
          context,
          activeLocal: [],
        });
        // Never doubled: one marketable escalation at most; spend and volume within the decision.
        const intent = decision.intent;
        if (intent.kind === 'directional') {
          expect({ context, iocs: remote.filter((o) => o.timeInForce === 'ioc').length <= 1 }).toEqual({
            context,
            iocs: true,
          });
          if (intent.side === 'bid') {
            const spent = remote.reduce((sum, o) => sum.plus(o.executedFunds ?? ZERO), ZERO);
            expect({ context, overspent: spent.gt(intent.notional) }).toEqual({ context, overspent: false });
          } else {
            const sold = remote.reduce((sum, o) => sum.plus(o.executedVolume), ZERO);
            expect({ context, oversold: sold.gt('0.01') }).toEqual({ context, oversold: false });
          }
        } else if (intent.kind === 'quotes') {
          intent.levels.forEach((level, leg) => {
            const filled = remote
              .filter((o) => parseOrderIdentifier(o.identifier ?? '')?.leg === leg)
              .reduce((sum, o) => sum.plus(o.executedVolume), ZERO);
            expect({ context, leg, over: filled.gt(level.volume) }).toEqual({ context, leg, over: false });
          });
        }
        // Every venue trade booked once, nothing else booked; no reconciliation correction needed.
        const trades = remote.flatMap((o) => (o.trades ?? []).map((t) => `${t.uuid}.${o.side}`)).sort();
        const fills = (
          await store.listFills({ from: (T0 - 3_600_000) as EpochMs, to: (clock.now() + 1) as EpochMs })
        )
          .map((f) => f.fillId)
          .filter((id) => id !== 'seed.bid')
          .sort();
        expect({ context, fills }).toEqual({ context, fills: trades });
        if (fills.length > 0) seen.withFills += 1;
        if (local.some((o) => (parseOrderIdentifier(o.identifier)?.attempt ?? 0) > 0)) seen.multiAttempt += 1;
        const coin = (await venue.getBalances()).find((b) => b.currency === 'BTC');
        const held = (await store.listPositions()).reduce((sum, p) => sum.plus(p.volume), ZERO);
        expect({ context, held: held.toFixed() }).toEqual({
          context,
          held: (coin === undefined ? ZERO : coin.balance.plus(coin.locked)).toFixed(),
        });
      }),
      { seed: SEED, numRuns: 200 },
    );
    if (process.env.AUDIT_VERBOSE !== undefined)
      process.stderr.write(`${JSON.stringify({ ...seen, died: [...seen.died] })}\n`);
    // The schedule exercised what it claims: a death at every failpoint, fills, re-prices and resumes.
    expect([...seen.died].sort()).toEqual([...FAILPOINTS].sort());
    expect(seen.withFills).toBeGreaterThan(50);
    expect(seen.multiAttempt).toBeGreaterThan(10);
    expect(seen.ordersBeforeDeath).toBeGreaterThan(50);
  });
});

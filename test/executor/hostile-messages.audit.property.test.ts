import fc from 'fast-check';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryFifoQueue } from '../../shared/src/adapters/memory/memory-fifo-queue';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { MemoryTradingVenue } from '../../shared/src/adapters/memory/memory-trading-venue';
import {
  decodeDecisionMessage,
  encodeDecisionMessage,
} from '../../shared/src/application/messaging/message-envelope';
import { type ConsumeOutcome, QueueConsumer } from '../../shared/src/application/messaging/queue-consumer';
import { krw, price } from '../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../shared/src/domain/trading/decision';
import type { TradingVenue } from '../../shared/src/ports/trading-venue';
import { HOSTILE_VALUES, PATHS, withValue } from './support/hostile-values';
import { BTC, BTC_BOOK, T0 } from './support/memory-world';
import { type ProcessStack, processStack } from './support/restart-stack';

/*
 * Audit, claim 5: a malformed or hostile decision message (bad JSON, wrong schema, a market the
 * executor does not trade, an expired decision, an absurd size) is refused with a log line and
 * acknowledged or dead-lettered on its FIRST delivery (no retry loop, no halt of the consumer), and
 * nothing reaches the venue. The real QueueConsumer, decoder, DecisionHandler, engine and order
 * manager on the in-memory queue, store and paper venue.
 */

const SEED = 20261205;

interface QueueWorld {
  readonly clock: ManualClock;
  readonly queue: MemoryFifoQueue;
  readonly dlq: MemoryFifoQueue;
  readonly placed: string[];
  readonly p: ProcessStack;
  readonly consumer: QueueConsumer<ReturnType<typeof decodeOk>>;
}

function decodeOk(body: string) {
  const r = decodeDecisionMessage(body);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

function queueWorld(): QueueWorld {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const inner = new MemoryTradingVenue({ markets: [BTC], clock, balances: { KRW: '10000000', BTC: '1' } });
  inner.setBook(BTC, BTC_BOOK);
  const placed: string[] = [];
  const venue: TradingVenue = {
    placeOrder: async (r) => {
      placed.push(r.identifier);
      return inner.placeOrder(r);
    },
    cancelOrder: (ref) => inner.cancelOrder(ref),
    getOrder: (ref) => inner.getOrder(ref),
    listOpenOrders: (m) => inner.listOpenOrders(m),
    getBalances: () => inner.getBalances(),
  };
  const p = processStack({ clock, store, venue });
  p.feedBook(BTC, BTC_BOOK);
  p.gate.setReconciled(true);
  const dlq = new MemoryFifoQueue({ clock });
  const queue = new MemoryFifoQueue({ clock, deadLetterQueue: dlq, maxReceives: 50 });
  const consumer = new QueueConsumer({
    queue,
    clock,
    logger: p.logger,
    decode: decodeDecisionMessage,
    handle: p.handler.handle,
    maxAttempts: 5,
    visibilityTimeoutMs: 30_000,
    waitTimeMs: 0,
  });
  return { clock, queue, dlq, placed, p, consumer };
}

let seq = 0;

function decision(intent: DecisionIntent, overrides: Partial<Decision> = {}): Decision {
  return {
    id: makeDecisionId('hostile', BTC, T0 as EpochMs, ++seq),
    market: BTC,
    createdAt: T0 as EpochMs,
    expiresAt: (T0 + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent,
    signals: [],
    ...overrides,
  };
}

const BASE = decision({ kind: 'directional', side: 'bid', notional: krw('100000'), urgency: 'aggressive' });
const BASE_BODY = JSON.parse(encodeDecisionMessage(BASE, T0 as EpochMs, 'audit').body) as Record<
  string,
  unknown
>;

/** Well-formed decisions with hostile sizes and times (they pass the decoder; the handler and risk must refuse). */
const semanticBody = fc
  .record({
    side: fc.constantFrom('bid' as const, 'ask' as const),
    notional: fc.constantFrom('0', '1', '4999', '5000', '100000', '9999999', '10000001', '1000000000000000'),
    urgency: fc.constantFrom('passive' as const, 'aggressive' as const),
    created: fc.constantFrom(-3_600_000, -61_000, -60_001, -1_000, 0),
    expires: fc.constantFrom(-1, 0, 1, 60_000, 86_400_000),
    limitPrice: fc.constantFrom(undefined, '1', '99999000', '100000000', '1000000000000'),
  })
  .map((g) => {
    const d = decision(
      {
        kind: 'directional',
        side: g.side,
        notional: krw(g.notional),
        urgency: g.urgency,
        ...(g.limitPrice === undefined ? {} : { limitPrice: price(g.limitPrice) }),
      },
      { createdAt: (T0 + g.created) as EpochMs, expiresAt: (T0 + g.expires) as EpochMs },
    );
    return encodeDecisionMessage(d, T0 as EpochMs, 'audit').body;
  });

/** A hostile body: garbage text, random JSON, or the valid envelope with one field overwritten or dropped. */
const hostileBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  { arbitrary: semanticBody, weight: 3 },
  fc
    .record({
      path: fc.constantFrom(...PATHS),
      value: fc.oneof(
        fc.constantFrom(...HOSTILE_VALUES),
        fc.constant(undefined),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    })
    .map(({ path, value }) => JSON.stringify(withValue(BASE_BODY, path, value))),
);

/** The order an honest execution of BASE places (a 100,000 KRW IOC buy at the ask). */
function placesLikeBase(body: string): boolean {
  const r = decodeDecisionMessage(body);
  if (!r.ok) return false;
  const d = r.message.decision;
  const i = d.intent;
  return (
    d.market === BTC &&
    d.createdAt <= T0 &&
    d.expiresAt > T0 &&
    T0 - d.createdAt <= 60_000 &&
    (i.kind === 'quotes' ||
      (i.kind === 'directional' && i.notional.gte(5_000) && i.notional.lte(10_000_000)) ||
      i.kind === 'flatten')
  );
}

describe('audit: hostile decision messages', () => {
  it('are acknowledged or dead-lettered on the first delivery with a log line; refused ones place nothing', async () => {
    const tally = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const w = queueWorld();
        await w.queue.send(body, { groupId: BTC, dedupId: 'x' });
        let outcomes: ConsumeOutcome[];
        try {
          outcomes = await w.consumer.pollOnce();
        } catch (error) {
          throw new Error(`the consumer threw (halt) on ${body.slice(0, 300)}: ${String(error)}`);
        }
        const [outcome] = outcomes;
        tally.set(outcome?.result ?? 'none', (tally.get(outcome?.result ?? 'none') ?? 0) + 1);
        expect({ body: body.slice(0, 300), result: outcome?.result }).toEqual({
          body: body.slice(0, 300),
          result: outcome?.result === 'dead-lettered' ? 'dead-lettered' : 'acked',
        });
        expect(w.queue.depth()).toBe(0);
        // Whatever was not a well-formed, fresh, tradeable decision placed nothing.
        if (!placesLikeBase(body))
          expect({ body: body.slice(0, 300), placed: w.placed }).toEqual({
            body: body.slice(0, 300),
            placed: [],
          });
        // Every refusal says why.
        if (outcome?.result === 'dead-lettered')
          expect(w.p.logger.records().some((r) => r.msg === 'dead-lettering message')).toBe(true);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(tally.get('dead-lettered') ?? 0).toBeGreaterThan(100);
    expect(tally.get('acked') ?? 0).toBeGreaterThan(20);
  });

  it('the named hostile cases: unknown market dead-lettered, expired dropped, absurd size refused by risk', async () => {
    const cases: [string, Decision, string][] = [
      [
        'unknown market',
        { ...BASE, id: makeDecisionId('hostile', BTC, T0 as EpochMs, 9001), market: 'KRW-DOGE' as never },
        'dead-lettered',
      ],
      [
        'expired by TTL',
        {
          ...BASE,
          id: makeDecisionId('hostile', BTC, T0 as EpochMs, 9002),
          createdAt: (T0 - 61_000) as EpochMs,
          expiresAt: (T0 + 60_000) as EpochMs,
        },
        'acked',
      ],
      [
        'past expiresAt',
        { ...BASE, id: makeDecisionId('hostile', BTC, T0 as EpochMs, 9003), expiresAt: T0 as EpochMs },
        'acked',
      ],
      [
        'absurd notional',
        decision({
          kind: 'directional',
          side: 'bid',
          notional: krw('1000000000000000'),
          urgency: 'aggressive',
        }),
        'acked',
      ],
      [
        'absurd sell',
        decision({
          kind: 'directional',
          side: 'ask',
          notional: krw('1000000000000000'),
          urgency: 'aggressive',
        }),
        'acked',
      ],
    ];
    for (const [name, d, expected] of cases) {
      const w = queueWorld();
      const m = encodeDecisionMessage(d, T0 as EpochMs, 'audit');
      await w.queue.send(m.body, { groupId: m.groupId, dedupId: m.dedupId });
      const [outcome] = await w.consumer.pollOnce();
      expect({ name, result: outcome?.result }).toEqual({ name, result: expected });
      if (name === 'absurd sell') {
        // Sells at most what the strategy holds (nothing): no order.
        expect({ name, placed: w.placed }).toEqual({ name, placed: [] });
      } else expect({ name, placed: w.placed }).toEqual({ name, placed: [] });
    }
  });

  // Was a COUNTEREXAMPLE (claim 5), fixed on main (cb28bda: more than a bar ahead is refused). It read: A decision stamped in the future is accepted (age = now − createdAt is
  // negative, so the TTL check passes) and ExecutionEngine.#remember records it as the newest decision
  // of its strategy, market and kind. Every honest decision of that strategy and market made before
  // the bogus timestamp is then dropped as "superseded" (its orders cancelled) until the process
  // restarts: the strategy cannot buy or sell through its decisions in that market.
  it('a decision created in the future does not make later honest decisions "superseded"', async () => {
    const w = queueWorld();
    const future = decision(
      { kind: 'directional', side: 'bid', notional: krw('4000'), urgency: 'aggressive' },
      { createdAt: (T0 + 86_400_000) as EpochMs, expiresAt: (T0 + 86_460_000) as EpochMs },
    );
    const honest = decision({
      kind: 'directional',
      side: 'bid',
      notional: krw('100000'),
      urgency: 'aggressive',
    });
    for (const d of [future, honest]) {
      const m = encodeDecisionMessage(d, T0 as EpochMs, 'audit');
      await w.queue.send(m.body, { groupId: m.groupId, dedupId: m.dedupId });
      await w.consumer.pollOnce();
    }
    expect(
      w.p.logger.records().some((r) => String(r.msg).startsWith('decision dropped: a newer decision')),
    ).toBe(false);
    expect(w.placed.length).toBe(1);
  });
});

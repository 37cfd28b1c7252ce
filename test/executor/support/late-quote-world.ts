import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { MemoryTradingVenue } from '../../../shared/src/adapters/memory/memory-trading-venue';
import { makeDecisionId, orderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import { firstDelivery, quotes } from './execution-world';
import { LateVenue } from './late-venue';
import { BTC, BTC_BOOK, T0 } from './memory-world';
import { type ProcessStack, processStack } from './restart-stack';

/** The quote-level scene of the late-request tests, once level 0's attempt 0 was given up and attempt 1 rests. */
export interface LateQuoteWorld {
  readonly clock: ManualClock;
  readonly store: MemoryStateStore;
  readonly inner: MemoryTradingVenue;
  readonly venue: LateVenue;
  readonly p: ProcessStack;
  readonly decision: Decision;
  /** Identifier of level 0's attempt `n`. */
  level(n: number): ReturnType<typeof orderIdentifier>;
  /** Identifiers of the orders resting on the venue, sorted. */
  open(): Promise<string[]>;
}

/**
 * A market-making decision quoting one 0.001 BTC bid at 99,900,000 on a venue whose first POST
 * /orders times out and is kept to arrive later (LateVenue), stepped 35 s so the request is given
 * up after its 30 s grace and the level re-sent as attempt 1: the start of every late quote scene.
 */
export async function lateQuoteWorld(scope: string): Promise<LateQuoteWorld> {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const inner = new MemoryTradingVenue({ markets: [BTC], clock, balances: { KRW: '10000000' } });
  inner.setBook(BTC, BTC_BOOK);
  const venue = new LateVenue(inner);
  const p = processStack({ clock, store, venue });
  p.feedBook(BTC, BTC_BOOK);
  p.gate.setReconciled(true);
  const decision: Decision = {
    id: makeDecisionId(scope, BTC, T0 as EpochMs, 1),
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
  for (let i = 0; i < 14; i++) {
    await clock.advance(2_500);
    p.engine.poke(BTC);
    await p.settle(BTC);
    await p.tracker.pollOnce();
  }
  return {
    clock,
    store,
    inner,
    venue,
    p,
    decision,
    level: (n) => orderIdentifier(decision.id, 0, n),
    open: async () => (await inner.listOpenOrders(BTC)).map((o) => o.identifier ?? o.uuid).sort(),
  };
}

import type { ExecutionSettings } from '../../../executor/src/execution/plan-support';
import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { MemoryTradingVenue } from '../../../shared/src/adapters/memory/memory-trading-venue';
import { krw } from '../../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { TradingVenue } from '../../../shared/src/ports/trading-venue';
import { firstDelivery, SETTINGS } from './execution-world';
import { BTC, BTC_BOOK, T0 } from './memory-world';
import { type ProcessStack, processStack } from './restart-stack';

/** A reconciled process stack on a paper venue seen through `wrap`, after one passive buy was handled. */
export interface PassiveBuyStack<V extends TradingVenue> {
  readonly clock: ManualClock;
  readonly store: MemoryStateStore;
  readonly inner: MemoryTradingVenue;
  readonly venue: V;
  readonly p: ProcessStack;
  readonly decision: Decision;
}

/**
 * The scene several fault tests start from: 10M KRW on a BTC paper venue wrapped by `wrap` (the
 * fault to inject), the executor's stack on it, and a passive 200,000 KRW momentum buy of decision
 * scope `scope` delivered once. What the venue did with it is for the test to check. `settings` are
 * the shipped execution defaults unless the scene needs others.
 */
export async function passiveBuyStack<V extends TradingVenue>(
  scope: string,
  wrap: (inner: MemoryTradingVenue) => V,
  settings: ExecutionSettings = SETTINGS,
): Promise<PassiveBuyStack<V>> {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const inner = new MemoryTradingVenue({ markets: [BTC], clock, balances: { KRW: '10000000' } });
  inner.setBook(BTC, BTC_BOOK);
  const venue = wrap(inner);
  const p = processStack({ clock, store, venue }, undefined, [BTC], settings);
  p.feedBook(BTC, BTC_BOOK);
  p.gate.setReconciled(true);
  const decision = await deliverPassiveBuy(p, scope, 1, 'audit');
  return { clock, store, inner, venue, p, decision };
}

/**
 * Delivers, once, a passive 200,000 KRW momentum buy of KRW-BTC at T0 (expiring a minute later) to
 * `p`, under decision scope `scope` and sequence `seq`: the decision the late-request and fault
 * scenes start from.
 */
export async function deliverPassiveBuy(
  p: ProcessStack,
  scope: string,
  seq: number,
  producer: string,
): Promise<Decision> {
  const decision: Decision = {
    id: makeDecisionId(scope, BTC, T0 as EpochMs, seq),
    market: BTC,
    createdAt: T0 as EpochMs,
    expiresAt: (T0 + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent: { kind: 'directional', side: 'bid', notional: krw('200000'), urgency: 'passive' },
    signals: [],
  };
  await p.handler.handle({ type: 'decision', sentAt: T0 as EpochMs, producer, decision }, firstDelivery());
  return decision;
}

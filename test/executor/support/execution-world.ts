import { DecisionHandler } from '../../../executor/src/execution/decision-handler';
import { ExecutionEngine } from '../../../executor/src/execution/execution-engine';
import { OrderBudget } from '../../../executor/src/execution/order-budget';
import type { ExecutionSettings, PlanDeps } from '../../../executor/src/execution/plan-support';
import { MarketState } from '../../../executor/src/feed/market-state';
import { OrderTracker } from '../../../executor/src/orders/order-tracker';
import type { PaperBook } from '../../../shared/src/adapters/memory/memory-trading-venue';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../../shared/src/domain/market/market-rules';
import { Decimal } from '../../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../../shared/src/domain/orders/identifiers';
import type { OrderSide } from '../../../shared/src/domain/orders/order-types';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../../shared/src/domain/trading/decision';
import { BTC, BTC_BOOK, ETH, type MemoryWorld, memoryWorld, TEST_LIMITS, viewOf } from './memory-world';

/** Settings of the execution tests (the shipped defaults). */
export const SETTINGS: ExecutionSettings = {
  makerWindowMs: 30_000,
  escalatePassive: true,
  repriceMinIntervalMs: 2_000,
  slippage: new Decimal('0.002'),
  minEdge: new Decimal(0),
};

/** The memory world plus the feed state, tracker, engine and decision handler wired as in production. */
export interface ExecutionWorld extends MemoryWorld {
  readonly state: MarketState;
  readonly tracker: OrderTracker;
  readonly engine: ExecutionEngine;
  readonly handler: DecisionHandler;
  readonly deps: PlanDeps;
  /** Sets other traders' book on the paper venue and in the feed state (as the feed would). */
  setBook(market: Market, book: PaperBook): void;
  /** A decision created now, expiring in a minute. */
  decision(intent: DecisionIntent, overrides?: Partial<Decision>): Decision;
}

let seq = 0;

/** Builds an {@link ExecutionWorld} with BTC_BOOK in the feed. */
export function executionWorld(
  settings: Partial<ExecutionSettings> = {},
  limits: RiskLimits = TEST_LIMITS,
): ExecutionWorld {
  const base = memoryWorld();
  const state = new MarketState([BTC, ETH]);
  const tracker = new OrderTracker({ store: base.store, clock: base.clock, logger: base.logger });
  const manager = base.managerWith({
    limits,
    marketView: (m) => state.view(m),
    onOrder: (o) => tracker.update(o),
  });
  tracker.attach(manager);
  const deps: PlanDeps = {
    manager,
    tracker,
    market: state,
    store: base.store,
    clock: base.clock,
    logger: base.logger,
    rules: KRW_MARKET_RULES,
    limits,
    settings: { ...SETTINGS, ...settings },
    budget: new OrderBudget(6, base.clock),
  };
  const engine = new ExecutionEngine(deps);
  const handler = new DecisionHandler({
    engine,
    decisions: base.store,
    gate: base.gate,
    clock: base.clock,
    logger: base.logger,
    metrics: base.metrics,
    markets: [BTC, ETH],
    ttlMs: 60_000,
  });
  const setBook = (market: Market, book: PaperBook) => {
    base.venue.setBook(market, book);
    const view = viewOf(market, book, base.clock.now());
    if (view.book !== undefined) state.applyBook(view.book);
    state.applyTrade({
      market,
      timestamp: base.clock.now(),
      price: Number(book.bids[0]?.[0] ?? 0),
      volume: 0.001,
      takerSide: 'ask',
      sequentialId: String(++seq),
    });
  };
  setBook(BTC, BTC_BOOK);
  const decision = (intent: DecisionIntent, overrides: Partial<Decision> = {}): Decision => {
    const now = base.clock.now();
    return {
      id: makeDecisionId('ens', BTC, now, ++seq),
      market: BTC,
      createdAt: now,
      expiresAt: (now + 60_000) as EpochMs,
      source: 'ensemble',
      strategy: 'momentum_scalping',
      intent,
      signals: [],
      ...overrides,
    };
  };
  return { ...base, state, tracker, engine, handler, deps, setBook, decision };
}

/** A directional intent. */
export function directional(
  side: OrderSide,
  notionalKrw: string,
  urgency: 'passive' | 'aggressive',
  extra: { limitPrice?: string; takeProfitPct?: number } = {},
): DecisionIntent {
  return {
    kind: 'directional',
    side,
    notional: krw(notionalKrw),
    urgency,
    ...(extra.limitPrice === undefined ? {} : { limitPrice: price(extra.limitPrice) }),
    ...(extra.takeProfitPct === undefined ? {} : { takeProfitPct: extra.takeProfitPct }),
  };
}

/** A quotes intent from `[side, price, volume]` rows. */
export function quotes(levels: readonly (readonly [OrderSide, string, string])[]): DecisionIntent {
  return {
    kind: 'quotes',
    levels: levels.map(([side, p, v]) => ({ side, price: price(p), volume: volume(v) })),
  };
}

/** Handler context of a first delivery. */
export function firstDelivery(messageId = 'm-1') {
  return { messageId, attempt: 1, receiveCount: 1, signal: new AbortController().signal };
}

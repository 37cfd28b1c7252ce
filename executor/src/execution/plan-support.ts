import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { type OrderIdentifier, orderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { OrderDraft } from '../../../shared/src/domain/orders/order-types';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { MarketState } from '../feed/market-state';
import { isFinalState } from '../orders/order-lifecycle';
import type { OrderManager, PlaceOutcome } from '../orders/order-manager';
import type { OrderTracker } from '../orders/order-tracker';
import type { OrderBudget } from './order-budget';

/** Execution settings derived once from the config. */
export interface ExecutionSettings {
  readonly makerWindowMs: number;
  readonly escalatePassive: boolean;
  readonly repriceMinIntervalMs: number;
  /** Worst price a marketable order accepts, as a fraction beyond the touch (guards.slippageBps). */
  readonly slippage: Decimal;
  /** Edge demanded above round-trip fees, as a fraction (executor.minEdgeBps). */
  readonly minEdge: Decimal;
}

/** What every plan works with. */
export interface PlanDeps {
  readonly manager: OrderManager;
  readonly tracker: OrderTracker;
  readonly market: MarketState;
  readonly store: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: MarketRules;
  readonly limits: RiskLimits;
  readonly settings: ExecutionSettings;
  readonly budget: OrderBudget;
}

/** Highest attempt number an identifier can carry (`orderIdentifier` allows 0–99). */
export const MAX_ATTEMPT = 99;

/**
 * The orders of one leg of a decision: attempt numbers are handed out strictly increasing from what
 * the store already holds, so a re-price after a crash never reuses an identifier, and at most one
 * attempt of a leg is working at any time.
 */
export class Leg {
  readonly orders = new Map<OrderIdentifier, LocalOrder>();
  #next = 0;
  working: OrderIdentifier | undefined;
  lastPlacedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly decision: Decision,
    readonly index: number,
  ) {}

  /** Takes back the orders the store holds for this leg (resume after a restart or redelivery). */
  adopt(order: LocalOrder, attempt: number): void {
    this.orders.set(order.identifier, order);
    this.#next = Math.max(this.#next, attempt + 1);
    if (!isFinalState(order.state)) {
      this.working = order.identifier;
      this.lastPlacedAt = Math.max(this.lastPlacedAt, order.createdAt);
    }
  }

  /** Refreshes the leg's orders from the tracker; clears `working` once it is final. */
  refresh(tracker: OrderTracker): LocalOrder | undefined {
    for (const id of this.orders.keys()) {
      const latest = tracker.get(id);
      if (latest !== undefined) this.orders.set(id, latest);
    }
    const w = this.working === undefined ? undefined : this.orders.get(this.working);
    if (w !== undefined && isFinalState(w.state)) this.working = undefined;
    return this.working === undefined ? undefined : w;
  }

  get attemptsLeft(): boolean {
    return this.#next <= MAX_ATTEMPT;
  }

  /** Sum over every attempt of this leg. */
  executed(): { volume: Decimal; funds: Decimal } {
    let volume: Decimal | undefined;
    let funds: Decimal | undefined;
    for (const o of this.orders.values()) {
      volume = volume === undefined ? o.executedVolume : volume.plus(o.executedVolume);
      funds = funds === undefined ? o.executedFunds : funds.plus(o.executedFunds);
    }
    return { volume: volume ?? ZERO, funds: funds ?? ZERO };
  }

  /** Places the next attempt of this leg. */
  async place(deps: PlanDeps, draft: OrderDraft): Promise<PlaceOutcome | undefined> {
    if (!this.attemptsLeft) return undefined;
    const identifier = orderIdentifier(this.decision.id, this.index, this.#next);
    this.#next += 1;
    const out = await deps.manager.place({
      decisionId: this.decision.id,
      decidedAt: this.decision.createdAt,
      identifier,
      strategy: this.decision.strategy,
      draft,
    });
    this.orders.set(identifier, out.order);
    this.lastPlacedAt = deps.clock.now();
    this.working = isFinalState(out.order.state) ? undefined : identifier;
    return out;
  }

  /** Cancels the working attempt (waiting for the venue); true when nothing is working any more. */
  async cancelWorking(deps: PlanDeps, reason: string): Promise<boolean> {
    const id = this.working;
    if (id === undefined) return true;
    const after = await deps.manager.cancel(id, reason);
    if (after !== undefined) this.orders.set(id, after);
    if (after === undefined || isFinalState(after.state)) this.working = undefined;
    return this.working === undefined;
  }
}

/** A plan turns one decision into orders over time. */
export interface ExecutionPlan {
  readonly decision: Decision;
  readonly kind: 'directional' | 'quotes' | 'flatten';
  readonly done: boolean;
  /** Does whatever the market and the orders call for now; the first call is the decision's initial step. */
  step(): Promise<void>;
  /** Cancels what is working and ends the plan (superseded, expired, emergency, drain). */
  finish(reason: string, cancel: boolean): Promise<void>;
  /** Identifiers of orders this plan has working. */
  working(): OrderIdentifier[];
}

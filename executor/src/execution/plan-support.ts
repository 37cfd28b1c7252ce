import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import {
  type OrderIdentifier,
  orderIdentifier,
  parseOrderIdentifier,
} from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { OrderDraft } from '../../../shared/src/domain/orders/order-types';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { MarketState } from '../feed/market-state';
import { isFinalState } from '../orders/order-lifecycle';
import type { OrderManager } from '../orders/order-manager';
import type { OrderTracker } from '../orders/order-tracker';
import type { PlaceOutcome } from '../orders/place-outcome';
import { describeError } from '../runtime/periodic';
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

/** Why a stray attempt (see {@link Leg}) is cancelled while its plan runs. */
export const STRAY_REASON = 'a late request of this decision arrived after the plan had moved on';

/** Highest attempt number an identifier can carry (`orderIdentifier` allows 0–99). */
export const MAX_ATTEMPT = 99;

/**
 * The orders of one leg of a decision: attempt numbers are handed out strictly increasing from what
 * the store already holds, so a re-price after a crash never reuses an identifier, and at most one
 * attempt of a leg is working at any time.
 *
 * Every other attempt that is not final is a *stray*: an attempt given up after an unknown outcome
 * (30 s not found) whose request reached the exchange late and was taken back by reconciliation, or
 * a second live attempt found on resume. A stray is never worked: the plan cancels it at once and
 * again at its end, while its fills count in {@link executed} like any attempt's, so the leg's
 * budget is spent at most once.
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

  /**
   * Takes back the orders the store holds for this leg (resume after a restart or redelivery). The
   * highest live attempt is the working one whatever order they come in; any other live one is a stray.
   */
  adopt(order: LocalOrder, attempt: number): void {
    this.orders.set(order.identifier, order);
    this.#next = Math.max(this.#next, attempt + 1);
    if (!isFinalState(order.state)) {
      const current = this.working === undefined ? undefined : parseOrderIdentifier(this.working);
      if (current === undefined || current.attempt < attempt) this.working = order.identifier;
      this.lastPlacedAt = Math.max(this.lastPlacedAt, order.createdAt);
    }
  }

  /** Whether `identifier` is an attempt of this leg (one the store or this process gave it). */
  owns(identifier: OrderIdentifier): boolean {
    if (this.orders.has(identifier)) return true;
    const parsed = parseOrderIdentifier(identifier);
    return parsed !== undefined && parsed.decisionId === this.decision.id && parsed.leg === this.index;
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

  /** Live attempts other than the working one (see the class comment). */
  strays(): LocalOrder[] {
    return [...this.orders.values()].filter((o) => o.identifier !== this.working && !isFinalState(o.state));
  }

  /**
   * Cancels every stray (waiting for the venue as {@link cancelWorking} does); true when none is left
   * live. A cancel that fails is logged and tried again on the plan's next step.
   */
  async cancelStrays(deps: PlanDeps, reason: string): Promise<boolean> {
    let clear = true;
    for (const stray of this.strays()) {
      deps.logger.warn('a second live attempt of a leg (a late request taken back); cancelling it', {
        decisionId: this.decision.id,
        identifier: stray.identifier,
        working: this.working,
        executedFunds: stray.executedFunds.toFixed(),
        reason,
      });
      const after = await deps.manager.cancel(stray.identifier, reason).catch((error: unknown) => {
        deps.logger.warn('could not cancel a stray attempt; retried on the next step', {
          identifier: stray.identifier,
          error: describeError(error),
        });
        return undefined;
      });
      if (after !== undefined) this.orders.set(stray.identifier, after);
      if (after === undefined || !isFinalState(after.state)) clear = false;
    }
    return clear;
  }

  /**
   * What the live attempts may still buy or sell: Σ unfilled volume, and Σ unfilled volume × limit
   * price (a limit bid never pays more; orders without a price count no funds, and plans only place
   * limits).
   */
  openRemainder(): { volume: Decimal; funds: Decimal } {
    let volume: Decimal = ZERO;
    let funds: Decimal = ZERO;
    for (const o of this.orders.values()) {
      if (isFinalState(o.state) || o.draft.volume === undefined) continue;
      const left = o.draft.volume.minus(o.executedVolume);
      if (!left.gt(0)) continue;
      volume = volume.plus(left);
      if (o.draft.price !== undefined) funds = funds.plus(left.times(o.draft.price));
    }
    return { volume, funds };
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
  /** Whether an order of the plan's decision belongs to one of its legs (a revived late attempt does). */
  owns(identifier: OrderIdentifier): boolean;
  /** Live attempts besides the working ones (see {@link Leg}); after `finish`, ones whose cancel failed. */
  strays(): OrderIdentifier[];
}

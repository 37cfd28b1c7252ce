import type { Market } from '../../../shared/src/domain/market/market-id';
import {
  type DecisionId,
  type OrderIdentifier,
  parseOrderIdentifier,
} from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import { isFinalState } from '../orders/order-lifecycle';
import { KeyedSerial } from '../runtime/keyed-serial';
import { describeError, runEvery } from '../runtime/periodic';
import { DirectionalPlan } from './directional-plan';
import { FlattenPlan } from './flatten-plan-runner';
import { NewestDecisions } from './newest-decisions';
import { OrphanOrders } from './orphan-orders';
import type { ExecutionPlan, PlanDeps } from './plan-support';
import { QuotePlan } from './quote-plan';
import { resumePlans } from './resume-plans';

/**
 * What accepting a decision did. `superseded`: a newer decision of the same strategy and market
 * (and a conflicting kind) was already accepted, so this older one (a delayed or redelivered copy)
 * does nothing and its working orders are pulled.
 */
export type AcceptOutcome = 'started' | 'resumed' | 'already-running' | 'hold' | 'finished' | 'superseded';

/** How often plans are stepped without a book change (re-pricing, deadlines, expiry). */
export const STEP_INTERVAL_MS = 250;

/**
 * Turns decisions into running plans and drives them: per market and strategy one directional plan
 * and one set of quotes at a time (a newer decision supersedes the older one, whose working orders
 * are cancelled first), plans stepped serially per market on every book change and every 250 ms. A decision is
 * accepted once its first step is durable: orders stored and sent (or refused), which is when its
 * queue message may be deleted. A decision seen again (redelivery, restart) resumes from its stored
 * orders instead of starting over, so it never executes twice.
 */
export class ExecutionEngine {
  readonly #deps: PlanDeps;
  readonly #plans = new Map<DecisionId, ExecutionPlan>();
  readonly #serial = new KeyedSerial();
  readonly #pending = new Set<Market>();
  /** Newest accepted decision per market, strategy and plan kind: an older one must never undo it. */
  readonly #newest = new NewestDecisions();
  readonly #orphans: OrphanOrders;
  #halted = false;

  constructor(deps: PlanDeps) {
    this.#deps = deps;
    this.#orphans = new OrphanOrders(deps);
  }

  /** Plans still running. */
  active(): ExecutionPlan[] {
    return [...this.#plans.values()].filter((p) => !p.done);
  }

  /** Starts (or resumes) the decision's plan and runs its first step; resolves when that is durable. */
  accept(decision: Decision, receivedAt: EpochMs): Promise<AcceptOutcome> {
    return this.#serial.run(decision.market, () => this.#accept(decision, receivedAt));
  }

  /** Steps every plan of a market soon (a book change); coalesced per market. */
  poke(market: Market): void {
    if (this.#pending.has(market) || this.#halted) return;
    this.#pending.add(market);
    void this.#serial
      .run(market, async () => {
        this.#pending.delete(market);
        await this.#stepMarket(market);
      })
      .catch((error: unknown) =>
        this.#deps.logger.warn('plan step failed', { market, error: describeError(error) }),
      );
  }

  /** Steps all plans every {@link STEP_INTERVAL_MS} until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runEvery(
      'execution step',
      STEP_INTERVAL_MS,
      async () => {
        const markets = new Set(this.active().map((p) => p.decision.market));
        for (const m of markets) this.poke(m);
        // Cancels are retried under the latch too: they never place anything.
        await this.#orphans.retryDue();
      },
      { clock: this.#deps.clock, logger: this.#deps.logger, signal },
    );
  }

  /**
   * Ends every plan (emergency stop, drain): no plan places anything afterwards. With `cancel`, each
   * plan's working orders are cancelled (`quotes` only cancels quote plans' orders, for a drain that
   * leaves nothing else running anyway).
   */
  async stopAll(
    reason: string,
    cancel: boolean | ((plan: ExecutionPlan) => boolean),
    halt = false,
  ): Promise<void> {
    if (halt) this.#halted = true;
    const plans = this.active();
    await Promise.all(
      plans.map((p) =>
        this.#serial.run(p.decision.market, () =>
          p.finish(reason, typeof cancel === 'function' ? cancel(p) : cancel),
        ),
      ),
    );
  }

  /**
   * Gives a late request that reconciliation took back (see `Reconciler`) to its decision, whose
   * identifier it carries: it is cancelled at once (retried until the venue confirms); a running plan
   * that owns its leg counts its fills and is stepped now, so an attempt that would now over-spend is
   * pulled. Resolves to what was done, for the alert; never throws.
   */
  adoptRevived(order: LocalOrder): Promise<string> {
    return this.#serial
      .run(order.market, async () => {
        const plan = this.#plans.get(order.decisionId);
        const owner = plan !== undefined && !plan.done && plan.owns(order.identifier) ? plan.kind : undefined;
        const done = await this.#orphans.revived(order, owner);
        if (owner !== undefined) this.poke(order.market);
        return done;
      })
      .catch((error: unknown) => {
        this.#deps.logger.error('could not hand a revived order to its decision', {
          identifier: order.identifier,
          error: describeError(error),
        });
        return `could not be handled (${describeError(error)}); check it on the exchange`;
      });
  }

  /** Orders no running plan owns whose cancel the venue has not confirmed yet. */
  orphans(): OrderIdentifier[] {
    return this.#orphans.pending();
  }

  /** Lets plans step again after a released latch (decisions start new plans as usual). */
  resumeTrading(): void {
    this.#halted = false;
  }

  /** Ends the plans of one strategy (switched off) or of every strategy for buys only. */
  async stopWhere(predicate: (plan: ExecutionPlan) => boolean, reason: string): Promise<void> {
    await Promise.all(
      this.active()
        .filter(predicate)
        .map((p) => this.#serial.run(p.decision.market, () => p.finish(reason, true))),
    );
  }

  /**
   * After a restart: resumes the plans of stored active orders whose decisions are still live and
   * cancels those of expired or unknown decisions; operator orders without a decision (adopted by
   * reconciliation, emergency flattening) are left to the operator.
   */
  resumeFromStore(active: readonly LocalOrder[]): Promise<void> {
    return resumePlans(this, this.#deps, active);
  }

  async #accept(decision: Decision, receivedAt: EpochMs): Promise<AcceptOutcome> {
    const d = this.#deps;
    if (this.#plans.get(decision.id)?.done === false) return 'already-running';
    if (decision.intent.kind === 'hold') {
      d.logger.info('hold: nothing to do', { decisionId: decision.id, market: decision.market });
      return 'hold';
    }
    const newer = this.#newest.newerThan(decision);
    if (newer !== undefined) {
      d.logger.warn('decision dropped: a newer decision of its strategy and market arrived first', {
        decisionId: decision.id,
        market: decision.market,
        newer,
      });
      for (const o of await d.store.listOrdersByDecision(decision.id))
        if (!isFinalState(o.state))
          await d.manager.cancel(o.identifier, `superseded by ${newer}`).catch(() => undefined);
      return 'superseded';
    }
    this.#newest.remember(decision);
    const stored = await d.store.listOrdersByDecision(decision.id);
    const prior = stored.flatMap((order) => {
      const parsed = parseOrderIdentifier(order.identifier);
      return parsed === undefined ? [] : [{ order, leg: parsed.leg, attempt: parsed.attempt }];
    });
    for (const p of prior) d.tracker.update(p.order);
    const resumed = prior.length > 0;
    if (resumed && prior.every((p) => isFinalState(p.order.state)) && decision.intent.kind !== 'quotes') {
      // Redelivered after it ran: what it did is booked, and it is not started again.
      d.logger.info('decision already executed; not executing again', {
        decisionId: decision.id,
        orders: prior.length,
      });
      return 'finished';
    }
    const plan = await this.#planFor(decision, receivedAt, prior);
    await this.#supersede(plan);
    this.#plans.set(decision.id, plan);
    if (plan instanceof DirectionalPlan) await plan.init();
    await plan.step();
    this.#forgetFinished();
    if (resumed) return 'resumed';
    return plan.done ? 'finished' : 'started';
  }

  async #planFor(
    decision: Decision,
    receivedAt: EpochMs,
    prior: readonly { order: LocalOrder; leg: number; attempt: number }[],
  ): Promise<ExecutionPlan> {
    const d = this.#deps;
    switch (decision.intent.kind) {
      case 'directional':
        return new DirectionalPlan(d, decision, receivedAt, prior);
      case 'quotes':
        return new QuotePlan(d, decision, prior);
      default:
        return new FlattenPlan(d, decision, prior, (flatten) => this.#cancelStrategyOrders(flatten));
    }
  }

  /**
   * A newer decision ends the older plan it replaces: of the same strategy (capital sleeves: each
   * strategy trades its own view, so two strategies' sells in one minute both run), the same market
   * and the same kind; a flatten ends every plan of its strategy in the market.
   */
  async #supersede(next: ExecutionPlan): Promise<void> {
    for (const p of this.active()) {
      if (p === next || p.decision.market !== next.decision.market) continue;
      if (p.decision.strategy !== next.decision.strategy) continue;
      if (p.kind === next.kind || next.kind === 'flatten')
        await p.finish(`superseded by ${next.decision.id}`, true);
    }
  }

  async #cancelStrategyOrders(flatten: Decision): Promise<void> {
    const d = this.#deps;
    for (const p of this.active())
      if (
        p.decision.market === flatten.market &&
        p.decision.strategy === flatten.strategy &&
        p.decision.id !== flatten.id
      )
        await p.finish(`flattening ${flatten.market}`, true);
    for (const o of d.tracker.active())
      if (o.market === flatten.market && o.strategy === flatten.strategy && o.decisionId !== flatten.id)
        await d.manager.cancel(o.identifier, `flattening ${flatten.market}`).catch(() => undefined);
  }

  async #stepMarket(market: Market): Promise<void> {
    if (this.#halted) return;
    for (const plan of this.active()) {
      if (plan.decision.market !== market) continue;
      try {
        await plan.step();
      } catch (error) {
        this.#deps.logger.warn('plan step failed; retried on the next step', {
          decisionId: plan.decision.id,
          error: describeError(error),
        });
      }
    }
    this.#forgetFinished();
  }

  /** Drops ended plans; a stray one could not cancel becomes an orphan, retried by {@link run}. */
  #forgetFinished(): void {
    for (const [id, p] of this.#plans) {
      if (!p.done) continue;
      this.#plans.delete(id);
      for (const stray of p.strays())
        void this.#orphans.cancel(
          stray,
          `stray of decision ${id}, whose plan ended before its cancel was confirmed`,
        );
    }
  }
}

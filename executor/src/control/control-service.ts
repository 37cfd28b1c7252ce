import {
  cancelAllOpenOrders,
  type EmergencyDeps,
  type TriggerEmergencyResult,
  triggerEmergency,
} from '../../../shared/src/application/emergency/trigger-emergency';
import type { ControlCommand } from '../../../shared/src/application/messaging/control-command';
import type { ControlMessage } from '../../../shared/src/application/messaging/message-envelope';
import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { EmergencyLatch } from '../../../shared/src/domain/trading/emergency';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { ExecutionEngine } from '../execution/execution-engine';
import type { MarketState } from '../feed/market-state';
import type { ExecutorMetrics } from '../health/metrics';
import type { OrderTracker } from '../orders/order-tracker';
import { runEvery } from '../runtime/periodic';
import type { TradingGate } from '../runtime/trading-gate';

/** How often the control item (latch, switches) is re-read: well inside the 1 s the executor must obey within. */
export const CONTROL_POLL_MS = 500;

/** How soon open orders whose cancel failed during a stop are swept again while the latch holds. */
export const CANCEL_RETRY_MS = 5_000;

/** Ports of {@link ControlService}. */
export interface ControlServiceDeps {
  readonly store: StateStore;
  readonly emergency: Omit<EmergencyDeps, 'store'>;
  readonly gate: TradingGate;
  readonly engine: Pick<ExecutionEngine, 'stopAll' | 'stopWhere' | 'resumeTrading'>;
  readonly tracker: Pick<OrderTracker, 'refresh' | 'pollOnce'>;
  readonly market: MarketState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ExecutorMetrics;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
}

function latchKey(latch: EmergencyLatch | undefined): string {
  return latch === undefined ? '' : `${latch.at}:${latch.state}`;
}

/**
 * Obeys the operator and the risk function. Two paths lead here and both are enough on their own: the
 * control queue (commands apply in order, within a long poll's wake-up) and the control item in the
 * state store, re-read every 500 ms (a latch set by the ops CLI, the API or a loss check is seen even
 * if its command was lost). An emergency stop raises the in-memory latch first (no order leaves after
 * that instant, and the gate is asked again before every send), runs the shared `triggerEmergency`
 * (latch persisted, every open order on the venue cancelled, operator alerted) at once, ends every plan,
 * then sweeps the open orders again and books the result. A stop that flattens holdings ends the plans
 * first (its sells must not race them). Cancels that failed are swept again every few seconds while
 * the latch holds.
 */
export class ControlService {
  #seenLatch = '';
  #emergency: Promise<unknown> = Promise.resolve();
  /** When open orders are swept again (a cancel failed during the stop), or undefined. */
  #cancelRetryAt: number | undefined;
  /** Control reads begun so far, and how many had begun when a stop last stored its latch. */
  #reads = 0;
  #latchStoredAfter: number | undefined;

  constructor(private readonly d: ControlServiceDeps) {}

  /** The control queue's handler. */
  handle = async (message: ControlMessage): Promise<void> => {
    const c = message.command;
    const log = this.d.logger.child({ commandId: c.id, command: c.kind, actor: c.actor });
    log.info('control command received', { issuedAt: c.issuedAt });
    await this.#apply(c);
    this.d.metrics.controlCommands.inc({ kind: c.kind });
    log.info('control command applied');
  };

  /** Re-reads the control item every 500 ms until `signal` aborts. */
  watch(signal: AbortSignal): Promise<void> {
    return runEvery('control poll', CONTROL_POLL_MS, () => this.refresh(), {
      clock: this.d.clock,
      logger: this.d.logger,
      signal,
    });
  }

  /** Reads the control item; a new or escalated latch triggers the stop routine, a released one lets plans run again. */
  async refresh(): Promise<void> {
    const read = ++this.#reads;
    const control = await this.d.store.getControl();
    const before = this.d.gate.latchState;
    // Only a read begun after the stop stored its latch may count an absent latch as a release.
    if (this.#latchStoredAfter !== undefined && read > this.#latchStoredAfter) {
      this.#latchStoredAfter = undefined;
      this.d.gate.latchStored();
    }
    this.d.gate.updateControl(control);
    const key = latchKey(control.latch);
    if (control.latch !== undefined && key !== this.#seenLatch) {
      this.#seenLatch = key;
      await this.emergencyStop({
        reason: control.latch.reason,
        actor: control.latch.actor,
        state: control.latch.state,
        trigger: control.latch.trigger,
      });
    } else if (control.latch === undefined && before !== undefined && this.d.gate.latchState === undefined) {
      this.#seenLatch = '';
      this.#cancelRetryAt = undefined;
      this.d.engine.resumeTrading();
      this.d.logger.info('emergency latch released; trading may resume');
    } else if (this.#cancelRetryAt !== undefined && this.d.clock.now() >= this.#cancelRetryAt) {
      await this.#sweepAgain();
    }
  }

  /** Cancels what is still open after a stop whose cancels failed (an exchange error, a 503). */
  async #sweepAgain(): Promise<void> {
    const venue = this.d.emergency.venue;
    this.#cancelRetryAt = undefined;
    if (venue === undefined || this.d.gate.latchState === undefined) return;
    const again = await cancelAllOpenOrders(venue);
    if (again.cancelFailures.length > 0) this.#cancelRetryAt = this.d.clock.now() + CANCEL_RETRY_MS;
    this.d.logger.warn('emergency stop: open orders swept again', {
      cancelled: again.cancelled.length,
      cancelFailures: again.cancelFailures.length,
    });
  }

  /** The stop routine (idempotent: run again it cancels whatever is still open). */
  emergencyStop(input: {
    readonly reason: string;
    readonly actor: string;
    readonly state: 'reducing' | 'halted';
    readonly trigger?: EmergencyLatch['trigger'];
    readonly flatten?: boolean;
  }): Promise<TriggerEmergencyResult> {
    const d = this.d;
    d.gate.raiseLatch(input.state);
    const run = this.#emergency.then(async () => {
      const flattens = input.state !== 'halted' && (input.flatten ?? d.limits.emergency.flattenOnTrigger);
      const trigger = (flatten: boolean | undefined) =>
        triggerEmergency(
          { ...d.emergency, store: d.store },
          {
            trigger: input.trigger ?? 'manual',
            reason: input.reason,
            actor: input.actor,
            state: input.state,
            limits: d.limits,
            rules: d.rules,
            books: d.market.books(),
            ...(flatten === undefined ? {} : { flatten }),
          },
        );
      // Ending the plans waits behind any plan step inside a placement (a rate-limit back-off, a
      // timeout: seconds), so a stop that flattens nothing is stored and cancels before that.
      const early = flattens ? undefined : await trigger(false);
      await d.engine.stopAll(`emergency stop: ${input.reason}`, false, input.state === 'halted');
      const result = early === undefined ? await trigger(input.flatten) : await this.#afterPlans(early);
      this.#cancelRetryAt = result.cancelFailures.length > 0 ? d.clock.now() + CANCEL_RETRY_MS : undefined;
      this.#latchStoredAfter = this.#reads;
      this.#seenLatch = latchKey(result.latch);
      d.logger.warn('emergency stop executed', {
        state: result.latch.state,
        outcome: result.outcome,
        cancelled: result.cancelled.length,
        cancelFailures: result.cancelFailures.length,
        flattened: result.flatten.ran ? result.flatten.placed.length : 0,
      });
      await d.tracker.refresh();
      await d.tracker.pollOnce();
      return result;
    });
    this.#emergency = run.catch(() => undefined);
    return run;
  }

  /** The early stop's result with a second sweep: what a placement in flight put on the book meanwhile. */
  async #afterPlans(early: TriggerEmergencyResult): Promise<TriggerEmergencyResult> {
    const venue = this.d.emergency.venue;
    if (venue === undefined) return early;
    const again = await cancelAllOpenOrders(venue);
    return {
      ...early,
      cancelled: [...early.cancelled, ...again.cancelled],
      cancelFailures: again.cancelFailures,
    };
  }

  async #apply(c: ControlCommand): Promise<void> {
    const d = this.d;
    const at = d.clock.now();
    switch (c.kind) {
      case 'emergency_stop':
        await this.emergencyStop({ reason: c.reason, actor: c.actor, state: c.state });
        return;
      case 'close_all':
        await this.emergencyStop({ reason: c.reason, actor: c.actor, state: 'reducing', flatten: true });
        return;
      case 'release_emergency':
        // Released (authenticated, audited) by the API or the CLI; the executor only re-reads.
        await this.refresh();
        return;
      case 'start_trading':
        if (!(await d.store.getControl()).tradingEnabled) await d.store.setTradingEnabled(true, c.actor, at);
        await this.refresh();
        return;
      case 'stop_trading':
        if ((await d.store.getControl()).tradingEnabled) await d.store.setTradingEnabled(false, c.actor, at);
        await this.refresh();
        await d.engine.stopWhere((p) => p.kind !== 'flatten', `trading stopped by ${c.actor}`);
        return;
      case 'toggle_strategy': {
        const current = (await d.store.getControl()).strategyEnabled[c.strategy];
        if (current !== c.enabled) await d.store.setStrategyEnabled(c.strategy, c.enabled, c.actor, at);
        await this.refresh();
        if (!c.enabled)
          await d.engine.stopWhere(
            (p) => p.decision.strategy === c.strategy && p.kind !== 'flatten',
            `${c.strategy} switched off by ${c.actor}`,
          );
        return;
      }
    }
  }
}

import {
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
 * that instant), ends every plan, then runs the shared `triggerEmergency` (latch persisted, every open
 * order on the venue cancelled, holdings flattened when asked, operator alerted) and books the result.
 */
export class ControlService {
  #seenLatch = '';
  #emergency: Promise<unknown> = Promise.resolve();

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
    const control = await this.d.store.getControl();
    const before = this.d.gate.latchState;
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
    } else if (control.latch === undefined && before !== undefined) {
      this.#seenLatch = '';
      this.d.engine.resumeTrading();
      this.d.logger.info('emergency latch released; trading may resume');
    }
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
      await d.engine.stopAll(`emergency stop: ${input.reason}`, false, input.state === 'halted');
      const result = await triggerEmergency(
        { ...d.emergency, store: d.store },
        {
          trigger: input.trigger ?? 'manual',
          reason: input.reason,
          actor: input.actor,
          state: input.state,
          limits: d.limits,
          rules: d.rules,
          books: d.market.books(),
          ...(input.flatten === undefined ? {} : { flatten: input.flatten }),
        },
      );
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

import type { OrderSide } from '../../../shared/src/domain/orders/order-types';
import type { EmergencyLatch } from '../../../shared/src/domain/trading/emergency';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';
import type { ControlState } from '../../../shared/src/ports/control-store';

/**
 * The in-memory switchboard checked before every order, in front of the risk engine's own check on
 * fresh stored state: nothing goes out before reconciliation succeeded, while draining, in a dry run,
 * or against the latch and the operator's switches as last seen (a control command flips these at
 * once, before the store round trip). Only buys add risk: sells of holdings pass `reducing` and the
 * stop switches, as in the risk engine.
 */
export class TradingGate {
  #reconciled = false;
  #draining = false;
  #control: ControlState | undefined;
  #latch: EmergencyLatch['state'] | undefined;
  /** The local latch was raised after the store last showed one: a store without a latch has not caught up. */
  #latchUnconfirmed = false;

  constructor(private readonly dryRun = false) {}

  get reconciled(): boolean {
    return this.#reconciled;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** The stricter of the stored latch and one raised locally by a control command. */
  get latchState(): EmergencyLatch['state'] | undefined {
    const stored = this.#control?.latch?.state;
    if (stored === 'halted' || this.#latch === 'halted') return 'halted';
    return stored ?? this.#latch;
  }

  get control(): ControlState | undefined {
    return this.#control;
  }

  setReconciled(value: boolean): void {
    this.#reconciled = value;
  }

  startDraining(): void {
    this.#draining = true;
  }

  /**
   * The control item as just read from the store; a released latch clears the local one too — but
   * only once the store has shown a latch since the local one was raised: a poll that reads the
   * store before the stop routine persisted its latch is not a release.
   */
  updateControl(control: ControlState): void {
    this.#control = control;
    if (control.latch !== undefined) this.#latchUnconfirmed = false;
    else if (!this.#latchUnconfirmed) this.#latch = undefined;
  }

  /**
   * The stop routine stored the latch and a store read begun after that write is being applied: from
   * now on a read without a latch is a release (an operator may release within one poll of the stop).
   */
  latchStored(): void {
    this.#latchUnconfirmed = false;
  }

  /** A latch raised by a control command, effective before the store confirms it. */
  raiseLatch(state: EmergencyLatch['state']): void {
    if (this.#latch !== 'halted') this.#latch = state;
    this.#latchUnconfirmed = true;
  }

  /** Why an order of `strategy` on `side` may not be sent now, or undefined when it may. */
  blockReason(strategy: StrategyName | 'operator', side: OrderSide): string | undefined {
    if (this.dryRun) return 'dry run: no orders are placed';
    if (!this.#reconciled) return 'not reconciled with the exchange yet';
    const latch = this.latchState;
    if (latch === 'halted') return 'the emergency latch is halted';
    if (side === 'ask') return undefined;
    if (this.#draining) return 'draining: no new risk';
    if (latch === 'reducing') return 'the emergency latch allows only sells';
    const c = this.#control;
    if (c !== undefined && !c.tradingEnabled) return 'trading is stopped by the operator';
    if (c !== undefined && strategy !== 'operator' && c.strategyEnabled[strategy] === false)
      return `strategy ${strategy} is switched off`;
    return undefined;
  }
}

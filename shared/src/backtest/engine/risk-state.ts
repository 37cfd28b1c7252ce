import type { Krw } from '../../domain/money/quantities';
import { autoReleaseVerdict, type TriggerSeen } from '../../domain/risk/auto-release';
import { latchFor, tradingStateOf } from '../../domain/risk/emergency-state';
import {
  advanceLedgers,
  evaluateLossLimits,
  type LedgerSet,
  type LossStatus,
} from '../../domain/risk/loss-ledger';
import type { TradeStamp } from '../../domain/risk/pre-trade-check';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import type { EmergencyLatch, TradingState } from '../../domain/trading/emergency';

/** Counts risk events (latches set and released) by key, next to the order refusals. */
export type RiskEventCounter = (key: string) => void;

/**
 * The mutable risk facts the live system keeps in its state store (loss ledgers, emergency latch,
 * cooldown stamps; each strategy's closed-trade record lives in the engine's StrategyEdges), kept in memory for one backtest and updated
 * with the same domain functions the live risk path calls. Live, some latches (instant drop, weekly
 * and monthly losses) wait for an operator; with `assumeOperatorRelease` the backtest assumes the
 * operator releases them at the next KST day when no limit is breached, instead of refusing every
 * buy for the rest of a year-long run. Either way each latch and release is counted.
 */
export class BacktestRiskState {
  private ledgers: LedgerSet | undefined;
  private latch: EmergencyLatch | undefined;
  private status: LossStatus | undefined;
  private stamps: TradeStamp[] = [];
  private seen = new Map<string, TriggerSeen>();

  constructor(
    private readonly limits: RiskLimits,
    private readonly assumeOperatorRelease: boolean,
    private readonly count: RiskEventCounter,
  ) {}

  /** Current trading state implied by the latch. */
  get state(): TradingState {
    return tradingStateOf(this.latch);
  }

  /** Latest loss evaluation, for the pre-trade check. */
  get lossStatus(): LossStatus | undefined {
    return this.status;
  }

  /** Cooldown stamps still inside the cooldown window. */
  get recentTrades(): readonly TradeStamp[] {
    return this.stamps;
  }

  /**
   * Rolls the KST ledgers to `at`, evaluates the loss limits on `equity`, releases the latch when the
   * live roll-over rule (or the assumed operator) allows, and latches on a breach.
   */
  markEquity(at: EpochMs, equity: Krw): void {
    this.ledgers = advanceLedgers(this.ledgers ?? {}, at, equity).ledgers;
    const status = evaluateLossLimits(this.ledgers, equity, this.limits.loss);
    this.status = status;
    const breach = status.breaches[0];
    if (this.latch !== undefined) this.release(at, status);
    if (this.latch === undefined && breach !== undefined) {
      this.latch = latchFor(
        {
          trigger: breach.trigger,
          reason: `${breach.trigger}: loss ${breach.loss.times(100).toFixed(2)} % ≥ ${breach.limit.times(100).toFixed(2)} %`,
          actor: 'backtest',
          at,
        },
        this.limits.emergency,
      );
      this.count(`latch:${breach.trigger}`);
    }
    const horizon = at - this.limits.minMsBetweenTrades;
    if (this.stamps.length > 0 && (this.stamps[0] as TradeStamp).at <= horizon)
      this.stamps = this.stamps.filter((s) => s.at > horizon);
  }

  private release(at: EpochMs, status: LossStatus): void {
    const latch = this.latch as EmergencyLatch;
    for (const b of status.breaches)
      this.seen.set(`${b.trigger}|${b.periodKey}`, { trigger: b.trigger, periodKey: b.periodKey });
    const verdict = autoReleaseVerdict(latch, at, this.limits.release, status, [...this.seen.values()], true);
    let key: string | undefined;
    if (verdict.release) key = 'release:auto';
    else if (
      this.assumeOperatorRelease &&
      status.breaches.length === 0 &&
      kstDateKey(at) !== kstDateKey(latch.at)
    )
      key = 'release:assumed_operator';
    if (key === undefined) return;
    this.latch = undefined;
    this.seen = new Map();
    this.count(key);
  }

  /** Records an order placement for the per-market cooldown. */
  stamp(stamp: TradeStamp): void {
    this.stamps.push(stamp);
  }
}

import type { Market } from '../../domain/market/market-id';
import { decimalOfUnits } from '../../domain/money/decimal-units';
import { type Krw, krw } from '../../domain/money/quantities';
import type { DecisionId } from '../../domain/orders/identifiers';
import { autoReleaseVerdict, type TriggerSeen } from '../../domain/risk/auto-release';
import type { TradeStamp } from '../../domain/risk/cooldown';
import { latchFor, tradingStateOf } from '../../domain/risk/emergency-state';
import type { LossStatus } from '../../domain/risk/loss-status';
import { LossLimitTracker } from '../../domain/risk/loss-tracker';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../domain/risk/risk-limits';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { EmergencyLatch, TradingState } from '../../domain/trading/emergency';
import { kstDayNumber } from './equity-curve';
import { RefusalTally } from './refusal-tally';

/**
 * Counts risk events (latches set and released) by key, next to the order refusals. An object with
 * a method, not a closure: the engine hands over a {@link RefusalTally}, the same class as the load
 * time warm-up below, so the latch branch's call has one target in every run.
 */
export interface RiskEventCounter {
  count(key: string): void;
}

/**
 * The mutable risk facts the live system keeps in its state store (loss ledgers, emergency latch,
 * cooldown stamps; each strategy's closed-trade record lives in the engine's StrategyEdges), kept in
 * memory for one backtest and updated with the same domain functions the live risk path calls.
 * Live, some latches (instant drop, weekly and monthly losses) wait for an operator; with
 * `assumeOperatorRelease` the backtest assumes the operator releases them at the next KST day when
 * no limit is breached, instead of refusing every buy for the rest of a year-long run. Either way
 * each latch and release is counted.
 */
export class BacktestRiskState {
  private readonly loss: LossLimitTracker;
  /**
   * Written in the constructor, not only at the first breach: with class fields of assign semantics
   * an undeclared-until-written field is added to the object when first set, a new hidden class.
   * A run's first latch (~day 332 of a market-making year) then gave the state a class every
   * optimised reader of it (the risk context, the engine's mark and settle) had never seen, and V8
   * threw that code away and compiled it again.
   */
  private latch: EmergencyLatch | undefined = undefined;
  private stamps: TradeStamp[] = emptyRefs();
  /** Stamps whose buy has not reached its bar yet (filled or not is still open). */
  private unsettled: TradeStamp[] = emptyRefs();
  private seen = new Map<string, TriggerSeen>();
  /** Whether the latest mark breached a loss limit. */
  private breached = false;

  constructor(
    private readonly limits: RiskLimits,
    private readonly assumeOperatorRelease: boolean,
    private readonly count: RiskEventCounter,
  ) {
    this.loss = new LossLimitTracker(limits.loss);
  }

  /** Current trading state implied by the latch. */
  get state(): TradingState {
    return tradingStateOf(this.latch);
  }

  /**
   * The loss status the order path needs: the latest evaluation when it blocks risk-adding orders
   * (a breach), else undefined. Every order check reads only a status's breaches (the pre-trade
   * check, the ladder path), and a passing status, whose loss fractions only a display reads, cost
   * an object with two own getters per changed mark (~1 µs a bar of market making, whose context is
   * made every bar). The full evaluation, breached or not, is {@link latestLossStatus}.
   */
  get lossStatus(): LossStatus | undefined {
    return this.breached ? this.loss.status : undefined;
  }

  /** Latest loss evaluation, breached or not (built on first read after a mark that changed it). */
  get latestLossStatus(): LossStatus | undefined {
    return this.loss.status;
  }

  /** Whether some stamp waits for its order's bar (see {@link settle}). */
  get hasUnsettled(): boolean {
    return this.unsettled.length > 0;
  }

  /** Cooldown stamps (risk-adding decisions at their decision time) still inside the cooldown window. */
  get recentTrades(): readonly TradeStamp[] {
    return this.stamps;
  }

  /**
   * Rolls the KST ledgers to `at`, evaluates the loss limits on `equity`, releases the latch when the
   * live roll-over rule (or the assumed operator) allows, and latches on a breach.
   */
  markEquity(at: EpochMs, equity: Krw): void {
    // The same ledgers and status as advancing and evaluating at every bar, done only when they change.
    const breaches = this.loss.update(at, equity);
    // Read at every mark, past the end of the shared empty list at most marks (undefined, as the
    // list is not frozen: see loss-tracker.ts): a load first made at the run's first breach had no
    // feedback in the optimised step it was inlined in, which V8 then threw away (~day 330).
    const breach = breaches[0];
    this.breached = breach !== undefined;
    if (this.latch !== undefined) this.release(at, this.loss.status as LossStatus);
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
      this.count.count(`latch:${breach.trigger}`);
    }
    const horizon = at - this.limits.minMsBetweenTrades;
    if (this.stamps.length > 0 && (this.stamps[0] as TradeStamp).at <= horizon)
      this.stamps = stampsAfter(this.stamps, horizon);
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
      kstDayNumber(at) !== kstDayNumber(latch.at)
    )
      key = 'release:assumed_operator';
    if (key === undefined) return;
    this.latch = undefined;
    this.seen = new Map();
    this.count.count(key);
  }

  /**
   * Records a risk-adding decision's placed buy for the per-market cooldown (see cooldown.ts), once
   * per decision. It stays while the buy waits for its bar and, once the bar ran, only if it filled.
   */
  stamp(stamp: TradeStamp): void {
    if (this.stamps.some((s) => s.decisionId === stamp.decisionId)) return;
    this.stamps.push(stamp);
    this.unsettled.push(stamp);
  }

  /**
   * After a bar of `market` ran the orders placed up to its open: a stamp whose buy filled (by a
   * decision in `filled`) stays, one whose buy ended without any fill goes, as live, where the stamps
   * come from open orders and fills and a buy cancelled or rejected unfilled leaves none.
   */
  settle(market: Market, placedUpTo: EpochMs, filled: ReadonlySet<DecisionId>): void {
    if (this.unsettled.length === 0) return;
    const done = this.unsettled.filter((s) => s.market === market && s.at <= placedUpTo);
    if (done.length === 0) return;
    this.unsettled = this.unsettled.filter((s) => !done.includes(s));
    const unfilled = done.filter((s) => !filled.has(s.decisionId));
    if (unfilled.length > 0) this.stamps = this.stamps.filter((s) => !unfilled.includes(s));
  }
}

// A latch and its release at load, on a throwaway state: a run's first loss-limit breach comes
// months in (~day 330 of a market-making year), long after the per-bar mark was optimised (inlined
// into the engine's step) without feedback for the latch and release branches; the first breach
// then threw that code away and V8 compiled the step again. V8 keeps feedback only once a function
// has run a few times, so the throwaway state is marked 64 times over 8 KST days, each day's last
// four marks 10 % down (a loss-limit breach: it latches) and the next day's first mark back up
// (no breach: the assumed operator releases). Equities are built as the run's sums are (units).
// Nothing of it is shared with a run: each run's state is its own instance.
/** A KST midnight (2026-01-02 00:00 KST): the warm-up's marks fall on whole KST days. */
const WARM_START = Date.UTC(2026, 0, 1, 15);

/**
 * The warm-up's throwaway states (still latched after their last mark), held for the process's
 * life. V8's feedback holds the classes (maps) it saw weakly: once the state and what it made were
 * collected (the benchmark generates a year of bars after load), the feedback went with them, and a
 * market-making year's first breach (~day 331) still threw markEquity, the tracker's update and the
 * release away. Held, the classes a run's states, ledgers and latches share with them stay known.
 */
const WARMED: BacktestRiskState[] = [];

/**
 * Runs the load-time latch warm-up (above) and returns the risk events it counted, so a test can
 * see that it still latches and releases under the default limits: were they ever loosened past a
 * 10 % drop, the warm-up would pass silently and warm nothing.
 */
export function warmLatchFeedback(): ReadonlyMap<string, number> {
  const events = new Map<string, number>();
  const warmRisk = new BacktestRiskState(DEFAULT_RISK_LIMITS, true, new RefusalTally(events));
  WARMED.push(warmRisk);
  for (let i = 0; i < 64; i++) {
    warmRisk.markEquity(
      (WARM_START + (i >> 3) * MS.day + (i & 7) * MS.minute) as EpochMs,
      krw(decimalOfUnits((i & 7) >= 4 ? 9_000_000 : 10_000_000, 0)),
    );
    // Read as every decision's risk context reads them (RouterContexts.riskContext): breached, the
    // status is the tracker's and the state the latch's, loads no mark before the first breach makes.
    warmRisk.lossStatus;
    warmRisk.state;
  }
  return events;
}

warmLatchFeedback();

/**
 * The stamps placed after `horizon`, in order. Its own function, not an arrow in markEquity: an
 * arrow there captured `horizon`, so every mark (every bar of every run) allocated a context and a
 * heap number for it (~56 B a bar), although the filter runs only while trades are recent.
 */
function stampsAfter(stamps: readonly TradeStamp[], horizon: number): TradeStamp[] {
  return stamps.filter((s) => s.at > horizon);
}

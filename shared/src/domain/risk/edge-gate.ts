import type { EpochMs } from '../time/epoch';
import { kellyFraction, outcomeStatsOf, type TradeOutcomeStats } from './kelly-sizing';
import type { KellyLimits } from './risk-limits';

/** Closed trades the gate's record keeps: the latest only, so an edge that faded (or came back) shows. */
export const EDGE_RECORD_WINDOW = 200;

/** One period the gate kept a strategy from opening positions. */
export interface GateClosure {
  readonly from: EpochMs;
  /** When it reopened; absent while it is still closed. */
  readonly to?: EpochMs;
  readonly reason: string;
}

/** The gate's whole state as plain data (the minute analysis stores it; the backtest keeps it in memory). */
export interface EdgeGateState {
  /** Net PnL of the latest closed trades, oldest first (real trades, and shadow trades while closed). */
  readonly record: readonly number[];
  readonly periods: readonly GateClosure[];
}

/**
 * The Kelly "no edge" gate with a way back. Kelly sizing refuses new positions of a strategy whose
 * recorded trades show no edge (at least `minTrades` trades and a full-Kelly fraction ≤ 0). Without
 * new trades that record would never change, so a gated strategy would stay locked out for good;
 * instead, while the gate is closed the strategy's signals keep being traded on paper (the shadow
 * ledger) and those shadow trades enter the record in place of the real trades it cannot make.
 * The gate reopens as soon as the record shows an edge again. The same rule runs in the backtest
 * and live; every closure is kept with its reason and its end.
 */
export class EdgeGate {
  private readonly pnls: number[];
  private readonly closures: GateClosure[];
  /**
   * The record's wins (PnL > 0) and losses (PnL < 0) in order, and their sums as
   * `tradeOutcomeStats` adds them (from 0, oldest first): a trade added at the end adds its term, and
   * only a trade leaving the window makes its own side be summed again (float sums depend on their
   * order, so a leaving term cannot be subtracted). The record's stats were re-derived over all
   * 200 trades on every closed trade (thousands of shadow trades a year).
   */
  private readonly winPnls: number[] = [];
  private readonly lossPnls: number[] = [];
  private winSum = 0;
  private lossSum = 0;

  constructor(
    private readonly limits: KellyLimits,
    state: EdgeGateState = { record: [], periods: [] },
    private readonly window = EDGE_RECORD_WINDOW,
  ) {
    this.pnls = state.record.slice(-window);
    for (const pnl of this.pnls) this.count(pnl);
    this.closures = state.periods.map((p) => ({ ...p }));
    this.isClosed = noEdge(this.stats(), this.limits);
  }

  /** Win rate and payoff ratio of the record (what Kelly sizing uses). */
  stats(): TradeOutcomeStats {
    // Asked for every signal and decision, changed only by a closed trade: kept until the next one.
    this.known ??= outcomeStatsOf(
      this.pnls.length,
      this.winPnls.length,
      this.lossPnls.length,
      this.winSum,
      this.lossSum,
    );
    return this.known;
  }

  /** Adds a trade's PnL at the end of its side (and its term to that side's sum). */
  private count(pnl: number): void {
    if (pnl > 0) {
      this.winPnls.push(pnl);
      this.winSum += pnl;
    } else if (pnl < 0) {
      this.lossPnls.push(pnl);
      this.lossSum -= pnl;
    }
  }

  /** Takes the oldest trade out of the record; its side is summed again without it. */
  private dropOldest(): void {
    const pnl = this.pnls.shift() as number;
    if (pnl > 0) {
      this.winPnls.shift();
      let sum = 0;
      for (let i = 0; i < this.winPnls.length; i++) sum += this.winPnls[i] as number;
      this.winSum = sum;
    } else if (pnl < 0) {
      this.lossPnls.shift();
      let sum = 0;
      for (let i = 0; i < this.lossPnls.length; i++) sum -= this.lossPnls[i] as number;
      this.lossSum = sum;
    }
  }

  private known: TradeOutcomeStats | undefined = undefined;
  /**
   * `noEdge(stats(), limits)`, kept from one closed trade to the next (the record changes only
   * then): asked for every signal (the shadow ledger's view), a field read instead of the Kelly
   * fraction each time.
   */
  private isClosed = false;

  /** True while the record shows no edge: new positions are refused and signals are traded on paper. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Adds a closed trade's net PnL (real, or a shadow trade opened while closed) and notes a change of state. */
  record(netPnl: number, at: EpochMs): void {
    const before = this.closed;
    this.pnls.push(netPnl);
    this.count(netPnl);
    if (this.pnls.length > this.window) this.dropOldest();
    this.known = undefined;
    this.isClosed = noEdge(this.stats(), this.limits);
    const after = this.closed;
    if (!before && after) this.closures.push({ from: at, reason: describe(this.stats()) });
    if (before && !after) {
      const open = this.closures.pop();
      if (open !== undefined) this.closures.push({ ...open, to: at });
    }
  }

  /** Every closure so far, the current one (if closed) without an end. */
  periods(): readonly GateClosure[] {
    return this.closures;
  }

  /** The state as plain data. */
  state(): EdgeGateState {
    return { record: [...this.pnls], periods: this.closures.map((p) => ({ ...p })) };
  }
}

/** The no-edge condition: enough trades to trust the record, and a full-Kelly fraction ≤ 0. */
export function noEdge(stats: TradeOutcomeStats, limits: KellyLimits): boolean {
  return stats.trades >= limits.minTrades && !(kellyFraction(stats.winRate, stats.payoffRatio) > 0);
}

function describe(s: TradeOutcomeStats): string {
  const payoff = Number.isFinite(s.payoffRatio) ? s.payoffRatio.toFixed(2) : '∞';
  const f = kellyFraction(s.winRate, s.payoffRatio);
  return (
    `no edge on the last ${s.trades} trades: win rate ${(s.winRate * 100).toFixed(1)} %, ` +
    `payoff ${payoff}, Kelly ${Number.isFinite(f) ? f.toFixed(3) : '−∞'}`
  );
}

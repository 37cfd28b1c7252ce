import type { StepSnapshot } from '../../../shared/src/backtest/engine/backtest-input';
import { CurveTracker, kstDayNumber } from '../../../shared/src/backtest/engine/equity-curve';
import type { BacktestMetrics, BacktestResult } from '../../../shared/src/backtest/result/backtest-result';
import { buildMetrics } from '../../../shared/src/backtest/result/build-metrics';
import { parseDecimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { numberOf } from '../../../shared/src/domain/money/decimal-units';
import type { ClosedTrade } from '../../../shared/src/domain/risk/performance-metrics';
import { emptyRefs } from '../../../shared/src/domain/shapes/typed-empty-arrays';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import { kstDateKey } from '../../../shared/src/domain/time/kst-calendar';

/**
 * Test reference: the optimizer's window scorer as it was before score-only runs (main at f824c21,
 * verbatim but for its name and imports), which read a full run's step snapshots and, at the end,
 * its trade list from text. The score-only run must give the new scorer exactly its figures.
 *
 * Metrics of the scored part of a run that started earlier to warm up. Strategies need history
 * (a 240-bar z-score, a 720-bar cointegration test) before they can trade, so an out-of-sample
 * window started cold would mostly measure warm-up. The run therefore starts `warm-up` bars before
 * the window, and this scorer measures only from `scoreFrom` on: equity is taken at the window start
 * (marked to market), and only fills on bars opening at or after it count. Warm-up bars are always
 * earlier data, so nothing from the future leaks into the window. Uses the engine's own curve
 * tracker and metric builder, so with no warm-up the numbers equal the run's own metrics.
 */
export class ReferenceWindowScorer {
  readonly #scoreFrom: EpochMs;
  readonly #capital: number;
  readonly #dailyGoal: number;
  #startEquity: number;
  #tracker: CurveTracker | undefined;
  // NaN until the first scored step: a number field from the start (an `undefined` that later
  // turns into a number changes the object's field representation in every worker's first task).
  #lastAt = Number.NaN;
  readonly #days: string[] = emptyRefs();
  // The last equity seen and its number: the engine hands the same object while nothing moves it
  // (flat bars), and decimal.js's toNumber goes through text (once per bar it was ~15 % of a trial).
  #equityOf: unknown;
  #equity = 0;
  // KST day number of the last entry of #days: its date key is made once per day, not per bar.
  #dayNumber = Number.NaN;

  constructor(scoreFrom: EpochMs, capital: number, dailyGoal: number) {
    this.#scoreFrom = scoreFrom;
    this.#capital = capital;
    this.#dailyGoal = dailyGoal;
    this.#startEquity = capital;
  }

  /**
   * Engine hook (the scorer is passed as the run's hooks object itself, so the engine's step loop
   * always calls this one function; see `evaluateTask`): steps closing at or before the window
   * start are warm-up.
   */
  onStep(snap: StepSnapshot): void {
    if (snap.equity !== this.#equityOf) {
      this.#equityOf = snap.equity;
      this.#equity = numberOf(snap.equity);
    }
    const equity = this.#equity;
    if (snap.at <= this.#scoreFrom) {
      this.#startEquity = equity;
      return;
    }
    this.#tracker ??= new CurveTracker(this.#startEquity);
    this.#tracker.update(snap.at as EpochMs, equity);
    const dayNumber = kstDayNumber(snap.at);
    if (dayNumber !== this.#dayNumber) {
      this.#dayNumber = dayNumber;
      const day = kstDateKey(snap.at as EpochMs);
      if (this.#days[this.#days.length - 1] !== day) this.#days.push(day);
    }
    this.#lastAt = snap.at;
  }

  /** KST daily returns of the window (for Sharpe significance and the chained walk-forward curve). */
  dailyReturns(): number[] {
    return (this.#tracker ?? new CurveTracker(this.#startEquity)).dailyReturns();
  }

  /** The KST dates of {@link dailyReturns}, one per return, so windows sharing a day can be chained. */
  days(): string[] {
    return [...this.#days];
  }

  /** The window's metrics, from the run's trade list and the equity seen since the window start. */
  metrics(result: BacktestResult): BacktestMetrics {
    const closed: ClosedTrade[] = [];
    let fills = 0;
    let fees = ZERO;
    for (const t of result.trades) {
      const at = Date.parse(t.time) as EpochMs;
      if (at < this.#scoreFrom) continue;
      fills += 1;
      fees = fees.plus(parseDecimal(t.feeKrw));
      if (t.side === 'ask') closed.push({ netPnl: parseDecimal(t.pnlKrw).toNumber(), closedAt: at });
    }
    const tracker = this.#tracker ?? new CurveTracker(this.#startEquity);
    return buildMetrics({
      startEquity: this.#startEquity > 0 ? this.#startEquity : this.#capital,
      finalEquity: tracker.final,
      maxDrawdown: tracker.maxDrawdown,
      dailyReturns: tracker.dailyReturns(),
      closedTrades: closed,
      fills,
      feesKrw: fees.toNumber(),
      spanMs: Number.isNaN(this.#lastAt) ? 0 : this.#lastAt - this.#scoreFrom,
      dailyGoal: this.#dailyGoal,
    });
  }
}

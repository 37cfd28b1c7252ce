import { type Decimal, ZERO } from '../../domain/money/decimal';
import { numberOf } from '../../domain/money/decimal-units';
import type { Krw } from '../../domain/money/quantities';
import type { ClosedTrade } from '../../domain/risk/performance-metrics';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import type { Fill } from '../../domain/trading/fill';
import { CurveTracker, kstDayNumber } from '../engine/equity-curve';
import type { ScoreSink, StepEquity } from '../engine/score-only-run';
import type { BacktestMetrics } from '../result/backtest-result';
import { buildMetrics } from '../result/build-metrics';

/**
 * Metrics of the scored part of a run that started earlier to warm up. Strategies need history
 * (a 240-bar z-score, a 720-bar cointegration test) before they can trade, so an out-of-sample
 * window started cold would mostly measure warm-up. The run therefore starts `warm-up` bars before
 * the window, and this scorer measures only from `scoreFrom` on: equity is taken at the window start
 * (marked to market), and only fills on bars opening at or after it count. Warm-up bars are always
 * earlier data, so nothing from the future leaks into the window. Uses the engine's own curve
 * tracker and metric builder, so with no warm-up the numbers equal the run's own metrics.
 *
 * It is the sink of a score-only run (`runBacktest(…, 'score-only')`): the steps' equity and the
 * fills are all it reads, so a trial builds no trade list, curves or result it would throw away.
 */
export class WindowScorer implements ScoreSink {
  readonly #scoreFrom: EpochMs;
  readonly #capital: number;
  readonly #dailyGoal: number;
  #startEquity: number;
  // Always a tracker, started at the equity of the last warm-up step (the capital before any): the
  // first scored step then takes no branch of its own. A `??=` made the tracker there, a branch
  // first taken at bar 1 of a worker's first task (no warm-up), before the hook had type feedback,
  // which deoptimised the engine's step loop (the hook is inlined into it) in the next two tasks.
  #tracker: CurveTracker;
  // NaN until the first scored step: a number field from the start (an `undefined` that later
  // turns into a number changes the object's field representation in every worker's first task).
  #lastAt = Number.NaN;
  readonly #days: string[] = emptyRefs();
  // The window's fills as a full run's trade list gives them (see onFill).
  #fills = 0;
  #fees: Decimal = ZERO;
  readonly #closed: ClosedTrade[] = emptyRefs();
  // The last equity seen and its number: the engine hands the same object while nothing moves it
  // (flat bars), and decimal.js's toNumber goes through text (once per bar it was ~15 % of a trial).
  #equityOf: unknown;
  #equity = 0;
  // KST day number of the last entry of #days: its date key is made once per day, not per bar.
  #dayNumber = Number.NaN;
  // The last entry of #days ('' before the first, never a date key): reading `#days[length - 1]`
  // of the empty list at the first scored step was an out-of-bounds load, a deopt of the inlined
  // hook in each worker's second and third task.
  #lastDay = '';

  constructor(scoreFrom: EpochMs, capital: number, dailyGoal: number) {
    this.#scoreFrom = scoreFrom;
    this.#capital = capital;
    this.#dailyGoal = dailyGoal;
    this.#startEquity = capital;
    this.#tracker = new CurveTracker(capital);
  }

  /**
   * Engine hook (the scorer is passed as the run's sink itself, so the engine's step loop always
   * calls this one function; see `evaluateTask`): steps closing at or before the window start are
   * warm-up. Not `onStep`: a scorer passed to a full run by mistake is then a type error (it has
   * nothing in common with BacktestHooks), not a run that silently hands it no fills.
   */
  onStepEquity(snap: StepEquity): void {
    if (snap.equity !== this.#equityOf) {
      this.#equityOf = snap.equity;
      this.#equity = numberOf(snap.equity);
    }
    const equity = this.#equity;
    if (snap.at <= this.#scoreFrom) {
      this.#startEquity = equity;
      this.#tracker = new CurveTracker(equity);
      return;
    }
    this.#tracker.update(snap.at as EpochMs, equity);
    const dayNumber = kstDayNumber(snap.at);
    if (dayNumber !== this.#dayNumber) {
      this.#dayNumber = dayNumber;
      const day = kstDateKey(snap.at as EpochMs);
      if (this.#lastDay !== day) {
        this.#days.push(day);
        this.#lastDay = day;
      }
    }
    this.#lastAt = snap.at;
  }

  /** KST daily returns of the window (for Sharpe significance and the chained walk-forward curve). */
  dailyReturns(): number[] {
    return this.#tracker.dailyReturns();
  }

  /** The KST dates of {@link dailyReturns}, one per return, so windows sharing a day can be chained. */
  days(): string[] {
    return [...this.#days];
  }

  /**
   * Engine hook: one fill and its realised PnL, in trade-list order. Fills on bars opening before the
   * window are warm-up. The same figures a full run's trade record gives: its time is `fill.at` as
   * ISO text (whole milliseconds, so it parses back to `at`), its fee and PnL the exact decimals as
   * text (so parsing them back gives the same values, and `numberOf` the same double as their
   * `toNumber`, −0 printed as "0" included).
   */
  onFill(fill: Fill, realizedPnl: Krw): void {
    const at = fill.at;
    if (at < this.#scoreFrom) return;
    this.#fills += 1;
    this.#fees = this.#fees.plus(fill.fee);
    if (fill.side === 'ask') this.#closed.push({ netPnl: numberOf(realizedPnl), closedAt: at });
  }

  /** The window's metrics, from the fills and the equity seen since the window start. */
  metrics(): BacktestMetrics {
    const tracker = this.#tracker;
    return buildMetrics({
      startEquity: this.#startEquity > 0 ? this.#startEquity : this.#capital,
      finalEquity: tracker.final,
      maxDrawdown: tracker.maxDrawdown,
      dailyReturns: tracker.dailyReturns(),
      closedTrades: this.#closed,
      fills: this.#fills,
      feesKrw: this.#fees.toNumber(),
      spanMs: Number.isNaN(this.#lastAt) ? 0 : this.#lastAt - this.#scoreFrom,
      dailyGoal: this.#dailyGoal,
    });
  }
}

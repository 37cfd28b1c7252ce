import type { Candle } from '../../domain/market/market-data';
import { numberOf } from '../../domain/money/decimal-units';
import type { Krw } from '../../domain/money/quantities';
import { emptyDoubles, emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { EpochMs } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { MarkoutTracker, StepCloses } from '../result/markouts';
import {
  type CurveTracker,
  type CurveWarmUp,
  type EquitySampler,
  kstDayNumber,
  warmCurveFeedback,
} from './equity-curve';
import type { OwnerPnl } from './strategy-pnl';

type Owner = StrategyName | 'operator';

/** What the step bookkeeping reads from the engine after each step. */
export interface StepSource {
  readonly closes: StepCloses;
  /** Each owner's PnL by slot, refreshed here once per step. */
  readonly ownerPnl: OwnerPnl;
}

/**
 * A run's per-step bookkeeping after the engine's step: mark-outs, the account's and each
 * strategy's curve, the equity samples, the span and the bar count. Its running values live in
 * fields (a double in an object field is rewritten in place; one in a closure's variable is a new
 * heap number per step).
 */
export class StepCurves {
  /** Open time of the first step's bars (NaN before the first step). */
  from = Number.NaN;
  /** Close time of the latest step (NaN before the first step). */
  to = Number.NaN;
  /** Market-bars so far. */
  bars = 0;
  // The equity as a float, converted again only when the exact value changed (most steps hold
  // nothing, and their equity is the cash object itself).
  // The doubles start as NaN, a double field (see CurveTracker), and are set by the first step.
  private equityOf: Krw | undefined = undefined;
  private equityNumber = Number.NaN;
  // What the curves were last fed and the sample values derived from it.
  private fedDay = Number.NaN;
  private fedEquity = Number.NaN;
  private fedPnl = Number.NaN;
  private ddPct = Number.NaN;
  private equityRounded = Number.NaN;
  private curves: CurveTracker[] = emptyRefs();
  private curveNames: Owner[] = emptyRefs();
  /** Per curve, its owner's PnL slot (−1: none yet) and the value it was last fed (NaN: never). */
  private curveSlots: number[] = emptyDoubles();
  private curveFed: number[] = emptyDoubles();
  /** The owner count of the PnL when the curves' slots were last looked up. */
  private slotsOf = -1;
  /**
   * The sampler's and curves' branch warm-up (equity-curve.ts), made at this run's start and held
   * as long as the run: its feedback is then there when record is optimised. Read by nothing but a
   * test.
   */
  readonly warmUp: CurveWarmUp = warmCurveFeedback();

  constructor(
    private readonly capital: number,
    private readonly total: CurveTracker,
    /** Each owner's curve, in the order owners appeared (may grow during the run). */
    private readonly tallies: ReadonlyMap<Owner, { readonly curve: CurveTracker }>,
    private readonly sampler: EquitySampler,
    private readonly markouts: MarkoutTracker,
    private readonly source: StepSource,
  ) {
    // The owners known at the start (every strategy of the run): the first step then takes no branch
    // of its own, which the first run took before this method had type feedback, so its optimised
    // code deoptimised at every later run's first step. Owners that appear later are added there.
    // Their PnL slots too (StrategyPnl gives the run's strategies theirs at once): looked up in the
    // step, a call first made there after optimisation threw record's code away in `all`.
    this.syncCurves();
    this.syncSlots(source.ownerPnl);
  }

  /** The curves and names lists, one per tally, in the tallies' order. */
  private syncCurves(): void {
    // Pushed into object arrays (as the fields start), not `map`'s holey array: one hidden class
    // for record's loop in every run, so its optimised code outlives the run.
    const curves = emptyRefs<CurveTracker>();
    const names = emptyRefs<Owner>();
    const slots = emptyDoubles();
    const fed = emptyDoubles();
    for (const [name, t] of this.tallies) {
      curves.push(t.curve);
      names.push(name);
      slots.push(-1);
      fed.push(Number.NaN);
    }
    // A curve already fed keeps its last value (the lists are rebuilt when an owner joins).
    for (let i = 0; i < this.curves.length; i++) fed[i] = this.curveFed[i] as number;
    this.curves = curves;
    this.curveNames = names;
    this.curveSlots = slots;
    this.curveFed = fed;
    this.slotsOf = -1;
  }

  /** Looks up the slot of every curve without one (after the PnL gained an owner). */
  private syncSlots(pnl: OwnerPnl): void {
    const slots = this.curveSlots;
    for (let i = 0; i < slots.length; i++)
      if ((slots[i] as number) < 0) slots[i] = pnl.slotIndex(this.curveNames[i] as Owner);
    this.slotsOf = pnl.ownerCount;
  }

  /** Records one step: its bars, its close time and the account's equity at the close. */
  record(step: readonly Candle[], at: EpochMs, equity: Krw): void {
    this.markouts.onStep(at, this.source.closes);
    // The first step's open, without a branch taken once per run: the first run takes such a branch
    // before this method has type feedback, and its optimised code then deoptimised in every run's
    // first step (the optimizer runs hundreds in one isolate).
    const from = this.from;
    const open = (step[0] as Candle).openTime;
    this.from = Number.isNaN(from) ? open : from;
    this.to = at;
    this.bars += step.length;
    if (equity !== this.equityOf) {
      this.equityOf = equity;
      this.equityNumber = numberOf(equity);
    }
    const equityNumber = this.equityNumber;
    const pnl = this.source.ownerPnl;
    pnl.refresh();
    const pnlVersion = pnl.version;
    const day = kstDayNumber(at);
    const tallies = this.tallies;
    // A curve fed the same equity on the same KST day does not change (CurveTracker.update: the
    // same day key, close and last, and a peak already at least that equity, so the same drawdown):
    // a step with the account's equity, the strategies' PnL (its version) and the curves as at the
    // last update skips them all, and otherwise only the curves whose value moved are fed.
    if (
      day !== this.fedDay ||
      equityNumber !== this.fedEquity ||
      pnlVersion !== this.fedPnl ||
      this.curves.length !== tallies.size
    ) {
      const newDay = day !== this.fedDay;
      this.fedDay = day;
      this.fedEquity = equityNumber;
      this.fedPnl = pnlVersion;
      const dd = this.total.update(at, equityNumber);
      if (this.curves.length !== tallies.size) this.syncCurves();
      if (this.slotsOf !== pnl.ownerCount) this.syncSlots(pnl);
      const curves = this.curves;
      const slots = this.curveSlots;
      const fed = this.curveFed;
      for (let i = 0; i < curves.length; i++) {
        const slot = slots[i] as number;
        const value = this.capital + (slot < 0 ? 0 : pnl.valueOr0(slot));
        if (!newDay && Object.is(value, fed[i])) continue;
        fed[i] = value;
        (curves[i] as CurveTracker).update(at, value);
      }
      this.ddPct = round4(dd * 100);
      this.equityRounded = round4(equityNumber);
    }
    const next = this.sampler.next;
    next[0] = at;
    next[1] = this.equityRounded;
    next[2] = this.ddPct;
    this.sampler.offerNext();
  }
}

/** Rounded to 4 decimals, as the result's equity samples are. */
export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

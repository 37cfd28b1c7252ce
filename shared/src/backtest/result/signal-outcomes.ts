import type { SignalFate } from '../../domain/ensemble/signal-fate';
import { type EpochMs, toIsoUtc } from '../../domain/time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';

/**
 * What became of one strategy's signals. Every signal ends in exactly one bucket, so
 * `signals = traded + netted + heldByEnsemble + Σ refusedByRisk`:
 * - `traded`: an order went out for it (it may still fail to fill on the next bar);
 * - `netted`: another strategy's opposite signal on the same market in the same minute cancelled it
 *   (docs/ensemble.md, "conflicts");
 * - `heldByEnsemble`: no order by the ensemble's rule, with the reason in `heldReasons`
 *   (e.g. `below_min_score`, `nothing_to_sell`, `joined_order`, `flat`, `below_minimum`);
 * - `refusedByRisk`: refused by the risk engine or the exchange's rules, counted by the same keys
 *   as `assumptions.refusals` (`risk:no_edge`, `risk:cooldown`, `exchange:<code>`, …).
 */
export interface StrategySignalOutcomes {
  readonly signals: number;
  readonly traded: number;
  readonly netted: number;
  readonly heldByEnsemble: number;
  readonly heldReasons: Readonly<Record<string, number>>;
  readonly refusedByRisk: Readonly<Record<string, number>>;
}

/**
 * A strategy's signals traded on paper with no ensemble, no risk engine and no Kelly gate: every
 * buy signal opens a position of the size it asked for (when none is open), the strategy's own
 * sell signal or the stop-loss / take-profit closes it, at the synthetic book (buy at the ask, sell
 * at the bid) with the taker fee on both legs. Shown next to the gated per-strategy result so a
 * losing signal cannot hide behind a gate that stopped it trading.
 */
export interface UngatedSignalResult {
  /** Round trips closed during the run. */
  readonly trades: number;
  /** Share of closed round trips with positive net PnL, in percent; null without trades. */
  readonly winRatePct: number | null;
  /** Net PnL in KRW after fees and spread, open positions marked at the last bid (after the sell fee). */
  readonly netPnlKrw: number;
  /** `netPnlKrw` over the starting capital, in percent: comparable with the gated `totalReturnPct`. */
  readonly returnPct: number;
  /** Paper positions still open at the end (included in `netPnlKrw` at their mark). */
  readonly openAtEnd: number;
}

/** One period during which the Kelly "no edge" gate kept a strategy from opening positions. */
export interface GatePeriod {
  /** ISO-8601 UTC instant the gate closed. */
  readonly from: string;
  /** ISO-8601 UTC instant it reopened (measured edge recovered), or null if still closed at the end. */
  readonly to: string | null;
  /** Why it closed, with the numbers (trades, win rate, payoff ratio, Kelly fraction). */
  readonly reason: string;
}

/** The signal accounting of one backtest, attached to the result as `signalOutcomes`. */
export interface SignalOutcomes {
  readonly perStrategy: Readonly<Partial<Record<StrategyName, StrategySignalOutcomes>>>;
  readonly ungated: Readonly<Partial<Record<StrategyName, UngatedSignalResult>>>;
  readonly gatePeriods: Readonly<Partial<Record<StrategyName, readonly GatePeriod[]>>>;
}

/** Where one signal ended (see {@link StrategySignalOutcomes}); defined with the ensemble. */
export type { SignalFate } from '../../domain/ensemble/signal-fate';

/**
 * One strategy's counts while a run collects them. A class, not an object literal: V8 rebuilds a
 * literal's boilerplate, its fields unset, once the making function's bytecode has been flushed
 * (idle through a long run, e.g. between two benchmark cases), which widened the maps' tracked type
 * and threw away the optimised `tallySignals` and `record` at the next run's start. Fields are
 * assigned in the literal's order, so `build`'s spread sees the same keys in the same order.
 */
class MutableOutcomes {
  declare signals: number;
  declare traded: number;
  declare netted: number;
  declare heldByEnsemble: number;
  /**
   * Counts by reason as maps, not plain objects: a run's first count of a reason changed the
   * object's hidden class, which the optimised `record` (compiled on an earlier run's objects, whose
   * classes had moved on) had not seen, and V8 threw it away and compiled it again in each later run.
   */
  declare readonly heldReasons: Map<string, number>;
  declare readonly refusedByRisk: Map<string, number>;

  constructor() {
    this.signals = 0;
    this.traded = 0;
    this.netted = 0;
    this.heldByEnsemble = 0;
    this.heldReasons = new Map();
    this.refusedByRisk = new Map();
  }
}

function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Collects signal fates, ungated results and gate periods during a run and builds the
 * {@link SignalOutcomes} (keys in canonical strategy order, reasons sorted, so the JSON is stable).
 */
export class SignalOutcomeTally {
  private readonly outcomes = new Map<StrategyName, MutableOutcomes>();

  constructor(strategies: readonly StrategyName[]) {
    for (const s of strategies) this.entry(s);
  }

  /** Records `count` signals of `strategy` that ended as `fate`. */
  record(strategy: StrategyName, fate: SignalFate, count = 1): void {
    const o = this.entry(strategy);
    o.signals += count;
    switch (fate.kind) {
      case 'traded':
        o.traded += count;
        return;
      case 'netted':
        o.netted += count;
        return;
      case 'held':
        o.heldByEnsemble += count;
        o.heldReasons.set(fate.reason, (o.heldReasons.get(fate.reason) ?? 0) + count);
        return;
      case 'refused':
        o.refusedByRisk.set(fate.reason, (o.refusedByRisk.get(fate.reason) ?? 0) + count);
        return;
    }
  }

  /** The outcomes so far, with the ungated results and gate periods supplied by their owners. */
  build(
    ungated: ReadonlyMap<StrategyName, UngatedSignalResult>,
    gatePeriods: ReadonlyMap<StrategyName, readonly { from: EpochMs; to?: EpochMs; reason: string }[]>,
  ): SignalOutcomes {
    const perStrategy: Partial<Record<StrategyName, StrategySignalOutcomes>> = {};
    const ungatedOut: Partial<Record<StrategyName, UngatedSignalResult>> = {};
    const periods: Partial<Record<StrategyName, GatePeriod[]>> = {};
    for (const name of STRATEGY_NAMES) {
      const o = this.outcomes.get(name);
      if (o !== undefined)
        perStrategy[name] = {
          ...o,
          heldReasons: sortedCounts(o.heldReasons),
          refusedByRisk: sortedCounts(o.refusedByRisk),
        };
      const u = ungated.get(name);
      if (u !== undefined) ungatedOut[name] = u;
      const g = gatePeriods.get(name);
      if (g !== undefined)
        periods[name] = g.map((p) => ({
          from: toIsoUtc(p.from),
          to: p.to === undefined ? null : toIsoUtc(p.to),
          reason: p.reason,
        }));
    }
    return { perStrategy, ungated: ungatedOut, gatePeriods: periods };
  }

  private entry(strategy: StrategyName): MutableOutcomes {
    let o = this.outcomes.get(strategy);
    if (o === undefined) {
      o = new MutableOutcomes();
      this.outcomes.set(strategy, o);
    }
    return o;
  }
}

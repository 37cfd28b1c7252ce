import type { Market } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import { EdgeGate } from './edge-gate';
import type { ShadowTrade } from './shadow-ledger';

/**
 * Enters a bar's shadow trades that were opened while the gate was closed (`gated`) in the gate's
 * record, in their order. Called on every bar of every market (most return no trade), from
 * StrategyEdges.onBar, which V8 optimises into the engine's step. A function of its own so that its
 * loop can be given type feedback before a run (below): the first shadow round trip of a run closes
 * days or weeks in (microstructure day 4, stat_arb day 51), after the step was optimised, and the
 * loop's loads of a trade's fields and of the gate's method, never run until then, threw the
 * engine's optimised step away (a recompile of the largest function of the run inside its year).
 */
export function recordGated(trades: readonly ShadowTrade[], gate: EdgeGate | undefined): void {
  for (let j = 0; j < trades.length; j++) {
    const t = trades[j] as ShadowTrade;
    if (t.gated) gate?.record(t.netPnl, t.at);
  }
}

// The warm-up: shadow trades built as ShadowLedger.onBar builds them (the same literal shape:
// market, netPnl, gated, at; doubles for the PnL and the time, a market string of both kinds a run
// may hand over) go through recordGated into a throwaway gate that closes and reopens (two losses
// close it, two wins reopen it; a window of two drops its oldest trade), 64 times, since V8 keeps
// feedback only once a function has run a few times. Nothing of it is shared with a run.
/** A KST day start (2026-01-02 00:00 KST), as a double: the trades' times are doubles in a run. */
const WARM_AT = Date.UTC(2026, 0, 1, 15);
/** A market name made at run time (not an interned literal), as a run's sliced names are. */
const WARM_MARKET = ['KRW', 'WARM'].join('-') as Market;

/** The throwaway gate and the last trades of a warm-up (see {@link warmGatedFeedback}). */
export interface GatedWarmUp {
  readonly gate: EdgeGate;
  readonly trades: readonly ShadowTrade[];
}

/**
 * Runs the warm-up of {@link recordGated} (above) on a new throwaway gate and returns it, for the
 * caller to hold while its run lasts (StrategyEdges does, made after the run's own gates). Made at
 * load instead, the warm-up did not hold: V8's feedback keeps the classes (maps) it saw weakly, so
 * it was cleared once the warm-up's objects were collected, and even held, the in-process
 * benchmark's momentum year still threw the step away at the gate's method (its gates were no
 * longer of the class the load-time gate had had). A test reads the gate's closures: were the
 * warm-up to stop closing and reopening it, it would pass silently and warm none of its branches.
 */
export function warmGatedFeedback(): GatedWarmUp {
  const limits = { fraction: 0.25, maxFractionOfEquity: 0.1, minTrades: 2, coldStartFraction: 0.01 };
  const gate = new EdgeGate(limits, undefined, 2);
  let trades: ShadowTrade[] = [];
  for (let i = 0; i < 64; i++) {
    const at = (WARM_AT + i * 60_000) as EpochMs;
    const netPnl = (i & 3) < 2 ? -1.25 - i : 2.5 + i;
    const market = (i & 1) === 0 ? WARM_MARKET : ('KRW-WARM' as Market);
    trades = [
      { market, netPnl, gated: true, at },
      { market, netPnl: -netPnl, gated: false, at },
    ];
    recordGated(trades, gate);
  }
  return { gate, trades };
}

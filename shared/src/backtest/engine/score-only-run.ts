import type { Krw } from '../../domain/money/quantities';
import type { Fill } from '../../domain/trading/fill';
import type { BrokerFill } from '../broker/simulated-broker';
import { BacktestEngine } from './backtest-engine';
import type { BacktestInput } from './backtest-input';
import type { SyncBarSteps } from './bar-steps';
import { runSteps } from './run-steps';

/**
 * A step's close time and exact equity (a {@link StepSnapshot}'s `at` and `equity`, which it
 * satisfies). A score-only run hands one object, rewritten in place at every step: read it during
 * the call, never keep it.
 */
export interface StepEquity {
  readonly at: number;
  readonly equity: Krw;
}

/**
 * The one reader of a score-only run (the optimizer's window scorer): every step's close time and
 * equity, and every fill with its realised PnL, in the order a full run lists them in its trades.
 */
export interface ScoreSink {
  onStepEquity(step: StepEquity): void;
  onFill(fill: Fill, realizedPnl: Krw): void;
}

/** The {@link StepEquity} a score-only run rewrites in place (one object per run, not one per bar). */
class StepEquityView implements StepEquity {
  at = Number.NaN;
  equity: Krw;

  constructor(equity: Krw) {
    this.equity = equity;
  }
}

/**
 * Runs the engine over the input exactly as a full `runBacktest` does — the same engine, steps,
 * fills and decisions: the engine cannot tell the two apart — and hands the sink only what it
 * reads. None of a full run's bookkeeping is built: no trade list or trade texts, no mark-outs, no
 * account or per-strategy curves, no equity samples, no snapshots, no result. Returns the
 * market-bars run (0: no candles in the window, which the caller reports).
 */
export async function scoreOnlySteps(input: BacktestInput, sink: ScoreSink): Promise<number> {
  const engine = new BacktestEngine(input, (f: BrokerFill) => sink.onFill(f.fill, f.realizedPnl));
  const view = new StepEquityView(engine.lastStepEquity);
  const steps = runSteps(input);
  if (steps.sync !== undefined) return scoreSyncSteps(steps.sync, engine, view, sink);
  let bars = 0;
  for await (const step of steps.fed) {
    engine.advance(step.bars, step.trades, step.books);
    bars += step.bars.length;
    view.at = engine.lastStepAt;
    view.equity = engine.lastStepEquity;
    sink.onStepEquity(view);
  }
  return bars;
}

/** The synchronous loop on its own, as runBacktest's (a small function optimised from its own feedback). */
function scoreSyncSteps(
  sync: SyncBarSteps,
  engine: BacktestEngine,
  view: StepEquityView,
  sink: ScoreSink,
): number {
  let bars = 0;
  for (let step = sync.next(); step !== undefined; step = sync.next()) {
    engine.advance(step);
    bars += step.length;
    view.at = engine.lastStepAt;
    view.equity = engine.lastStepEquity;
    sink.onStepEquity(view);
  }
  return bars;
}

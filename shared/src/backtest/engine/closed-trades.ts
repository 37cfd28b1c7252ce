import type { ClosedTrade } from '../../domain/risk/performance-metrics';
import { emptyDoubles } from '../../domain/shapes/typed-empty-arrays';
import type { EpochMs } from '../../domain/time/epoch';

/**
 * A run's closed trades (one per sell fill, for the result's trade metrics) kept as two lists of
 * doubles while the run goes, and made {@link ClosedTrade} objects only when the metrics read them.
 * An object per sell fill lived for the whole run in a list nobody reads before the end: one more
 * young object per fill promoted into an old array (a write barrier each, and the scavenger's
 * copies), and an allocation site V8 may switch to old space in mid-run, which throws away the
 * optimised fill listener that inlines it.
 */
export class ClosedTrades {
  private readonly pnls: number[] = emptyDoubles();
  private readonly times: number[] = emptyDoubles();

  /** Adds a closed trade: its net PnL (a double) and the instant it closed. */
  push(netPnl: number, closedAt: EpochMs): void {
    this.pnls.push(netPnl);
    this.times.push(closedAt);
  }

  /** The closed trades in the order they were pushed, as new objects. */
  list(): ClosedTrade[] {
    const out: ClosedTrade[] = [];
    for (let i = 0; i < this.pnls.length; i++)
      out.push({ netPnl: this.pnls[i] as number, closedAt: this.times[i] as EpochMs });
    return out;
  }
}

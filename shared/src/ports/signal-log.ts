import type { Market } from '../domain/market/market-id';
import type { DecisionId } from '../domain/orders/identifiers';
import type { SignalDirection } from '../domain/strategies/strategy';
import type { EpochMs } from '../domain/time/epoch';
import type { StrategyName } from '../domain/trading/strategy-name';

/**
 * One strategy signal as the minute analysis saw it, with what became of it: for the dashboard
 * ("why did nothing trade?") and pattern analysis (which signals pay). Floats: a record, never an
 * input to the order path.
 */
export interface SignalRecord {
  /** Decision instant (close of the bar the signal was taken on). */
  readonly at: EpochMs;
  readonly market: Market;
  readonly strategy: StrategyName;
  /** Order of this signal among the strategy's signals for the market at `at` (0, 1, …). */
  readonly seq: number;
  readonly direction: SignalDirection;
  readonly strength: number;
  readonly reason: string;
  /** `traded`, `netted`, `held:<reason>` or `refused:<reason>` (docs/ensemble.md). */
  readonly fate: string;
  /** The decision that carried it, when one did. */
  readonly decisionId?: DecisionId;
}

/**
 * Signal history, kept for a limited time (TTL; infra/README.md). Writing a record again (same
 * instant, market, strategy and seq) replaces it, so a retried analysis never duplicates signals.
 */
export interface SignalLog {
  putSignals(records: readonly SignalRecord[]): Promise<void>;
  /** Records with `from <= at < to`, oldest first (then market, strategy, seq); optionally one market. */
  listSignals(
    range: { readonly from: EpochMs; readonly to: EpochMs },
    market?: Market,
  ): Promise<SignalRecord[]>;
}

/** Refuses a record that cannot be stored faithfully (non-finite strength, negative seq). */
export function checkSignalRecord(r: SignalRecord): void {
  if (!Number.isFinite(r.strength))
    throw new RangeError(`signal ${r.strategy} ${r.market}@${r.at}: strength is not a finite number`);
  if (!Number.isInteger(r.seq) || r.seq < 0 || r.seq > 9999)
    throw new RangeError(`signal ${r.strategy} ${r.market}@${r.at}: seq must be an integer 0–9999`);
}

/** Total order of records: time, market, strategy, seq (what every store returns). */
export function compareSignalRecords(a: SignalRecord, b: SignalRecord): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.market !== b.market) return a.market < b.market ? -1 : 1;
  if (a.strategy !== b.strategy) return a.strategy < b.strategy ? -1 : 1;
  return a.seq - b.seq;
}

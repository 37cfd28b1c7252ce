import type { Market } from '../domain/market/market-id';
import type { EpochMs } from '../domain/time/epoch';
import type { Fill } from '../domain/trading/fill';
import type { Position } from '../domain/trading/position';
import type { RiskLedgerEntry } from '../domain/trading/risk-ledger';
import type { StrategyName } from '../domain/trading/strategy-name';

/** A write that must find the stored item at `expectedVersion` (0 = must not exist yet). */
export interface VersionedWrite<T> {
  readonly item: T;
  readonly expectedVersion: number;
}

/**
 * Fills, positions and the risk ledger. A fill is written together with the position and ledger
 * entries it changes in one transaction — all or nothing — so exposure and loss accounting never
 * drift from the fills. Applying the same `fillId` twice is a no-op (`duplicate`).
 */
export interface FillJournal {
  /**
   * Writes the fill and the updated position and ledger entries atomically. Items are written with
   * `version = expectedVersion + 1`. Throws VersionConflictError if any version check fails.
   */
  applyFill(
    fill: Fill,
    position: VersionedWrite<Position>,
    ledger: readonly VersionedWrite<RiskLedgerEntry>[],
  ): Promise<'applied' | 'duplicate'>;
  /**
   * Whether a fill with this id was applied. The same trade reaches the executor from the private
   * stream and from REST with timestamps that need not agree, so a replay is found by its id, not by
   * its time (a replayed sell must be known as such before accounting, where it would look like an
   * oversell of the already-reduced position).
   */
  hasFill(fillId: string): Promise<boolean>;
  listFills(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<Fill[]>;
  getPosition(market: Market, strategy: StrategyName | 'operator'): Promise<Position | undefined>;
  listPositions(): Promise<Position[]>;
  getLedgerEntry(periodKey: string): Promise<RiskLedgerEntry | undefined>;
  /** Creates or replaces a ledger entry under the same version rule (period roll-over, peak updates). */
  putLedgerEntry(write: VersionedWrite<RiskLedgerEntry>): Promise<void>;
}

import type { EpochMs } from '../domain/time/epoch';

/**
 * One stored piece of the minute analysis' strategy state: the snapshot of one market (every
 * strategy's indicators for it, stat_arb pairs under their first market) or the per-strategy
 * statistics (the Kelly gate's record and the shadow trades). The body is opaque JSON text to the
 * store; the analysis validates it against the running code when it loads it.
 */
export interface StrategySnapshot {
  /** `market:KRW-BTC`, `strategies`, … (see application/analysis/snapshot-keys.ts). */
  readonly key: string;
  /** Close time of the newest bar folded into the state. */
  readonly lastBarAt: EpochMs;
  readonly savedAt: EpochMs;
  readonly body: string;
  /** Compare-and-set counter: 1 after the first write, +1 per write. */
  readonly version: number;
}

/** What a writer submits; the store assigns the version. */
export type StrategySnapshotWrite = Omit<StrategySnapshot, 'version'>;

/** Largest body a store accepts (DynamoDB items end at 400 KB; the rest is keys and attributes). */
export const MAX_SNAPSHOT_BODY_BYTES = 350_000;

/**
 * Strategy state snapshots, so a cold analysis function continues from the last minute instead of
 * replaying history. Writes are compare-and-set on the version the writer read (0 = none stored), so
 * two overlapping invocations cannot interleave halves of their states: the loser gets `conflict`
 * and its state is simply not kept (the winner's is as good). Old snapshots expire (TTL) once a
 * market leaves the configuration; readers must not depend on that.
 */
export interface StrategyStateStore {
  /** The stored snapshots of `keys` (absent keys are left out). */
  getSnapshots(keys: readonly string[]): Promise<Map<string, StrategySnapshot>>;
  /** Writes if the stored version is `expectedVersion`; the stored snapshot, or `conflict`. */
  putSnapshot(write: StrategySnapshotWrite, expectedVersion: number): Promise<StrategySnapshot | 'conflict'>;
}

/** Refuses a write no store can hold faithfully (blank key, oversized body, bad times). */
export function checkSnapshotWrite(write: StrategySnapshotWrite): void {
  if (write.key.trim() === '') throw new RangeError('strategy snapshot key is blank');
  if (!Number.isSafeInteger(write.lastBarAt) || !Number.isSafeInteger(write.savedAt))
    throw new RangeError(`strategy snapshot ${write.key}: lastBarAt and savedAt must be epoch ms`);
  const bytes = new TextEncoder().encode(write.body).length;
  if (bytes > MAX_SNAPSHOT_BODY_BYTES)
    throw new RangeError(
      `strategy snapshot ${write.key} is ${bytes} bytes, over the ${MAX_SNAPSHOT_BODY_BYTES}-byte limit: fewer markets or shorter windows`,
    );
}

import {
  checkSnapshotWrite,
  type StrategySnapshot,
  type StrategySnapshotWrite,
  type StrategyStateStore,
} from '../../ports/strategy-state-store';

/**
 * In-memory {@link StrategyStateStore} with the DynamoDB adapter's compare-and-set: the check and
 * the write happen in one synchronous step, so two racing writers on one version cannot both win.
 */
export class MemoryStrategyStateStore implements StrategyStateStore {
  private readonly snapshots = new Map<string, StrategySnapshot>();

  async getSnapshots(keys: readonly string[]): Promise<Map<string, StrategySnapshot>> {
    const out = new Map<string, StrategySnapshot>();
    for (const k of keys) {
      const s = this.snapshots.get(k);
      if (s !== undefined) out.set(k, { ...s });
    }
    return out;
  }

  async putSnapshot(
    write: StrategySnapshotWrite,
    expectedVersion: number,
  ): Promise<StrategySnapshot | 'conflict'> {
    checkSnapshotWrite(write);
    const found = this.snapshots.get(write.key)?.version ?? 0;
    if (found !== expectedVersion) return 'conflict';
    const stored: StrategySnapshot = { ...write, version: expectedVersion + 1 };
    this.snapshots.set(write.key, stored);
    return { ...stored };
  }
}

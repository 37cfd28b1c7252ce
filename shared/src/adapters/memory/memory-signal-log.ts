import type { Market } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import {
  checkSignalRecord,
  compareSignalRecords,
  type SignalLog,
  type SignalRecord,
} from '../../ports/signal-log';

/** In-memory {@link SignalLog}: one record per (at, market, strategy, seq), replaced on rewrite; never expires. */
export class MemorySignalLog implements SignalLog {
  private readonly records = new Map<string, SignalRecord>();

  async putSignals(records: readonly SignalRecord[]): Promise<void> {
    for (const r of records) checkSignalRecord(r);
    for (const r of records) this.records.set(`${r.at}#${r.market}#${r.strategy}#${r.seq}`, { ...r });
  }

  async listSignals(
    range: { readonly from: EpochMs; readonly to: EpochMs },
    market?: Market,
  ): Promise<SignalRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.at >= range.from && r.at < range.to && (market === undefined || r.market === market))
      .sort(compareSignalRecords)
      .map((r) => ({ ...r }));
  }
}

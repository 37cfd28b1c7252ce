import type { EpochMs } from '../../domain/time/epoch';
import { kstDayStart } from '../../domain/time/kst-calendar';
import type { EquityHistoryStore, EquityPoint } from '../../ports/equity-history-store';

/** In-memory {@link EquityHistoryStore} with the DynamoDB adapter's rules (replace by `at`, forward-only latest). */
export class MemoryEquityHistoryStore implements EquityHistoryStore {
  private readonly points = new Map<number, EquityPoint>();
  private latest: EquityPoint | undefined;

  async putPoint(point: EquityPoint): Promise<void> {
    const copy: EquityPoint = { ...point, unpriced: [...point.unpriced] };
    this.points.set(point.at, copy);
    if (this.latest === undefined || this.latest.at <= point.at) this.latest = copy;
  }

  async latestPoint(): Promise<EquityPoint | undefined> {
    return this.latest;
  }

  async listPoints(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<EquityPoint[]> {
    return [...this.points.values()]
      .filter((p) => p.at >= range.from && p.at < range.to)
      .sort((a, b) => a.at - b.at);
  }

  async *pointsByDay(range: {
    readonly from: EpochMs;
    readonly to: EpochMs;
  }): AsyncIterable<readonly EquityPoint[]> {
    let day: EquityPoint[] = [];
    for (const p of await this.listPoints(range)) {
      const first = day[0];
      if (first !== undefined && kstDayStart(first.at) !== kstDayStart(p.at)) {
        yield day;
        day = [];
      }
      day.push(p);
    }
    if (day.length > 0) yield day;
  }
}

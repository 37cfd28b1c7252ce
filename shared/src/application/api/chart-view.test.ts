import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryEquityHistoryStore } from '../../adapters/memory/memory-equity-history-store';
import { parseDecimal } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { ApiDeps } from './api-deps';
import { equityView } from './chart-view';

describe('equityView', () => {
  it('thins 90 days of minute equity to ~1,500 points spread over time, keeping the newest', async () => {
    const now = Date.UTC(2026, 5, 1);
    const clock = new ManualClock(now);
    const equity = new MemoryEquityHistoryStore();
    const first = now - 90 * MS.day;
    for (let at = first; at <= now; at += MS.minute) {
      const e = krw(parseDecimal(String(10_000_000 + ((at / MS.minute) % 1000))));
      await equity.putPoint({
        at: at as EpochMs,
        equity: e,
        cash: e,
        holdings: krw(parseDecimal('0')),
        unpriced: [],
      });
    }
    const deps = { clock, equity } as unknown as ApiDeps;
    const { points } = (await equityView(deps, 90 * 24)) as { points: { at: number }[] };
    expect(points.length).toBeGreaterThan(1_400);
    expect(points.length).toBeLessThanOrEqual(1_501);
    expect(points[0]?.at).toBe(first);
    expect(points[points.length - 1]?.at).toBe(now);
    const gaps = points.slice(1, -1).map((p, i) => p.at - (points[i] as { at: number }).at);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(MS.minute);
  });
});

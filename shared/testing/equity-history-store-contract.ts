import { parseDecimal } from '../src/domain/money/decimal';
import { krw } from '../src/domain/money/quantities';
import { type EpochMs, MS } from '../src/domain/time/epoch';
import type { EquityHistoryStore, EquityPoint } from '../src/ports/equity-history-store';
import { T0 } from './state-builders';

/** Builds a fresh, empty store for each test. */
export type EquityHistoryStoreFactory = () => Promise<EquityHistoryStore> | EquityHistoryStore;

function aPoint(at: number, equity = '10000000.12345678'): EquityPoint {
  const e = parseDecimal(equity);
  return {
    at: at as EpochMs,
    equity: krw(e),
    cash: krw(e.minus(1000)),
    holdings: krw(parseDecimal('1000')),
    unpriced: [],
  };
}

/**
 * The behaviour every {@link EquityHistoryStore} must have (memory fake and DynamoDB Local): exact
 * decimals, replace by instant, ranges across KST day boundaries, forward-only latest.
 */
export function describeEquityHistoryStoreContract(name: string, makeStore: EquityHistoryStoreFactory): void {
  describe(`EquityHistoryStore contract: ${name}`, () => {
    let store: EquityHistoryStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('round-trips exact decimals and replaces a point written again for the same instant', async () => {
      expect(await store.latestPoint()).toBeUndefined();
      await store.putPoint(aPoint(T0));
      await store.putPoint({ ...aPoint(T0, '9999999.00000001'), unpriced: ['DOGE'] });
      const [only, ...rest] = await store.listPoints({ from: T0, to: (T0 + 1) as EpochMs });
      expect(rest).toEqual([]);
      expect(only?.equity.toString()).toBe('9999999.00000001');
      expect(only?.unpriced).toEqual(['DOGE']);
    });

    it('lists a half-open range oldest first across KST day boundaries', async () => {
      // T0 is 10:00 KST, so T0 + 14 h is the next 00:00 KST: the points straddle two KST days.
      const start = T0 + 14 * MS.hour - 2 * MS.minute;
      for (let i = 4; i >= 0; i -= 1) await store.putPoint(aPoint(start + i * MS.minute));
      const listed = await store.listPoints({
        from: (start + MS.minute) as EpochMs,
        to: (start + 4 * MS.minute) as EpochMs,
      });
      expect(listed.map((p) => p.at - start)).toEqual([1, 2, 3].map((m) => m * MS.minute));
    });

    it('yields the same points one KST day per batch, skipping days without points', async () => {
      // 00:00 KST of the day after T0's, then two minutes each side of it and one two days later.
      const midnight = T0 + 14 * MS.hour;
      const ats = [-2, -1, 0, 1, 2 * 24 * 60].map((m) => midnight + m * MS.minute);
      for (const at of ats) await store.putPoint(aPoint(at));
      const range = { from: (midnight - MS.day) as EpochMs, to: (midnight + 3 * MS.day) as EpochMs };
      const batches: number[][] = [];
      for await (const day of store.pointsByDay(range)) batches.push(day.map((p) => p.at - midnight));
      expect(batches).toEqual([
        [-2, -1].map((m) => m * MS.minute),
        [0, 1].map((m) => m * MS.minute),
        [2 * MS.day],
      ]);
      expect((await store.listPoints(range)).map((p) => p.at)).toEqual(ats);
      const none: unknown[] = [];
      for await (const day of store.pointsByDay({ from: range.to, to: range.to })) none.push(day);
      expect(none).toEqual([]);
    });

    it('keeps the newest point as latest when an older one is written late', async () => {
      await store.putPoint(aPoint(T0 + 2 * MS.minute, '2'));
      await store.putPoint(aPoint(T0 + MS.minute, '1'));
      expect((await store.latestPoint())?.equity.toString()).toBe('2');
      await store.putPoint(aPoint(T0 + 3 * MS.minute, '3'));
      expect((await store.latestPoint())?.at).toBe(T0 + 3 * MS.minute);
    });
  });
}

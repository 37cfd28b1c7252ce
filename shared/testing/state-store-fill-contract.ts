import { krw, volume } from '../src/domain/money/quantities';
import type { EpochMs } from '../src/domain/time/epoch';
import { kstDayStart } from '../src/domain/time/kst-calendar';
import { VersionConflictError } from '../src/ports/order-repository';
import type { StateStore } from '../src/ports/state-store';
import { aFill, aLedgerEntry, anOrder, aPosition, BTC, plain, T0 } from './state-builders';

/**
 * The fill path of a {@link StateStore}: a fill, its position and its risk-ledger entries written
 * together or not at all, with the position's version as the guard. Part of the StateStore contract
 * (called inside it with the store of the current test), so both adapters answer the same cases.
 */
export function describeStateStoreFillContract(getStore: () => StateStore): void {
  describe('fills, positions and the risk ledger', () => {
    let store: StateStore;
    beforeEach(() => {
      store = getStore();
    });
    const order = anOrder('d-fill');
    const day = aLedgerEntry('day');
    const week = aLedgerEntry('week');

    it('writes the fill, the position and the ledger entries together', async () => {
      const fill = aFill('f-1', order.identifier);
      await expect(
        store.applyFill(fill, { item: aPosition(), expectedVersion: 0 }, [
          { item: day, expectedVersion: 0 },
          { item: week, expectedVersion: 0 },
        ]),
      ).resolves.toBe('applied');
      expect(plain(await store.listFills({ from: T0, to: (T0 + 1) as EpochMs }))).toEqual(plain([fill]));
      expect(plain(await store.getPosition(BTC, 'market_making'))).toEqual(plain(aPosition({ version: 1 })));
      expect(plain(await store.getLedgerEntry(day.periodKey))).toEqual(plain({ ...day, version: 1 }));
      expect((await store.getLedgerEntry(week.periodKey))?.version).toBe(1);
    });

    it('keeps the realised PnL of a fill exactly, and reads fills booked without one unchanged', async () => {
      const sell = aFill('f-pnl', order.identifier, { side: 'ask', realizedPnl: krw('-12.3456789012') });
      await store.applyFill(sell, { item: aPosition(), expectedVersion: 0 }, []);
      const [stored] = await store.listFills({ from: T0, to: (T0 + 1) as EpochMs });
      expect(stored?.realizedPnl?.toFixed()).toBe('-12.3456789012');
      await store.applyFill(
        aFill('f-nopnl', order.identifier, { at: (T0 + 1) as EpochMs }),
        {
          item: aPosition(),
          expectedVersion: 1,
        },
        [],
      );
      const [, plainFill] = await store.listFills({ from: T0, to: (T0 + 2) as EpochMs });
      expect(plainFill?.realizedPnl).toBeUndefined();
    });

    it('treats the same fillId twice as a duplicate that changes nothing', async () => {
      const fill = aFill('f-dup', order.identifier);
      await store.applyFill(fill, { item: aPosition(), expectedVersion: 0 }, [
        { item: day, expectedVersion: 0 },
      ]);
      const again = await store.applyFill(
        fill,
        { item: aPosition({ volume: volume('9') }), expectedVersion: 1 },
        [{ item: { ...day, fills: 2 }, expectedVersion: 1 }],
      );
      expect(again).toBe('duplicate');
      expect(await store.hasFill('f-dup')).toBe(true);
      expect(await store.hasFill('f-never-applied')).toBe(false);
      expect((await store.getPosition(BTC, 'market_making'))?.volume.toFixed()).toBe('0.00066123');
      expect((await store.getLedgerEntry(day.periodKey))?.fills).toBe(1);
      expect(await store.listFills({ from: T0, to: (T0 + 1) as EpochMs })).toHaveLength(1);
    });

    it('leaves nothing behind when one version check fails (cancelled transaction)', async () => {
      await store.putLedgerEntry({ item: day, expectedVersion: 0 });
      const fill = aFill('f-cancel', order.identifier);
      await expect(
        store.applyFill(fill, { item: aPosition(), expectedVersion: 0 }, [
          { item: { ...day, fills: 2 }, expectedVersion: 0 },
        ]),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store.listFills({ from: T0, to: (T0 + 1) as EpochMs })).toEqual([]);
      expect(await store.getPosition(BTC, 'market_making')).toBeUndefined();
      expect((await store.getLedgerEntry(day.periodKey))?.fills).toBe(1);
      // The fillId was not burnt: the corrected write goes through.
      await expect(
        store.applyFill(fill, { item: aPosition(), expectedVersion: 0 }, [
          { item: { ...day, fills: 2 }, expectedVersion: 1 },
        ]),
      ).resolves.toBe('applied');
    });

    it('applies only one of two concurrent fills expecting the same position version', async () => {
      const results = await Promise.allSettled([
        store.applyFill(aFill('f-r1', order.identifier), { item: aPosition(), expectedVersion: 0 }, []),
        store.applyFill(aFill('f-r2', order.identifier), { item: aPosition(), expectedVersion: 0 }, []),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await store.listFills({ from: T0, to: (T0 + 1) as EpochMs })).toHaveLength(1);
    });

    it('lists fills in [from, to) across KST days, oldest first', async () => {
      const dayStart = kstDayStart(T0);
      const times = [dayStart - 1, dayStart, T0, dayStart + 86_400_000];
      let version = 0;
      for (const [i, at] of times.entries()) {
        await store.applyFill(
          aFill(`f-day-${i}`, order.identifier, { at: at as EpochMs }),
          { item: aPosition(), expectedVersion: version },
          [],
        );
        version += 1;
      }
      const fills = await store.listFills({
        from: (dayStart - 1) as EpochMs,
        to: (dayStart + 86_400_000) as EpochMs,
      });
      expect(fills.map((f) => f.fillId)).toEqual(['f-day-0', 'f-day-1', 'f-day-2']);
    });

    it('puts ledger entries under the version rule and lists positions', async () => {
      await store.putLedgerEntry({ item: day, expectedVersion: 0 });
      await store.putLedgerEntry({ item: { ...day, peakEquity: krw('10030000') }, expectedVersion: 1 });
      await expect(store.putLedgerEntry({ item: day, expectedVersion: 1 })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      const stored = await store.getLedgerEntry(day.periodKey);
      expect(stored?.version).toBe(2);
      expect(stored?.peakEquity.toFixed()).toBe('10030000');
      expect(await store.getLedgerEntry('1999-01-01')).toBeUndefined();
      await store.applyFill(aFill('f-p1', order.identifier), { item: aPosition(), expectedVersion: 0 }, []);
      await store.applyFill(
        aFill('f-p2', order.identifier, { strategy: 'stat_arb' }),
        {
          item: aPosition({ strategy: 'stat_arb' }),
          expectedVersion: 0,
        },
        [],
      );
      expect((await store.listPositions()).map((p) => p.strategy).sort()).toEqual([
        'market_making',
        'stat_arb',
      ]);
    });
  });
}

import { isTradingError } from '../src/domain/errors/trading-error';
import type { EpochMs } from '../src/domain/time/epoch';
import { type DailyReport, MAX_REPORT_BYTES, type ReportStore } from '../src/ports/report-store';
import { T0 } from './state-builders';

/** Builds a fresh, empty store for each test. */
export type ReportStoreFactory = () => Promise<ReportStore> | ReportStore;

function aReport(date: string, overrides: Partial<DailyReport> = {}): DailyReport {
  return {
    date,
    generatedAt: T0,
    body: {
      pnlKrw: '-12345.6789',
      trades: 42,
      winRate: 0.5714285714285714,
      byStrategy: [{ strategy: 'market_making', pnlKrw: '1000' }],
      note: '일일 보고서',
      latch: null,
    },
    ...overrides,
  };
}

/**
 * The behaviour every {@link ReportStore} must have, run against the memory fake and the DynamoDB
 * adapter on DynamoDB Local: first report of a day wins, exact body round trip, newest-first list,
 * and the same refusals everywhere.
 */
export function describeReportStoreContract(name: string, makeStore: ReportStoreFactory): void {
  describe(`ReportStore contract: ${name}`, () => {
    let store: ReportStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('keeps the first report of a day and round-trips its body exactly', async () => {
      const first = aReport('2026-11-25');
      await expect(store.putReport(first)).resolves.toBe('created');
      await expect(
        store.putReport(aReport('2026-11-25', { body: { rerun: true }, generatedAt: (T0 + 1) as EpochMs })),
      ).resolves.toBe('exists');
      expect(await store.getReport('2026-11-25')).toEqual(first);
      expect(await store.getReport('2026-11-24')).toBeUndefined();
    });

    it('stores a day once when two report runs race', async () => {
      const results = await Promise.all([
        store.putReport(aReport('2026-11-26', { body: 'a' })),
        store.putReport(aReport('2026-11-26', { body: 'b' })),
      ]);
      expect([...results].sort()).toEqual(['created', 'exists']);
      const stored = await store.getReport('2026-11-26');
      expect(stored?.body).toBe(results[0] === 'created' ? 'a' : 'b');
    });

    it('lists the latest N newest first, across month and year ends', async () => {
      for (const date of ['2026-12-01', '2026-11-30', '2027-01-01', '2026-12-31'])
        await store.putReport(aReport(date));
      const listed = await store.listRecentReports(3);
      expect(listed.map((r) => r.date)).toEqual(['2027-01-01', '2026-12-31', '2026-12-01']);
      expect(await store.listRecentReports(0)).toEqual([]);
      expect(await store.listRecentReports(10)).toHaveLength(4);
    });

    it('refuses a malformed date or an oversized body as rejected, writing nothing', async () => {
      const refused = async (report: DailyReport): Promise<string | undefined> => {
        try {
          await store.putReport(report);
          return undefined;
        } catch (error) {
          return isTradingError(error, 'rejected') ? error.code : String(error);
        }
      };
      expect(await refused(aReport('2026-11-5'))).toBe('report_invalid');
      expect(await refused(aReport('2026-13-01'))).toBe('report_invalid');
      expect(await refused(aReport('2026-11-27', { body: 'x'.repeat(MAX_REPORT_BYTES) }))).toBe(
        'report_too_large',
      );
      expect(await store.listRecentReports(10)).toEqual([]);
    });
  });
}

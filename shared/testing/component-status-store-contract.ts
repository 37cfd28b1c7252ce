import type { EpochMs } from '../src/domain/time/epoch';
import type { ComponentStatus, ComponentStatusStore } from '../src/ports/component-status-store';
import { T0 } from './state-builders';

/** Builds a fresh, empty store for each test. */
export type ComponentStatusStoreFactory = () => Promise<ComponentStatusStore> | ComponentStatusStore;

function aStatus(overrides: Partial<ComponentStatus> = {}): ComponentStatus {
  return {
    component: 'executor',
    at: T0,
    healthy: true,
    summary: 'running',
    details: { mode: 'paper', reconciled: true, openOrders: 3, note: '정상' },
    ...overrides,
  };
}

/**
 * The behaviour every {@link ComponentStatusStore} must have (memory fake and DynamoDB Local): exact
 * round trip, newest write wins, an older write is ignored, list in display order.
 */
export function describeComponentStatusStoreContract(
  name: string,
  makeStore: ComponentStatusStoreFactory,
): void {
  describe(`ComponentStatusStore contract: ${name}`, () => {
    let store: ComponentStatusStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('round-trips a status exactly and answers undefined for a silent component', async () => {
      const status = aStatus();
      await expect(store.putStatus(status)).resolves.toBe('stored');
      expect(await store.getStatus('executor')).toEqual(status);
      expect(await store.getStatus('analysis')).toBeUndefined();
    });

    it('keeps the newest status and ignores an older one that arrives late', async () => {
      await store.putStatus(aStatus({ at: (T0 + 10_000) as EpochMs, summary: 'newer' }));
      await expect(store.putStatus(aStatus({ at: T0, summary: 'older', healthy: false }))).resolves.toBe(
        'stale',
      );
      expect((await store.getStatus('executor'))?.summary).toBe('newer');
      await expect(
        store.putStatus(aStatus({ at: (T0 + 20_000) as EpochMs, summary: 'newest' })),
      ).resolves.toBe('stored');
      expect((await store.getStatus('executor'))?.summary).toBe('newest');
    });

    it('lists every reporting component in display order', async () => {
      await store.putStatus(aStatus({ component: 'report' }));
      await store.putStatus(aStatus({ component: 'executor' }));
      await store.putStatus(aStatus({ component: 'analysis', details: { markets: 5, skipped: [] } }));
      const listed = await store.listStatuses();
      expect(listed.map((s) => s.component)).toEqual(['executor', 'analysis', 'report']);
      expect(listed[1]?.details).toEqual({ markets: 5, skipped: [] });
    });
  });
}

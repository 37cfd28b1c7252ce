import type { EpochMs } from '../src/domain/time/epoch';
import {
  MAX_SNAPSHOT_BODY_BYTES,
  type StrategySnapshotWrite,
  type StrategyStateStore,
} from '../src/ports/strategy-state-store';
import { T0 } from './state-builders';

/** Builds a fresh, empty store for each test. */
export type StrategyStateStoreFactory = () => Promise<StrategyStateStore> | StrategyStateStore;

function aWrite(key: string, overrides: Partial<StrategySnapshotWrite> = {}): StrategySnapshotWrite {
  return {
    key,
    lastBarAt: T0,
    savedAt: (T0 + 1_500) as EpochMs,
    body: JSON.stringify({ market: key, state: { b: 'AAAAAAAA8D8=', n: [1.5, { $: 'nan' }] }, note: '한글' }),
    ...overrides,
  };
}

/**
 * The behaviour every {@link StrategyStateStore} must have (memory fake and DynamoDB Local): exact
 * round trip of the body, compare-and-set on the version, many keys read at once, oversized bodies
 * refused before anything is written.
 */
export function describeStrategyStateStoreContract(name: string, makeStore: StrategyStateStoreFactory): void {
  describe(`StrategyStateStore contract: ${name}`, () => {
    let store: StrategyStateStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('round-trips a snapshot exactly and numbers versions from 1', async () => {
      const write = aWrite('market:KRW-BTC');
      const stored = await store.putSnapshot(write, 0);
      expect(stored).toEqual({ ...write, version: 1 });
      expect((await store.getSnapshots(['market:KRW-BTC'])).get('market:KRW-BTC')).toEqual({
        ...write,
        version: 1,
      });
    });

    it('writes only on the version read: a stale writer gets conflict and changes nothing', async () => {
      await store.putSnapshot(aWrite('k', { body: 'first' }), 0);
      await expect(store.putSnapshot(aWrite('k', { body: 'second' }), 1)).resolves.toMatchObject({
        version: 2,
      });
      await expect(store.putSnapshot(aWrite('k', { body: 'stale' }), 1)).resolves.toBe('conflict');
      await expect(store.putSnapshot(aWrite('k', { body: 'new?' }), 0)).resolves.toBe('conflict');
      expect((await store.getSnapshots(['k'])).get('k')).toMatchObject({ body: 'second', version: 2 });
    });

    it('reads many keys at once and leaves absent ones out', async () => {
      const keys = Array.from({ length: 130 }, (_, i) => `market:KRW-M${i}`);
      for (const k of keys.slice(0, 120)) await store.putSnapshot(aWrite(k), 0);
      const got = await store.getSnapshots([...keys, 'market:KRW-NONE']);
      expect(got.size).toBe(120);
      expect(got.get('market:KRW-M7')?.body).toBe(aWrite('market:KRW-M7').body);
      expect(await store.getSnapshots([])).toEqual(new Map());
    });

    it('refuses an oversized body before writing anything', async () => {
      await expect(
        store.putSnapshot(aWrite('big', { body: 'x'.repeat(MAX_SNAPSHOT_BODY_BYTES + 1) }), 0),
      ).rejects.toThrow(/over the 350000-byte limit/);
      expect((await store.getSnapshots(['big'])).size).toBe(0);
    });
  });
}

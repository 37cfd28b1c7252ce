import type { EpochMs } from '../src/domain/time/epoch';
import type { AuditLog } from '../src/ports/audit-log';
import { VersionConflictError } from '../src/ports/order-repository';
import type { StrategySettingsChange, StrategySettingsStore } from '../src/ports/strategy-settings-store';
import { T0 } from './state-builders';

/** A fresh store and the audit log its changes land in (the state table's, in DynamoDB). */
export type StrategySettingsStoreFactory = () =>
  | Promise<{ store: StrategySettingsStore; audit: Pick<AuditLog, 'listAudit'> }>
  | { store: StrategySettingsStore; audit: Pick<AuditLog, 'listAudit'> };

function aChange(overrides: Partial<StrategySettingsChange> = {}): StrategySettingsChange {
  return {
    strategy: 'mean_reversion',
    enabled: true,
    weight: 0.15,
    params: { rsiOversold: 28.5, timeframe: '5m', useMacd: false },
    updatedAt: T0,
    updatedBy: 'operator:alice',
    ...overrides,
  };
}

/**
 * The behaviour every {@link StrategySettingsStore} must have, run against the memory fake and the
 * DynamoDB adapter on DynamoDB Local: version compare-and-set (exactly one of two racing changes
 * wins), an audit entry per change, exact round trips, and refusal of unusable settings.
 */
export function describeStrategySettingsStoreContract(
  name: string,
  make: StrategySettingsStoreFactory,
): void {
  describe(`StrategySettingsStore contract: ${name}`, () => {
    let store: StrategySettingsStore;
    let audit: Pick<AuditLog, 'listAudit'>;
    beforeEach(async () => {
      ({ store, audit } = await make());
    });

    it('creates settings at version 1, round-trips them and audits the change', async () => {
      const stored = await store.putStrategySettings(aChange(), 0);
      expect(stored).toEqual({ ...aChange(), version: 1 });
      expect(await store.getStrategySettings('mean_reversion')).toEqual(stored);
      expect(await store.getStrategySettings('stat_arb')).toBeUndefined();
      const [entry] = await audit.listAudit({ limit: 5 });
      expect(entry).toMatchObject({
        at: T0,
        actor: 'operator:alice',
        action: 'strategy_settings',
        details: { strategy: 'mean_reversion', enabled: true, weight: 0.15, version: 1 },
      });
      expect(JSON.parse(String(entry?.details.params))).toEqual(aChange().params);
    });

    it('changes only from the version it was based on', async () => {
      await store.putStrategySettings(aChange(), 0);
      const off = await store.putStrategySettings(
        aChange({ enabled: false, updatedAt: (T0 + 1) as EpochMs }),
        1,
      );
      expect(off.version).toBe(2);
      await expect(store.putStrategySettings(aChange({ weight: 0.3 }), 1)).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      await expect(store.putStrategySettings(aChange(), 0)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store.putStrategySettings(aChange({ strategy: 'stat_arb' }), 3)).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect(await store.getStrategySettings('mean_reversion')).toMatchObject({
        enabled: false,
        weight: 0.15,
      });
      expect(
        (await audit.listAudit({ limit: 10 })).filter((a) => a.action === 'strategy_settings'),
      ).toHaveLength(2);
    });

    it('lets exactly one of two dashboards changing the same version win, with one audit entry', async () => {
      await store.putStrategySettings(aChange(), 0);
      const results = await Promise.allSettled([
        store.putStrategySettings(aChange({ enabled: false, updatedBy: 'operator:alice' }), 1),
        store.putStrategySettings(aChange({ weight: 0.4, updatedBy: 'operator:bob' }), 1),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      const stored = await store.getStrategySettings('mean_reversion');
      expect(stored?.version).toBe(2);
      const entries = (await audit.listAudit({ limit: 10 })).filter((a) => a.details.version === 2);
      expect(entries.map((a) => a.actor)).toEqual([stored?.updatedBy]);
    });

    it('lists every strategy in name order', async () => {
      await store.putStrategySettings(aChange({ strategy: 'stat_arb' }), 0);
      await store.putStrategySettings(aChange({ strategy: 'market_making', params: {} }), 0);
      await store.putStrategySettings(aChange(), 0);
      expect((await store.listStrategySettings()).map((s) => s.strategy)).toEqual([
        'market_making',
        'mean_reversion',
        'stat_arb',
      ]);
    });

    it('refuses unusable settings and writes nothing', async () => {
      await expect(store.putStrategySettings(aChange({ weight: 1.5 }), 0)).rejects.toThrow(RangeError);
      await expect(store.putStrategySettings(aChange({ params: { x: Number.NaN } }), 0)).rejects.toThrow(
        /not a finite number/,
      );
      await expect(store.putStrategySettings(aChange({ updatedBy: ' ' }), 0)).rejects.toThrow(RangeError);
      expect(await store.listStrategySettings()).toEqual([]);
      expect(await audit.listAudit({ limit: 10 })).toEqual([]);
    });
  });
}

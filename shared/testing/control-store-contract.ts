import type { EpochMs } from '../src/domain/time/epoch';
import type { AuditLog } from '../src/ports/audit-log';
import type { ControlStore } from '../src/ports/control-store';
import { aLatch, T0 } from './state-builders';

/**
 * The control-flag and emergency-latch behaviour of a {@link ControlStore}, part of the StateStore
 * contract (called inside it with the store of the current test). The concurrency cases fire both
 * writers before awaiting either, so a store that reads and then writes without a condition fails.
 */
export function describeControlStoreContract(getStore: () => ControlStore & AuditLog): void {
  describe('control flags and the emergency latch', () => {
    let store: ControlStore & AuditLog;
    beforeEach(() => {
      store = getStore();
    });

    it('starts with no latch, trading enabled and no strategy overrides', async () => {
      const control = await store.getControl();
      expect(control.latch).toBeUndefined();
      expect(control.tradingEnabled).toBe(true);
      expect(control.strategyEnabled).toEqual({});
    });

    it('sets the latch once with one audit entry when two writers race', async () => {
      const results = await Promise.all([
        store.latchEmergency(aLatch({ reason: 'writer A' })),
        store.latchEmergency(aLatch({ reason: 'writer B', actor: 'executor' })),
      ]);
      expect(results.map((r) => r.outcome).sort()).toEqual(['set', 'unchanged']);
      const stored = (await store.getControl()).latch;
      expect(results[0]?.latch).toEqual(stored);
      expect(results[1]?.latch).toEqual(stored);
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.filter((a) => a.action === 'emergency_latch')).toHaveLength(1);
      expect(audit[0]?.details.reason).toBe(stored?.reason);
    });

    it('keeps the first reason and only escalates reducing to halted', async () => {
      await store.latchEmergency(aLatch({ state: 'reducing', reason: 'first' }));
      const same = await store.latchEmergency(aLatch({ state: 'reducing', reason: 'second' }));
      expect(same.outcome).toBe('unchanged');
      const up = await store.latchEmergency(aLatch({ state: 'halted', reason: 'third' }));
      expect(up.outcome).toBe('escalated');
      expect(up.latch).toMatchObject({ state: 'halted', reason: 'first' });
      const down = await store.latchEmergency(aLatch({ state: 'reducing', reason: 'fourth' }));
      expect(down).toEqual({ outcome: 'unchanged', latch: up.latch });
      expect((await store.getControl()).latch).toEqual(up.latch);
      const actions = (await store.listAudit({ limit: 10 })).map((a) => a.action);
      expect(actions).toEqual(['emergency_escalate', 'emergency_latch']);
    });

    it('releases with an audit entry, once', async () => {
      const { latch } = await store.latchEmergency(aLatch());
      const release = { actor: 'operator', reason: 'checked balances', at: (T0 + 5) as EpochMs };
      await expect(store.releaseEmergency(release, latch)).resolves.toBe('released');
      await expect(store.releaseEmergency(release, latch)).resolves.toBe('not-latched');
      expect((await store.getControl()).latch).toBeUndefined();
      const [last] = await store.listAudit({ limit: 1 });
      expect(last).toMatchObject({ action: 'emergency_release', actor: 'operator', at: T0 + 5 });
      expect(last?.details).toMatchObject({ reason: 'checked balances', releasedTrigger: 'daily_loss' });
      await expect(store.latchEmergency(aLatch({ reason: 'again' }))).resolves.toMatchObject({
        outcome: 'set',
      });
    });

    it('releases only the latch the caller read: a latch set since then stays, unseen releases none', async () => {
      const first = (await store.latchEmergency(aLatch({ reason: 'first' }))).latch;
      const release = (at: number) => ({ actor: 'operator', reason: 'checked', at: at as EpochMs });
      // Another operator released it and a new trigger latched again before this caller acted.
      await expect(store.releaseEmergency(release(T0 + 1), first)).resolves.toBe('released');
      const second = (await store.latchEmergency(aLatch({ reason: 'second', at: (T0 + 2) as EpochMs })))
        .latch;
      await expect(store.releaseEmergency(release(T0 + 3), first)).resolves.toBe('changed');
      expect((await store.getControl()).latch).toEqual(second);
      const releases = (await store.listAudit({ limit: 20 })).filter((a) => a.action === 'emergency_release');
      expect(releases).toHaveLength(1);
      await expect(store.releaseEmergency(release(T0 + 4), second)).resolves.toBe('released');
      await expect(store.releaseEmergency(release(T0 + 5), second)).resolves.toBe('not-latched');
    });

    it('treats an escalation since the read as a different latch and keeps it', async () => {
      const reducing = (await store.latchEmergency(aLatch({ state: 'reducing' }))).latch;
      await store.latchEmergency(aLatch({ state: 'halted', reason: 'worse' }));
      const outcome = await store.releaseEmergency(
        { actor: 'system:auto-release', reason: 'day rolled over', at: (T0 + 9) as EpochMs },
        reducing,
      );
      expect(outcome).toBe('changed');
      expect((await store.getControl()).latch).toMatchObject({ state: 'halted', reason: reducing.reason });
    });

    it('never clears a latch set while a release of the old one races with it', async () => {
      const old = (await store.latchEmergency(aLatch({ reason: 'old' }))).latch;
      const fresh = aLatch({ reason: 'fresh', trigger: 'manual', at: (T0 + 2) as EpochMs });
      const rel = (actor: string) => ({ actor, reason: 'checked', at: (T0 + 1) as EpochMs });
      const [a, b] = await Promise.all([
        store.releaseEmergency(rel('alice'), old),
        (async () => {
          const outcome = await store.releaseEmergency(rel('bob'), old);
          await store.latchEmergency(fresh);
          return outcome;
        })(),
      ]);
      expect([a, b]).toContain('released');
      expect([a, b].filter((o) => o === 'released')).toHaveLength(1);
      expect((await store.getControl()).latch).toEqual(fresh);
      const audit = await store.listAudit({ limit: 20 });
      expect(audit.filter((e) => e.action === 'emergency_release')).toHaveLength(1);
      expect(audit.filter((e) => e.action === 'emergency_latch')).toHaveLength(2);
    });

    it('persists and audits the trading switch and strategy toggles', async () => {
      await store.setTradingEnabled(false, 'operator', (T0 + 1) as EpochMs);
      await store.setStrategyEnabled('stat_arb', false, 'operator', (T0 + 2) as EpochMs);
      await store.setStrategyEnabled('market_making', true, 'operator', (T0 + 3) as EpochMs);
      const control = await store.getControl();
      expect(control.tradingEnabled).toBe(false);
      expect(control.strategyEnabled).toEqual({ stat_arb: false, market_making: true });
      expect(control.updatedAt).toBe(T0 + 3);
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.map((a) => a.action)).toEqual(['strategy_enabled', 'strategy_enabled', 'trading_enabled']);
      expect(audit[1]?.details).toEqual({ strategy: 'stat_arb', enabled: false });
    });
  });
}

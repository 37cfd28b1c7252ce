import { krw, price, volume } from '../src/domain/money/quantities';
import { type DecisionId, orderIdentifier } from '../src/domain/orders/identifiers';
import type { EpochMs } from '../src/domain/time/epoch';
import { kstDayStart } from '../src/domain/time/kst-calendar';
import { VersionConflictError } from '../src/ports/order-repository';
import type { StateStore } from '../src/ports/state-store';
import { describeControlStoreContract } from './control-store-contract';
import { describeIdempotencyStoreContract } from './idempotency-store-contract';
import { aDecision, aFill, aLedgerEntry, anOrder, aPosition, BTC, plain, T0 } from './state-builders';

/** Builds a fresh, empty store for each test (a new table on the emulator, a new object in memory). */
export type StateStoreFactory = () => Promise<StateStore> | StateStore;

/**
 * The behaviour every {@link StateStore} must have, run against the memory fake and the DynamoDB
 * adapter on DynamoDB Local. The concurrency cases fire both writers before awaiting either, so a
 * store that reads-then-writes without a condition fails them.
 */
export function describeStateStoreContract(name: string, makeStore: StateStoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe('orders', () => {
      it('creates an order once at version 1 and never overwrites it', async () => {
        const order = anOrder('d-create', { version: 7 });
        await expect(store.createOrder(order)).resolves.toBe('created');
        await expect(store.createOrder({ ...order, state: 'open' })).resolves.toBe('exists');
        const stored = await store.getOrder(order.identifier);
        expect(plain(stored)).toEqual(plain({ ...order, version: 1 }));
      });

      it('updates by compare-and-set on version and refuses a stale version', async () => {
        const order = anOrder('d-cas');
        await store.createOrder(order);
        const next = await store.updateOrder(
          { ...order, state: 'submitted', updatedAt: (T0 + 1) as EpochMs },
          1,
        );
        expect(next.version).toBe(2);
        await expect(store.updateOrder({ ...order, state: 'cancelled' }, 1)).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        expect((await store.getOrder(order.identifier))?.state).toBe('submitted');
      });

      it('refuses to update an order that does not exist', async () => {
        await expect(store.updateOrder(anOrder('d-missing'), 1)).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.getOrder(anOrder('d-missing').identifier)).toBeUndefined();
      });

      it('lets exactly one of two concurrent updates with the same version win', async () => {
        const order = anOrder('d-race');
        await store.createOrder(order);
        const results = await Promise.allSettled([
          store.updateOrder({ ...order, state: 'open', uuid: 'uuid-a' }, 1),
          store.updateOrder({ ...order, state: 'cancelled', uuid: 'uuid-b' }, 1),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
        const stored = await store.getOrder(order.identifier);
        expect(stored?.version).toBe(2);
        expect(stored?.uuid).toBe((won[0] as PromiseFulfilledResult<{ uuid?: string }>).value.uuid);
      });

      it('finds an order by exchange uuid once it has one', async () => {
        const order = anOrder('d-uuid');
        await store.createOrder(order);
        expect(await store.getOrderByUuid('u-1')).toBeUndefined();
        await store.updateOrder({ ...order, state: 'open', uuid: 'u-1' }, 1);
        expect((await store.getOrderByUuid('u-1'))?.identifier).toBe(order.identifier);
      });

      it('lists every order of a decision, legs and attempts, and nothing of other decisions', async () => {
        const legs = [
          orderIdentifier('d-legs' as DecisionId, 1),
          orderIdentifier('d-legs' as DecisionId, 0, 1),
        ];
        await store.createOrder(anOrder('d-legs'));
        for (const identifier of legs) await store.createOrder(anOrder('d-legs', { identifier }));
        await store.createOrder(anOrder('d-legs-other'));
        const listed = await store.listOrdersByDecision('d-legs' as DecisionId);
        expect(listed.map((o) => o.identifier)).toEqual([
          'qts.d-legs.0.0',
          'qts.d-legs.0.1',
          'qts.d-legs.1.0',
        ]);
        expect(await store.listOrdersByDecision('d-none' as DecisionId)).toEqual([]);
      });

      it('lists only orders not yet final, oldest first', async () => {
        const a = anOrder('d-a', { createdAt: (T0 + 2) as EpochMs });
        const b = anOrder('d-b', { createdAt: (T0 + 1) as EpochMs });
        const c = anOrder('d-c');
        for (const o of [a, b, c]) await store.createOrder(o);
        await store.updateOrder({ ...b, state: 'open', uuid: 'u-b' }, 1);
        await store.updateOrder({ ...c, state: 'rejected' }, 1);
        const active = await store.listActiveOrders();
        expect(active.map((o) => o.identifier)).toEqual([b.identifier, a.identifier]);
        await store.updateOrder({ ...a, state: 'filled' }, 1);
        expect((await store.listActiveOrders()).map((o) => o.identifier)).toEqual([b.identifier]);
      });

      it('lists orders rejected since an instant, oldest first; one revived leaves the list', async () => {
        const early = anOrder('d-rej-early');
        const late = anOrder('d-rej-late');
        const older = anOrder('d-rej-older');
        const open = anOrder('d-rej-open');
        for (const o of [early, late, older, open]) await store.createOrder(o);
        await store.updateOrder({ ...late, state: 'rejected', updatedAt: (T0 + 20) as EpochMs }, 1);
        await store.updateOrder({ ...early, state: 'rejected', updatedAt: (T0 + 10) as EpochMs }, 1);
        await store.updateOrder({ ...older, state: 'rejected', updatedAt: (T0 - 10) as EpochMs }, 1);
        await store.updateOrder({ ...open, state: 'open', updatedAt: (T0 + 15) as EpochMs }, 1);
        const since = await store.listOrdersRejectedSince(T0 as EpochMs);
        expect(since.map((o) => o.identifier)).toEqual([early.identifier, late.identifier]);
        await store.updateOrder({ ...early, state: 'open', updatedAt: (T0 + 30) as EpochMs }, 2);
        expect((await store.listOrdersRejectedSince(T0 as EpochMs)).map((o) => o.identifier)).toEqual([
          late.identifier,
        ]);
        expect((await store.listActiveOrders()).map((o) => o.identifier)).toContain(early.identifier);
      });
    });

    describe('decisions', () => {
      it('stores a duplicate decision once, keeping the first', async () => {
        const first = aDecision('dup-1');
        await expect(store.recordDecision(first)).resolves.toBe('created');
        await expect(store.recordDecision({ ...first, intent: { kind: 'hold' } })).resolves.toBe('duplicate');
        expect(plain(await store.getDecision(first.id))).toEqual(plain(first));
      });

      it('records a decision once when two writers race', async () => {
        const results = await Promise.all([
          store.recordDecision(aDecision('dup-race')),
          store.recordDecision(aDecision('dup-race', { intent: { kind: 'flatten' } })),
        ]);
        expect([...results].sort()).toEqual(['created', 'duplicate']);
      });

      it('round-trips quote intents exactly and misses unknown ids', async () => {
        const quotes = aDecision('q-1', {
          strategy: 'market_making',
          intent: {
            kind: 'quotes',
            levels: [
              { side: 'bid', price: price('151000000'), volume: volume('0.00012345') },
              { side: 'ask', price: price('151100000'), volume: volume('0.0001') },
            ],
          },
        });
        await store.recordDecision(quotes);
        expect(plain(await store.getDecision(quotes.id))).toEqual(plain(quotes));
        expect(await store.getDecision('nope' as DecisionId)).toBeUndefined();
      });
    });

    describe('fills, positions and the risk ledger', () => {
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
        expect(plain(await store.getPosition(BTC, 'market_making'))).toEqual(
          plain(aPosition({ version: 1 })),
        );
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

    describeControlStoreContract(() => store);
    describeIdempotencyStoreContract(() => store);

    describe('audit log', () => {
      it('lists newest first within the limit and keeps detail types', async () => {
        for (let i = 0; i < 5; i += 1)
          await store.appendAudit({
            at: (T0 + i) as EpochMs,
            actor: 'cli',
            action: `a${i}`,
            details: { n: i, ok: i % 2 === 0, note: null, text: 'x' },
          });
        const listed = await store.listAudit({ limit: 3 });
        expect(listed.map((a) => a.action)).toEqual(['a4', 'a3', 'a2']);
        expect(listed[0]?.details).toEqual({ n: 4, ok: true, note: null, text: 'x' });
      });
    });
  });
}

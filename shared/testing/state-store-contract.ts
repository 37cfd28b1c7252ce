import { price, volume } from '../src/domain/money/quantities';
import { type DecisionId, orderIdentifier } from '../src/domain/orders/identifiers';
import type { EpochMs } from '../src/domain/time/epoch';
import { VersionConflictError } from '../src/ports/order-repository';
import type { StateStore } from '../src/ports/state-store';
import { describeControlStoreContract } from './control-store-contract';
import { describeIdempotencyStoreContract } from './idempotency-store-contract';
import { aDecision, anOrder, plain, T0 } from './state-builders';
import { describeStateStoreFillContract } from './state-store-fill-contract';

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

    describeStateStoreFillContract(() => store);
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

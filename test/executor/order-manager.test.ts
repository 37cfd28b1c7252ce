import { phaseOf } from '../../executor/src/orders/order-lifecycle';
import { UNKNOWN_OUTCOME_GRACE_MS } from '../../executor/src/orders/order-manager';
import { FAILPOINTS, type FailpointName, Failpoints } from '../../executor/src/runtime/failpoints';
import type { MemoryTradingVenue } from '../../shared/src/adapters/memory/memory-trading-venue';
import { TradingError } from '../../shared/src/domain/errors/trading-error';
import { price, volume } from '../../shared/src/domain/money/quantities';
import { orderIdentifier, parseDecisionId } from '../../shared/src/domain/orders/identifiers';
import type { OrderDraft } from '../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { TradingVenue } from '../../shared/src/ports/trading-venue';
import { BTC, type MemoryWorld, memoryWorld, T0 } from './support/memory-world';

const D1 = parseDecisionId('ens-BTC-20260302T0100-0');

function ioc(p: string, v: string): OrderDraft {
  return {
    market: BTC,
    side: 'bid',
    ordType: 'limit',
    price: price(p),
    volume: volume(v),
    timeInForce: 'ioc',
  };
}

function intent(draft: OrderDraft, attempt = 0) {
  return {
    decisionId: D1,
    decidedAt: T0 as EpochMs,
    identifier: orderIdentifier(D1, 0, attempt),
    strategy: 'momentum_scalping' as const,
    draft,
  };
}

/** A venue that records the stored state of each order at the moment its request leaves. */
function recording(world: () => MemoryWorld, seen: string[]) {
  return (inner: MemoryTradingVenue): TradingVenue => ({
    placeOrder: async (request) => {
      const stored = await world().store.getOrder(request.identifier);
      seen.push(`place ${stored?.state}`);
      return inner.placeOrder(request);
    },
    cancelOrder: async (ref) => {
      seen.push('cancel');
      return inner.cancelOrder(ref);
    },
    getOrder: (ref) => inner.getOrder(ref),
    listOpenOrders: (m) => inner.listOpenOrders(m),
    getBalances: () => inner.getBalances(),
  });
}

describe('OrderManager', () => {
  it('stores the intent and marks it submitted before the request leaves, then books the fill exactly', async () => {
    const seen: string[] = [];
    let w: MemoryWorld | undefined;
    w = memoryWorld({ venue: recording(() => w as MemoryWorld, seen) });
    const manager = w.managerWith();
    const out = await manager.place(intent(ioc('100001000', '0.003')));
    expect(out.result).toBe('placed');
    expect(seen).toEqual(['place submitted']);
    expect(out.order.state).toBe('filled');
    expect(phaseOf(out.order)).toBe('filled');
    expect(out.order.executedVolume.toFixed()).toBe('0.003');
    const [position] = await w.store.listPositions();
    expect(position?.volume.toFixed()).toBe('0.003');
    // 100,000,000 × 0.003 = 300,000 plus the 0.05 % fee (150): the cost basis to the won.
    expect(position?.cost.toFixed()).toBe('300150');
    expect(
      (await w.store.listFills({ from: (T0 - 60_000) as never, to: (T0 + 60_000) as never })).length,
    ).toBe(1);
  });

  it('never sends an identifier twice: a second place of the same intent is recognised', async () => {
    const w = memoryWorld();
    const manager = w.managerWith();
    await manager.place(intent(ioc('100001000', '0.001')));
    const again = await manager.place(intent(ioc('100001000', '0.001')));
    expect(again.result).toBe('exists');
    expect((await w.venue.getOrder({ identifier: again.order.identifier }))?.executedVolume.toFixed()).toBe(
      '0.001',
    );
    expect((await w.store.listPositions())[0]?.volume.toFixed()).toBe('0.001');
  });

  it('refuses before sending when the gate is closed or the risk check says no, and stores why', async () => {
    const seen: string[] = [];
    let w: MemoryWorld | undefined;
    w = memoryWorld({ venue: recording(() => w as MemoryWorld, seen) });
    const manager = w.managerWith();
    w.gate.setReconciled(false);
    const gated = await manager.place(intent(ioc('100001000', '0.001'), 0));
    expect(gated).toMatchObject({ result: 'refused', order: { state: 'rejected' } });
    expect(gated.result === 'refused' && gated.reason).toContain('not reconciled');
    w.gate.setReconciled(true);
    // 0.006 BTC × 100,001,000 ≈ 600,006 KRW: above the 500,000 KRW per-trade limit.
    const risky = await manager.place(intent(ioc('100001000', '0.006'), 1));
    expect(risky.result).toBe('refused');
    expect(risky.order.rejection?.message).toContain('trade_limit');
    expect(seen).toEqual([]);
    expect(w.metrics.ordersRejected.value({ code: 'risk_trade_limit' })).toBe(1);
  });

  it('marks a venue refusal rejected (the identifier is burnt) and books nothing', async () => {
    const w = memoryWorld();
    w.venue.fund('KRW', '1000');
    const out = await w.managerWith().place(intent(ioc('100001000', '0.001')));
    expect(out.result).toBe('rejected');
    expect(out.order.rejection?.code).toBe('insufficient_funds_bid');
    expect(await w.store.listPositions()).toEqual([]);
  });

  it('settles an unknown outcome by identifier: found → booked once; never seen → rejected after the grace period', async () => {
    let mode: 'lost-answer' | 'lost-request' = 'lost-answer';
    const w = memoryWorld({
      venue: (inner) => ({
        ...inner,
        placeOrder: async (request) => {
          if (mode === 'lost-answer') await inner.placeOrder(request);
          throw new TradingError('retryable', 'timed out', { code: 'timeout' });
        },
        getOrder: (ref) => inner.getOrder(ref),
        listOpenOrders: (m) => inner.listOpenOrders(m),
        getBalances: () => inner.getBalances(),
        cancelOrder: (ref) => inner.cancelOrder(ref),
      }),
    });
    const manager = w.managerWith();
    const first = await manager.place(intent(ioc('100001000', '0.001'), 0));
    expect(first).toMatchObject({ result: 'unknown', order: { state: 'submitted' } });
    expect((await manager.sync(first.order.identifier))?.state).toBe('filled');
    expect((await manager.sync(first.order.identifier))?.state).toBe('filled');
    expect((await w.store.listPositions())[0]?.volume.toFixed()).toBe('0.001');

    mode = 'lost-request';
    const second = await manager.place(intent(ioc('100001000', '0.001'), 1));
    expect((await manager.sync(second.order.identifier))?.state).toBe('submitted');
    await w.clock.advance(UNKNOWN_OUTCOME_GRACE_MS);
    const settled = await manager.sync(second.order.identifier);
    expect(settled?.state).toBe('rejected');
    expect(settled?.rejection?.message).toContain('never seen by the venue');
  });

  it('cancels a resting order and waits for the venue to confirm', async () => {
    const w = memoryWorld();
    const manager = w.managerWith();
    const rest: OrderDraft = { ...ioc('99990000', '0.001'), timeInForce: 'post_only' };
    const placed = await manager.place(intent(rest));
    expect(placed.order.state).toBe('open');
    const cancelled = await manager.cancel(placed.order.identifier, 'test');
    expect(cancelled?.state).toBe('cancelled');
    expect(await w.venue.listOpenOrders()).toEqual([]);
  });

  it.each(FAILPOINTS.filter((f) => f.startsWith('order.') || f.startsWith('fill.')))(
    'a crash at %s loses nothing and doubles nothing once the next process syncs',
    async (point) => {
      const w = memoryWorld();
      const crashing = w.managerWith({
        failpoints: new Failpoints(`${point}:1`, (name: FailpointName) => {
          throw new Error(`crash at ${name}`);
        }),
      });
      await expect(crashing.place(intent(ioc('100001000', '0.002')))).rejects.toThrow(`crash at ${point}`);
      const restarted = w.managerWith();
      const identifier = orderIdentifier(D1, 0, 0);
      const settled = await restarted.sync(identifier);
      const onVenue = await w.venue.getOrder({ identifier });
      const positions = await w.store.listPositions();
      if (onVenue === undefined) {
        // Crashed before the request: the order was never sent and is closed as such.
        expect(settled?.state === 'cancelled' || settled?.state === 'submitted').toBe(true);
        expect(positions).toEqual([]);
      } else {
        expect(settled?.state).toBe('filled');
        expect(positions[0]?.volume.toFixed()).toBe(onVenue.executedVolume.toFixed());
        expect(positions[0]?.cost.toFixed()).toBe('200100');
      }
      expect(await restarted.place(intent(ioc('100001000', '0.002')))).toMatchObject({ result: 'exists' });
    },
  );
});

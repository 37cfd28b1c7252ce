import fc from 'fast-check';
import { KRW_MARKET_RULES, lockWithTakerFee } from '../../domain/market/market-rules';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { orderIdentifier } from '../../domain/orders/identifiers';
import { BTC, did, T0 } from '../../domain/risk/testing/risk-builders';
import { LockBook } from './lock-book';
import type { SimOrder } from './sim-order';

function bid(p: Decimal, v: Decimal): SimOrder {
  return {
    identifier: orderIdentifier(did('mmq-x-0')),
    market: BTC,
    strategy: 'market_making',
    spec: { kind: 'limit', side: 'bid', price: price(p), volume: volume(v), postOnly: true },
    reason: 'test',
    placedAt: T0,
    lockedKrw: krw(ZERO),
    remaining: volume(v),
  };
}

describe('LockBook', () => {
  it('keeps the exact total of open locks and lets a lock in lazily only when it surely fits', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        price: fc.integer({ min: 1, max: 200_000_000 }),
        units: fc.integer({ min: 1, max: 10_000_000 }),
      }),
      fc.record({ kind: fc.constantFrom('release' as const, 'read' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom(-1, 0, 1),
        (ops, capital, near, nudge) => {
          const book = new LockBook(KRW_MARKET_RULES);
          // The cash on the sum of the first `near` locks (± 1e-12 won), or a round capital.
          let onLocks = new Decimal(0);
          let placed = 0;
          for (const o of ops)
            if (o.kind === 'place' && placed++ < near)
              onLocks = onLocks.plus(
                lockWithTakerFee(new Decimal(o.price).times(new Decimal(o.units).div(1e8)), KRW_MARKET_RULES),
              );
          const cash = krw(
            near === 0 ? new Decimal(capital) : onLocks.plus(new Decimal(nudge).times('1e-12')),
          );
          const open: SimOrder[] = [];
          let reference = new Decimal(0);
          for (const o of ops) {
            if (o.kind === 'place') {
              const order = bid(new Decimal(o.price), new Decimal(o.units).div(1e8));
              const lock = lockWithTakerFee(new Decimal(o.price).times(order.remaining), KRW_MARKET_RULES);
              const approx = book.approxLock(price(new Decimal(o.price)), order.remaining);
              if (book.surelyFits(approx, cash)) {
                // Surely: the exact total after it is at most the cash.
                expect(reference.plus(lock).lte(cash)).toBe(true);
                order.lazyLock = approx;
                book.addLazy(order);
              } else {
                expect(book.total().eq(reference)).toBe(true);
                if (reference.plus(lock).gt(cash)) continue;
                order.lockedKrw = krw(lock);
                book.add(order.lockedKrw);
              }
              reference = reference.plus(lock);
              open.push(order);
            } else if (open.length > 0) {
              const order = open[o.at % open.length] as SimOrder;
              if (o.kind === 'read') {
                book.materialise(order);
                expect(order.lazyLock).toBeUndefined();
                expect(
                  order.lockedKrw.eq(
                    lockWithTakerFee(
                      order.spec.kind === 'limit' ? order.spec.price.times(order.remaining) : ZERO,
                      KRW_MARKET_RULES,
                    ),
                  ),
                ).toBe(true);
              } else {
                const lock = lockWithTakerFee(
                  order.spec.kind === 'limit' ? order.spec.price.times(order.remaining) : ZERO,
                  KRW_MARKET_RULES,
                );
                book.release(order);
                open.splice(open.indexOf(order), 1);
                reference = reference.minus(lock);
                expect(order.lockedKrw.isZero() && order.lazyLock === undefined).toBe(true);
              }
            }
          }
          expect(book.total().eq(reference)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

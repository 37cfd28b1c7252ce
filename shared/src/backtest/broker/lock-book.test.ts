import fc from 'fast-check';
import { KRW_MARKET_RULES, lockWithTakerFee } from '../../domain/market/market-rules';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { approximately } from '../../domain/money/decimal-units';
import { krw, price, volume } from '../../domain/money/quantities';
import { orderIdentifier } from '../../domain/orders/identifiers';
import { BTC, did, ETH, T0 } from '../../domain/risk/testing/risk-builders';
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
    lazyLock: 0,
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
                book.addLazy(order, order.lazyLock);
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
                expect(order.lazyLock).toBe(0);
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
                expect(order.lockedKrw.isZero() && order.lazyLock === 0).toBe(true);
              }
            }
          }
          expect(book.total().eq(reference)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('decides surelyFits on the open lazy locks in placement order, whichever leave the book', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        price: fc.integer({ min: 1_000, max: 200_000_000 }),
        units: fc.integer({ min: 1, max: 10_000_000 }),
        exact: fc.boolean(),
      }),
      fc.record({ kind: fc.constantFrom('release' as const, 'read' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const book = new LockBook(KRW_MARKET_RULES);
        const cash = krw(new Decimal(1e12));
        const c = approximately(cash);
        // The model: the exact locks' total and the lazy orders in placement order.
        let exact = new Decimal(0);
        const lazy: SimOrder[] = [];
        const open: SimOrder[] = [];
        for (const o of ops) {
          if (o.kind === 'place') {
            const order = bid(new Decimal(o.price), new Decimal(o.units).div(1e8));
            if (o.exact) {
              order.lockedKrw = krw(
                lockWithTakerFee(new Decimal(o.price).times(order.remaining), KRW_MARKET_RULES),
              );
              book.add(order.lockedKrw);
              exact = exact.plus(order.lockedKrw);
            } else {
              order.lazyLock = book.approxLock(price(new Decimal(o.price)), order.remaining);
              book.addLazy(order, order.lazyLock);
              lazy.push(order);
            }
            open.push(order);
          } else if (open.length > 0) {
            const order = open[o.at % open.length] as SimOrder;
            const wasLazy = order.lazyLock > 0;
            if (o.kind === 'read') book.materialise(order);
            else {
              if (!wasLazy) exact = exact.minus(order.lockedKrw);
              book.release(order);
              open.splice(open.indexOf(order), 1);
            }
            if (wasLazy) {
              lazy.splice(lazy.indexOf(order), 1);
              if (o.kind === 'read') exact = exact.plus(order.lockedKrw);
            }
          }
          // surelyFits' own sum, in its order: the exact total, the new lock, each lazy lock.
          const sumOf = (lock: number) => {
            let sum = approximately(exact) + lock;
            for (const l of lazy) sum += l.lazyLock;
            return sum;
          };
          const fits = (lock: number) => c - sumOf(lock) > 1e-9 * (Math.abs(c) + sumOf(lock));
          // Probes on both sides of where the model's verdict turns, and a plain one.
          const edge = (c - sumOf(0)) / (1 + 1e-9);
          for (const probe of [1e6, edge * (1 - 1e-12), edge * (1 + 1e-12), edge * (1 - 1e-6)]) {
            if (!(probe > 0)) continue;
            expect(book.surelyFits(probe, cash)).toBe(fits(probe));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('releases a list of orders at once exactly as it releases each in turn (releaseAll)', () => {
    // Orders placed on two markets, lazily or exactly locked, then lists of them ended at once:
    // usually a market's open orders in placement order (a bar's), sometimes any orders in any order.
    const place = fc.record({
      market: fc.boolean(),
      exact: fc.boolean(),
      price: fc.integer({ min: 1_000, max: 9_000 }),
    });
    const end = fc.record({
      whole: fc.boolean(),
      market: fc.boolean(),
      picks: fc.array(fc.nat(), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(place, end), { maxLength: 40 }), (ops) => {
        const books = [new LockBook(KRW_MARKET_RULES), new LockBook(KRW_MARKET_RULES)] as const;
        const open: [SimOrder, SimOrder][] = [];
        for (const op of ops) {
          if ('price' in op) {
            const pair = [0, 1].map((k) => {
              const o = {
                ...bid(new Decimal(op.price), new Decimal('0.001')),
                market: op.market ? BTC : ETH,
              };
              const book = books[k] as LockBook;
              if (op.exact) {
                o.lockedKrw = krw(lockWithTakerFee(new Decimal(op.price).times('0.001'), KRW_MARKET_RULES));
                book.add(o.lockedKrw);
              } else {
                o.lazyLock = book.approxLock(
                  o.spec.kind === 'limit' ? o.spec.price : price(ZERO),
                  o.remaining,
                );
                book.addLazy(o, o.lazyLock);
              }
              return o;
            }) as [SimOrder, SimOrder];
            open.push(pair);
            continue;
          }
          const market = op.market ? BTC : ETH;
          const ended = op.whole
            ? open.filter(([o]) => o.market === market)
            : [...new Set(op.picks.map((i) => open[i % Math.max(1, open.length)]))].filter(
                (x) => x !== undefined,
              );
          books[0].releaseAll(ended.map(([a]) => a));
          for (const [, b] of ended) books[1].release(b);
          for (const pair of ended) open.splice(open.indexOf(pair), 1);
          const inside = (book: LockBook) =>
            book as unknown as { lazy: readonly SimOrder[]; lazyLocks: readonly number[] };
          const view = (book: LockBook, side: 0 | 1) => ({
            lazy: inside(book).lazy.map((o) => open.findIndex((pair) => pair[side] === o)),
            locks: [...inside(book).lazyLocks],
            orders: open.map((pair) => [pair[side].lazyLock, pair[side].lockedKrw.toFixed()]),
          });
          expect(view(books[0], 0)).toEqual(view(books[1], 1));
          expect(books[0].total().toFixed()).toBe(books[1].total().toFixed());
        }
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import type { Market } from '../../domain/market/market-id';
import { PendingOrders } from './pending-orders';
import type { SimOrder } from './sim-order';

const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL'] as Market[];

const opArb = fc.record({
  add: fc.boolean(),
  market: fc.integer({ min: 0, max: MARKETS.length - 1 }),
});

describe('PendingOrders', () => {
  it('gives what a Map of open lists gave, in its iteration order, whatever the adds and takes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const model = new Map<Market, SimOrder[]>();
        const book = new PendingOrders();
        let seq = 0;
        for (const op of ops) {
          const market = MARKETS[op.market] as Market;
          if (op.add) {
            // An order is only compared by identity here.
            const order = { seq: seq++ } as unknown as SimOrder;
            const list = model.get(market);
            if (list === undefined) model.set(market, [order]);
            else list.push(order);
            book.add(market, order);
          } else {
            const expected = model.get(market);
            model.delete(market);
            const taken = book.take(market);
            expect(taken === undefined ? undefined : [...taken]).toEqual(expected);
            if (taken !== undefined) book.recycle(taken);
          }
          for (const m of MARKETS) {
            expect(book.has(m)).toBe(model.has(m));
            expect(book.get(m)).toEqual(model.get(m));
          }
          expect(book.lists().map((l) => [...l])).toEqual([...model.values()]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

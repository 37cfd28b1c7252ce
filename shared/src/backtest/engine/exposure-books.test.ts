import fc from 'fast-check';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { type ExposureBook, exposureBook } from '../../domain/risk/exposure';
import { T0 } from '../../domain/risk/testing/risk-builders';
import { StrategyName } from '../../domain/trading/strategy-name';
import { SimulatedBroker } from '../broker/simulated-broker';
import { ExposureBooks } from './exposure-books';
import { endWalkStep, placeWalkOrders, walkOrdersArb } from './testing/broker-walk';

const OWNERS = [StrategyName.marketMaking, StrategyName.momentumScalping] as const;

/** One step of a run: orders placed at a bar's close, then (maybe) the markets' next bars. */
const stepArb = fc.record({
  orders: walkOrdersArb(OWNERS.length),
  runBars: fc.boolean(),
  move: fc.integer({ min: -3, max: 3 }),
});

function text(book: ExposureBook): string {
  const entries = (m: ReadonlyMap<string, Decimal>) =>
    [...m].map(([k, v]) => `${k}=${v.toFixed()}`).join(',');
  return `${book.total.toFixed()}|${entries(book.byMarket)}|${entries(book.byStrategy)}`;
}

describe('ExposureBooks', () => {
  it('always equals the exposure book of the broker, and hands out the same book while only orders came and went', () => {
    let reused = 0;
    let changed = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        const broker = new SimulatedBroker(krw(new Decimal(2_000_000)), KRW_MARKET_RULES, 0, () => 0.5);
        const books = new ExposureBooks(broker);
        let at = T0;
        let open = 50_000_000;
        let previous: ExposureBook | undefined;
        let previousPositions = broker.allPositions();
        for (const step of steps) {
          placeWalkOrders(broker, step.orders, OWNERS, open, at);
          const withOrders = books.current();
          expect(text(withOrders)).toBe(text(exposureBook(broker.allPositions(), broker.commitments())));
          ({ open, at } = endWalkStep(broker, step, open, at));
          const book = books.current();
          expect(text(book)).toBe(text(exposureBook(broker.allPositions(), broker.commitments())));
          if (previous !== undefined && broker.allPositions() === previousPositions) {
            // No position changed since the last order-free book: the very same object.
            expect(book).toBe(previous);
            reused += 1;
          } else if (previous !== undefined) changed += 1;
          previous = book;
          previousPositions = broker.allPositions();
        }
      }),
      { numRuns: 300, seed: 16 },
    );
    // Both cases came up many times: books kept across order-only changes, and fills in between.
    expect(reused).toBeGreaterThan(100);
    expect(changed).toBeGreaterThan(100);
  });
});

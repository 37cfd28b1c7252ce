import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { type ExposureBook, exposureBook } from '../../domain/risk/exposure';
import { BTC, ETH, T0 } from '../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { StrategyName } from '../../domain/trading/strategy-name';
import { SimulatedBroker } from '../broker/simulated-broker';
import { ExposureBooks } from './exposure-books';

const MARKETS: readonly Market[] = [BTC, ETH];
const OWNERS = [StrategyName.marketMaking, StrategyName.momentumScalping] as const;

/** One step of a run: orders placed at a bar's close, then (maybe) the markets' next bars. */
const stepArb = fc.record({
  orders: fc.array(
    fc.record({
      market: fc.integer({ min: 0, max: 1 }),
      owner: fc.integer({ min: 0, max: 1 }),
      buy: fc.boolean(),
      // Limit price offset from the open in 1,000-won ticks (negative: below it) and size in KRW.
      ticks: fc.integer({ min: -3, max: 3 }),
      krwSize: fc.integer({ min: 6_000, max: 400_000 }),
    }),
    { maxLength: 4 },
  ),
  runBars: fc.boolean(),
  move: fc.integer({ min: -3, max: 3 }),
});

function text(book: ExposureBook): string {
  const entries = (m: ReadonlyMap<string, Decimal>) =>
    [...m].map(([k, v]) => `${k}=${v.toFixed()}`).join(',');
  return `${book.total.toFixed()}|${entries(book.byMarket)}|${entries(book.byStrategy)}`;
}

function candle(market: Market, at: EpochMs, open: number): Candle {
  return {
    market,
    timeframe: '1m',
    openTime: at,
    open,
    high: open + 2_000,
    low: open - 2_000,
    close: open,
    volume: 5,
    quoteVolume: 5 * open,
  };
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
          step.orders.forEach((o, leg) => {
            const market = MARKETS[o.market] as Market;
            const p = open + o.ticks * 1_000;
            const decisionId = makeDecisionId('t', market, at);
            broker.place(
              {
                identifier: orderIdentifier(decisionId, leg),
                market,
                strategy: OWNERS[o.owner] as (typeof OWNERS)[number],
                spec: {
                  kind: 'limit',
                  side: o.buy ? 'bid' : 'ask',
                  price: price(new Decimal(p)),
                  volume: volume(new Decimal(o.krwSize).div(p).toDecimalPlaces(8, Decimal.ROUND_DOWN)),
                  postOnly: false,
                },
                reason: 'test',
                decisionId,
              },
              at,
              price(new Decimal(open)),
            );
          });
          const withOrders = books.current();
          expect(text(withOrders)).toBe(text(exposureBook(broker.allPositions(), broker.commitments())));
          if (step.runBars) {
            open += step.move * 1_000;
            at = (at + MS.minute) as EpochMs;
            for (const market of MARKETS) broker.processBar(candle(market, at, open));
          } else for (const market of MARKETS) broker.cancelAll(market);
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

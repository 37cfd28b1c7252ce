import fc from 'fast-check';
import { edgePrice } from '../../../testing/adversarial-decimals';
import type { Candle } from '../market/market-data';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { roundNumberToTick, stepTicks } from '../market/tick-rounding';
import { KRW_TICK_TABLES } from '../market/tick-table';
import { Decimal } from '../money/decimal';
import { numberOf, unitsOf } from '../money/decimal-units';
import type { EpochMs } from '../time/epoch';
import { quotesOnGrid, syntheticBook } from './synthetic-book';
import { exactTopOfBook, topOfQuotes } from './top-of-book';

const BTC = 'KRW-BTC' as Market;
const ADA = 'KRW-ADA' as Market;

// Traded prices on every band of every table: band edges and half ticks (edgePrice), whole won,
// and any double in the KRW range, small ones (fractional grids) included.
const traded = fc.oneof(
  edgePrice,
  fc.integer({ min: 1, max: 3e9 }),
  fc.double({ min: 1e-4, max: 3e9, noNaN: true }),
);

describe('synthetic quotes with their whole won', () => {
  it('are the old quotes, their won the decimals’ units, and the book and top of book unchanged (counted)', () => {
    let whole = 0;
    let fractional = 0;
    fc.assert(
      fc.property(
        traded,
        fc.constantFrom(...KRW_TICK_TABLES),
        fc.constantFrom(BTC, ADA),
        (x, table, market) => {
          const ticks = { table, asset: market.slice(4) };
          const q = quotesOnGrid(x, ticks);
          // The old definition, as the oracle.
          const bid = roundNumberToTick(x, 'down', ticks);
          const ask = stepTicks(bid, 1, ticks);
          expect(q.bid.toString()).toBe(bid.toString());
          expect(q.ask.toString()).toBe(ask.toString());
          expect(q.bidWon).toBe(unitsOf(bid, 0) ?? Number.NaN);
          expect(q.askWon).toBe(unitsOf(ask, 0) ?? Number.NaN);
          if (Number.isNaN(q.bidWon)) fractional += 1;
          else whole += 1;
          // The synthetic book's prices are still numberOf of the quotes.
          const at = table.effectiveFrom as EpochMs;
          const bar = { market, close: x, volume: 2 } as Candle;
          const book = syntheticBook(bar, at, KRW_MARKET_RULES, q);
          expect(book.bids[0]?.price).toBe(numberOf(bid));
          expect(book.asks[0]?.price).toBe(numberOf(ask));
          // topOfQuotes first (its memo is empty for these decimals), then exactTopOfBook on copies
          // (so its memo does not answer with the same object).
          const top = topOfQuotes(q);
          const expected = exactTopOfBook(new Decimal(bid.toString()), new Decimal(ask.toString()));
          expect(top.bestBid).toBe(expected.bestBid);
          expect(top.bestAsk).toBe(expected.bestAsk);
          // The exact pair is there exactly when exactTopOfBook gives one (a getter on whole won).
          expect(top.exact === undefined).toBe(expected.exact === undefined);
          expect(top.exact?.bid).toBe(expected.exact === undefined ? undefined : q.bid);
          expect(top.exact?.ask).toBe(expected.exact === undefined ? undefined : q.ask);
        },
      ),
      { seed: 1206, numRuns: 2000 },
    );
    // Both kinds of grid were drawn, so neither branch is vacuous.
    expect(whole).toBeGreaterThan(500);
    expect(fractional).toBeGreaterThan(100);
  });
});

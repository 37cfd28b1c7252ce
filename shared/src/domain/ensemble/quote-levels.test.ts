import fc from 'fast-check';
import { Decimal, decimalFromNumber } from '../money/decimal';
import { exactTopOfBook } from './quote-levels';

describe('exactTopOfBook', () => {
  it('carries exact prices only when parsing their doubles gives them back', () => {
    const priceOf = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 0, max: 8 }))
        .map(([u, k]) => new Decimal(`${u}e-${k}`)),
      fc
        .tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
        .map(([u, k]) => new Decimal(`${u}e-${k}`)),
    );
    fc.assert(
      fc.property(priceOf, priceOf, (bid, ask) => {
        const book = exactTopOfBook(bid, ask);
        expect(book.bestBid).toBe(bid.toNumber());
        expect(book.bestAsk).toBe(ask.toNumber());
        if (book.exact !== undefined) {
          expect(decimalFromNumber(book.bestBid).eq(book.exact.bid)).toBe(true);
          expect(decimalFromNumber(book.bestAsk).eq(book.exact.ask)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(exactTopOfBook(new Decimal(135_001_000), new Decimal(135_002_000)).exact).toBeDefined();
    expect(exactTopOfBook(new Decimal('0.123456789012345678'), new Decimal(1)).exact).toBeUndefined();
  });
});

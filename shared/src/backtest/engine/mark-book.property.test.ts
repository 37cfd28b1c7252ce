import fc from 'fast-check';
import { flatCandle } from '../../../testing/flat-candle';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { decimalFromNumber } from '../../domain/money/decimal';
import { placesOf, unitsOf } from '../../domain/money/decimal-units';
import { MarkBook } from './mark-book';

const BTC = 'KRW-BTC' as Market;

function bar(openTime: number, close: number): Candle {
  return flatCandle(BTC, openTime, close);
}

/** The scale priceUnits documents, worked out from the close alone (the old `this.unitScale = m.scale`). */
function expectedScale(close: number): number {
  if (Number.isSafeInteger(close) && close !== 0) return 0;
  const exact = decimalFromNumber(close);
  const places = placesOf(exact);
  const units = places === undefined || places > 22 ? undefined : unitsOf(exact, places);
  return units === undefined ? -1 : (places as number);
}

// `unitScale` is now stored as `m.scale | 0` (a small integer, see priceUnits): the same number as
// the scale itself for every close, whole, fractional, tiny or huge, and −1 for a market with no mark.
describe('MarkBook.unitScale', () => {
  const close = fc.oneof(
    fc.double({ min: 1e-12, max: 1e15, noNaN: true }),
    fc.integer({ min: 1, max: 2 ** 40 }),
    fc.constantFrom(0, 0.1, 123.456, 2 ** 53, 2 ** 53 + 2, 1e-30, 5e-324),
  );

  it('is the close’s scale, as priceUnits returns it, for every close in a row', () => {
    fc.assert(
      fc.property(fc.array(close, { minLength: 1, maxLength: 20 }), (closes) => {
        const book = new MarkBook();
        closes.forEach((c, i) => {
          book.set(bar(60_000 * (i + 1), c));
          const units = book.priceUnits(BTC);
          const scale = expectedScale(c);
          expect(Object.is(book.unitScale, scale)).toBe(true);
          expect(Number.isNaN(units)).toBe(scale < 0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is −1 for a market with no mark', () => {
    const book = new MarkBook();
    expect(Number.isNaN(book.priceUnits(BTC))).toBe(true);
    expect(book.unitScale).toBe(-1);
  });
});

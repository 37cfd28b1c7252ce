import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { decimalFromNumber } from '../money/decimal';
import { QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import { LazyQuotesIntent, quotesIntent } from './lazy-quotes-intent';
import { exactTopOfBook, toQuoteColumns, toQuoteLevels } from './quote-levels';

const BTC = 'KRW-BTC' as Market;
const NOW = Date.UTC(2025, 0, 1) as EpochMs;
const TOP = exactTopOfBook(decimalFromNumber(50_000_000), decimalFromNumber(50_001_000));

// Ladders around 50,000,000 of 1 to 12 layers (merged, dropped and kept levels alike).
const ladder = fc.array(
  fc.record({
    bid: fc.boolean(),
    offset: fc.integer({ min: 1, max: 60 }),
    sizeKrw: fc.integer({ min: 1_000, max: 3_000_000 }),
  }),
  { minLength: 1, maxLength: 12 },
);

function hintsOf(layers: readonly { bid: boolean; offset: number; sizeKrw: number }[]): QuoteHints {
  return QuoteHints.of(
    layers.map((l, layer) => ({
      side: l.bid ? 'bid' : 'ask',
      price: l.bid ? 50_000_000 - l.offset * 1_000 : 50_001_000 + l.offset * 1_000,
      sizeKrw: l.sizeKrw,
      layer,
    })),
  );
}

describe('LazyQuotesIntent in its ring slot', () => {
  it('reads as its own ladder while fewer than eight later lazy intents were made', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(ladder, { minLength: 1, maxLength: 8 }), fc.nat(7), (ladders, at) => {
        const made = ladders.map((l) => {
          const hints = hintsOf(l);
          const intent = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
          return {
            intent,
            columns: toQuoteColumns(BTC, hints, NOW, KRW_MARKET_RULES, TOP),
            levels: toQuoteLevels(BTC, hints, NOW, KRW_MARKET_RULES, TOP),
          };
        });
        // Read in any order after all of them were made (at most eight: every slot still held).
        for (let k = 0; k < made.length; k++) {
          const m = made[(k + at) % made.length] as (typeof made)[number];
          const own = LazyQuotesIntent.columnsOf(m.intent);
          expect(
            own && { ...own, won: own.won.slice(0, own.count), units: own.units.slice(0, own.count) },
          ).toEqual(m.columns);
          expect(JSON.stringify(m.intent)).toBe(JSON.stringify({ kind: 'quotes', levels: m.levels }));
          read += 1;
        }
      }),
      { numRuns: 300 },
    );
    expect(read).toBeGreaterThan(500);
  });

  it('throws when read after eight later lazy intents took its slot, unless its levels were made', () => {
    const hints = hintsOf([
      { bid: true, offset: 1, sizeKrw: 100_000 },
      { bid: false, offset: 2, sizeKrw: 200_000 },
    ]);
    const early = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
    const read = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
    const levels = read.levels;
    for (let i = 0; i < 8; i++) quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
    expect(early).toBeInstanceOf(LazyQuotesIntent);
    expect(() => early.levels).toThrow(/handed on/);
    expect(() => LazyQuotesIntent.columnsOf(early)).toThrow(/handed on/);
    // Levels made while the slot held them stay the intent's own.
    expect(read.levels).toBe(levels);
    expect(JSON.stringify(read)).toBe(
      JSON.stringify({ kind: 'quotes', levels: toQuoteLevels(BTC, hints, NOW, KRW_MARKET_RULES, TOP) }),
    );
  });
});

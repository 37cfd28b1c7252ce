import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { decimalFromNumber } from '../money/decimal';
import { QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import { eagerLaddersFirst, LazyQuotesIntent, quotesIntent } from './lazy-quotes-intent';
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

describe('LazyQuotesIntent on the whole-won columns', () => {
  it('reads as its own ladder until another ladder is begun', () => {
    let read = 0;
    fc.assert(
      fc.property(ladder, (l) => {
        const hints = hintsOf(l);
        // The oracles first: the intent's ladder is the last one built.
        const columns = toQuoteColumns(BTC, hints, NOW, KRW_MARKET_RULES, TOP);
        const levels = toQuoteLevels(BTC, hints, NOW, KRW_MARKET_RULES, TOP);
        const intent = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
        const own = LazyQuotesIntent.columnsOf(intent);
        expect(
          own && {
            count: own.count,
            bids: own.bids,
            won: own.won.slice(0, own.count),
            units: own.units.slice(0, own.count),
          },
        ).toEqual(columns);
        expect(JSON.stringify(intent)).toBe(JSON.stringify({ kind: 'quotes', levels }));
        read += 1;
      }),
      { numRuns: 300 },
    );
    expect(read).toBe(300);
  });

  it('settles `made` without keeping a level: a settled intent reads as the ladder just built', () => {
    const hints = hintsOf([{ bid: true, offset: 3, sizeKrw: 100_000 }]);
    const levels = toQuoteLevels(BTC, hints, NOW, KRW_MARKET_RULES, TOP);
    toQuoteColumns(BTC, hints, NOW, KRW_MARKET_RULES, TOP);
    const settled = LazyQuotesIntent.settleFields();
    expect(JSON.stringify(settled)).toBe(JSON.stringify({ kind: 'quotes', levels }));
  });

  it('throws when read after another ladder was begun, unless its levels were made', () => {
    const hints = hintsOf([
      { bid: true, offset: 1, sizeKrw: 100_000 },
      { bid: false, offset: 2, sizeKrw: 200_000 },
    ]);
    const other = hintsOf([{ bid: true, offset: 5, sizeKrw: 300_000 }]);
    const read = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
    const levels = read.levels;
    const early = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
    // Another ladder, built eagerly (toQuoteLevels writes the same columns).
    toQuoteLevels(BTC, other, NOW, KRW_MARKET_RULES, TOP);
    expect(early).toBeInstanceOf(LazyQuotesIntent);
    expect(() => early.levels).toThrow(/handed on/);
    expect(() => LazyQuotesIntent.columnsOf(early)).toThrow(/handed on/);
    // Levels made while the columns held them stay the intent's own.
    expect(read.levels).toBe(levels);
    expect(JSON.stringify(read)).toBe(
      JSON.stringify({ kind: 'quotes', levels: toQuoteLevels(BTC, hints, NOW, KRW_MARKET_RULES, TOP) }),
    );
  });
});

describe('eagerLaddersFirst', () => {
  // Hint prices half a tick off the grid too (rounded onto it by both paths).
  const anyLadder = fc.tuple(ladder, fc.boolean());
  const hintsOfAny = ([l, half]: [Parameters<typeof hintsOf>[0], boolean]): QuoteHints =>
    half ? hintsOf(l.map((x) => ({ ...x, offset: x.offset + 0.5 }))) : hintsOf(l);

  it('makes the next ladders eager on the decimal steps, with the levels of the lazy path', () => {
    fc.assert(
      fc.property(anyLadder, fc.integer({ min: 0, max: 3 }), (l, count) => {
        const hints = hintsOfAny(l);
        // The general path's text: toQuoteLevels, and the lazy path's own intent (warm-up off).
        const levels = JSON.stringify({
          kind: 'quotes',
          levels: toQuoteLevels(BTC, hints, NOW, KRW_MARKET_RULES, TOP),
        });
        eagerLaddersFirst(0);
        expect(JSON.stringify(quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true))).toBe(levels);
        eagerLaddersFirst(count);
        for (let i = 0; i < count; i++) {
          const eager = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
          expect(eager).not.toBeInstanceOf(LazyQuotesIntent);
          expect(JSON.stringify(eager)).toBe(levels);
        }
        // Then as without the warm-up: lazy when the whole-won path builds the ladder, the same text.
        const whole = toQuoteColumns(BTC, hints, NOW, KRW_MARKET_RULES, TOP) !== undefined;
        const after = quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true);
        expect(after instanceof LazyQuotesIntent).toBe(whole);
        expect(JSON.stringify(after)).toBe(levels);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('leaves an eager caller alone', () => {
    const hints = hintsOf([{ bid: true, offset: 1, sizeKrw: 100_000 }]);
    eagerLaddersFirst(2);
    quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, false);
    quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, false);
    // The count is the lazy callers': both still to come.
    expect(quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true)).not.toBeInstanceOf(LazyQuotesIntent);
    expect(quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true)).not.toBeInstanceOf(LazyQuotesIntent);
    expect(quotesIntent(BTC, hints, NOW, KRW_MARKET_RULES, TOP, true)).toBeInstanceOf(LazyQuotesIntent);
  });
});

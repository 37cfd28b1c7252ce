import fc from 'fast-check';
import { edgePrice } from '../../../testing/adversarial-decimals';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { KRW_TICK_TABLES } from '../market/tick-table';
import { decimalFromNumber } from '../money/decimal';
import { numberOf, unitsOf } from '../money/decimal-units';
import { type QuoteHint, QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import { LazyQuotesIntent, quotesIntent } from './lazy-quotes-intent';
import {
  exactTopOfBook,
  type TopOfBook,
  toQuoteColumns,
  toQuoteLevels,
  WHOLE_WON_LEVELS,
} from './quote-levels';

// The numbers the whole-won path hands the ladder checks (WHOLE_WON_LEVELS) are exactly what the
// checks would get from the level decimals: numberOf of price and volume, unitsOf of the volume.

const ADA = 'KRW-ADA' as Market;
const BTC = 'KRW-BTC' as Market;

const hint = fc
  .tuple(
    fc.constantFrom('bid', 'ask') as fc.Arbitrary<'bid' | 'ask'>,
    // Adversarial prices (band edges, half ticks) and ordinary ones on whole-won grids.
    fc.oneof(edgePrice, fc.double({ min: 100, max: 2e8, noNaN: true })),
    fc.oneof(fc.double({ min: 1, max: 1e9, noNaN: true }), fc.integer({ min: 5_000, max: 2_000_000 })),
  )
  .map(([side, price, sizeKrw]): QuoteHint => ({ side, price, sizeKrw, layer: 0 }));
const book = fc.option(
  fc.tuple(edgePrice, fc.integer({ min: 0, max: 1000 })).map(([bid, gap]): TopOfBook => {
    const b = Math.max(1, Math.round(bid));
    return exactTopOfBook(decimalFromNumber(b), decimalFromNumber(b + gap));
  }),
  { nil: undefined },
);

/** A ladder's hints, tick table, market and optional book: both properties draw the same inputs. */
const ladderInputs = [
  fc.array(hint, { minLength: 1, maxLength: 12 }).map(QuoteHints.of),
  fc.constantFrom(...KRW_TICK_TABLES),
  fc.constantFrom(ADA, BTC),
  book,
] as const;

describe('WHOLE_WON_LEVELS', () => {
  it('names the last whole-won ladder only, with its levels’ exact numbers (counted)', () => {
    let levelsChecked = 0;
    fc.assert(
      fc.property(...ladderInputs, (hints, table, market, top) => {
        const levels = toQuoteLevels(market, hints, table.effectiveFrom as EpochMs, KRW_MARKET_RULES, top);
        if (WHOLE_WON_LEVELS.levels !== levels) {
          // The decimal steps built it: nothing is named.
          expect(WHOLE_WON_LEVELS.levels).toBeUndefined();
          return;
        }
        levels.forEach((l, i) => {
          const units = WHOLE_WON_LEVELS.units[i] as number;
          expect(WHOLE_WON_LEVELS.won[i]).toBe(numberOf(l.price));
          expect(units / 1e8).toBe(numberOf(l.volume));
          expect(units).toBe(unitsOf(l.volume, 8));
          levelsChecked += 1;
        });
      }),
      { seed: 16, numRuns: 4000 },
    );
    expect(levelsChecked).toBeGreaterThan(1000);
  });
});

describe('toQuoteColumns and LazyQuotesIntent', () => {
  it('are the whole-won levels as integers, and as the same levels when read (counted)', () => {
    let lazy = 0;
    fc.assert(
      fc.property(...ladderInputs, (hints, table, market, top) => {
        const now = table.effectiveFrom as EpochMs;
        const columns = toQuoteColumns(market, hints, now, KRW_MARKET_RULES, top);
        const levels = toQuoteLevels(market, hints, now, KRW_MARKET_RULES, top);
        const whole = WHOLE_WON_LEVELS.levels === levels;
        const intent = quotesIntent(market, hints, now, KRW_MARKET_RULES, top, true);
        // Columns exactly when the whole-won path builds the levels (the decimal steps otherwise).
        expect(columns !== undefined).toBe(whole);
        // The lazy intent's columns up to its count (the shared arrays may be longer).
        const own = LazyQuotesIntent.columnsOf(intent);
        expect(
          own === undefined
            ? undefined
            : {
                count: own.count,
                bids: own.bids,
                won: own.won.slice(0, own.count),
                units: own.units.slice(0, own.count),
              },
        ).toEqual(columns);
        if (columns === undefined) {
          expect(intent).toEqual({ kind: 'quotes', levels });
          return;
        }
        lazy += 1;
        expect(columns.count).toBe(levels.length);
        levels.forEach((l, i) => {
          expect(l.side).toBe(i < columns.bids ? 'bid' : 'ask');
          expect(columns.won[i]).toBe(numberOf(l.price));
          expect(columns.units[i]).toBe(unitsOf(l.volume, 8));
        });
        // Read, the lazy intent is the eager one: its levels, its JSON.
        expect(JSON.stringify(intent)).toBe(JSON.stringify({ kind: 'quotes', levels }));
        expect(intent.levels).toEqual(levels);
        expect(intent.levels.map((l) => [l.price.toFixed(), l.volume.toFixed()])).toEqual(
          levels.map((l) => [l.price.toFixed(), l.volume.toFixed()]),
        );
      }),
      { seed: 17, numRuns: 3000 },
    );
    expect(lazy).toBeGreaterThan(500);
  });
});

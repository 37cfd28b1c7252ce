import fc from 'fast-check';
import { edgePrice } from '../../../testing/adversarial-decimals';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../market/market-rules';
import { roundNumberOnWholeGrid } from '../market/tick-rounding';
import { KRW_TICK_TABLES } from '../market/tick-table';
import { decimalFromNumber } from '../money/decimal';
import { fixedText } from '../money/decimal-text';
import { type QuoteHint, QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import type { QuoteLevel } from '../trading/decision';
import { decimalQuoteLevels, exactTopOfBook, type TopOfBook, toQuoteLevels } from './quote-levels';

// Audit of the whole-won quote ladder (integer prices, 1e-8 volume units, integer merges and
// minimum) against the decimal steps it replaced, on hints at band edges and half ticks, sizes that
// are an exact multiple of the price in 1e-8 units (a volume floor exactly on a whole unit), sizes
// putting a level's total exactly on the 5,000 KRW minimum, tops of book on the rounded prices
// (post-only crossing ties), duplicate prices that merge, and every tick table.

const ADA = 'KRW-ADA' as Market;
const BTC = 'KRW-BTC' as Market;
const text = (levels: readonly QuoteLevel[]) =>
  levels.map((l) => `${l.side} ${fixedText(l.price)} ${fixedText(l.volume)}`).join('|');

const side = fc.constantFrom('bid', 'ask') as fc.Arbitrary<'bid' | 'ask'>;
/** A size: arbitrary, price × units / 1e8 (an exact volume floor), or at the 5,000 KRW minimum ± 1e-8. */
const hint = fc
  .tuple(
    side,
    edgePrice,
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 1, max: 10 ** 12 }),
    fc.double({ min: 1, max: 1e9, noNaN: true }),
    fc.constantFrom(0, 1e-8, -1e-8),
  )
  .map(([s, p, kind, units, any, nudge]): QuoteHint => {
    const sizeKrw =
      kind === 0
        ? any
        : kind === 1
          ? (Math.round(p) * units) / 1e8
          : kind === 2
            ? 5000 + nudge
            : 5000 * 1.0000001;
    return { side: s, price: p, sizeKrw, layer: 0 };
  });
const book = fc.option(
  fc.tuple(edgePrice, fc.integer({ min: 0, max: 1000 })).map(([bid, gap]): TopOfBook => {
    const b = Math.max(1, Math.round(bid));
    return exactTopOfBook(decimalFromNumber(b), decimalFromNumber(b + gap));
  }),
  { nil: undefined },
);

describe('audit: whole-won quote levels (claim: the decimal steps’ levels, digit for digit)', () => {
  it('gives the decimal steps’ ladder for adversarial hints, books and tables', () => {
    let wholeGrid = 0;
    fc.assert(
      fc.property(
        fc.array(hint, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...KRW_TICK_TABLES),
        fc.constantFrom(ADA, BTC),
        book,
        fc.boolean(),
        (hints, table, market, top, dup) => {
          // A duplicate of the first hint merges two levels on one price.
          const all = dup ? [...hints, hints[0] as QuoteHint] : hints;
          const now = table.effectiveFrom;
          const ctx = { table: tickTableFor(KRW_MARKET_RULES, now as EpochMs), asset: market.slice(4) };
          if (all.every((h) => roundNumberOnWholeGrid(h.price, h.side, ctx) !== undefined)) wholeGrid += 1;
          const columns = QuoteHints.of(all);
          const ours = toQuoteLevels(market, columns, now as EpochMs, KRW_MARKET_RULES, top);
          expect(text(ours)).toBe(text(decimalQuoteLevels(columns, KRW_MARKET_RULES, ctx, top)));
        },
      ),
      { seed: 20261205, numRuns: 1500 },
    );
    // Coverage on the fixed seed: many ladders lie wholly on whole-won grids (the integer path).
    expect(wholeGrid).toBeGreaterThan(150);
  });

  it('gives the same ladder with markets and tables in turn as with a fresh tick context per ladder', () => {
    // A multi-market run's pattern: each minute a ladder per market, in turn, now and then under the
    // next tick table; the contexts are kept per market (at most 256: past that the memo starts over).
    const markets = [ADA, BTC, 'KRW-USDT' as Market, 'KRW-XRP' as Market];
    const call = fc.tuple(
      fc.array(hint, { minLength: 1, maxLength: 4 }),
      fc.oneof(
        fc.constantFrom(...markets),
        fc.integer({ min: 0, max: 299 }).map((i) => `KRW-M${i}` as Market),
      ),
      fc.integer({ min: 0, max: KRW_TICK_TABLES.length - 1 }),
      book,
    );
    fc.assert(
      fc.property(
        fc.array(call, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 300 }),
        (calls, others) => {
          // Many other markets first, so that some runs pass the bound before (or while) checking.
          for (let i = 0; i < others; i++) {
            const m = `KRW-N${i}` as Market;
            toQuoteLevels(
              m,
              QuoteHints.of([{ side: 'bid', price: 1000, sizeKrw: 10_000, layer: 0 }]),
              0 as EpochMs,
              KRW_MARKET_RULES,
            );
          }
          for (const [hints, market, t, top] of calls) {
            const now = (KRW_TICK_TABLES[t] as (typeof KRW_TICK_TABLES)[number]).effectiveFrom as EpochMs;
            const columns = QuoteHints.of(hints);
            const fresh = { table: tickTableFor(KRW_MARKET_RULES, now), asset: market.slice(4) };
            const ours = toQuoteLevels(market, columns, now, KRW_MARKET_RULES, top);
            expect(text(ours)).toBe(text(decimalQuoteLevels(columns, KRW_MARKET_RULES, fresh, top)));
          }
        },
      ),
      { seed: 20261206, numRuns: 200 },
    );
  });
});

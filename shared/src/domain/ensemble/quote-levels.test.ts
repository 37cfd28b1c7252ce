import fc from 'fast-check';
import { baseCurrency, parseMarket } from '../market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../market/market-rules';
import { Decimal, decimalFromNumber } from '../money/decimal';
import { type QuoteHint, QuoteHints } from '../strategies/quote-hints';
import { epochMs } from '../time/epoch';
import { decimalQuoteLevels, exactTopOfBook, reachesTotal, toQuoteLevels } from './quote-levels';
import { quotesOnGrid } from './synthetic-book';

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

describe('toQuoteLevels order', () => {
  const btc = parseMarket('KRW-BTC');

  it('lists bids highest first, then asks lowest first, each price once and every total ≥ the minimum', () => {
    const hint = fc.record({
      side: fc.constantFrom('bid' as const, 'ask' as const),
      price: fc.double({ min: 90_000_000, max: 110_000_000, noNaN: true }),
      sizeKrw: fc.double({ min: 1_000, max: 200_000, noNaN: true }),
      layer: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(hint, { maxLength: 24 }), (hints: QuoteHint[]) => {
        const levels = toQuoteLevels(
          btc,
          QuoteHints.of(hints),
          epochMs(Date.UTC(2026, 0, 1)),
          KRW_MARKET_RULES,
        );
        const bids = levels.filter((l) => l.side === 'bid');
        const asks = levels.filter((l) => l.side === 'ask');
        expect(levels).toEqual([...bids, ...asks]);
        for (let i = 1; i < bids.length; i++) expect(bids[i - 1]?.price.gt(bids[i]?.price ?? 0)).toBe(true);
        for (let i = 1; i < asks.length; i++) expect(asks[i - 1]?.price.lt(asks[i]?.price ?? 0)).toBe(true);
        for (const l of levels) expect(l.price.times(l.volume).gte(KRW_MARKET_RULES.minTotal)).toBe(true);
        // Every hint whose rounded level survives is represented: as many levels as distinct prices.
        expect(new Set(levels.map((l) => `${l.side}${l.price.toFixed()}`)).size).toBe(levels.length);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('reachesTotal', () => {
  it('is price × volume ≥ total, on integers where they decide and exactly elsewhere', () => {
    const priceOf = fc.oneof(
      fc.integer({ min: 1, max: 2_000_000_000 }).map((u) => new Decimal(u)),
      fc
        .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: 4 }))
        .map(([u, k]) => new Decimal(`${u}e-${k}`)),
    );
    const volumeOf = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 14n }), fc.integer({ min: 0, max: 8 }))
      .map(([u, k]) => new Decimal(`${u}e-${k}`));
    fc.assert(
      fc.property(priceOf, volumeOf, fc.integer({ min: -2, max: 2 }), fc.boolean(), (p, v, nudge, whole) => {
        // A total on the product (± a unit of its last place or a whole won) or the exchange's own.
        const product = p.times(v);
        const total = whole
          ? product.toDecimalPlaces(0).plus(nudge)
          : product.plus(new Decimal(nudge).times('1e-8'));
        const expected = product.gte(total);
        expect(reachesTotal(p as never, v as never, total)).toBe(expected);
        expect(reachesTotal(p as never, v as never, KRW_MARKET_RULES.minTotal)).toBe(
          product.gte(KRW_MARKET_RULES.minTotal),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('toQuoteLevels on whole-won grids', () => {
  const at = epochMs(Date.UTC(2026, 0, 1));
  // Markets on whole-won and fractional grids, and sizes near the minimum and the 1e-8 floor.
  const mids = [100_012_345, 100_000_000, 2_345_678, 150_123, 1_234.5, 101.3, 0.51234];
  const layout = (x: Decimal) => {
    const { s, e, d } = x as unknown as { s: number; e: number; d: number[] };
    return `${s}|${e}|${d.join(',')}`;
  };
  const text = (levels: readonly { side: string; price: Decimal; volume: Decimal }[]) =>
    levels.map((l) => `${l.side} ${layout(l.price)} ${layout(l.volume)}`).join('; ');

  it('gives the decimal steps’ very levels (values, digit layouts, order)', () => {
    const caseArb = fc.record({
      mid: fc.constantFrom(...mids),
      hints: fc.array(
        fc.record({
          side: fc.constantFrom('bid' as const, 'ask' as const),
          bps: fc.oneof(fc.double({ min: -60, max: 60, noNaN: true }), fc.constantFrom(0, 0.5, -0.5)),
          sizeKrw: fc.oneof(
            fc.double({ min: 1_000, max: 300_000, noNaN: true }),
            fc.constantFrom(5_000, 5_000.3, 4_999.999, 100_000, 48_999.99999999999),
          ),
        }),
        { maxLength: 16 },
      ),
      withBook: fc.boolean(),
    });
    const rules = KRW_MARKET_RULES;
    const btc = parseMarket('KRW-BTC');
    const ctx = { table: tickTableFor(rules, at), asset: baseCurrency(btc) };
    fc.assert(
      fc.property(caseArb, (c) => {
        const hints: QuoteHint[] = c.hints.map((h, layer) => ({
          side: h.side,
          price: c.mid * (1 + h.bps / 1e4),
          sizeKrw: h.sizeKrw,
          layer,
        }));
        const q = quotesOnGrid(c.mid, ctx);
        const book = c.withBook ? exactTopOfBook(q.bid, q.ask) : undefined;
        const columns = QuoteHints.of(hints);
        const fast = toQuoteLevels(btc, columns, at, rules, book);
        const reference = decimalQuoteLevels(columns, rules, ctx, book);
        expect(text(fast)).toBe(text(reference));
      }),
      { numRuns: 3000 },
    );
  });
});

import fc from 'fast-check';
import { buildQuoteLadder, type LadderInput } from './market-making/quote-ladder';
import { NO_QUOTE_HINTS, type QuoteHint, QuoteHints } from './quote-hints';

const hint: fc.Arbitrary<QuoteHint> = fc.record({
  side: fc.constantFrom('bid' as const, 'ask' as const),
  price: fc.double({ noNaN: true }),
  sizeKrw: fc.double({ noNaN: true }),
  layer: fc.integer({ min: 0, max: 1_000 }),
});

const ladder: fc.Arbitrary<LadderInput> = fc.record({
  mid: fc.double({ min: 1, max: 2e8, noNaN: true }),
  bestBid: fc.double({ min: 1, max: 2e8, noNaN: true }),
  bestAsk: fc.double({ min: 1, max: 2e8, noNaN: true }),
  halfSpreadBps: fc.double({ min: 0, max: 500, noNaN: true }),
  skewBps: fc.double({ min: -500, max: 500, noNaN: true }),
  layers: fc.integer({ min: 0, max: 12 }),
  layerSpacingBps: fc.double({ min: 0, max: 100, noNaN: true }),
  sizeDecay: fc.double({ min: 0.01, max: 1, noNaN: true }),
  baseQuoteKrw: fc.double({ min: 0, max: 1e7, noNaN: true }),
  availableKrw: fc.double({ min: -1e6, max: 1e8, noNaN: true }),
  positionVolume: fc.double({ min: -1, max: 10, noNaN: true }),
});

describe('QuoteHints', () => {
  it('holds the objects it was made of, in order, and writes their very JSON text', () => {
    fc.assert(
      fc.property(fc.array(hint, { maxLength: 40 }), (hints) => {
        const columns = QuoteHints.of(hints);
        expect(columns.count).toBe(hints.length);
        expect(columns.toArray()).toEqual(hints);
        hints.forEach((h, i) => {
          expect(columns.at(i)).toEqual(h);
          expect(columns.sideAt(i)).toBe(h.side);
          expect(Object.is(columns.prices[i], h.price)).toBe(true);
          expect(Object.is(columns.sizesKrw[i], h.sizeKrw)).toBe(true);
        });
        // A signal carrying the columns serialises as one carrying the list did.
        expect(JSON.stringify({ quotes: columns })).toBe(JSON.stringify({ quotes: hints }));
      }),
      { numRuns: 500 },
    );
  });

  it('refilled bar after bar (the strategy’s reuse), gives each ladder a fresh list would', () => {
    // The columns start too small, so the refills also cross a growth.
    const reused = new QuoteHints(1);
    fc.assert(
      fc.property(ladder, (input) => {
        const fresh = buildQuoteLadder(input, new QuoteHints()).toArray();
        expect(buildQuoteLadder(input, reused).toArray()).toEqual(fresh);
      }),
      { numRuns: 1000 },
    );
  });

  it('shares one frozen empty value that cannot be filled', () => {
    expect(NO_QUOTE_HINTS.count).toBe(0);
    expect(NO_QUOTE_HINTS.toArray()).toEqual([]);
    expect(() => NO_QUOTE_HINTS.push('bid', 1, 1, 0)).toThrow(TypeError);
  });
});

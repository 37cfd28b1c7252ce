import { eagerLaddersFirst, LazyQuotesIntent, quotesIntent } from '../../domain/ensemble/lazy-quotes-intent';
import { exactTopOfBook } from '../../domain/ensemble/quote-levels';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { decimalFromNumber } from '../../domain/money/decimal';
import { QuoteHints } from '../../domain/strategies/quote-hints';
import type { EpochMs } from '../../domain/time/epoch';
import { EAGER_LADDERS_FIRST, warmRareBranches } from './rare-branch-warm-up';

// The warm-up is only worth its place while it takes the branches it is there for: were one of its
// inputs to stop reaching its branch (a rounding no longer carrying, a tie no longer a tie), it
// would still pass silently and warm nothing. Its results are the branches' own.
describe('warmRareBranches', () => {
  it('opens a new arena chunk on every reserve (64), ends on a carried released cost and a tie', () => {
    const warm = warmRareBranches();
    expect(warm.arena.chunk).toBe(63);
    // 79,999,999 × 1 ÷ 4 to whole won, half-even: 19,999,999.75 carries to 20,000,000 on the
    // word path (undefined there would have fallen back to the sum and never carried).
    expect(warm.decimal.toFixed()).toBe('20000000');
    // The last product: 1.25 (the units class) × 1.25 (the units class), exact.
    expect(warm.product.toFixed()).toBe('1.5625');
    // The last tie formatted: −0.25 to one digit, which only toFixed decides.
    expect(warm.text).toBe((-0.25).toFixed(1));
    // The partial fills end on the decimal path (an order without units): 0.123456789 floored.
    expect(warm.partial?.toFixed()).toBe('0.12345678');
  });

  it('gives the same results every time (nothing of a run is read or kept)', () => {
    const a = warmRareBranches();
    const b = warmRareBranches();
    expect([b.decimal.toFixed(), b.text, b.arena.chunk]).toEqual([
      a.decimal.toFixed(),
      a.text,
      a.arena.chunk,
    ]);
  });

  it("arms the run's first ladders for the eager path (the one warm-up call site)", () => {
    const top = exactTopOfBook(decimalFromNumber(50_000_000), decimalFromNumber(50_001_000));
    const hints = QuoteHints.of([{ side: 'bid', price: 49_999_000, sizeKrw: 100_000, layer: 0 }]);
    const intent = () =>
      quotesIntent('KRW-BTC' as Market, hints, Date.UTC(2025, 0, 1) as EpochMs, KRW_MARKET_RULES, top, true);
    eagerLaddersFirst(0);
    warmRareBranches();
    for (let i = 0; i < EAGER_LADDERS_FIRST; i++) expect(intent()).not.toBeInstanceOf(LazyQuotesIntent);
    expect(intent()).toBeInstanceOf(LazyQuotesIntent);
  });
});

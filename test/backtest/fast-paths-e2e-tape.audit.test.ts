/**
 * Audit (audit6): the backtest as shipped against the reference engine (fast paths switched off,
 * test/backtest/support/fast-vs-reference.ts) with a public tape and recorded books, which the
 * identity matrix's synthetic cases never feed: resting fills replayed from trades (queue ahead
 * from the book), the strategies' `onTrade`, 1e-8-coin prints, a whole-won and a low-priced market.
 * Claim: the same JSON result.
 */
import type { Candle, OrderbookSnapshot, Trade } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { fastAndReference, firstDifference } from './support/fast-vs-reference';
import { AFTER_2025, input, walk } from './support/hand-made-markets';

/** A seeded tape of 1–6 prints per bar inside its range, and a 3-level book at each bar's open. */
function tapeAndBooks(
  bars: readonly Candle[],
  seed: number,
): { trades: Trade[]; books: OrderbookSnapshot[] } {
  let s = seed;
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const trades: Trade[] = [];
  const books: OrderbookSnapshot[] = [];
  let id = 0;
  for (const b of bars) {
    const step = b.close * 1e-4;
    books.push({
      market: b.market,
      timestamp: b.openTime,
      bids: [1, 2, 3].map((k) => ({ price: b.open - k * step, size: rnd() * (1e6 / b.close) })),
      asks: [1, 2, 3].map((k) => ({ price: b.open + k * step, size: rnd() * (1e6 / b.close) })),
    });
    const n = 1 + Math.floor(rnd() * 6);
    for (let i = 0; i < n; i++)
      trades.push({
        market: b.market,
        timestamp: (b.openTime + Math.floor(((i + 0.5) * 60_000) / n)) as EpochMs,
        price: b.low + (b.high - b.low) * rnd(),
        volume: rnd() < 0.1 ? 1e-8 : (rnd() * 3e6) / b.close,
        takerSide: rnd() < 0.5 ? 'bid' : 'ask',
        sequentialId: String(id++),
      });
  }
  return { trades, books };
}

describe('audit: fast engine vs reference engine with a tape and books (claim: the same JSON result)', () => {
  for (const [name, level, stepBps] of [
    ['whole-won (1e8 KRW)', 100_000_000, 15],
    ['around the 100 KRW edge', 100.2, 40],
  ] as const)
    it(`all strategies, ${name}`, async () => {
      const m = parseMarket('KRW-XRP');
      const bars = walk(m, AFTER_2025, level, 300, stepBps, 11);
      const { trades, books } = tapeAndBooks(bars, 5);
      const { fast, reference } = await fastAndReference((lib) => ({
        ...input(lib, new Map([[m, bars]]), 'all'),
        tradesByMarket: new Map([[m, trades]]),
        booksByMarket: new Map([[m, books]]),
      }));
      expect(firstDifference(fast, reference)).toBe('identical');
      const result = JSON.parse(fast) as { assumptions: { restingFillSources: { tape: number } } };
      expect(result.assumptions.restingFillSources.tape).toBeGreaterThan(100);
    });
});

import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { MarketDataStore } from '../../ports/market-data-store';
import { mapLimit } from './map-limit';
import type { StrategyBook, WarmUpNeed } from './strategy-book';

/** One market's bars for a run: history to warm up from, and the bars not yet folded into the state. */
export interface MarketBars {
  readonly warm: readonly Candle[];
  readonly fresh: readonly Candle[];
}

/** Parallel reads per run (one query per market). */
const READ_CONCURRENCY = 16;

/**
 * Reads each market's 1m candles in one query: the bars closed since the market's snapshot (just the
 * minute that closed, on a warm run) and, for strategies that must warm up, enough history before
 * it (twice their warm-up length, so stat_arb's shared history fills too). A market without a
 * snapshot starts at the bar before `decisionOpen`: everything earlier is warm-up, only the minute
 * that just closed is new.
 */
export async function loadMarketBars(
  store: Pick<MarketDataStore, 'candlesBetween'>,
  book: StrategyBook,
  needs: readonly WarmUpNeed[],
  decisionOpen: EpochMs,
): Promise<Map<Market, MarketBars>> {
  const span = new Map<Market, number>();
  for (const n of needs) {
    const s = book.strategies.find((x) => x.name === n.strategy);
    const bars = 2 * (s?.warmupBars ?? 0) + 1;
    span.set(n.market, Math.max(span.get(n.market) ?? 0, bars));
  }
  const decisionClose = (decisionOpen + MS.minute) as EpochMs;
  const loaded = await mapLimit(book.markets, READ_CONCURRENCY, async (market) => {
    const boundary = book.lastBarAt(market) ?? decisionOpen;
    const warmBars = span.get(market) ?? 0;
    const from = Math.min(boundary - warmBars * MS.minute, book.lastBarAt(market) ?? decisionOpen) as EpochMs;
    if (from >= decisionClose) return { warm: [], fresh: [] };
    const candles = await store.candlesBetween(market, '1m', { from, to: decisionClose });
    return {
      warm: warmBars === 0 ? [] : candles.filter((c) => c.openTime < boundary),
      fresh: candles.filter((c) => c.openTime >= boundary),
    };
  });
  return new Map(book.markets.map((m, i) => [m, loaded[i] as MarketBars]));
}

import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import type { QuoteAt, ShadowSettings } from '../shadow-ledger';

/** Shadow-trade settings for the ledger's and the edges' unit tests: a 2 % stop, a 3 % target. */
export const SHADOW_SETTINGS: ShadowSettings = {
  takerFee: 0.0005,
  stopLoss: 0.02,
  takeProfit: 0.03,
  minScore: 0.3,
  perTradeCapKrw: 100_000,
  minTotal: 5000,
};

/** A book one won either side of the traded price: shadow entries and exits cross a known spread. */
export const QUOTE_AROUND: QuoteAt = { quote: (traded: number) => ({ bid: traded - 1, ask: traded + 1 }) };

/** The minute the shadow tests' bars count from (2026-01-01 00:00 UTC). */
export const SHADOW_T0 = 1_767_225_600_000;

/**
 * The `minute`-th one-minute bar of `market` after SHADOW_T0, moving straight from `open` to
 * `close` (high and low are the two): the ledger and the edges read only these prices and the time.
 */
export function shadowBar(market: Market, minute: number, open: number, close: number): Candle {
  return {
    market,
    timeframe: '1m',
    openTime: (SHADOW_T0 + minute * 60_000) as EpochMs,
    open,
    high: Math.max(open, close),
    low: Math.min(open, close),
    close,
    volume: 1,
    quoteVolume: open,
  };
}

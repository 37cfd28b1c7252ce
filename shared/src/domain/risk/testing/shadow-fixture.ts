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

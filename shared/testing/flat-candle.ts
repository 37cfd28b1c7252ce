import type { Candle } from '../src/domain/market/market-data';
import type { Market } from '../src/domain/market/market-id';
import type { Timeframe } from '../src/domain/market/timeframe';
import type { EpochMs } from '../src/domain/time/epoch';

/** What a flat bar may set besides its market, time and close. */
export interface FlatCandleOptions {
  readonly timeframe?: Timeframe;
  /** Base volume traded; the quote volume is `volume × close`, as on a bar traded at one price. */
  readonly volume?: number;
}

/**
 * A bar that traded at one price (open = high = low = close): the shape tests use when only the close
 * matters (marks, returns, warm-ups), so each test states the closes and not seven fields a bar.
 */
export function flatCandle(
  market: Market,
  openTime: number,
  close: number,
  options: FlatCandleOptions = {},
): Candle {
  const volume = options.volume ?? 1;
  return {
    market,
    timeframe: options.timeframe ?? '1m',
    openTime: openTime as EpochMs,
    open: close,
    high: close,
    low: close,
    close,
    volume,
    quoteVolume: volume * close,
  };
}

import type { Candle } from '../../domain/market/market-data';

/**
 * Returns why an OHLCV row is unusable, or undefined when it is fine. Shared by the CSV and JSON
 * readers so both refuse exactly the same rows (a NaN high would silently disable every trade-through
 * check in the broker, so it must never get past loading).
 */
export function candleProblem(c: Omit<Candle, 'market' | 'timeframe'>): string | undefined {
  const fields = { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
  for (const [name, v] of Object.entries(fields))
    if (!Number.isFinite(v)) return `${name} is not a finite number (${String(v)})`;
  if (!(c.low > 0)) return `low ${c.low} must be positive`;
  if (c.high < c.low) return `high ${c.high} is below low ${c.low}`;
  if (c.open > c.high || c.open < c.low) return `open ${c.open} is outside [low ${c.low}, high ${c.high}]`;
  if (c.close > c.high || c.close < c.low)
    return `close ${c.close} is outside [low ${c.low}, high ${c.high}]`;
  if (c.volume < 0) return `volume ${c.volume} is negative`;
  if (!Number.isFinite(c.quoteVolume) || c.quoteVolume < 0) return `quote volume ${c.quoteVolume} is invalid`;
  return undefined;
}

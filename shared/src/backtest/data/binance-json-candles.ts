import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { bucketStart, type Timeframe } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import { candleProblem } from './candle-checks';
import { CandleDataError } from './candle-data-error';
import { orderOldestFirst, parseUpbitCandles } from './upbit-json-candles';

const TIME_KEYS = ['openTimeInMillis', 'openTime', 'open_time', 'timestamp', 't'] as const;

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
}

/** A Binance-style item as [openTime, open, high, low, close, volume], or undefined when it is not one. */
function fieldsOf(item: unknown): number[] | undefined {
  // GET /api/v3/klines: [openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", …]
  if (Array.isArray(item)) return item.length >= 6 ? item.slice(0, 6).map(num) : undefined;
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  const key = TIME_KEYS.find((k) => k in o);
  if (key === undefined || !('open' in o) || !('close' in o)) return undefined;
  return [num(o[key]), num(o.open), num(o.high), num(o.low), num(o.close), num(o.volume)];
}

/**
 * Candles from a JSON array in either shape found in the wild: Upbit's `GET /v1/candles` objects, or
 * Binance-style candles — kline arrays `[openTime, open, high, low, close, volume, …]` or objects with
 * `openTime`/`openTimeInMillis`/`open_time`/`timestamp`/`t` (epoch ms) and `open`, `high`, `low`,
 * `close`, `volume` (numbers or decimal strings). Prices are taken as they are, in the quote currency
 * of the file: a USDT series read for KRW-BTC is a KRW series at that price level (tick sizes and the
 * 5,000 KRW minimum apply at that level), which is how the bundled Binance fixtures are used.
 */
export function parseJsonCandles(text: string, path: string, market: Market, tf: Timeframe): Candle[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CandleDataError(path, undefined, `not valid JSON (${(error as Error).message})`);
  }
  const first: unknown = Array.isArray(data) ? data[0] : undefined;
  const binance =
    first !== undefined &&
    !(typeof first === 'object' && first !== null && 'candle_date_time_utc' in first) &&
    fieldsOf(first) !== undefined;
  if (!binance) return parseUpbitCandles(data, path, market, tf);
  const rows = (data as unknown[]).map((item, i): Candle => {
    const where = `item ${i}`;
    const f = fieldsOf(item);
    if (f === undefined)
      throw new CandleDataError(
        path,
        where,
        'not a candle like the first item (openTime, open, high, low, close, volume)',
      );
    const [openTime, open, high, low, close, volume] = f as [number, number, number, number, number, number];
    if (!(Number.isInteger(openTime) && openTime > 1e11))
      throw new CandleDataError(path, where, `open time ${openTime} is not epoch milliseconds`);
    if (bucketStart(openTime, tf) !== openTime)
      throw new CandleDataError(
        path,
        where,
        `open time ${new Date(openTime).toISOString()} is not a ${tf} bar start`,
      );
    const row = {
      openTime: openTime as EpochMs,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: close * volume,
    };
    const problem = candleProblem(row);
    if (problem !== undefined) throw new CandleDataError(path, where, problem);
    return { market, timeframe: tf, ...row };
  });
  return orderOldestFirst(rows, path);
}

import type { Candle } from '../../domain/market/market-data';
import { isMarket, type Market } from '../../domain/market/market-id';
import { bucketStart, type Timeframe, timeframeMs } from '../../domain/market/timeframe';
import { type EpochMs, MS, parseIsoUtc } from '../../domain/time/epoch';
import { candleProblem } from './candle-checks';
import { CandleDataError } from './candle-data-error';

const FIELDS = ['candle_date_time_utc', 'opening_price', 'high_price', 'low_price', 'trade_price'] as const;

function unitOf(tf: Timeframe): number | undefined {
  const ms = timeframeMs(tf);
  return ms >= MS.minute && ms < MS.day ? ms / MS.minute : undefined;
}

function num(item: Record<string, unknown>, key: string, path: string, where: string): number {
  const v = item[key];
  if (typeof v !== 'number')
    throw new CandleDataError(path, where, `${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Parses a candle array exactly as Upbit's `GET /v1/candles/*` returns it (newest first) or saved
 * oldest first, and returns it oldest first. The open time is `candle_date_time_utc`, never
 * `timestamp` (the last trade's time, which can fall after the bar). Refuses mixed order, duplicates,
 * another market's rows, a `unit` other than the timeframe's, and broken OHLC values, naming the item.
 */
export function parseUpbitCandleJson(text: string, path: string, market: Market, tf: Timeframe): Candle[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CandleDataError(path, undefined, `not valid JSON (${(error as Error).message})`);
  }
  return parseUpbitCandles(data, path, market, tf);
}

/** {@link parseUpbitCandleJson} on an already parsed document. */
export function parseUpbitCandles(data: unknown, path: string, market: Market, tf: Timeframe): Candle[] {
  if (!Array.isArray(data))
    throw new CandleDataError(
      path,
      undefined,
      'expected a JSON array of Upbit candles (GET /v1/candles/minutes/{unit})',
    );
  const unit = unitOf(tf);
  const out: Candle[] = [];
  data.forEach((raw: unknown, i) => {
    const where = `item ${i}`;
    if (typeof raw !== 'object' || raw === null) throw new CandleDataError(path, where, 'not an object');
    const item = raw as Record<string, unknown>;
    for (const f of FIELDS)
      if (!(f in item))
        throw new CandleDataError(
          path,
          where,
          `missing field ${f}; expected Upbit's candle format (GET /v1/candles) or Binance-style candles ` +
            '({openTime|openTimeInMillis, open, high, low, close, volume} objects or kline arrays)',
        );
    if (typeof item.market === 'string' && item.market !== market)
      throw new CandleDataError(path, where, `market ${item.market} in a file for ${market}`);
    if (typeof item.market === 'string' && !isMarket(item.market))
      throw new CandleDataError(path, where, `invalid market ${item.market}`);
    if (unit !== undefined && typeof item.unit === 'number' && item.unit !== unit)
      throw new CandleDataError(
        path,
        where,
        `unit ${item.unit} but the timeframe is ${tf}; pass --timeframe ${item.unit}m`,
      );
    let openTime: EpochMs;
    try {
      openTime = parseIsoUtc(String(item.candle_date_time_utc));
    } catch (error) {
      throw new CandleDataError(path, where, (error as Error).message);
    }
    if (bucketStart(openTime, tf) !== openTime)
      throw new CandleDataError(
        path,
        where,
        `candle_date_time_utc ${String(item.candle_date_time_utc)} is not a ${tf} bar start`,
      );
    const close = num(item, 'trade_price', path, where);
    const vol = typeof item.candle_acc_trade_volume === 'number' ? item.candle_acc_trade_volume : 0;
    const row = {
      openTime,
      open: num(item, 'opening_price', path, where),
      high: num(item, 'high_price', path, where),
      low: num(item, 'low_price', path, where),
      close,
      volume: vol,
      quoteVolume:
        typeof item.candle_acc_trade_price === 'number' ? item.candle_acc_trade_price : close * vol,
    };
    const problem = candleProblem(row);
    if (problem !== undefined) throw new CandleDataError(path, where, problem);
    out.push({ market, timeframe: tf, ...row });
  });
  return orderOldestFirst(out, path);
}

/**
 * The rows oldest first: newest-first input (as Upbit serves it) is reversed; anything else out of
 * order, and duplicates, are errors naming the item.
 */
export function orderOldestFirst(rows: Candle[], path: string): Candle[] {
  if (rows.length < 2) return rows;
  const first = rows[0] as Candle;
  const second = rows[1] as Candle;
  const newestFirst = second.openTime < first.openTime;
  if (newestFirst) rows.reverse();
  for (let i = 1; i < rows.length; i++) {
    const prev = (rows[i - 1] as Candle).openTime;
    const cur = (rows[i] as Candle).openTime;
    if (cur > prev) continue;
    const original = newestFirst ? rows.length - 1 - i : i;
    throw new CandleDataError(
      path,
      `item ${original}`,
      cur === prev
        ? `duplicate bar at ${new Date(cur).toISOString()}`
        : 'items are neither all newest-first nor all oldest-first',
    );
  }
  return rows;
}

import type { BookLevel, Candle, OrderbookSnapshot, Ticker, Trade } from '../../../domain/market/market-data';
import { isMarket, type Market } from '../../../domain/market/market-id';
import type { Timeframe } from '../../../domain/market/timeframe';
import { type Price, price } from '../../../domain/money/quantities';
import { type EpochMs, epochMs } from '../../../domain/time/epoch';
import {
  asArray,
  asObject,
  bool,
  dec,
  int,
  isoTime,
  type JsonObject,
  num,
  optStr,
  rawNumbers,
  str,
  UpbitPayloadError,
} from './json-fields';

function krwMarket(o: JsonObject, key: string, path: string): Market {
  const text = str(o, key, path);
  if (!isMarket(text)) throw new UpbitPayloadError(`${path}.${key}: "${text}" is not a KRW market code`);
  return text;
}

function takerSide(o: JsonObject, key: string, path: string): 'bid' | 'ask' {
  const v = str(o, key, path);
  if (v === 'BID') return 'bid';
  if (v === 'ASK') return 'ask';
  throw new UpbitPayloadError(`${path}.${key}: expected BID or ASK, got ${JSON.stringify(v)}`);
}

function timestamp(o: JsonObject, key: string, path: string): EpochMs {
  return epochMs(int(o, key, path));
}

/** One listed market from `GET /market/all`. */
export interface UpbitMarketInfo {
  readonly market: string;
  readonly koreanName: string;
  readonly englishName: string;
  /** Investment-warning pair (유의종목); only known when requested with `is_details=true`. */
  readonly warning?: boolean;
}

/** Parses `GET /market/all`; keeps every quote currency so callers can filter KRW themselves. */
export function parseMarkets(value: unknown): UpbitMarketInfo[] {
  return asArray(value, 'markets').map((v, i) => {
    const path = `markets[${i}]`;
    const o = asObject(v, path);
    const event = o.market_event;
    const warning =
      event === undefined || event === null
        ? undefined
        : bool(asObject(event, `${path}.market_event`), 'warning', path);
    return {
      market: str(o, 'market', path),
      koreanName: str(o, 'korean_name', path),
      englishName: str(o, 'english_name', path),
      ...(warning === undefined ? {} : { warning }),
    };
  });
}

/**
 * Parses a candle page for one timeframe. `openTime` is `candle_date_time_utc` (the bucket start),
 * not `timestamp` (the last trade). Upbit returns newest first; this keeps the server's order.
 */
export function parseCandles(value: unknown, timeframe: Timeframe): Candle[] {
  return asArray(value, 'candles').map((v, i) => {
    const path = `candles[${i}]`;
    const o = asObject(v, path);
    return {
      market: krwMarket(o, 'market', path),
      timeframe,
      openTime: isoTime(o, 'candle_date_time_utc', path),
      open: num(o, 'opening_price', path),
      high: num(o, 'high_price', path),
      low: num(o, 'low_price', path),
      close: num(o, 'trade_price', path),
      volume: num(o, 'candle_acc_trade_volume', path),
      quoteVolume: num(o, 'candle_acc_trade_price', path),
    };
  });
}

// sequential_id can exceed 2^53: this is the parsed double's text, checked as an id; parseTrades
// prefers the digits from the body text when it has them.
function sequentialId(o: JsonObject, path: string): string {
  const v = o.sequential_id;
  if (typeof v === 'string' && /^\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v.toFixed(0);
  throw new UpbitPayloadError(`${path}.sequential_id: expected a non-negative integer`);
}

/**
 * Parses `GET /trades/ticks` (newest first, server order kept). `ask_bid` is the taker side. With the
 * body's `text`, ids are read from it exactly (Upbit's exceed 2^53, where a double merges neighbours).
 */
export function parseTrades(value: unknown, text?: string): Trade[] {
  const list = asArray(value, 'trades');
  const raw = text === undefined ? [] : rawNumbers(text, 'sequential_id');
  const exact = raw.length === list.length;
  return list.map((v, i) => {
    const path = `trades[${i}]`;
    const o = asObject(v, path);
    const id = sequentialId(o, path);
    const rawId = exact ? raw[i] : undefined;
    return {
      market: krwMarket(o, 'market', path),
      timestamp: timestamp(o, 'timestamp', path),
      price: num(o, 'trade_price', path),
      volume: num(o, 'trade_volume', path),
      takerSide: takerSide(o, 'ask_bid', path),
      sequentialId: rawId !== undefined && /^\d+$/.test(rawId) ? rawId : id,
    };
  });
}

/** Parses `GET /ticker`. */
export function parseTickers(value: unknown): Ticker[] {
  return asArray(value, 'tickers').map((v, i) => {
    const path = `tickers[${i}]`;
    const o = asObject(v, path);
    return {
      market: krwMarket(o, 'market', path),
      timestamp: timestamp(o, 'timestamp', path),
      tradePrice: num(o, 'trade_price', path),
      openingPrice: num(o, 'opening_price', path),
      highPrice: num(o, 'high_price', path),
      lowPrice: num(o, 'low_price', path),
      prevClosingPrice: num(o, 'prev_closing_price', path),
      accTradeVolume24h: num(o, 'acc_trade_volume_24h', path),
      accTradePrice24h: num(o, 'acc_trade_price_24h', path),
    };
  });
}

/**
 * Splits Upbit's paired `orderbook_units` into asks (ascending) and bids (descending), dropping the
 * zero-price slots that pad a thin side (PROTOCOL.md §5.1). Shared by REST and WebSocket decoding.
 */
export function splitUnits(
  units: readonly unknown[],
  keys: { ap: string; as: string; bp: string; bs: string },
  path: string,
): { asks: BookLevel[]; bids: BookLevel[] } {
  const asks: BookLevel[] = [];
  const bids: BookLevel[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = asObject(units[i], `${path}[${i}]`);
    const ap = num(u, keys.ap, path);
    const bp = num(u, keys.bp, path);
    if (ap > 0) asks.push({ price: ap, size: num(u, keys.as, path) });
    if (bp > 0) bids.push({ price: bp, size: num(u, keys.bs, path) });
  }
  return { asks, bids };
}

const UNIT_KEYS = { ap: 'ask_price', as: 'ask_size', bp: 'bid_price', bs: 'bid_size' } as const;

/** Parses `GET /orderbook`: full snapshots, one per market. */
export function parseOrderbooks(value: unknown): OrderbookSnapshot[] {
  return asArray(value, 'orderbooks').map((v, i) => {
    const path = `orderbooks[${i}]`;
    const o = asObject(v, path);
    const { asks, bids } = splitUnits(asArray(o.orderbook_units, `${path}.orderbook_units`), UNIT_KEYS, path);
    return { market: krwMarket(o, 'market', path), timestamp: timestamp(o, 'timestamp', path), asks, bids };
  });
}

/** A market's current tick and supported grouping levels, from `GET /orderbook/instruments`. */
export interface OrderbookInstrument {
  readonly market: string;
  readonly quoteCurrency: string;
  /** Authoritative tick for the current price band (PROTOCOL.md §6.2); wins over the table. */
  readonly tickSize: Price;
  readonly supportedLevels: readonly string[];
}

/**
 * Parses `GET /orderbook/instruments`. The docs give `tick_size` as a string and `supported_levels` as
 * an array of strings; one library's fixture has a number and an empty string, so both are accepted.
 */
export function parseInstruments(value: unknown): OrderbookInstrument[] {
  return asArray(value, 'instruments').map((v, i) => {
    const path = `instruments[${i}]`;
    const o = asObject(v, path);
    const levelsValue = o.supported_levels;
    let supportedLevels: string[] = [];
    if (Array.isArray(levelsValue)) supportedLevels = levelsValue.map((l) => String(l));
    else if (typeof levelsValue === 'string' && levelsValue.length > 0)
      supportedLevels = levelsValue.split(',');
    const tick = dec(o, 'tick_size', path);
    if (tick.lte(0)) throw new UpbitPayloadError(`${path}.tick_size: must be positive`);
    return {
      market: str(o, 'market', path),
      quoteCurrency: optStr(o, 'quote_currency', path) ?? str(o, 'market', path).split('-')[0] ?? '',
      tickSize: price(tick),
      supportedLevels,
    };
  });
}

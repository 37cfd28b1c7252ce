import type { Candle, OrderbookSnapshot, Ticker, Trade } from '../../../domain/market/market-data';
import { isMarket, type Market } from '../../../domain/market/market-id';
import type { Timeframe } from '../../../domain/market/timeframe';
import { type Decimal, DecimalParseError, parseDecimal, ZERO } from '../../../domain/money/decimal';
import { krw, price, volume } from '../../../domain/money/quantities';
import type { OrdType, TimeInForce } from '../../../domain/orders/order-types';
import { type EpochMs, parseIsoUtc } from '../../../domain/time/epoch';
import type {
  AssetChange,
  MarketDataStreamEvent,
  MyOrderEvent,
  MyOrderState,
  StreamChannel,
} from '../../../ports/market-data-stream';
import { type JsonObject, rawNumbers, UpbitPayloadError } from '../rest/json-fields';
import { splitUnits } from '../rest/quotation-parsers';
import { bad, d, n, numbers, optD, s, side, streamType, ts } from './frame-fields';
import {
  CANDLE_KEYS,
  MY_ASSET_KEYS,
  MY_ORDER_KEYS,
  ORDERBOOK_KEYS,
  TICKER_KEYS,
  TRADE_KEYS,
} from './frame-keys';

/** Returned for `{"status":"UP"}` keep-alive frames: liveness only, nothing to emit. */
export const STATUS_UP = Symbol('status-up');

const CANDLE_TYPES: Readonly<Record<string, Exclude<Timeframe, '1d'>>> = {
  'candle.1s': '1s',
  'candle.1m': '1m',
  'candle.3m': '3m',
  'candle.5m': '5m',
  'candle.15m': '15m',
  'candle.60m': '60m',
  'candle.240m': '240m',
};
const TICKER_NUMBERS = [
  'tradePrice',
  'openingPrice',
  'highPrice',
  'lowPrice',
  'prevClosingPrice',
  'accTradeVolume24h',
  'accTradePrice24h',
] as const;
const CANDLE_NUMBERS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume'] as const;
const ORD_TYPES: ReadonlySet<string> = new Set(['limit', 'price', 'market', 'best']);
const MY_STATES: ReadonlySet<string> = new Set(['wait', 'watch', 'trade', 'done', 'cancel', 'prevented']);
const TIFS: ReadonlySet<string> = new Set(['ioc', 'fok', 'post_only']);

/**
 * Turns one Upbit WebSocket frame (DEFAULT or SIMPLE) into a typed event, throwing on anything
 * malformed so the stream can count and drop it; one per channel, because error frames carry no channel.
 */
export class FrameDecoder {
  readonly #markets = new Map<string, Market>();

  constructor(private readonly channel: StreamChannel) {}

  #market(o: JsonObject, key: string): Market {
    const code = o[key];
    if (typeof code !== 'string') return bad(`field ${key} is not a market code`);
    const known = this.#markets.get(code);
    if (known !== undefined) return known;
    if (!isMarket(code)) return bad(`"${code.slice(0, 20)}" is not a KRW market code`);
    if (this.#markets.size < 10_000) this.#markets.set(code, code);
    return code;
  }

  /** Decodes one frame; returns an event, {@link STATUS_UP}, or throws for a malformed frame. */
  decode(data: Buffer | ArrayBuffer | Buffer[] | string): MarketDataStreamEvent | typeof STATUS_UP {
    const text =
      typeof data === 'string'
        ? data
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Array.isArray(data)
            ? Buffer.concat(data).toString('utf8')
            : Buffer.from(data).toString('utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return bad('frame is not a JSON object');
    const o = parsed as JsonObject;
    const simple = typeof o.ty === 'string';
    const type = simple ? o.ty : o.type;
    if (typeof type !== 'string') return this.#untyped(o);
    const fmt = simple ? 'SIMPLE' : 'DEFAULT';
    switch (type) {
      case 'ticker':
        return this.#ticker(o, fmt);
      case 'trade':
        return this.#trade(o, fmt, text);
      case 'orderbook':
        return this.#orderbook(o, fmt);
      case 'myOrder':
        return this.#myOrder(o, fmt);
      case 'myAsset':
        return this.#myAsset(o, fmt, text);
      default: {
        const timeframe = CANDLE_TYPES[type];
        if (timeframe !== undefined) return this.#candle(o, fmt, timeframe);
        return bad(`unsupported frame type "${type.slice(0, 30)}"`);
      }
    }
  }

  #untyped(o: JsonObject): MarketDataStreamEvent | typeof STATUS_UP {
    if (o.status === 'UP') return STATUS_UP;
    const error = o.error;
    if (typeof error === 'object' && error !== null) {
      const e = error as JsonObject;
      return {
        type: 'error',
        channel: this.channel,
        code: typeof e.name === 'string' || typeof e.name === 'number' ? String(e.name) : 'unknown',
        message: typeof e.message === 'string' ? e.message : '',
      };
    }
    return bad('frame has no type');
  }

  #ticker(o: JsonObject, fmt: 'DEFAULT' | 'SIMPLE'): MarketDataStreamEvent {
    const k = TICKER_KEYS[fmt];
    const ticker: Ticker = {
      market: this.#market(o, k.code),
      timestamp: ts(o, k.timestamp),
      ...numbers(o, k, TICKER_NUMBERS),
    };
    return { type: 'ticker', ticker, streamType: streamType(o, k.streamType) };
  }

  #trade(o: JsonObject, fmt: 'DEFAULT' | 'SIMPLE', text: string): MarketDataStreamEvent {
    const k = TRADE_KEYS[fmt];
    const sid = n(o, k.sequentialId);
    if (!Number.isInteger(sid) || sid < 0) bad('sequential id is not a non-negative integer');
    // Upbit's ids exceed 2^53 (ms × 10^4 + n): read the digits from the text, or two trades of one
    // millisecond would share an id and the second would be dropped as a repeat.
    const [raw, ...more] = rawNumbers(text, k.sequentialId);
    const exactId = raw !== undefined && more.length === 0 && /^\d+$/.test(raw) ? raw : sid.toFixed(0);
    const trade: Trade = {
      market: this.#market(o, k.code),
      timestamp: ts(o, k.tradeTimestamp),
      price: n(o, k.price),
      volume: n(o, k.volume),
      takerSide: side(o, k.askBid),
      sequentialId: exactId,
    };
    return { type: 'trade', trade, streamType: streamType(o, k.streamType) };
  }

  #orderbook(o: JsonObject, fmt: 'DEFAULT' | 'SIMPLE'): MarketDataStreamEvent {
    const k = ORDERBOOK_KEYS[fmt];
    const units = o[k.units];
    if (!Array.isArray(units)) bad(`field ${k.units} is not an array`);
    const { asks, bids } = splitUnits(units, k.unit, 'orderbook');
    const book: OrderbookSnapshot = {
      market: this.#market(o, k.code),
      timestamp: ts(o, k.timestamp),
      asks,
      bids,
    };
    return { type: 'orderbook', book, streamType: streamType(o, k.streamType) };
  }

  #candle(
    o: JsonObject,
    fmt: 'DEFAULT' | 'SIMPLE',
    timeframe: Exclude<Timeframe, '1d'>,
  ): MarketDataStreamEvent {
    const k = CANDLE_KEYS[fmt];
    let openTime: EpochMs;
    try {
      openTime = parseIsoUtc(s(o, k.start));
    } catch {
      return bad(`field ${k.start} is not an ISO time`);
    }
    const candle: Candle = {
      market: this.#market(o, k.code),
      timeframe,
      openTime,
      ...numbers(o, k, CANDLE_NUMBERS),
    };
    return { type: 'candle', candle, streamType: streamType(o, k.streamType) };
  }

  #myOrder(o: JsonObject, fmt: 'DEFAULT' | 'SIMPLE'): MarketDataStreamEvent {
    const k = MY_ORDER_KEYS[fmt];
    const ordType = s(o, k.orderType);
    if (!ORD_TYPES.has(ordType)) bad(`order type "${ordType.slice(0, 20)}" unknown`);
    const state = s(o, k.state);
    if (!MY_STATES.has(state)) bad(`order state "${state.slice(0, 20)}" unknown`);
    const tif = o[k.timeInForce];
    if (tif !== undefined && tif !== null && (typeof tif !== 'string' || !TIFS.has(tif)))
      bad('time_in_force unknown');
    const identifier = o[k.identifier];
    const tradeUuid = o[k.tradeUuid];
    const isMaker = o[k.isMaker];
    const p = optD(o, k.price);
    const ap = optD(o, k.avgPrice);
    const v = optD(o, k.volume);
    const rv = optD(o, k.remainingVolume);
    const ef = optD(o, k.executedFunds);
    const tf = optD(o, k.tradeFee);
    const tradeTs = o[k.tradeTimestamp];
    const orderTs = o[k.orderTimestamp];
    const tc = n(o, k.tradesCount);
    if (!Number.isSafeInteger(tc) || tc < 0) bad('trades_count is not a count');
    const order: MyOrderEvent = {
      market: this.#market(o, k.code),
      uuid: s(o, k.uuid),
      ...(typeof identifier === 'string' ? { identifier } : {}),
      side: side(o, k.askBid),
      ordType: ordType as OrdType,
      state: state as MyOrderState,
      ...(p === undefined ? {} : { price: price(p) }),
      ...(ap === undefined ? {} : { avgPrice: price(ap) }),
      ...(v === undefined ? {} : { volume: volume(v) }),
      ...(rv === undefined ? {} : { remainingVolume: volume(rv) }),
      executedVolume: volume(optD(o, k.executedVolume) ?? ZERO),
      ...(ef === undefined ? {} : { executedFunds: krw(ef) }),
      tradesCount: tc,
      reservedFee: krw(optD(o, k.reservedFee) ?? ZERO),
      remainingFee: krw(optD(o, k.remainingFee) ?? ZERO),
      paidFee: krw(optD(o, k.paidFee) ?? ZERO),
      locked: optD(o, k.locked) ?? ZERO,
      ...(typeof tif === 'string' ? { timeInForce: tif as TimeInForce } : {}),
      ...(typeof tradeUuid === 'string' ? { tradeUuid } : {}),
      ...(tf === undefined ? {} : { tradeFee: krw(tf) }),
      ...(typeof isMaker === 'boolean' ? { isMaker } : {}),
      ...(tradeTs === undefined || tradeTs === null ? {} : { tradeTimestamp: ts(o, k.tradeTimestamp) }),
      ...(orderTs === undefined || orderTs === null ? {} : { orderTimestamp: ts(o, k.orderTimestamp) }),
      timestamp: ts(o, k.timestamp),
    };
    return { type: 'myOrder', order };
  }

  #myAsset(o: JsonObject, fmt: 'DEFAULT' | 'SIMPLE', text: string): MarketDataStreamEvent {
    const k = MY_ASSET_KEYS[fmt];
    const list = o[k.assets];
    if (!Array.isArray(list)) return bad(`field ${k.assets} is not an array`);
    const rawBalances = rawNumbers(text, k.balance);
    const rawLocked = rawNumbers(text, k.locked);
    const exact = rawBalances.length === list.length && rawLocked.length === list.length;
    const assets: AssetChange[] = [];
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (typeof item !== 'object' || item === null) bad('asset entry is not an object');
      const a = item as JsonObject;
      const balance = d(a, k.balance);
      const locked = d(a, k.locked);
      assets.push({
        currency: s(a, k.currency),
        balance: exact ? exactDecimal(rawBalances[i], k.balance) : balance,
        locked: exact ? exactDecimal(rawLocked[i], k.locked) : locked,
      });
    }
    return { type: 'myAsset', assets, timestamp: ts(o, k.timestamp) };
  }
}

/** A balance read from the frame's raw text (exact beyond a double); out-of-bounds text is a bad frame. */
function exactDecimal(raw: string | undefined, key: string): Decimal {
  try {
    return parseDecimal(raw ?? '');
  } catch (error) {
    if (error instanceof DecimalParseError)
      throw new UpbitPayloadError(`field ${key} is not a decimal within bounds: ${error.input}`);
    throw error;
  }
}

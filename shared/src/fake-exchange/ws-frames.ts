import type { AssetEvent, OrderEvent } from '../domain/exchange/exchange-events';
import type { MarketBook } from '../domain/exchange/market-book';
import type { CandleUnit, TapeCandle, TapeTicker, TapeTrade } from '../domain/exchange/market-tape';
import { candleTimes, dateText, orderbookUnits, tickerJson, totalSize } from './upbit-json';

/** Stream type of a frame: the first one per code after subscribing, then live updates. */
export type StreamType = 'SNAPSHOT' | 'REALTIME';

const TICKER_SIMPLE: Readonly<Record<string, string>> = {
  type: 'ty',
  code: 'cd',
  opening_price: 'op',
  high_price: 'hp',
  low_price: 'lp',
  trade_price: 'tp',
  prev_closing_price: 'pcp',
  change: 'c',
  change_price: 'cp',
  signed_change_price: 'scp',
  change_rate: 'cr',
  signed_change_rate: 'scr',
  trade_volume: 'tv',
  acc_trade_volume: 'atv',
  acc_trade_volume_24h: 'atv24h',
  acc_trade_price: 'atp',
  acc_trade_price_24h: 'atp24h',
  trade_date: 'tdt',
  trade_time: 'ttm',
  trade_timestamp: 'ttms',
  ask_bid: 'ab',
  acc_ask_volume: 'aav',
  acc_bid_volume: 'abv',
  highest_52_week_price: 'h52wp',
  highest_52_week_date: 'h52wdt',
  lowest_52_week_price: 'l52wp',
  lowest_52_week_date: 'l52wdt',
  market_state: 'ms',
  is_trading_suspended: 'its',
  delisting_date: 'dd',
  market_warning: 'mw',
  timestamp: 'tms',
  stream_type: 'st',
};

/** SIMPLE-format abbreviations per stream (PROTOCOL.md §7.4). */
export const SIMPLE_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ticker: TICKER_SIMPLE,
  trade: {
    type: 'ty',
    code: 'cd',
    trade_price: 'tp',
    trade_volume: 'tv',
    ask_bid: 'ab',
    prev_closing_price: 'pcp',
    change: 'c',
    change_price: 'cp',
    trade_date: 'td',
    trade_time: 'ttm',
    trade_timestamp: 'ttms',
    timestamp: 'tms',
    sequential_id: 'sid',
    best_ask_price: 'bap',
    best_ask_size: 'bas',
    best_bid_price: 'bbp',
    best_bid_size: 'bbs',
    stream_type: 'st',
  },
  orderbook: {
    type: 'ty',
    code: 'cd',
    total_ask_size: 'tas',
    total_bid_size: 'tbs',
    orderbook_units: 'obu',
    ask_price: 'ap',
    bid_price: 'bp',
    ask_size: 'as',
    bid_size: 'bs',
    level: 'lv',
    timestamp: 'tms',
    stream_type: 'st',
  },
  candle: {
    type: 'ty',
    code: 'cd',
    candle_date_time_utc: 'cdttmu',
    candle_date_time_kst: 'cdttmk',
    opening_price: 'op',
    high_price: 'hp',
    low_price: 'lp',
    trade_price: 'tp',
    candle_acc_trade_volume: 'catv',
    candle_acc_trade_price: 'catp',
    timestamp: 'tms',
    stream_type: 'st',
  },
  myOrder: {
    type: 'ty',
    code: 'cd',
    uuid: 'uid',
    ask_bid: 'ab',
    order_type: 'ot',
    state: 's',
    trade_uuid: 'tuid',
    price: 'p',
    avg_price: 'ap',
    volume: 'v',
    remaining_volume: 'rv',
    executed_volume: 'ev',
    trades_count: 'tc',
    reserved_fee: 'rsf',
    remaining_fee: 'rmf',
    paid_fee: 'pf',
    locked: 'l',
    executed_funds: 'ef',
    time_in_force: 'tif',
    trade_fee: 'tf',
    is_maker: 'im',
    identifier: 'id',
    smp_type: 'smpt',
    prevented_volume: 'pv',
    prevented_locked: 'pl',
    trade_timestamp: 'ttms',
    order_timestamp: 'otms',
    timestamp: 'tms',
    stream_type: 'st',
  },
  myAsset: {
    type: 'ty',
    asset_uuid: 'astuid',
    assets: 'ast',
    currency: 'cu',
    balance: 'b',
    locked: 'l',
    asset_timestamp: 'asttms',
    timestamp: 'tms',
    stream_type: 'st',
  },
};

/** Rewrites a DEFAULT frame with SIMPLE keys (nested objects and arrays too). */
export function toSimple(frame: Record<string, unknown>, stream: string): Record<string, unknown> {
  const keys = SIMPLE_KEYS[stream.startsWith('candle') ? 'candle' : stream] ?? {};
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(v)) out[keys[k] ?? k] = convert(inner);
    return out;
  };
  return convert(frame) as Record<string, unknown>;
}

/** `ticker` frame. */
export function tickerFrame(
  code: string,
  t: TapeTicker,
  st: StreamType,
  now: number,
): Record<string, unknown> {
  const rest = tickerJson(code, t, now);
  const { market: _m, trade_date_kst: _d, trade_time_kst: _t, ...fields } = rest;
  return {
    type: 'ticker',
    code,
    ...fields,
    ask_bid: t.lastTakerSide === 'bid' ? 'BID' : 'ASK',
    acc_ask_volume: t.accAskVolume,
    acc_bid_volume: t.accBidVolume,
    market_state: 'ACTIVE',
    is_trading_suspended: false,
    delisting_date: null,
    market_warning: 'NONE',
    timestamp: now,
    stream_type: st,
  };
}

/** `trade` frame; best quotes come from the book after the trade. */
export function tradeFrame(
  code: string,
  t: TapeTrade,
  book: MarketBook | undefined,
  st: StreamType,
  now: number,
): Record<string, unknown> {
  const ask = book?.visible('ask', 1)[0];
  const bid = book?.visible('bid', 1)[0];
  const diff = t.price - t.prevClose;
  return {
    type: 'trade',
    code,
    timestamp: now,
    trade_date: dateText.ymd(t.at, 0, '-'),
    trade_time: dateText.hms(t.at, 0, ':'),
    trade_timestamp: t.at,
    trade_price: t.price,
    trade_volume: t.volume,
    ask_bid: t.takerSide === 'bid' ? 'BID' : 'ASK',
    prev_closing_price: t.prevClose,
    change: diff > 0 ? 'RISE' : diff < 0 ? 'FALL' : 'EVEN',
    change_price: Math.abs(diff),
    sequential_id: t.sequentialId,
    best_ask_price: ask === undefined ? 0 : ask[0].toNumber(),
    best_ask_size: ask === undefined ? 0 : ask[1].toNumber(),
    best_bid_price: bid === undefined ? 0 : bid[0].toNumber(),
    best_bid_size: bid === undefined ? 0 : bid[1].toNumber(),
    stream_type: st,
  };
}

/** `orderbook` frame: always a whole book of `depth` levels (never a delta). */
export function orderbookFrame(
  code: string,
  book: MarketBook,
  depth: number,
  st: StreamType,
): Record<string, unknown> {
  const asks = book.visible('ask', depth);
  const bids = book.visible('bid', depth);
  return {
    type: 'orderbook',
    code,
    timestamp: book.updatedAt,
    total_ask_size: totalSize(asks),
    total_bid_size: totalSize(bids),
    orderbook_units: orderbookUnits(asks, bids),
    stream_type: st,
    level: 0,
  };
}

/** `candle.{unit}` frame. */
export function candleFrame(
  code: string,
  type: string,
  c: TapeCandle,
  st: StreamType,
  now: number,
): Record<string, unknown> {
  const t = candleTimes(c.start);
  return {
    type,
    code,
    candle_date_time_utc: t.utc,
    candle_date_time_kst: t.kst,
    opening_price: c.open,
    high_price: c.high,
    low_price: c.low,
    trade_price: c.close,
    candle_acc_trade_volume: c.volume,
    candle_acc_trade_price: c.quoteVolume,
    timestamp: now,
    stream_type: st,
  };
}

/** Candle unit of a `candle.*` stream type, or undefined if unsupported. */
export function candleUnitOf(type: string): CandleUnit | undefined {
  const u = type.slice('candle.'.length);
  return ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '240m'].includes(u)
    ? (u as CandleUnit)
    : undefined;
}

/** `myOrder` frame (JSON numbers; for `trade` events price/volume are the fill's). */
export function myOrderFrame(e: OrderEvent): Record<string, unknown> {
  const o = e.order;
  const t = e.trade;
  const avg = o.executedVolume.isZero() ? 0 : o.executedFunds.div(o.executedVolume).toNumber();
  return {
    type: 'myOrder',
    code: o.market,
    uuid: o.uuid,
    ask_bid: o.side === 'bid' ? 'BID' : 'ASK',
    order_type: o.ordType,
    state: e.state,
    trade_uuid: t?.uuid ?? null,
    price: t !== undefined ? t.price.toNumber() : (o.price?.toNumber() ?? 0),
    avg_price: avg,
    volume: t !== undefined ? t.volume.toNumber() : (o.volume?.toNumber() ?? null),
    remaining_volume: o.remainingVolume?.toNumber() ?? null,
    executed_volume: o.executedVolume.toNumber(),
    trades_count: o.trades.length,
    reserved_fee: o.reservedFee.toNumber(),
    remaining_fee: o.remainingFee.toNumber(),
    paid_fee: o.paidFee.toNumber(),
    locked: o.locked.toNumber(),
    executed_funds: o.executedFunds.toNumber(),
    time_in_force: o.timeInForce ?? null,
    trade_fee: t?.fee.toNumber() ?? null,
    is_maker: t?.isMaker ?? null,
    identifier: o.identifier ?? null,
    smp_type: o.smpType,
    prevented_volume: o.preventedVolume.toNumber(),
    prevented_locked: o.preventedLocked.toNumber(),
    trade_timestamp: t === undefined ? null : Math.floor(t.createdAtUs / 1000),
    order_timestamp: o.createdAt,
    timestamp: e.at,
    stream_type: 'REALTIME',
  };
}

/** `myAsset` frame listing only the currencies that changed. */
export function myAssetFrame(e: AssetEvent, assetUuid: string): Record<string, unknown> {
  return {
    type: 'myAsset',
    asset_uuid: assetUuid,
    assets: e.assets.map((a) => ({
      currency: a.currency,
      balance: a.balance.toNumber(),
      locked: a.locked.toNumber(),
    })),
    asset_timestamp: e.at,
    timestamp: e.at,
    stream_type: 'REALTIME',
  };
}

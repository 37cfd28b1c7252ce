import type { AssetEvent, OrderEvent } from '../domain/exchange/exchange-events';
import type { MarketBook } from '../domain/exchange/market-book';
import type { CandleUnit, TapeCandle, TapeTicker, TapeTrade } from '../domain/exchange/market-tape';
import { candleTimes, dateText, orderbookUnits, tickerJson, totalSize } from './upbit-json';
import { SIMPLE_KEYS } from './ws-simple-keys';

/** Stream type of a frame: the first one per code after subscribing, then live updates. */
export type StreamType = 'SNAPSHOT' | 'REALTIME';

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
    // A market sell (and a best ask) has no price: Upbit sends null, never a made-up 0.
    price: t !== undefined ? t.price.toNumber() : (o.price?.toNumber() ?? null),
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

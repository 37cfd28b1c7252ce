import type { LedgerAccount } from '../domain/exchange/account-ledger';
import type { ExchangeTrade, OrderSnapshot } from '../domain/exchange/exchange-order';
import type { VisibleLevel } from '../domain/exchange/market-book';
import type { CandleUnit, TapeCandle, TapeTicker, TapeTrade } from '../domain/exchange/market-tape';
import type { PeriodCandle } from '../domain/exchange/period-candles';
import { formatDecimal } from '../domain/money/decimal';

const KST_MS = 9 * 3_600_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026-11-25T22:00:00` for an instant shifted by `offsetMs` (no zone suffix). */
function wallTime(ms: number, offsetMs: number): string {
  const d = new Date(ms + offsetMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Order `created_at`: KST with offset, no fraction (PROTOCOL.md §5.2). */
export function kstTime(ms: number): string {
  return `${wallTime(ms, KST_MS)}+09:00`;
}

/** Trade `created_at`: KST with microseconds. */
export function kstTimeMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${wallTime(ms, KST_MS)}.${pad(ms % 1000, 3)}${pad(us % 1000, 3)}+09:00`;
}

/** Candle `candle_date_time_utc` / `_kst` (no zone). */
export function candleTimes(start: number): { utc: string; kst: string } {
  return { utc: wallTime(start, 0), kst: wallTime(start, KST_MS) };
}

function tradeJson(t: ExchangeTrade): Record<string, unknown> {
  return {
    market: t.market,
    uuid: t.uuid,
    price: formatDecimal(t.price),
    volume: formatDecimal(t.volume),
    funds: formatDecimal(t.funds),
    trend: t.trend,
    created_at: kstTimeMicros(t.createdAtUs),
    side: t.side,
  };
}

/**
 * Upbit's order object (§5.3) with decimal strings, key order as in the documented examples. Budget
 * orders (`price`, best bids) carry no `volume`/`remaining_volume`; market sells and best asks no `price`.
 */
export function orderJson(
  o: OrderSnapshot,
  opts: { trades?: boolean; executedFunds?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { uuid: o.uuid, side: o.side, ord_type: o.ordType };
  if (o.price !== undefined) out.price = formatDecimal(o.price);
  out.state = o.state;
  out.market = o.market;
  out.created_at = kstTime(o.createdAt);
  if (o.volume !== undefined) out.volume = formatDecimal(o.volume);
  if (o.remainingVolume !== undefined) out.remaining_volume = formatDecimal(o.remainingVolume);
  out.reserved_fee = formatDecimal(o.reservedFee);
  out.remaining_fee = formatDecimal(o.remainingFee);
  out.paid_fee = formatDecimal(o.paidFee);
  out.locked = formatDecimal(o.locked);
  out.executed_volume = formatDecimal(o.executedVolume);
  if (opts.executedFunds === true) out.executed_funds = formatDecimal(o.executedFunds);
  out.prevented_volume = formatDecimal(o.preventedVolume);
  out.prevented_locked = formatDecimal(o.preventedLocked);
  out.trades_count = o.trades.length;
  if (o.identifier !== undefined) out.identifier = o.identifier;
  if (o.timeInForce !== undefined) out.time_in_force = o.timeInForce;
  out.smp_type = o.smpType;
  if (opts.trades === true) out.trades = o.trades.map(tradeJson);
  return out;
}

/** One `/accounts` row. */
export function accountJson(a: LedgerAccount): Record<string, unknown> {
  return {
    currency: a.currency,
    balance: formatDecimal(a.balance),
    locked: formatDecimal(a.locked),
    avg_buy_price: formatDecimal(a.avgBuyPrice),
    avg_buy_price_modified: false,
    unit_currency: 'KRW',
  };
}

/** A REST candle (JSON numbers); minute candles add `unit`, day candles the change fields. */
export function candleJson(market: string, unit: CandleUnit, c: TapeCandle): Record<string, unknown> {
  const t = candleTimes(c.start);
  const out: Record<string, unknown> = {
    market,
    candle_date_time_utc: t.utc,
    candle_date_time_kst: t.kst,
    opening_price: c.open,
    high_price: c.high,
    low_price: c.low,
    trade_price: c.close,
    timestamp: c.lastTradeAt,
    candle_acc_trade_price: c.quoteVolume,
    candle_acc_trade_volume: c.volume,
  };
  if (unit.endsWith('m')) out.unit = Number(unit.slice(0, -1));
  if (unit === '1d') {
    out.prev_closing_price = c.prevClose;
    out.change_price = c.close - c.prevClose;
    out.change_rate = c.prevClose === 0 ? 0 : (c.close - c.prevClose) / c.prevClose;
  }
  return out;
}

/** A week/month/year candle (`/candles/weeks|months|years`): adds `first_day_of_period`. */
export function periodCandleJson(market: string, c: PeriodCandle): Record<string, unknown> {
  const t = candleTimes(c.start);
  return {
    market,
    candle_date_time_utc: t.utc,
    candle_date_time_kst: t.kst,
    opening_price: c.open,
    high_price: c.high,
    low_price: c.low,
    trade_price: c.close,
    timestamp: c.lastTradeAt,
    candle_acc_trade_price: c.quoteVolume,
    candle_acc_trade_volume: c.volume,
    first_day_of_period: t.utc.slice(0, 10),
  };
}

function change(last: number, prev: number): 'RISE' | 'EVEN' | 'FALL' {
  return last > prev ? 'RISE' : last < prev ? 'FALL' : 'EVEN';
}

function ymd(ms: number, offset: number, sep: string): string {
  return wallTime(ms, offset).slice(0, 10).replaceAll('-', sep);
}

function hms(ms: number, offset: number, sep: string): string {
  return wallTime(ms, offset).slice(11).replaceAll(':', sep);
}

/** REST ticker object (§5.1). */
export function tickerJson(market: string, t: TapeTicker, now: number): Record<string, unknown> {
  const diff = t.last - t.prevClose;
  const rate = t.prevClose === 0 ? 0 : diff / t.prevClose;
  return {
    market,
    trade_date: ymd(t.lastTradeAt, 0, ''),
    trade_time: hms(t.lastTradeAt, 0, ''),
    trade_date_kst: ymd(t.lastTradeAt, KST_MS, ''),
    trade_time_kst: hms(t.lastTradeAt, KST_MS, ''),
    trade_timestamp: t.lastTradeAt,
    opening_price: t.open,
    high_price: t.high,
    low_price: t.low,
    trade_price: t.last,
    prev_closing_price: t.prevClose,
    change: change(t.last, t.prevClose),
    change_price: Math.abs(diff),
    change_rate: Math.abs(rate),
    signed_change_price: diff,
    signed_change_rate: rate,
    trade_volume: t.lastVolume,
    acc_trade_price: t.accPrice,
    acc_trade_price_24h: t.accPrice24h,
    acc_trade_volume: t.accVolume,
    acc_trade_volume_24h: t.accVolume24h,
    highest_52_week_price: t.high52w,
    highest_52_week_date: ymd(t.high52wAt, 0, '-'),
    lowest_52_week_price: t.low52w,
    lowest_52_week_date: ymd(t.low52wAt, 0, '-'),
    timestamp: now,
  };
}

/** REST `/trades/ticks` row (§5.1); `ask_bid` is the taker side. */
export function tradeTickJson(market: string, t: TapeTrade): Record<string, unknown> {
  return {
    market,
    trade_date_utc: ymd(t.at, 0, '-'),
    trade_time_utc: hms(t.at, 0, ':'),
    timestamp: t.at,
    trade_price: t.price,
    trade_volume: t.volume,
    prev_closing_price: t.prevClose,
    change_price: t.price - t.prevClose,
    ask_bid: t.takerSide === 'bid' ? 'BID' : 'ASK',
    sequential_id: t.sequentialId,
  };
}

/** Orderbook units pairing the i-th ask with the i-th bid; a thin side is padded with zeros (§5.1). */
export function orderbookUnits(
  asks: readonly VisibleLevel[],
  bids: readonly VisibleLevel[],
): Record<string, number>[] {
  const n = Math.max(asks.length, bids.length);
  const units: Record<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    const a = asks[i];
    const b = bids[i];
    units.push({
      ask_price: a === undefined ? 0 : a[0].toNumber(),
      bid_price: b === undefined ? 0 : b[0].toNumber(),
      ask_size: a === undefined ? 0 : a[1].toNumber(),
      bid_size: b === undefined ? 0 : b[1].toNumber(),
    });
  }
  return units;
}

/** Sum of sizes of visible levels as a JSON number. */
export function totalSize(levels: readonly VisibleLevel[]): number {
  let total = 0;
  for (const l of levels) total += l[1].toNumber();
  return Number(total.toFixed(8));
}

/** Date text helpers shared with the WebSocket frames. */
export const dateText = { ymd, hms, KST_MS };

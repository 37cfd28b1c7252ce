import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { epochMs, parseIsoUtc } from '../../time/epoch';

/** Upbit REST candle row as stored in test/fixtures/data (test-only helper). */
export interface UpbitCandleRow {
  readonly market: string;
  readonly candle_date_time_utc: string;
  readonly opening_price: number;
  readonly high_price: number;
  readonly low_price: number;
  readonly trade_price: number;
  readonly candle_acc_trade_price: number;
  readonly candle_acc_trade_volume: number;
}

/** trading-signals (Binance) candle row as stored in test/fixtures/data (test-only helper). */
export interface BinanceCandleRow {
  readonly openTimeInMillis: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Test-only: turns fixture rows into domain candles. Pure (the test imports the JSON and passes the
 * rows in), so it lives beside the tests without breaking domain purity. The open time is
 * `candle_date_time_utc`, never Upbit's `timestamp` (see the data README).
 */
export function candlesFromUpbitRows(rows: readonly UpbitCandleRow[]): Candle[] {
  return rows.map((r) => ({
    market: r.market as Market,
    timeframe: '1m',
    openTime: parseIsoUtc(r.candle_date_time_utc),
    open: r.opening_price,
    high: r.high_price,
    low: r.low_price,
    close: r.trade_price,
    volume: r.candle_acc_trade_volume,
    quoteVolume: r.candle_acc_trade_price,
  }));
}

/** Test-only: Binance rows as 1m candles of a pretend KRW market (prices are USDT; only shape matters). */
export function candlesFromBinanceRows(rows: readonly BinanceCandleRow[], market: Market): Candle[] {
  return rows.map((r) => ({
    market,
    timeframe: '1m',
    openTime: epochMs(r.openTimeInMillis),
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume: r.volume,
    quoteVolume: r.volume * r.close,
  }));
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Candle, OrderbookSnapshot, Trade } from '../../shared/src/domain/market/market-data';
import type { Market } from '../../shared/src/domain/market/market-id';
import type { StrategyContext } from '../../shared/src/domain/strategies/strategy';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

/**
 * Test-only loaders for the real market data in test/fixtures (sources and licences in
 * test/fixtures/README.md), shaped as domain events.
 */

const FIXTURES = join(__dirname, '..', 'fixtures');

/** USDT→KRW rate used to read the Binance USDT candles as KRW (≈ the Feb 2021 rate), so KRW-sized params apply. */
export const KRW_PER_USDT = 1100;

interface RowFile {
  readonly rows: number[][];
}

function rows(path: string): number[][] {
  return (JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as RowFile).rows;
}

/**
 * The 7 days of Binance BTC/USDT 1m candles (2021-02-19..25, 10,080 bars) as candles of `market`,
 * prices × `krwPerUsdt` so quote volumes are KRW-sized.
 */
export function binance7dCandles(market: Market, krwPerUsdt = KRW_PER_USDT): Candle[] {
  return rows('strategies/binance_btcusdt_1m_2021-02-19_7d.json').map(([t, o, h, l, c, v]) => ({
    market,
    timeframe: '1m',
    openTime: t as EpochMs,
    open: (o as number) * krwPerUsdt,
    high: (h as number) * krwPerUsdt,
    low: (l as number) * krwPerUsdt,
    close: (c as number) * krwPerUsdt,
    volume: v as number,
    quoteVolume: (v as number) * (c as number) * krwPerUsdt,
  }));
}

/** Daily BTC and ETH closes (Bitstamp, 2017-11..2018-12, real), as 1d candles of two markets. */
export function btcEthDaily(btc: Market, eth: Market): { btc: Candle[]; eth: Candle[] } {
  const data = JSON.parse(readFileSync(join(FIXTURES, 'stats', 'btc-eth-daily-bitstamp.json'), 'utf8')) as {
    dates: string[];
    btc: number[];
    eth: number[];
  };
  const day = (market: Market, closes: number[]) =>
    closes.map(
      (close, i): Candle => ({
        market,
        timeframe: '1d',
        openTime: Date.parse(`${data.dates[i]}T00:00:00Z`) as EpochMs,
        open: close,
        high: close,
        low: close,
        close,
        volume: 1,
        quoteVolume: close,
      }),
    );
  return { btc: day(btc, data.btc), eth: day(eth, data.eth) };
}

/** A time-ordered market event: what a strategy is fed in the backtester or live. */
export type MarketEvent =
  | { readonly kind: 'bar'; readonly at: number; readonly bar: Candle }
  | { readonly kind: 'book'; readonly at: number; readonly book: OrderbookSnapshot }
  | { readonly kind: 'trade'; readonly at: number; readonly trade: Trade };

/**
 * Ten minutes of real Binance BTCUSDT top of book (1 s snapshots) and the first 3,000 trades of
 * the same capture, merged in time order, with a 1m candle closing each minute (built from the
 * per-second last price and traded quantities). Trades and books inside a minute come before
 * that minute's bar, as they would live.
 */
export function binanceL1Events(market: Market): MarketEvent[] {
  const l1 = rows('strategies/binance_btcusdt_l1_1s_2024-08-08.json');
  const trades = rows('strategies/binance_btcusdt_trades_2024-08-08_3000.json') as unknown as [
    number,
    number,
    number,
    boolean,
  ][];
  const events: MarketEvent[] = [];
  for (const [t, bid, bidQty, ask, askQty] of l1) {
    const at = (t as number) * 1000;
    events.push({
      kind: 'book',
      at,
      book: {
        market,
        timestamp: at as EpochMs,
        bids: [{ price: bid as number, size: bidQty as number }],
        asks: [{ price: ask as number, size: askQty as number }],
      },
    });
  }
  trades.forEach(([t, price, qty, isBuyerMaker], i) => {
    events.push({
      kind: 'trade',
      at: t,
      trade: {
        market,
        timestamp: t as EpochMs,
        price,
        volume: qty,
        takerSide: isBuyerMaker ? 'ask' : 'bid',
        sequentialId: `${i}`,
      },
    });
  });
  const minutes = new Map<number, number[][]>();
  for (const r of l1) {
    const m = Math.floor(((r[0] as number) * 1000) / 60_000) * 60_000;
    minutes.set(m, [...(minutes.get(m) ?? []), r]);
  }
  for (const [m, rs] of minutes) {
    // Seconds without a trade carry lastPrice 0: they have no price to contribute.
    const last = rs.map((r) => r[7] as number).filter((p) => p > 0);
    if (last.length === 0) continue;
    const volume = rs.reduce((a, r) => a + (r[5] as number) + (r[6] as number), 0);
    const close = last[last.length - 1] as number;
    events.push({
      kind: 'bar',
      at: m + 60_000 - 0.5,
      bar: {
        market,
        timeframe: '1m',
        openTime: m as EpochMs,
        open: last[0] as number,
        high: Math.max(...last),
        low: Math.min(...last),
        close,
        volume,
        quoteVolume: volume * close,
      },
    });
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * Strategy context that varies deterministically with the event index (so position-dependent
 * branches run too) and whose `now` is the event time rounded up to the next whole millisecond.
 */
export function contextAt(i: number, at: number): StrategyContext {
  return {
    now: Math.ceil(at) as EpochMs,
    positionVolume: i % 3 === 0 ? 0 : (i % 7) * 0.001,
    availableKrw: 2_000_000 - (i % 5) * 300_000,
  };
}

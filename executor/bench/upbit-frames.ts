import type { Market } from '../../shared/src/domain/market/market-id';

/** Start prices and tick sizes of the synthetic markets (the sim's defaults, Upbit's ticks at those prices). */
const MARKETS: Readonly<Record<string, { readonly price: number; readonly tick: number }>> = {
  'KRW-BTC': { price: 150_000_000, tick: 1_000 },
  'KRW-ETH': { price: 5_000_000, tick: 1_000 },
  'KRW-XRP': { price: 3_000, tick: 1 },
  'KRW-ADA': { price: 1_000, tick: 1 },
  'KRW-SOL': { price: 250_000, tick: 50 },
};

interface State {
  mid: number;
  readonly tick: number;
  seq: number;
}

/**
 * Upbit DEFAULT-format public frames (ticker, trade, 15-level orderbook) as the `ws` library hands
 * them over (Buffers of UTF-8 JSON), for a seeded random walk per market. Field names and shapes are
 * Upbit's (checked by decoding them with the production FrameDecoder), so benchmarks exercise the
 * real decoder and router instead of pre-built events.
 */
export class SyntheticUpbitFeed {
  readonly #state = new Map<string, State>();
  #seed: number;

  constructor(
    readonly markets: readonly Market[],
    seed = 7,
  ) {
    this.#seed = seed >>> 0;
    for (const m of markets) {
      const spec = MARKETS[m] ?? { price: 10_000, tick: 10 };
      this.#state.set(m, { mid: spec.price, tick: spec.tick, seq: 0 });
    }
  }

  #random(): number {
    this.#seed = (this.#seed + 0x6d2b79f5) >>> 0;
    let t = this.#seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  #step(market: Market): State {
    const s = this.#state.get(market) as State;
    const r = this.#random();
    if (r < 0.3) s.mid -= s.tick;
    else if (r > 0.7) s.mid += s.tick;
    return s;
  }

  orderbook(market: Market, at: number): Buffer {
    const s = this.#step(market);
    const bid = Math.floor(s.mid / s.tick) * s.tick;
    const units = [];
    let askTotal = 0;
    let bidTotal = 0;
    for (let i = 0; i < 15; i++) {
      const askSize = Math.round((0.05 + this.#random()) * 1e8) / 1e8;
      const bidSize = Math.round((0.05 + this.#random()) * 1e8) / 1e8;
      askTotal += askSize;
      bidTotal += bidSize;
      units.push({
        ask_price: bid + (i + 1) * s.tick,
        bid_price: bid - i * s.tick,
        ask_size: askSize,
        bid_size: bidSize,
      });
    }
    return Buffer.from(
      JSON.stringify({
        type: 'orderbook',
        code: market,
        timestamp: at,
        total_ask_size: askTotal,
        total_bid_size: bidTotal,
        orderbook_units: units,
        stream_type: 'REALTIME',
        level: 0,
      }),
    );
  }

  trade(market: Market, at: number): Buffer {
    const s = this.#step(market);
    s.seq += 1;
    const buy = this.#random() < 0.5;
    const price = Math.floor(s.mid / s.tick) * s.tick + (buy ? s.tick : 0);
    return Buffer.from(
      JSON.stringify({
        type: 'trade',
        code: market,
        timestamp: at,
        trade_date: '2026-03-02',
        trade_time: '01:00:00',
        trade_timestamp: at,
        trade_price: price,
        trade_volume: Math.round(this.#random() * 0.01 * 1e8) / 1e8 + 1e-8,
        ask_bid: buy ? 'BID' : 'ASK',
        prev_closing_price: price,
        change: 'EVEN',
        change_price: 0,
        sequential_id: at * 1000 + (s.seq % 1000),
        best_ask_price: price + s.tick,
        best_ask_size: 0.5,
        best_bid_price: price - s.tick,
        best_bid_size: 0.5,
        stream_type: 'REALTIME',
      }),
    );
  }

  ticker(market: Market, at: number): Buffer {
    const s = this.#step(market);
    return Buffer.from(
      JSON.stringify({
        type: 'ticker',
        code: market,
        opening_price: s.mid,
        high_price: s.mid + 10 * s.tick,
        low_price: s.mid - 10 * s.tick,
        trade_price: s.mid,
        prev_closing_price: s.mid,
        acc_trade_price: 1e9,
        change: 'EVEN',
        change_price: 0,
        signed_change_price: 0,
        change_rate: 0,
        signed_change_rate: 0,
        ask_bid: 'BID',
        trade_volume: 0.001,
        acc_trade_volume: 10,
        trade_date: '20260302',
        trade_time: '010000',
        trade_timestamp: at,
        acc_ask_volume: 5,
        acc_bid_volume: 5,
        highest_52_week_price: s.mid * 2,
        highest_52_week_date: '2025-07-06',
        lowest_52_week_price: s.mid / 2,
        lowest_52_week_date: '2025-01-06',
        market_state: 'ACTIVE',
        is_trading_suspended: false,
        delisting_date: null,
        market_warning: 'NONE',
        timestamp: at,
        acc_trade_price_24h: 1e10,
        acc_trade_volume_24h: 100,
        stream_type: 'REALTIME',
      }),
    );
  }

  /**
   * The frames of one market for `[at, at + 1 s)` at Upbit-like busy-hour rates: 10 books, 5 trades
   * and 5 tickers a second (20 messages/s/market; 5 markets for an hour = 360,000 messages).
   */
  second(market: Market, at: number): Buffer[] {
    const out: Buffer[] = [];
    for (let i = 0; i < 10; i++) out.push(this.orderbook(market, at + i * 100));
    for (let i = 0; i < 5; i++) {
      out.push(this.trade(market, at + i * 200 + 50));
      out.push(this.ticker(market, at + i * 200 + 60));
    }
    return out;
  }
}

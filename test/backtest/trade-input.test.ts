import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandleDataError } from '../../shared/src/backtest/data/candle-data-error';
import { findTradeFiles, tradeFile, tradesOf } from '../../shared/src/backtest/data/trade-files';
import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import { TradeFeed } from '../../shared/src/backtest/engine/trade-feed';
import type { Candle, Trade } from '../../shared/src/domain/market/market-data';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { createMicrostructure } from '../../shared/src/domain/strategies/microstructure/microstructure-strategy';
import type { Strategy, StrategyContext, StrategySignal } from '../../shared/src/domain/strategies/strategy';
import { DEFAULT_STRATEGY_PARAMS } from '../../shared/src/domain/strategies/strategy-params';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import { flatCandle } from '../../shared/testing/flat-candle';

const BTC = parseMarket('KRW-BTC');
const ETH = parseMarket('KRW-ETH');
const T0 = Date.parse('2024-08-09T00:00:00Z');

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'qts-trades-'));
}

function bar(market: Market, i: number, close: number): Candle {
  return flatCandle(market, T0 + i * MS.minute, close);
}

function trade(market: Market, at: number, id: string): Trade {
  return { market, timestamp: at as EpochMs, price: 100, volume: 1, takerSide: 'bid', sequentialId: id };
}

describe('trade files (--trades)', () => {
  it('reads CSV timestamp,price,volume,side with ms or ISO times; side is the taker side', () => {
    const d = dir();
    writeFileSync(
      join(d, 'KRW-BTC_ticks.csv'),
      'timestamp,price,volume,side\n1723161255342,61837.63,0.02,sell\n2024-08-09T00:00:01.5Z,61838,0.5,BUY\n2024-08-09T00:00:01.5Z,61838,0.1,bid\n',
    );
    writeFileSync(join(d, 'KRW-XRP.csv'), '1723161255342,1,1,ask\n');
    const files = findTradeFiles(d, [BTC, ETH]);
    expect(files.map((f) => f.market)).toEqual([BTC]);
    const trades = [...tradesOf(files[0] as (typeof files)[number])];
    expect(trades.map((t) => [t.timestamp, t.price, t.volume, t.takerSide])).toEqual([
      [1723161255342, 61837.63, 0.02, 'ask'],
      [Date.parse('2024-08-09T00:00:01.5Z'), 61838, 0.5, 'bid'],
      [Date.parse('2024-08-09T00:00:01.5Z'), 61838, 0.1, 'bid'],
    ]);
    const window = { from: Date.parse('2024-08-09T00:00:00Z') as EpochMs };
    expect([...tradesOf(files[0] as (typeof files)[number], window)]).toHaveLength(2);
  });

  it('refuses broken CSV rows, naming the line', () => {
    const d = dir();
    const file = (body: string) => {
      writeFileSync(join(d, 'KRW-BTC.csv'), body);
      return () => [...tradesOf(tradeFile(BTC, join(d, 'KRW-BTC.csv'), 'csv'))];
    };
    expect(file('1723161255342,1,1,maybe\n')).toThrow(/line 1: side must be buy, sell, bid or ask/);
    expect(file('1723161255342,1,1,buy\n1723161255341,1,1,buy\n')).toThrow(
      /line 2: rows must be in time order/,
    );
    expect(file('1723161255342,0,1,buy\n')).toThrow(CandleDataError);
  });

  it('reads Upbit GET /v1/trades/ticks JSON served newest first and returns it oldest first', () => {
    const d = dir();
    const tick = (ts: number, p: number, side: string, id: number) => ({
      market: 'KRW-BTC',
      trade_date_utc: '2025-06-27',
      trade_time_utc: '23:59:59',
      timestamp: ts,
      trade_price: p,
      trade_volume: 0.00006043,
      prev_closing_price: 146852000,
      change_price: 206000,
      ask_bid: side,
      sequential_id: id,
    });
    const path = join(d, 'KRW-BTC.json');
    writeFileSync(
      path,
      JSON.stringify([
        tick(1751068799336, 147058000, 'BID', 3),
        tick(1751068799000, 147057000, 'ASK', 2),
        tick(1751068799000, 147056000, 'ASK', 1),
      ]),
    );
    const trades = [...tradesOf(tradeFile(BTC, path, 'json'))];
    expect(trades.map((t) => [t.price, t.takerSide])).toEqual([
      [147056000, 'ask'],
      [147057000, 'ask'],
      [147058000, 'bid'],
    ]);
    expect(() => [...tradesOf(tradeFile(ETH, path, 'json'))]).toThrow(/holds KRW-BTC trades/);
  });
});

/** Records every event it is shown, in order; never signals. */
class Recorder implements Strategy {
  readonly name = 'microstructure' as const;
  readonly markets = [BTC, ETH];
  readonly warmupBars = 0;
  readonly log: string[] = [];
  onBar(b: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    this.log.push(`bar ${b.market} ${(b.openTime - T0) / MS.minute} @${(ctx.now - T0) / 1000}s`);
    return [];
  }
  onTrade(t: Trade): readonly StrategySignal[] {
    this.log.push(`trade ${t.market} ${t.sequentialId} @${(t.timestamp - T0) / 1000}s`);
    return [];
  }
}

describe('trades in the event loop', () => {
  it('shows a bar interval’s trades before its bar, in time then market order, never a later trade', async () => {
    const recorder = new Recorder();
    await runBacktest({
      candlesByMarket: new Map([
        [BTC, [bar(BTC, 0, 100), bar(BTC, 1, 100), bar(BTC, 2, 100)]],
        [ETH, [bar(ETH, 0, 100), bar(ETH, 2, 100)]],
      ]),
      tradesByMarket: new Map([
        [ETH, [trade(ETH, T0 - 5_000, 'e0'), trade(ETH, T0 + 30_000, 'e1'), trade(ETH, T0 + 60_000, 'e2')]],
        [
          BTC,
          [trade(BTC, T0 + 30_000, 'b1'), trade(BTC, T0 + 150_000, 'b2'), trade(BTC, T0 + 181_000, 'late')],
        ],
      ]),
      timeframe: '1m',
      strategies: ['microstructure'],
      strategyInstances: [recorder],
      capital: krw('1000000'),
      feeRate: new Decimal('0.0005'),
      slippageBps: 0,
      seed: 1,
    });
    expect(recorder.log).toEqual([
      'trade KRW-ETH e0 @-5s',
      'trade KRW-BTC b1 @30s',
      'trade KRW-ETH e1 @30s',
      'bar KRW-BTC 0 @60s',
      'bar KRW-ETH 0 @60s',
      'trade KRW-ETH e2 @60s',
      'bar KRW-BTC 1 @120s',
      'trade KRW-BTC b2 @150s',
      'bar KRW-BTC 2 @180s',
      'bar KRW-ETH 2 @180s',
    ]);
  });

  it('refuses a tape that goes back in time', async () => {
    const feed = new TradeFeed(new Map([[BTC, [trade(BTC, T0 + 2, 'a'), trade(BTC, T0 + 1, 'b')]]]));
    await expect(feed.takeBefore(T0 + 10)).rejects.toThrow(/go back in time/);
  });
});

interface TapeFixture {
  readonly rows: readonly (readonly [number, number, number, boolean])[];
}

/** Real Binance BTC/USDT trades (hftbacktest capture, 3,000 trades over 2.6 minutes) read as KRW-BTC. */
function realTape(): { trades: Trade[]; candles: Candle[] } {
  const path = join(__dirname, '../fixtures/strategies/binance_btcusdt_trades_2024-08-08_3000.json');
  const { rows } = JSON.parse(readFileSync(path, 'utf8')) as TapeFixture;
  // isBuyerMaker: the seller was the taker.
  const trades = rows.map(([t, p, q, buyerMaker], i) => ({
    market: BTC,
    timestamp: t as EpochMs,
    price: p,
    volume: q,
    takerSide: buyerMaker ? ('ask' as const) : ('bid' as const),
    sequentialId: `${i}`,
  }));
  const candles = new Map<number, Candle>();
  for (const { timestamp, price, volume } of trades) {
    const openTime = Math.floor(timestamp / MS.minute) * MS.minute;
    const c = candles.get(openTime);
    candles.set(
      openTime,
      c === undefined
        ? {
            market: BTC,
            timeframe: '1m',
            openTime: openTime as EpochMs,
            open: price,
            high: price,
            low: price,
            close: price,
            volume,
            quoteVolume: price * volume,
          }
        : {
            ...c,
            high: Math.max(c.high, price),
            low: Math.min(c.low, price),
            close: price,
            volume: c.volume + volume,
            quoteVolume: c.quoteVolume + price * volume,
          },
    );
  }
  return { trades, candles: [...candles.values()] };
}

describe('microstructure on a real tape in the backtest', () => {
  const params = { ...DEFAULT_STRATEGY_PARAMS.microstructure, volumeBarKrw: 20_000, ofiWindow: 5 };

  async function run(withTrades: boolean) {
    const { trades, candles } = realTape();
    const strategy = createMicrostructure(params, [BTC]);
    const result = await runBacktest({
      candlesByMarket: new Map([[BTC, candles]]),
      ...(withTrades ? { tradesByMarket: new Map([[BTC, trades]]) } : {}),
      timeframe: '1m',
      strategies: ['microstructure'],
      strategyInstances: [strategy],
      capital: krw('10000000'),
      feeRate: new Decimal('0.0005'),
      slippageBps: 2,
      seed: 1,
    });
    return {
      reading: strategy.reading(BTC),
      json: JSON.stringify(result),
      fillModel: result.assumptions.fillModel,
    };
  }

  it('uses the live path (tick rule on the tape) when trades are given, the candle estimators otherwise', async () => {
    const live = await run(true);
    expect(live.reading?.source).toBe('live');
    expect(live.reading?.buyProbability).toBeGreaterThanOrEqual(0);
    expect(live.reading?.buyProbability).toBeLessThanOrEqual(1);
    expect(
      live.fillModel.some((l) => /^Public trades \(--trades\) reach the strategies' onTrade/.test(l)),
    ).toBe(true);
    const bars = await run(false);
    expect(bars.reading?.source).toBe('candles');
    expect(bars.fillModel.join(' ')).not.toContain('--trades');
    expect((await run(true)).json).toBe(live.json);
  });
});

import { recordFill } from '../../../shared/src/application/risk/record-fill';
import type { Market } from '../../../shared/src/domain/market/market-id';
import type { Timeframe } from '../../../shared/src/domain/market/timeframe';
import { decimalFromNumber } from '../../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../../shared/src/domain/money/quantities';
import { type DecisionId, orderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';
import type { WorldStores } from './api-world';

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;

/** One fill booked the way the executor books it (position, ledger and realised PnL together). */
export async function book(
  stores: Pick<WorldStores, 'store'>,
  f: {
    readonly id: string;
    readonly market: Market;
    readonly strategy: StrategyName;
    readonly side: 'bid' | 'ask';
    readonly price: string;
    readonly volume: string;
    readonly at: EpochMs;
  },
): Promise<void> {
  const value = decimalFromNumber(Number(f.price)).times(f.volume);
  await recordFill(
    stores.store,
    {
      fillId: f.id,
      identifier: orderIdentifier(`d-${f.id}` as DecisionId),
      market: f.market,
      strategy: f.strategy,
      side: f.side,
      price: price(f.price),
      volume: volume(f.volume),
      fee: krw(value.times('0.0005')),
      isMaker: false,
      at: f.at,
    },
    krw('10000000'),
  );
}

/** A random-walk-free candle path: `close(i)` gives the close of bar i (oldest first). */
export async function candles(
  stores: Pick<WorldStores, 'marketData'>,
  market: Market,
  timeframe: Timeframe,
  stepMs: number,
  last: EpochMs,
  count: number,
  close: (i: number) => number,
): Promise<void> {
  const bars = [];
  for (let i = 0; i < count; i++) {
    const c = close(i);
    bars.push({
      market,
      timeframe,
      openTime: (last - (count - 1 - i) * stepMs) as EpochMs,
      open: c,
      high: c * 1.001,
      low: c * 0.999,
      close: c,
      volume: 1,
      quoteVolume: c,
    });
  }
  await stores.marketData.putCandles(bars);
}

/**
 * A small but complete trading day before `now`: three days of minute equity around 10 M KRW, 1m
 * and 60m candles of BTC and ETH, a BTC round trip by market making (a win), an open BTC remainder
 * and an open ETH momentum position, and fresh executor and analysis statuses.
 */
export async function seedTradingDay(stores: WorldStores, now: EpochMs): Promise<void> {
  for (let t = now - 3 * MS.day; t <= now - MS.minute; t += 10 * MS.minute) {
    const e = 10_000_000 + Math.round(Math.sin(t / MS.hour) * 50_000 + (t - now + 3 * MS.day) / 5_000);
    await stores.equity.putPoint({
      at: t as EpochMs,
      equity: krw(String(e)),
      cash: krw(String(e - 1_000_000)),
      holdings: krw('1000000'),
      unpriced: [],
    });
  }
  const lastMinute = (Math.floor(now / MS.minute) * MS.minute - MS.minute) as EpochMs;
  await candles(stores, BTC, '1m', MS.minute, lastMinute, 180, (i) => 150_000_000 + i * 10_000);
  await candles(stores, ETH, '1m', MS.minute, lastMinute, 180, (i) => 5_000_000 - i * 500);
  const lastHour = (Math.floor(now / MS.hour) * MS.hour - MS.hour) as EpochMs;
  await candles(stores, BTC, '60m', MS.hour, lastHour, 25, (i) => 149_000_000 + ((i * 7919) % 13) * 150_000);
  await candles(stores, ETH, '60m', MS.hour, lastHour, 25, (i) => 4_900_000 + ((i * 104729) % 11) * 9_000);
  await book(stores, {
    id: 'f1',
    market: BTC,
    strategy: 'market_making',
    side: 'bid',
    price: '150000000',
    volume: '0.004',
    at: (now - 2 * MS.hour) as EpochMs,
  });
  await book(stores, {
    id: 'f2',
    market: BTC,
    strategy: 'market_making',
    side: 'ask',
    price: '151500000',
    volume: '0.002',
    at: (now - MS.hour) as EpochMs,
  });
  await book(stores, {
    id: 'f3',
    market: ETH,
    strategy: 'momentum_scalping',
    side: 'bid',
    price: '5000000',
    volume: '0.05',
    at: (now - 30 * MS.minute) as EpochMs,
  });
  await stores.statuses.putStatus({
    component: 'executor',
    at: (now - 5_000) as EpochMs,
    healthy: true,
    summary: 'running',
    details: { mode: 'paper' },
  });
  await stores.statuses.putStatus({
    component: 'analysis',
    at: (now - 40_000) as EpochMs,
    healthy: true,
    summary: 'ok',
    details: { markets: 5 },
  });
}

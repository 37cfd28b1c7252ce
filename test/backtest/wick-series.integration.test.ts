import { volumeBeyond } from '../../shared/src/backtest/broker/bar-path';
import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const BTC = parseMarket('KRW-BTC');
const T = Date.parse('2024-01-01T00:00:00Z') as EpochMs;

function candle(o: number, h: number, l: number, c: number, vol: number, openTime: EpochMs): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: vol,
    quoteVolume: vol * c,
  };
}

describe('the wick series (constant close, wicks, thin volume) no longer prints money', () => {
  // Every bar opens and closes at 50,000,000; every fifth bar has ±0.4 % wicks; 0.01 BTC trades a
  // minute (500,000 KRW), so the market maker's 100,000 KRW quotes are a fifth of the whole market.
  // The old broker filled any quote the wick touched through, in full, whenever the order was
  // smaller than the bar's TOTAL volume: +3.59 % in 3 days with 100 % winning trades. Only a sliver
  // of the volume trades out in a wick, and that sliver is all a quote there can get.
  function* wicks(): Generator<Candle> {
    const x = 50_000_000;
    for (let i = 0; i < 3 * 1440; i++) {
      const w = i % 5 === 0 ? 200_000 : 0;
      yield candle(x, x + w, x - w, x, 0.01, (T + i * MS.minute) as EpochMs);
    }
  }

  it('earns at most a few basis points, from maker fills no larger than the volume beyond their prices', async () => {
    const bars = [...wicks()];
    const result = await runBacktest({
      candlesByMarket: new Map([[BTC, bars]]),
      timeframe: '1m',
      strategies: ['market_making'],
      capital: krw('10000000'),
      feeRate: new Decimal('0.0005'),
      slippageBps: 2,
      seed: 1,
    });
    expect(result.metrics.totalReturnPct).toBeLessThan(0.1);
    const byTime = new Map(bars.map((c) => [c.openTime, c]));
    for (const t of result.trades.filter((x) => x.maker)) {
      const bar = byTime.get(Date.parse(t.time) as EpochMs) as Candle;
      expect(Number(t.volume)).toBeLessThanOrEqual(volumeBeyond(bar, Number(t.price), t.side) + 1e-12);
    }
    // The mark-outs say what the fills were worth afterwards.
    expect(result.markouts.horizonsBars).toEqual([1, 5, 30]);
    expect(result.markouts.all['1'].fills).toBe(result.trades.filter((x) => x.maker).length);
  });
});

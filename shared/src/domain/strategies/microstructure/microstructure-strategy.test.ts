import type { Candle, OrderbookSnapshot, Trade } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import type { StrategyContext, StrategySignal } from '../strategy';
import { DEFAULT_STRATEGY_PARAMS, type MicrostructureParams } from '../strategy-params';
import { createMicrostructure, type MicrostructureStrategy } from './microstructure-strategy';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.UTC(2026, 0, 5, 0, 0);
const params: MicrostructureParams = {
  ...DEFAULT_STRATEGY_PARAMS.microstructure,
  ofiWindow: 10,
  bvcWindow: 10,
  volumeBarKrw: 1_000_000,
  threshold: 0.3,
};
const ctx = (i: number): StrategyContext => ({
  now: (T0 + (i + 1) * 60_000) as EpochMs,
  positionVolume: 0,
  availableKrw: 1e6,
});

function candle(i: number, open: number, close: number, quoteVolume = 2_000_000): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime: (T0 + i * 60_000) as EpochMs,
    open,
    high: Math.max(open, close),
    low: Math.min(open, close),
    close,
    volume: quoteVolume / close,
    quoteVolume,
  };
}

/** Warm the candle path on a zig-zag (no net pressure) so σ is known; returns the next bar index. */
function warm(s: MicrostructureStrategy, bars = 40): number {
  for (let i = 0; i < bars; i++) s.onBar(candle(i, 100, i % 2 === 0 ? 100.2 : 100), ctx(i));
  return bars;
}

function book(i: number, bid: number, bidSize: number, ask: number, askSize: number): OrderbookSnapshot {
  return {
    market: BTC,
    timestamp: (T0 + i * 1000) as EpochMs,
    bids: [{ price: bid, size: bidSize }],
    asks: [{ price: ask, size: askSize }],
  };
}

const trade = (i: number, price: number, volume: number): Trade => ({
  market: BTC,
  timestamp: (T0 + i * 1000) as EpochMs,
  price,
  volume,
  // The strategy classifies by the tick rule; a wrong aggressor flag proves it does not peek at it.
  takerSide: 'ask',
  sequentialId: `${i}`,
});

const dir = (out: readonly StrategySignal[]) => out.map((s) => s.direction);

describe('microstructure on the live book and tape', () => {
  it('OFI sign follows bid/ask pressure: bids stacking and asks lifted → buy; the reverse → sell', () => {
    for (const pressure of [1, -1]) {
      const s = createMicrostructure(params, [BTC]);
      let i = warm(s);
      let bid = 100;
      for (let k = 0; k < 15; k++) {
        // Buy pressure: the bid queue grows and the best prices step up; sell pressure mirrors it.
        bid += pressure * 0.1;
        expect(s.onBook(book(k, bid, 5 + k, bid + 0.1, 3), ctx(i))).toEqual([]);
      }
      const out = s.onBar(candle(i++, 100, 100), ctx(i));
      expect(dir(out)).toEqual([pressure > 0 ? 'buy' : 'sell']);
      expect(s.reading(BTC)?.source).toBe('live');
      expect(Math.sign(s.reading(BTC)?.ofi ?? 0)).toBe(pressure);
      expect(out[0]?.reason).toMatch(/^live: OFI/);
    }
  });

  it('tick-rule buy probability follows the tape: upticks → buy, downticks → sell', () => {
    for (const pressure of [1, -1]) {
      const s = createMicrostructure(params, [BTC]);
      let i = warm(s);
      let price = 100;
      for (let k = 0; k < 400; k++) {
        price += pressure * (k % 3 === 0 ? -0.01 : 0.02);
        s.onTrade(trade(k, price, 1000), ctx(i));
      }
      const out = s.onBar(candle(i++, 100, 100), ctx(i));
      const p = s.reading(BTC)?.buyProbability ?? Number.NaN;
      expect(pressure > 0 ? p > 0.6 : p < 0.4).toBe(true);
      expect(dir(out)).toEqual([pressure > 0 ? 'buy' : 'sell']);
    }
  });

  it('balanced flow emits nothing', () => {
    const s = createMicrostructure(params, [BTC]);
    const i = warm(s);
    for (let k = 0; k < 30; k++)
      s.onBook(book(k, 100, k % 2 === 0 ? 5 : 6, 100.1, k % 2 === 0 ? 5 : 6), ctx(i));
    expect(s.onBar(candle(i, 100, 100), ctx(i))).toEqual([]);
  });
});

describe('microstructure candle-only fallback (BVC on volume-clock bars)', () => {
  it('a run of rising bars on heavy volume reads as buying pressure and emits one buy (edge-triggered)', () => {
    const s = createMicrostructure(params, [BTC]);
    let i = warm(s);
    let price = 100;
    const signals: StrategySignal[] = [];
    for (let k = 0; k < 12; k++, i++) {
      const next = price * 1.002;
      signals.push(...s.onBar(candle(i, price, next, 3_000_000), ctx(i)));
      price = next;
    }
    expect(dir(signals)).toEqual(['buy']);
    expect(signals[0]?.reason).toMatch(/^candles: BVC signed-volume imbalance \+/);
    expect(s.reading(BTC)?.source).toBe('candles');
    // Selling takes over: one sell once the imbalance flips beyond the threshold.
    const after: StrategySignal[] = [];
    for (let k = 0; k < 12; k++, i++) {
      const next = price * 0.997;
      after.push(...s.onBar(candle(i, price, next, 3_000_000), ctx(i)));
      price = next;
    }
    expect(dir(after)).toEqual(['sell']);
  });

  it('builds volume bars from several thin candles: nothing new until a bar completes', () => {
    const s = createMicrostructure({ ...params, volumeBarKrw: 5_000_000 }, [BTC]);
    const before = s.reading(BTC)?.volumeBars ?? 0;
    for (let i = 0; i < 9; i++) s.onBar(candle(i, 100, 100, 1_000_000), ctx(i));
    expect((s.reading(BTC)?.volumeBars ?? 0) - before).toBe(1);
  });

  it('ignores other markets and other timeframes, and refuses a threshold outside [0, 1]', () => {
    const s = createMicrostructure(params, [BTC]);
    expect(s.onBar({ ...candle(0, 1, 2), market: 'KRW-ETH' as Market }, ctx(0))).toEqual([]);
    expect(s.onBar({ ...candle(0, 1, 2), timeframe: '5m' }, ctx(0))).toEqual([]);
    expect(() => createMicrostructure({ ...params, threshold: 1.5 }, [BTC])).toThrow(RangeError);
  });
});

describe('microstructure with several markets and restored snapshots', () => {
  const ETH = 'KRW-ETH' as Market;
  // A deterministic walk per market: rises and falls in runs so signals of both sides appear.
  const close = (m: number, i: number) => 100 + m + Math.round(10 * Math.sin(i / (7 + m))) / 10;
  const bar = (market: Market, m: number, i: number): Candle => ({
    ...candle(i, close(m, i - 1), close(m, i), 900_000 + ((i * (m + 3)) % 7) * 100_000),
    market,
  });
  const key = (out: readonly StrategySignal[]) => out.map((s) => `${s.direction} ${s.strength} ${s.reason}`);

  it('interleaved markets, and a snapshot restored mid-run, give what each market alone gives', () => {
    const alone = [BTC, ETH].map((market, m) => {
      const s = createMicrostructure(params, [market]);
      const out: string[][] = [];
      for (let i = 1; i < 300; i++) out.push(key(s.onBar(bar(market, m, i), ctx(i))));
      return { out, reading: s.reading(market) };
    });
    const both = createMicrostructure(params, [BTC, ETH]);
    const out: string[][][] = [[], []];
    for (let i = 1; i < 300; i++) {
      // Runs of one market's bars, then the other's (the remembered market changes in between).
      for (const m of i % 3 === 0 ? [1, 0] : [0, 1]) {
        const market = m === 0 ? BTC : ETH;
        out[m]?.push(key(both.onBar(bar(market, m, i), ctx(i))));
        if (i === 150 && m === 0) {
          // Restoring a market's own snapshot replaces its state object: later bars must use it.
          const node = both.saveMarketState(BTC);
          if (node !== undefined) both.loadMarketState(BTC, node);
        }
      }
    }
    expect(out[0]).toEqual(alone[0]?.out);
    expect(out[1]).toEqual(alone[1]?.out);
    expect(out[0]?.flat().length).toBeGreaterThan(0);
    expect(both.reading(BTC)).toEqual(alone[0]?.reading);
    expect(both.reading(ETH)).toEqual(alone[1]?.reading);
  });
});

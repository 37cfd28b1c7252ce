import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { CANDLE_COLUMNS, candleAt, columnCandles, toCandleColumns } from './candle-columns';
import { columnCandleViews } from './candle-views';

const BTC = 'KRW-BTC' as Market;

function candles(n: number): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < n; i++) {
    const p = 135_000_000 + i * 1000;
    const v = 0.1 + i / 3;
    out.push({
      market: BTC,
      timeframe: '1m',
      openTime: (1_735_689_600_000 + i * 60_000) as Candle['openTime'],
      open: p,
      high: p + 5000,
      low: p - 5000,
      close: p + 1000 + 1 / 7,
      volume: v,
      quoteVolume: (p + 1000) * v,
    });
  }
  return out;
}

describe('columnCandleViews', () => {
  it('reads every field of every row exactly as candleAt and the source give it', () => {
    const source = candles(50);
    const cols = toCandleColumns(source, 16);
    const read = [...columnCandleViews(cols, BTC, '1m')];
    expect([...columnCandles(cols, BTC, '1m')]).toEqual(source);
    expect(read).toHaveLength(50);
    read.forEach((c, i) => {
      const plain = candleAt(cols, i, BTC, '1m');
      expect(c.market).toBe(BTC);
      expect(c.timeframe).toBe('1m');
      for (const k of CANDLE_COLUMNS) {
        expect(Object.is(c[k], plain[k])).toBe(true);
        expect(Object.is(c[k], (source[i] as Candle)[k])).toBe(true);
      }
      expect(JSON.stringify(c)).toBe(JSON.stringify(source[i]));
    });
  });

  it('keeps each candle valid while later ones are read (a bar may be kept)', () => {
    const cols = toCandleColumns(candles(3));
    const it = columnCandleViews(cols, BTC, '1m')[Symbol.iterator]();
    const first = it.next().value as Candle;
    const close = first.close;
    it.next();
    it.next();
    expect(first.close).toBe(close);
    expect(first.openTime).toBe(1_735_689_600_000);
  });

  it('is re-iterable from the first row', () => {
    const source = columnCandleViews(toCandleColumns(candles(4)), BTC, '1m');
    expect([...source].map((c) => c.openTime)).toEqual([...source].map((c) => c.openTime));
  });
});

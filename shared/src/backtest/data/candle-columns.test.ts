import { CANDLE_COLUMNS, columnsOf, toCandleColumns } from './candle-columns';

// columnsOf makes a class instance (see Columns): it must look like the object literal it replaced
// to every reader, key order included (a spread, Object.keys or JSON sees the same thing).
describe('columnsOf', () => {
  const arrays = CANDLE_COLUMNS.map((_, k) => Float64Array.of(k, k + 0.5));
  const literal = {
    length: 2,
    openTime: arrays[0],
    open: arrays[1],
    high: arrays[2],
    low: arrays[3],
    close: arrays[4],
    volume: arrays[5],
    quoteVolume: arrays[6],
  };

  it('has the literal’s own keys, in its order, holding the same arrays', () => {
    const cols = columnsOf(2, (k) => arrays[k] as Float64Array);
    expect(Object.keys(cols)).toEqual(['length', ...CANDLE_COLUMNS]);
    for (const [i, name] of CANDLE_COLUMNS.entries()) expect(cols[name]).toBe(arrays[i]);
    expect(JSON.stringify({ ...cols })).toBe(JSON.stringify(literal));
  });

  it('is what toCandleColumns builds', () => {
    const cols = toCandleColumns(
      [
        {
          market: 'KRW-BTC',
          timeframe: '1m',
          openTime: 60_000,
          open: 1,
          high: 2,
          low: 0.5,
          close: 1.5,
          volume: 3,
          quoteVolume: 4,
        },
      ] as never,
      1,
    );
    expect(cols.length).toBe(1);
    expect(Array.from(cols.close)).toEqual([1.5]);
    expect(Object.keys(cols)).toEqual(['length', ...CANDLE_COLUMNS]);
  });
});

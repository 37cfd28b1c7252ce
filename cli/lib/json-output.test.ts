import { writeJsonStreamingArray } from './json-output';

function streamed<T extends object>(value: T, key: keyof T & string): string {
  const chunks: string[] = [];
  writeJsonStreamingArray(value, key, (c) => chunks.push(c));
  return chunks.join('');
}

describe('streamed JSON output', () => {
  it('produces exactly the bytes of JSON.stringify(value, null, 2)', () => {
    const trades = Array.from({ length: 3000 }, (_, i) => ({
      time: `t${i}`,
      price: String(i * 1.5),
      nested: { a: [i, null] },
    }));
    const value = {
      strategy: 'all',
      metrics: { sharpe: null, trades: 2 },
      trades,
      equityCurve: [{ time: 1, equity: 2 }],
    };
    expect(streamed(value, 'trades')).toBe(JSON.stringify(value, null, 2));
    const empty = { ...value, trades: [] };
    expect(streamed(empty, 'trades')).toBe(JSON.stringify(empty, null, 2));
    const strings = { a: 1, trades: ['x"y', 'z'] };
    expect(streamed(strings, 'trades')).toBe(JSON.stringify(strings, null, 2));
  });
});

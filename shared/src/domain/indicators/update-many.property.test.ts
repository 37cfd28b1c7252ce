import fc from 'fast-check';
import { firstBitDifference } from '../../../testing/bit-equality';
import { Atr } from './atr';
import { Ema } from './ema';
import { Rsi } from './rsi';
import { Sma } from './sma';
import { TrueRange } from './true-range';
import { SessionVwap, typicalPrice } from './vwap';
import { Wma } from './wma';

// KRW-like closes: a level up to 1e8 with moves of a few ticks, plus bars around them.
const closes = fc
  .tuple(
    fc.double({ min: 100, max: 1e8, noNaN: true }),
    fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { minLength: 0, maxLength: 150 }),
  )
  .map(([level, moves]) => {
    let p = level;
    return moves.map((m) => {
      p = Math.max(1, p * (1 + m));
      return p;
    });
  });
const period = fc.integer({ min: 1, max: 30 });
/** Where a series is cut into consecutive updateMany calls (sorted, may repeat: empty chunks). */
const cuts = fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 4 });

/** Splits [0, n) at the cut points into consecutive ranges. */
function chunks(n: number, at: readonly number[]): [number, number][] {
  const points = [0, ...at.map((c) => Math.min(c, n)).sort((a, b) => a - b), n];
  return points.slice(1).map((end, i) => [points[i] as number, end]);
}

interface OneInput {
  update(x: number): number;
  updateMany(values: ArrayLike<number>, out?: Float64Array): Float64Array;
  readonly value: number;
}

const single: readonly [string, (n: number) => OneInput][] = [
  ['Sma', (n) => new Sma(n)],
  ['Ema', (n) => new Ema(n)],
  ['Rsi', (n) => new Rsi(n)],
  ['Wma', (n) => new Wma(n)],
];

describe('updateMany is exactly that many update calls', () => {
  it.each(single)('%s: same outputs bit for bit, in any chunking, mixed with update', (_name, make) => {
    fc.assert(
      fc.property(closes, period, cuts, (xs, n, at) => {
        const stepped = make(n);
        const want = xs.map((x) => stepped.update(x));
        const bulk = make(n);
        const got: number[] = [];
        for (const [from, to] of chunks(xs.length, at)) {
          if (to - from === 1) got.push(bulk.update(xs[from] as number));
          else got.push(...bulk.updateMany(Float64Array.from(xs.slice(from, to))));
        }
        expect(firstBitDifference(got, want)).toBe(-1);
        expect(Object.is(bulk.value, stepped.value)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('Atr and TrueRange: same outputs bit for bit in any chunking', () => {
    fc.assert(
      fc.property(closes, period, cuts, (xs, n, at) => {
        const high = xs.map((c) => c * 1.001);
        const low = xs.map((c) => c * 0.998);
        const stepped = new Atr(n);
        const steppedTr = new TrueRange();
        const want = xs.map((c, i) => stepped.update(high[i] as number, low[i] as number, c));
        const wantTr = xs.map((c, i) => steppedTr.update(high[i] as number, low[i] as number, c));
        const bulk = new Atr(n);
        const bulkTr = new TrueRange();
        const got: number[] = [];
        const gotTr: number[] = [];
        for (const [from, to] of chunks(xs.length, at)) {
          const cols = [high, low, xs].map((col) => col.slice(from, to)) as [number[], number[], number[]];
          got.push(...bulk.updateMany(...cols));
          gotTr.push(...bulkTr.updateMany(...cols));
        }
        expect(firstBitDifference(got, want)).toBe(-1);
        expect(firstBitDifference(gotTr, wantTr)).toBe(-1);
        expect(Object.is(bulk.trueRange, stepped.trueRange)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('SessionVwap: same outputs bit for bit in any chunking, across session boundaries', () => {
    fc.assert(
      fc.property(closes, cuts, fc.integer({ min: 1, max: 40 }), (xs, at, sessionBars) => {
        const volume = xs.map((_, i) => (i % 7 === 3 ? 0 : 0.5 + (i % 5)));
        const time = xs.map((_, i) => 1_767_225_600_000 + i * 60_000);
        const stepped = new SessionVwap(sessionBars * 60_000, 30_000);
        const want = xs.map((p, i) => stepped.update(p, volume[i] as number, time[i] as number));
        const bulk = new SessionVwap(sessionBars * 60_000, 30_000);
        const got: number[] = [];
        for (const [from, to] of chunks(xs.length, at))
          got.push(...bulk.updateMany(xs.slice(from, to), volume.slice(from, to), time.slice(from, to)));
        expect(firstBitDifference(got, want)).toBe(-1);
        expect(Object.is(bulk.value, stepped.value)).toBe(true);
        // From OHLCV columns: the typical price of each bar.
        const high = xs.map((c) => c * 1.002);
        const low = xs.map((c) => c * 0.997);
        const typical = new SessionVwap(sessionBars * 60_000, 30_000);
        const wantBars = xs.map((c, i) =>
          typical.update(
            typicalPrice(high[i] as number, low[i] as number, c),
            volume[i] as number,
            time[i] as number,
          ),
        );
        const bars = new SessionVwap(sessionBars * 60_000, 30_000);
        const gotBars: number[] = [];
        for (const [from, to] of chunks(xs.length, at))
          gotBars.push(
            ...bars.updateManyBars(
              ...([high, low, xs, volume, time].map((col) => col.slice(from, to)) as [
                number[],
                number[],
                number[],
                number[],
                number[],
              ]),
            ),
          );
        expect(firstBitDifference(gotBars, wantBars)).toBe(-1);
      }),
      { numRuns: 150 },
    );
  });

  it('SessionVwap: a bar back in time or with negative volume throws after the bars before it', () => {
    const bulk = new SessionVwap(120_000, 0);
    expect(() => bulk.updateMany([10, 12, 11], [1, 1, 1], [0, 60_000, -60_000])).toThrow(/time order/);
    expect(bulk.value).toBe(11);
    expect(() => bulk.updateMany([13, 14], [1, -1], [60_000, 60_000])).toThrow(/≥ 0/);
    expect(bulk.value).toBe((10 + 12 + 13) / 3);
  });

  it.each(single)('%s: a non-finite value throws after applying the values before it', (_name, make) => {
    const xs = [11_500_000, 11_510_000, 11_490_000, 11_505_000, 11_520_000, 11_515_000, 11_500_500];
    // The bad value early (warm-up), within the first period, and after it.
    for (let k = 0; k <= xs.length; k++) {
      const stepped = make(3);
      for (const x of xs.slice(0, k)) stepped.update(x);
      const bulk = make(3);
      expect(() => bulk.updateMany([...xs.slice(0, k), Number.NaN, 1])).toThrow(/finite number, got NaN/);
      expect(Object.is(bulk.value, stepped.value)).toBe(true);
      for (const x of [11_500_000, 11_490_000, 11_530_000, 11_510_000])
        expect(Object.is(bulk.update(x), stepped.update(x))).toBe(true);
    }
  });

  it('Atr: an inverted bar throws after applying the bars before it', () => {
    const close = [100, 101, 102, 103, 104];
    const high = close.map((c) => c + 1);
    const low = close.map((c) => c - 1);
    const stepped = new Atr(2);
    close.forEach((c, i) => {
      stepped.update(high[i] as number, low[i] as number, c);
    });
    const bulk = new Atr(2);
    expect(() => bulk.updateMany([...high, 90], [...low, 95], [...close, 92])).toThrow(/below low/);
    expect(bulk.value).toBe(stepped.value);
    expect(bulk.update(106, 104, 105)).toBe(stepped.update(106, 104, 105));
  });

  it('writes into a given output array and refuses one that is too short', () => {
    const out = new Float64Array(5).fill(7);
    expect(new Sma(2).updateMany([1, 2, 3], out)).toBe(out);
    expect(Array.from(out)).toEqual([Number.NaN, 1.5, 2.5, 7, 7]);
    expect(() => new Ema(2).updateMany([1, 2, 3], new Float64Array(2))).toThrow(
      /holds 2 values, 3 are needed/,
    );
    expect(() => new Atr(2).updateMany([1, 2], [1], [1, 2])).toThrow(/different lengths/);
  });
});

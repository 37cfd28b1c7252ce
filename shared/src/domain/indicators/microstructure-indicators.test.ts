import fc from 'fast-check';
import { normalCdf } from '../stats/normal-cdf';
import {
  BulkVolumeClassifier,
  bvcBatch,
  SignedVolumeImbalance,
  signedVolumeImbalanceBatch,
} from './bulk-volume-classification';
import { OrderFlowImbalance, ofiBatch, ofiEvent, type TopOfBookLevels } from './order-flow-imbalance';
import { TickRule, tickRuleBatch } from './tick-rule';
import { VolumeClock } from './volume-clock';

const top = (bidPrice: number, bidSize: number, askPrice: number, askSize: number): TopOfBookLevels => ({
  bidPrice,
  bidSize,
  askPrice,
  askSize,
});

describe('Cont–Kukanov–Stoikov order flow imbalance', () => {
  const base = top(100, 5, 101, 5);

  it('follows the four cases of the CKS event definition', () => {
    // Bid size grows at the same price: +Δq (limit buy arrived).
    expect(ofiEvent(base, top(100, 8, 101, 5))).toBe(3);
    // Bid price improves: the whole new bid queue counts as buy pressure.
    expect(ofiEvent(base, top(100.5, 2, 101, 5))).toBe(2);
    // Best bid consumed (price drops): the old bid queue counts as sell pressure.
    expect(ofiEvent(base, top(99.5, 7, 101, 5))).toBe(-5);
    // Ask size grows at the same price: −Δq (limit sell arrived).
    expect(ofiEvent(base, top(100, 5, 101, 9))).toBe(-4);
    // Ask lifted (price rises): the old ask queue counts as buy pressure.
    expect(ofiEvent(base, top(100, 5, 101.5, 1))).toBe(5);
    // Ask price improves (seller undercuts): the new ask queue is sell pressure.
    expect(ofiEvent(base, top(100, 5, 100.5, 3))).toBe(-3);
    expect(ofiEvent(base, base)).toBe(0);
  });

  it('rolling sum equals the naive sum of events, normalised reading stays in [−1, 1]', () => {
    const level = fc.record({
      bidPrice: fc.integer({ min: 95, max: 100 }),
      bidSize: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })),
      askPrice: fc.integer({ min: 101, max: 106 }),
      askSize: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })),
    });
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 2, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        (books, n) => {
          const ind = new OrderFlowImbalance(n);
          const events: number[] = [];
          books.forEach((b, i) => {
            const v = ind.update(b);
            if (i > 0) events.push(ofiEvent(books[i - 1] as TopOfBookLevels, b));
            if (events.length < n) {
              expect(Number.isNaN(v)).toBe(true);
              return;
            }
            const w = events.slice(-n);
            const sum = w.reduce((a, e) => a + e, 0);
            const abs = w.reduce((a, e) => a + Math.abs(e), 0);
            expect(ind.value).toBeCloseTo(sum, 9);
            expect(v).toBeGreaterThanOrEqual(-1);
            expect(v).toBeLessThanOrEqual(1);
            expect(v).toBeCloseTo(abs > 0 ? sum / abs : 0, 9);
          });
        },
      ),
      {
        // CI found this one: a large event leaving a window of tiny ones left residue in the sums.
        examples: [
          [
            [
              top(95, 8.000000000000002, 102, 0.000001),
              top(95, 0, 101, 0.00013771044567315139),
              top(95, 0.000001, 101, 0),
              top(95, 0, 101, 0),
              top(95, 0.000001, 101, 0.000001),
              top(95, 0.000001, 101, 0),
            ],
            3,
          ],
        ],
      },
    );
  });

  it('reads +1 under pure buy pressure and −1 under pure sell pressure; batch = streaming', () => {
    const rising = Array.from({ length: 10 }, (_, i) => top(100 + i, 5, 101 + i, 5));
    const falling = Array.from({ length: 10 }, (_, i) => top(100 - i, 5, 101 - i, 5));
    expect(ofiBatch(rising, 5)[9]).toBe(1);
    expect(ofiBatch(falling, 5)[9]).toBe(-1);
    expect(Array.from(ofiBatch(rising, 5)).slice(0, 5).every(Number.isNaN)).toBe(true);
  });
});

describe('tick rule', () => {
  it('uptick = buy, downtick = sell, zero tick keeps the last sign, unknown before the first change', () => {
    expect(Array.from(tickRuleBatch([10, 10, 11, 11, 10, 10, 12]))).toEqual([0, 0, 1, 1, -1, -1, 1]);
    const t = new TickRule();
    t.update(5);
    t.update(6);
    t.reset();
    expect(t.update(4)).toBe(0);
  });
});

describe('volume clock', () => {
  it('closes a bar on the input that reaches the size, never splits an input, and conserves volume', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.double({ min: 1, max: 1000, noNaN: true }),
            v: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
          {
            maxLength: 200,
          },
        ),
        fc.double({ min: 10, max: 5000, noNaN: true }),
        (trades, size) => {
          const clock = new VolumeClock(size);
          let emitted = 0;
          let emittedQuote = 0;
          let pending = 0;
          for (const { p, v } of trades) {
            pending += p * v;
            const closed = clock.addTrade(p, v, v / 2);
            expect(closed).toBe(pending >= size);
            if (closed) {
              const bar = clock.lastBar;
              expect(bar?.quoteVolume).toBeCloseTo(pending, 6);
              expect(bar?.close).toBe(p);
              emitted++;
              emittedQuote += pending;
              pending = 0;
            }
          }
          expect(clock.barsCompleted).toBe(emitted);
          expect(clock.pendingQuoteVolume).toBeCloseTo(pending, 6);
          expect(emittedQuote + clock.pendingQuoteVolume).toBeCloseTo(
            trades.reduce((a, t) => a + t.p * t.v, 0),
            4,
          );
        },
      ),
    );
  });

  it('merges candles into one bar with OHLC of the group; buy volume unknown (NaN) for candles', () => {
    const clock = new VolumeClock(300);
    expect(clock.addCandle(10, 12, 9, 11, 10, 110)).toBe(false);
    expect(clock.addCandle(11, 15, 10, 14, 10, 140)).toBe(false);
    expect(clock.addCandle(14, 14, 8, 9, 10, 90)).toBe(true);
    expect(clock.lastBar).toEqual({
      open: 10,
      high: 15,
      low: 8,
      close: 9,
      volume: 30,
      quoteVolume: 340,
      buyVolume: Number.NaN,
      inputs: 3,
    });
    expect(() => new VolumeClock(0)).toThrow(RangeError);
  });
});

describe('bulk volume classification', () => {
  it('buy share = Φ(Δ/σ) with σ the sample std of the last n log changes (Easley et al. 2012)', () => {
    const closes = [100, 101, 100.5, 102, 101, 103, 104, 102.5];
    const n = 4;
    const bvc = new BulkVolumeClassifier(n);
    const changes: number[] = [];
    closes.forEach((c, i) => {
      const v = bvc.update(c);
      if (i > 0) changes.push(Math.log(c / (closes[i - 1] as number)));
      if (changes.length < n) {
        expect(Number.isNaN(v)).toBe(true);
        return;
      }
      const w = changes.slice(-n);
      const mean = w.reduce((a, x) => a + x, 0) / n;
      const sd = Math.sqrt(w.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
      expect(v).toBeCloseTo(normalCdf((changes.at(-1) as number) / sd), 12);
    });
  });

  it('batch equals streaming', () => {
    const closes = [100, 101, 100.5, 102, 101, 103];
    const b = new BulkVolumeClassifier(3);
    expect(Array.from(bvcBatch(closes, 3))).toEqual(closes.map((c) => b.update(c)));
  });

  it('reads 0.5 on a flat series and stays within [0, 1]', () => {
    const flat = new BulkVolumeClassifier(3);
    for (let i = 0; i < 6; i++) flat.update(50);
    expect(flat.value).toBe(0.5);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e8, noNaN: true }), { minLength: 5, maxLength: 60 }),
        (xs) => {
          const b = new BulkVolumeClassifier(3);
          for (const x of xs) {
            const v = b.update(x);
            if (!Number.isNaN(v)) expect(v >= 0 && v <= 1).toBe(true);
          }
        },
      ),
    );
  });
});

describe('signed-volume imbalance', () => {
  // Real bar volumes: none at all, or between a satoshi-ish lot and a busy bar (no subnormal doubles).
  const volume = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 100, noNaN: true }));
  it('equals Σ(buy − sell)/Σ(buy + sell) over the window, in [−1, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(volume, volume), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.integer({ min: 1, max: 10 }),
        (bars, n) => {
          const ind = new SignedVolumeImbalance(n);
          bars.forEach(([b, s], i) => {
            const v = ind.update(b, s);
            if (i + 1 < n) {
              expect(Number.isNaN(v)).toBe(true);
              return;
            }
            const w = bars.slice(i + 1 - n, i + 1);
            const tot = w.reduce((a, [x, y]) => a + x + y, 0);
            const net = w.reduce((a, [x, y]) => a + x - y, 0);
            expect(v).toBeCloseTo(tot > 0 ? net / tot : 0, 9);
            expect(Math.abs(v)).toBeLessThanOrEqual(1);
          });
        },
      ),
      {
        // A large bar leaving a window of tiny ones: the residue it left in the sums must not show.
        examples: [
          [
            [
              [7.984077479493593, 0.000001],
              [0.017259438034589434, 0],
              [0, 0],
              [0.000001, 0],
              [0, 0.000001],
            ],
            3,
          ],
        ],
      },
    );
    expect(() => new SignedVolumeImbalance(3).update(-1, 0)).toThrow(RangeError);
    expect(Array.from(signedVolumeImbalanceBatch([3, 1, 0], [1, 1, 2], 2))).toEqual([
      Number.NaN,
      2 / 6,
      -2 / 4,
    ]);
    expect(() => signedVolumeImbalanceBatch([1], [], 2)).toThrow(/differ in length/);
  });
});

import fc from 'fast-check';
import { Atr } from './atr';
import { BollingerBands } from './bollinger-bands';
import { Ema, emaBatch } from './ema';
import { Macd } from './macd';
import { RingBuffer } from './ring-buffer';
import { RollingOls } from './rolling-ols';
import { RollingStats } from './rolling-stats';
import { RollingZScore } from './rolling-z-score';
import { Rsi, rsiBatch } from './rsi';
import { Sma, smaBatch } from './sma';
import {
  mismatches,
  refAtr,
  refOls,
  refRsi,
  refSma,
  refStd,
  refWma,
  relClose,
} from './testing/reference-indicators';
import { Wma, wmaBatch } from './wma';

// KRW-like prices: a level up to 1e8 with moves of a few ticks, the case where naive Σx² cancels.
const priceSeries = (min = 1, max = 200) =>
  fc
    .tuple(
      fc.double({ min: 100, max: 1e8, noNaN: true }),
      fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { minLength: min, maxLength: max }),
    )
    .map(([level, moves]) => {
      let p = level;
      return moves.map((m) => {
        p = Math.max(1, p * (1 + m));
        return p;
      });
    });
const period = fc.integer({ min: 1, max: 40 });

describe('indicator properties', () => {
  it('Bollinger middle band equals the SMA, and lower ≤ middle ≤ upper', () => {
    fc.assert(
      fc.property(
        priceSeries(),
        fc.integer({ min: 2, max: 40 }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (xs, n, k) => {
          const bb = new BollingerBands(n, k);
          const sma = new Sma(n);
          const bad = xs.filter((x) => {
            bb.update(x);
            sma.update(x);
            if (bb.ready !== sma.ready) return true;
            if (!bb.ready) return false;
            return !relClose(bb.middle, sma.value, 1e-12) || bb.lower > bb.middle || bb.upper < bb.middle;
          });
          expect(bad).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('RSI stays in [0, 100] on any input, including flat and one-way series', () => {
    const anyCloses = fc.oneof(
      fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 120 }),
      fc.array(fc.constant(42), { maxLength: 60 }),
      priceSeries(),
    );
    fc.assert(
      fc.property(anyCloses, period, (xs, n) => {
        for (const v of rsiBatch(xs, n)) if (!Number.isNaN(v)) expect(v >= 0 && v <= 100).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('z-score of a constant series is 0, never NaN or infinite, at any price level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (c, n) => {
          const z = new RollingZScore(n);
          for (let i = 0; i < 3 * n; i++) z.update(c);
          expect(z.value).toBe(0);
          expect(z.std).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('streaming equals the naive reference on random price paths (SMA, WMA, RSI, ATR, σ)', () => {
    fc.assert(
      fc.property(priceSeries(1, 150), period, (xs, n) => {
        expect(mismatches(smaBatch(xs, n), refSma(xs, n))).toEqual([]);
        expect(mismatches(wmaBatch(xs, n), refWma(xs, n))).toEqual([]);
        expect(mismatches(rsiBatch(xs, n), refRsi(xs, n))).toEqual([]);
        const highs = xs.map((x) => x * 1.001);
        const lows = xs.map((x) => x * 0.999);
        const atr = new Atr(n);
        const atrs = xs.map((x, i) => atr.update(highs[i] as number, lows[i] as number, x));
        expect(mismatches(atrs, refAtr(highs, lows, xs, n))).toEqual([]);
        const stats = new RollingStats(n);
        const sd = refStd(xs, n);
        // σ is a difference of values ~level: judge its error against the level (1e-9 of the price).
        const bad = xs.filter((x, i) => {
          stats.update(x);
          return !relClose(stats.std, sd[i] as number, 1e-9, x);
        });
        expect(bad).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('batch helpers equal step-by-step streaming, and reset() restarts from scratch', () => {
    fc.assert(
      fc.property(priceSeries(1, 80), period, (xs, n) => {
        const ema = new Ema(n);
        const wma = new Wma(n);
        const rsi = new Rsi(n);
        const seen = (f: () => number[]) => {
          const first = f();
          ema.reset();
          wma.reset();
          rsi.reset();
          return [first, f()];
        };
        const [a, b] = seen(() => xs.flatMap((x) => [ema.update(x), wma.update(x), rsi.update(x)]));
        expect(a).toEqual(b);
        const interleaved = xs.flatMap((_, i) => [
          emaBatch(xs, n)[i],
          wmaBatch(xs, n)[i],
          rsiBatch(xs, n)[i],
        ]);
        expect(a).toEqual(interleaved);
      }),
      { numRuns: 60 },
    );
  });

  it('MACD histogram = MACD − signal, and ready exactly at bar slow + signal − 2', () => {
    fc.assert(
      fc.property(
        priceSeries(40, 120),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 10 }),
        (xs, f, extra, s) => {
          const m = new Macd(f, f + extra, s);
          const bad = xs.filter((x, i) => {
            const h = m.update(x);
            return m.ready !== i >= f + extra + s - 2 || (m.ready && h !== m.macd - m.signal);
          });
          expect(bad).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rolling OLS matches a window-by-window naive fit', () => {
    fc.assert(
      fc.property(
        priceSeries(10, 120),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 3, max: 30 }),
        (xs, slope, n) => {
          const ys = xs.map((x, i) => 1000 + slope * x + ((i * 7919) % 13) - 6);
          const ols = new RollingOls(n);
          const ref = refOls(xs, ys, n);
          const bad = xs.filter((x, i) => {
            ols.update(x, ys[i] as number);
            if (!ols.ready) return false;
            // Compare fitted values at x (well-conditioned) rather than raw coefficients, at y's scale.
            const want = (ref.alpha[i] as number) + (ref.beta[i] as number) * x;
            return !relClose(ols.alpha + ols.beta * x, want, 1e-9, Math.abs(ys[i] as number) + 1000);
          });
          expect(bad).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rolling OLS recovers an exact line y = a + b·x, with zero residual', () => {
    fc.assert(
      fc.property(
        priceSeries(10, 60),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        (xs, b, a) => {
          const ols = new RollingOls(5);
          for (const x of xs) ols.update(x, a + b * x);
          if (!ols.ready) return;
          const sx = Math.max(...xs.slice(-5)) - Math.min(...xs.slice(-5));
          if (sx < 1e-6 * (xs.at(-1) as number)) return; // x too flat for a well-defined slope
          expect(Math.abs(ols.beta - b)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b)));
          expect(Math.abs(ols.residual)).toBeLessThan(
            1e-6 * (Math.abs(a) + Math.abs(b * (xs.at(-1) as number)) + 1),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('RingBuffer behaves like a bounded array model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 40 }),
        (cap, xs) => {
          const ring = new RingBuffer(cap);
          const model: number[] = [];
          for (const x of xs) {
            const ev = ring.push(x);
            model.push(x);
            const expected = model.length > cap ? model.shift() : Number.NaN;
            expect(Object.is(ev, expected) || ev === expected).toBe(true);
            expect(ring.length).toBe(model.length);
            expect(model.every((m, i) => ring.get(i) === m)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('long-run numerical stability (resync on wrap bounds drift)', () => {
  it('after 100k KRW-scale updates SMA, WMA, σ and OLS still match a fresh computation at 1e-9', () => {
    const n = 50;
    const sma = new Sma(n);
    const wma = new Wma(n);
    const stats = new RollingStats(n);
    const ols = new RollingOls(n);
    const xs: number[] = [];
    const ys: number[] = [];
    let p = 50_000_000;
    let seed = 12345;
    for (let i = 0; i < 100_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      p += (seed / 2147483648 - 0.5) * 20_000;
      const y = 0.8 * p + (seed % 1000);
      sma.update(p);
      wma.update(p);
      stats.update(p);
      ols.update(p, y);
      if (i >= 100_000 - n) {
        xs.push(p);
        ys.push(y);
      }
    }
    expect(relClose(sma.value, refSma(xs, n)[n - 1] as number)).toBe(true);
    expect(relClose(wma.value, refWma(xs, n)[n - 1] as number)).toBe(true);
    expect(relClose(stats.std, refStd(xs, n)[n - 1] as number, 1e-9, p)).toBe(true);
    const ref = refOls(xs, ys, n);
    expect(relClose(ols.beta, ref.beta[n - 1] as number, 1e-6)).toBe(true);
  });
});

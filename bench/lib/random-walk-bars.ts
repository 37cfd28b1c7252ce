import { SeededRandom } from '../../shared/src/domain/exchange/prng';

/** Column-wise OHLCV bars, both as plain arrays (what most libraries take) and as Float64Arrays. */
export interface BarColumns {
  readonly length: number;
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
  /** Bar open times, 1-minute steps from 2026-01-01T00:00:00Z. */
  readonly time: number[];
  readonly closeF64: Float64Array;
  readonly highF64: Float64Array;
  readonly lowF64: Float64Array;
  readonly volumeF64: Float64Array;
}

const START_MS = Date.UTC(2026, 0, 1);

/**
 * `count` seeded 1-minute bars of a log random walk at KRW-BTC levels (≈ 135,000,000 KRW, moves
 * of a few basis points, integer prices): cheap to build, identical on every run and machine, and
 * at the price scale where float cancellation would show. For indicator and loop benchmarks, where
 * the shape of the path does not matter but the magnitudes do.
 */
export function randomWalkBars(count: number, seed = 1): BarColumns {
  const rng = new SeededRandom(seed);
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  const volume: number[] = [];
  const time: number[] = [];
  let last = 135_000_000;
  for (let i = 0; i < count; i++) {
    const o = last;
    const c = Math.round(o * Math.exp(0.0008 * rng.normal()));
    const spread = Math.abs(o - c) + Math.round(o * 0.0003 * rng.next());
    const h = Math.max(o, c) + Math.round(spread * rng.next());
    const l = Math.min(o, c) - Math.round(spread * rng.next());
    open.push(o);
    high.push(h);
    low.push(l);
    close.push(c);
    volume.push(0.01 + 2 * rng.next());
    time.push(START_MS + i * 60_000);
    last = c;
  }
  return {
    length: count,
    open,
    high,
    low,
    close,
    volume,
    time,
    closeF64: Float64Array.from(close),
    highF64: Float64Array.from(high),
    lowF64: Float64Array.from(low),
    volumeF64: Float64Array.from(volume),
  };
}

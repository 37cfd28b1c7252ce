import fc from 'fast-check';
import { isOnTick, type TickContext } from '../market/tick-rounding';
import { tickTableAt } from '../market/tick-table';
import type { Price } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { CandleReplayPath, type PathPrint, RandomWalkPath, type ReplayBar } from './price-path';
import { SeededRandom } from './prng';
import { syntheticBookAround } from './synthetic-liquidity';

const AT = Date.UTC(2026, 10, 25) as EpochMs;
const TICKS: TickContext = { table: tickTableAt(AT), asset: 'BTC' };

describe('syntheticBookAround', () => {
  it('always builds an uncrossed book on the tick grid whose touch is the traded price', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 5e8, noNaN: true }),
        fc.constantFrom('bid' as const, 'ask' as const),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (traded, side, seed) => {
          const book = syntheticBookAround(traded, side, TICKS, new SeededRandom(seed));
          const bestBid = book.bids[0]?.price;
          const bestAsk = book.asks[0]?.price;
          expect(bestBid?.lt(bestAsk as Price)).toBe(true);
          expect((side === 'bid' ? bestAsk : bestBid)?.equals(book.touch)).toBe(true);
          expect(book.asks).toHaveLength(30);
          for (const levels of [book.bids, book.asks])
            for (const l of levels) {
              expect(isOnTick(l.price as Price, TICKS)).toBe(true);
              expect(l.size.gt(0)).toBe(true);
              expect(l.size.decimalPlaces()).toBeLessThanOrEqual(8);
            }
          for (let i = 1; i < book.bids.length; i++)
            expect(book.bids[i]?.price.lt(book.bids[i - 1]?.price ?? 0)).toBe(true);
          for (let i = 1; i < book.asks.length; i++)
            expect(book.asks[i]?.price.gt(book.asks[i - 1]?.price ?? 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('RandomWalkPath', () => {
  it('repeats exactly under the same seed and stays positive', () => {
    const run = (seed: number) => {
      const path = new RandomWalkPath(150_000_000, new SeededRandom(seed));
      const out: number[] = [];
      for (let i = 0; i < 500; i++) out.push(path.step(AT + i * 1000, 1000).price);
      return out;
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
    expect(Math.min(...run(9))).toBeGreaterThan(0);
  });
});

describe('CandleReplayPath', () => {
  const bars: ReplayBar[] = [
    { openTime: 0, open: 100, high: 110, low: 95, close: 105, volume: 6 },
    { openTime: 60_000, open: 105, high: 106, low: 90, close: 92, volume: 3 },
    { openTime: 180_000, open: 92, high: 93, low: 91, close: 93, volume: 1 },
  ];

  function collect(stepMs: number, until: number): PathPrint[] {
    const path = new CandleReplayPath(bars, 60_000, new SeededRandom(1));
    const prints: PathPrint[] = [];
    for (let at = 0; at < until; at += stepMs) prints.push(...(path.step(at, stepMs)?.prints ?? []));
    return prints;
  }

  it.each([1_000, 6_000, 60_000, 100_000])(
    'prints every bar’s OHLC and volume with %i ms steps',
    (stepMs) => {
      const prints = collect(stepMs, 240_000);
      for (const bar of bars) {
        const inBar = prints.filter((p) => p.at >= bar.openTime && p.at < bar.openTime + 60_000);
        expect(inBar[0]?.price).toBe(bar.open);
        expect(inBar[inBar.length - 1]?.price).toBe(bar.close);
        expect(Math.max(...inBar.map((p) => p.price))).toBe(bar.high);
        expect(Math.min(...inBar.map((p) => p.price))).toBe(bar.low);
        expect(inBar.reduce((s, p) => s + p.volume, 0)).toBeCloseTo(bar.volume, 9);
      }
      for (let i = 1; i < prints.length; i++)
        expect(prints[i]?.at).toBeGreaterThanOrEqual(prints[i - 1]?.at ?? 0);
    },
  );

  it('prints nothing in a gap and turns into a random walk after the last bar', () => {
    const path = new CandleReplayPath(bars, 60_000, new SeededRandom(1));
    for (let at = 0; at < 120_000; at += 1000) path.step(at, 1000);
    expect(path.step(130_000, 1000)?.prints).toEqual([]);
    for (let at = 131_000; at < 240_000; at += 1000) path.step(at, 1000);
    expect(path.step(300_000, 1000)?.price).toBeGreaterThan(0);
  });
});

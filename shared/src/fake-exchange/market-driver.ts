import { CandleReplayPath, type PricePath, RandomWalkPath } from '../domain/exchange/price-path';
import { SeededRandom } from '../domain/exchange/prng';
import { syntheticBookAround } from '../domain/exchange/synthetic-liquidity';
import type { Market } from '../domain/market/market-id';
import { decimalFromNumber } from '../domain/money/decimal';
import { floorVolume, volume as toVolume } from '../domain/money/quantities';
import type { EpochMs } from '../domain/time/epoch';
import type { Clock } from '../ports/clock';
import type { FakeExchangeCore } from './exchange-core';
import type { ReplaySeries } from './replay-data';

/** Realistic KRW starting prices of the default markets (late 2026 orders of magnitude). */
export const DEFAULT_START_PRICES: Readonly<Record<string, number>> = {
  'KRW-BTC': 150_000_000,
  'KRW-ETH': 5_000_000,
  'KRW-XRP': 3_000,
  'KRW-ADA': 1_000,
  'KRW-SOL': 250_000,
};

/** Start price of a market without one configured. */
export const FALLBACK_START_PRICE = 10_000;

/** Where a market's random walk starts: the configured price, else the default market's, else 10,000 KRW. */
export function startPriceOf(market: string, startPrices: Readonly<Record<string, number>> = {}): number {
  return startPrices[market] ?? DEFAULT_START_PRICES[market] ?? FALLBACK_START_PRICE;
}

/** How the synthetic market runs. */
export interface MarketDriverOptions {
  readonly seed: number;
  /** Sim time runs this many times faster than the clock (same as the core's). */
  readonly speed: number;
  /** Candles to replay per market; markets without a series get a random walk. */
  readonly replay?: readonly ReplaySeries[];
  /** Random-walk start prices per market (KRW); defaults {@link DEFAULT_START_PRICES}. */
  readonly startPrices?: Readonly<Record<string, number>>;
  /** A step that failed in the background loop (the loop keeps going). */
  readonly onError?: (error: unknown) => void;
}

/** A running synthetic market. */
export interface MarketDriver {
  /** Sim milliseconds per step (depends on `speed` only, so a seed + speed always gives the same path). */
  readonly stepMs: number;
  /** Runs every step due up to the core's current sim time (called before each REST request too). */
  catchUp(): void;
  stop(): void;
}

/** Never more than this many steps in one catch-up; beyond that the market skips ahead (machine slept). */
const MAX_STEPS_PER_CATCH_UP = 5_000;
/** Real-time cap on the step rate: at most 10 steps a second per market, whatever the speed. */
const MIN_REAL_STEP_MS = 100;

interface Runner {
  readonly market: Market;
  readonly path: PricePath;
  readonly rng: SeededRandom;
  primed: boolean;
}

/** Sim step length for a speed: one second of sim time, longer when fast-forwarding. */
export function stepMsFor(speed: number): number {
  return Math.max(1_000, Math.round(speed * MIN_REAL_STEP_MS));
}

function marketSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Moves the fake market: every step (fixed sim length, first one at start) each market's price path
 * (a seeded random walk or a candle replay) yields trades; for each trade the other traders' book is
 * rebuilt around the trade price and the trade printed on the tape, so the book, the tape, the candles
 * and our fills always agree. Steps run on the clock (`sleep`), so a manual clock drives it in tests.
 */
export function startMarketDriver(
  core: FakeExchangeCore,
  clock: Clock,
  options: MarketDriverOptions,
): MarketDriver {
  const stepMs = stepMsFor(options.speed);
  const replays = new Map((options.replay ?? []).map((r) => [r.market as string, r]));
  const runners: Runner[] = core.engine.markets().map((market, i) => {
    const rng = new SeededRandom(marketSeed(options.seed, i));
    const series = replays.get(market);
    const path: PricePath =
      series === undefined
        ? new RandomWalkPath(startPriceOf(market, options.startPrices), rng)
        : new CandleReplayPath(series.bars, series.barMs, rng);
    return { market, path, rng, primed: false };
  });
  let nextAt = core.now() as number;

  const stepOne = (r: Runner, at: EpochMs, now: number) => {
    const step = r.path.step(at, stepMs);
    if (step === undefined) return;
    const ticks = () => core.engine.tickContext(r.market, at);
    const prints =
      step.prints.length > 0 || r.primed
        ? step.prints
        : [{ price: step.price, volume: 10_000 / step.price, takerSide: step.takerSide, at }];
    r.primed = true;
    for (const p of prints) {
      const book = syntheticBookAround(p.price, p.takerSide, ticks(), r.rng);
      const v = floorVolume(toVolume(decimalFromNumber(p.volume)));
      const printAt = Math.min(Math.max(p.at, at), now) as EpochMs;
      core.run((e) => {
        e.setLiquidity(r.market, book.bids, book.asks, printAt);
        if (v.gt(0)) e.tapeTrade(r.market, book.touch, v, p.takerSide, printAt);
      }, printAt);
    }
    if (prints.length === 0) {
      const book = syntheticBookAround(step.price, step.takerSide, ticks(), r.rng);
      core.run((e) => e.setLiquidity(r.market, book.bids, book.asks, at), at);
    }
  };

  const catchUp = () => {
    const now = core.now();
    let steps = 0;
    while (nextAt <= now) {
      if (steps++ >= MAX_STEPS_PER_CATCH_UP) {
        nextAt = now + stepMs - ((now - nextAt) % stepMs);
        break;
      }
      for (const r of runners) stepOne(r, nextAt as EpochMs, now);
      nextAt += stepMs;
    }
  };

  // A fresh signal per sleep: clocks may keep a listener per sleep on the signal they are given.
  let stopped = false;
  let sleeping: AbortController | undefined;
  const loop = async () => {
    const realStep = Math.max(1, stepMs / options.speed);
    while (!stopped) {
      sleeping = new AbortController();
      try {
        await clock.sleep(realStep, sleeping.signal);
      } catch {
        return;
      }
      try {
        catchUp();
      } catch (e) {
        options.onError?.(e);
      }
    }
  };
  catchUp();
  void loop();
  return {
    stepMs,
    catchUp,
    stop: () => {
      stopped = true;
      sleeping?.abort();
    },
  };
}

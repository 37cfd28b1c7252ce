import type { LiquidityLevel } from '../domain/exchange/market-book';
import type { BookLevel } from '../domain/market/market-data';
import { decimalFromNumber } from '../domain/money/decimal';
import { floorVolume, price as toPrice, volume as toVolume } from '../domain/money/quantities';
import type { EpochMs } from '../domain/time/epoch';
import type { Clock } from '../ports/clock';
import type { FakeExchangeCore } from './exchange-core';
import type { MarketDriver } from './market-driver';
import type { TapeEvent, TapeReplay } from './tape-replay';

/** How the tape replay runs. */
export interface TapeDriverOptions {
  /** Sim time runs this many times faster than the clock (same as the core's). */
  readonly speed: number;
  /** A step that failed (a damaged line): the replay stops there and says why. */
  readonly onError?: (error: unknown) => void;
  /** The last recorded event was replayed; the market stays as it was from then on. */
  readonly onEnd?: () => void;
}

/** Real time between catch-ups: events are replayed in batches of at most this much wall time. */
const REAL_STEP_MS = 50;

function levels(rows: readonly BookLevel[]): LiquidityLevel[] {
  return rows.map((l) => ({ price: decimalFromNumber(l.price), size: decimalFromNumber(l.size) }));
}

/**
 * Replays a recorded tape on the exchange core: every event stamped at or before the core's sim time
 * is applied in time order — a book replaces other traders' liquidity, a trade prints on the tape
 * (and fills our resting orders by the engine's tape queue model, the backtester's). Frames, candles,
 * the ticker and quotation REST all follow from the engine's events, exactly as for the synthetic
 * market. Runs on the clock's `sleep` (a manual clock drives it in tests) and before each request.
 */
export function startTapeDriver(
  core: FakeExchangeCore,
  clock: Clock,
  replay: TapeReplay,
  options: TapeDriverOptions,
): MarketDriver {
  const events = replay.events();
  let pending: TapeEvent | undefined;
  let finished = false;

  const apply = (e: TapeEvent) => {
    const at = e.at as EpochMs;
    if (e.kind === 'book') {
      const b = e.book;
      core.run((engine) => engine.setLiquidity(b.market, levels(b.bids), levels(b.asks), at), at);
      return;
    }
    const t = e.trade;
    const v = floorVolume(toVolume(decimalFromNumber(t.volume)));
    if (!v.gt(0)) return;
    core.run(
      (engine) => engine.tapeTrade(t.market, toPrice(decimalFromNumber(t.price)), v, t.takerSide, at),
      at,
    );
  };

  const catchUp = () => {
    if (finished) return;
    const now = core.now();
    try {
      for (;;) {
        if (pending === undefined) {
          const next = events.next();
          if (next.done === true) {
            finished = true;
            options.onEnd?.();
            return;
          }
          pending = next.value;
        }
        if (pending.at > now) return;
        const e = pending;
        pending = undefined;
        apply(e);
      }
    } catch (error) {
      finished = true;
      options.onError?.(error);
    }
  };

  let stopped = false;
  let sleeping: AbortController | undefined;
  const loop = async () => {
    while (!stopped && !finished) {
      sleeping = new AbortController();
      try {
        await clock.sleep(REAL_STEP_MS, sleeping.signal);
      } catch {
        return;
      }
      catchUp();
    }
  };
  catchUp();
  void loop();
  return {
    stepMs: Math.max(1, Math.round(REAL_STEP_MS * options.speed)),
    catchUp,
    stop: () => {
      stopped = true;
      sleeping?.abort();
    },
  };
}

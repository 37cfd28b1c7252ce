import {
  MEAN_PRINTS_PER_STEP,
  MEAN_TRADE_NOTIONAL_KRW,
  RANDOM_WALK_DAILY_VOL,
} from '../domain/exchange/price-path';
import { SeededRandom } from '../domain/exchange/prng';
import {
  calibrateFromBars,
  DEFAULT_HISTORY,
  generateHistory,
  type HistoryShape,
  numericTickRounder,
} from '../domain/exchange/seeded-history';
import type { Market } from '../domain/market/market-id';
import type { EpochMs } from '../domain/time/epoch';
import type { FakeExchangeCore } from './exchange-core';
import { startPriceOf } from './market-driver';
import type { ReplaySeries } from './replay-data';

/** What the history of every market is generated from. */
export interface MarketHistoryOptions {
  readonly seed: number;
  readonly shape?: Partial<HistoryShape>;
  /** Sim ms per market step (the random walk prints one trade per step on average). */
  readonly stepMs: number;
  readonly replay?: readonly ReplaySeries[];
  readonly startPrices?: Readonly<Record<string, number>>;
}

function historySeed(seed: number, index: number): number {
  // Apart from the live market's streams, so adding history never changes a seed's live path.
  return (Math.imul((seed ^ 0x48495354) >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Gives every market of a fresh sim a past that its live market continues: a backward random walk
 * ending where the live one starts (the random walk's start price, or the first replayed open), with
 * the live walk's volatility and trade size, or for a replay the data's own volatility and volume.
 * Everything lies before the sim's start, on the tick grid of its time. Runs in milliseconds.
 */
export function seedMarketHistory(core: FakeExchangeCore, options: MarketHistoryOptions): void {
  const shape: HistoryShape = { ...DEFAULT_HISTORY, ...options.shape };
  const end = core.now();
  const replays = new Map((options.replay ?? []).map((r) => [r.market as string, r]));
  core.engine.markets().forEach((market: Market, i) => {
    const series = replays.get(market);
    const calibrated = series === undefined ? undefined : calibrateFromBars(series.bars, series.barMs);
    const rounders = new Map<string, (p: number) => number>();
    const round = (p: number, at: number) => {
      const ctx = core.engine.tickContext(market, at as EpochMs);
      const key = `${ctx.table.id}/${ctx.tick?.toFixed() ?? ''}`;
      let rounder = rounders.get(key);
      if (rounder === undefined) {
        rounder = numericTickRounder(ctx);
        rounders.set(key, rounder);
      }
      return rounder(p);
    };
    const history = generateHistory(
      {
        end,
        endPrice: series?.bars[0]?.open ?? startPriceOf(market, options.startPrices),
        dailyVol: calibrated?.dailyVol ?? RANDOM_WALK_DAILY_VOL,
        tradeNotional: calibrated?.krwPerSecond ?? MEAN_TRADE_NOTIONAL_KRW,
        tradesPerSecond: calibrated === undefined ? (MEAN_PRINTS_PER_STEP * 1_000) / options.stepMs : 1,
        round,
      },
      shape,
      new SeededRandom(historySeed(options.seed, i)),
    );
    core.seedHistory(market, history);
  });
}

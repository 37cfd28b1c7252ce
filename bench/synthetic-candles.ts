import { SeededRandom } from '../shared/src/domain/exchange/prng';
import type { Candle } from '../shared/src/domain/market/market-data';
import type { Market } from '../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../shared/src/domain/market/market-rules';
import { roundNumberToTickValue, type TickContext } from '../shared/src/domain/market/tick-rounding';
import { type EpochMs, epochMs, MS } from '../shared/src/domain/time/epoch';

/** Starting KRW price and typical 1-minute base volume of one synthetic market. */
interface MarketProfile {
  readonly market: Market;
  readonly start: number;
  readonly volume: number;
}

// Roughly Upbit's late-2026 levels, so every tick band from 1 won to 1,000 won is exercised.
const PROFILES: readonly MarketProfile[] = [
  { market: 'KRW-BTC' as Market, start: 135_000_000, volume: 0.8 },
  { market: 'KRW-ETH' as Market, start: 5_200_000, volume: 12 },
  { market: 'KRW-XRP' as Market, start: 3_100, volume: 60_000 },
  { market: 'KRW-ADA' as Market, start: 1_050, volume: 90_000 },
  { market: 'KRW-SOL' as Market, start: 260_000, volume: 300 },
  { market: 'KRW-DOGE' as Market, start: 480, volume: 400_000 },
  { market: 'KRW-LINK' as Market, start: 32_000, volume: 2_000 },
  { market: 'KRW-AVAX' as Market, start: 52_000, volume: 1_500 },
];

/** Largest market count the generator has realistic profiles for. */
export const MAX_SYNTHETIC_MARKETS = PROFILES.length;

/** The first `count` synthetic market codes (BTC, ETH, XRP, ADA, SOL, …), the configured five first. */
export function syntheticMarkets(count: number): Market[] {
  return PROFILES.slice(0, count).map((p) => p.market);
}

/**
 * A year of 1-minute bars per market would be ~525 k objects each; the benchmark must measure the
 * engine's memory, not the fixture's, so candles are produced lazily, one per `next()`. Prices
 * follow a seeded log random walk with a shared market factor (so pairs co-move, as KRW alt-coins
 * do with BTC), slow volatility regimes and a mild pull to the start level (so a year does not
 * wander off to zero), rounded to Upbit's tick table.
 */
export function* syntheticCandles(
  market: Market,
  index: number,
  from: EpochMs,
  minutes: number,
  seed: number,
): Generator<Candle> {
  const profile = PROFILES[index] ?? PROFILES[0];
  if (profile === undefined) return;
  // Every market draws the common factor from the same seed, so the factor is identical across
  // markets; its own noise comes from a per-market stream.
  const common = new SeededRandom(seed);
  const own = new SeededRandom(seed * 31 + index * 7919 + 1);
  // The table's own bands (no asset has an override named ''), in the engine's `{ table, asset }`
  // shape: the generator runs first and V8 specialises the tick lookup on its context's hidden
  // class, so a `{ table }` context here deoptimised that lookup once the engine priced with its own.
  const ctx = tickContextOf(tickTableFor(KRW_MARKET_RULES, from));
  const tick = (x: number): number => roundNumberToTickValue(x, 'nearest', ctx);
  const anchor = Math.log(profile.start);
  let logPrice = anchor;
  let vol = 0.0008;
  for (let i = 0; i < minutes; i++) {
    const shock = common.normal();
    if (i % 240 === 0) vol = 0.0004 + 0.0012 * own.next();
    const ret = vol * (0.7 * shock + 0.7 * own.normal()) - 0.00002 * (logPrice - anchor);
    const open = tick(Math.exp(logPrice));
    logPrice += ret;
    const close = tick(Math.exp(logPrice));
    const wick = Math.exp(logPrice) * vol * Math.abs(own.normal()) * 0.5;
    const high = tick(Math.max(open, close) + wick);
    const low = tick(Math.max(Math.min(open, close) - wick, close * 0.5));
    const volume = round8(profile.volume * (0.3 + 1.4 * own.next()) * (1 + Math.abs(shock)));
    yield {
      market,
      timeframe: '1m',
      openTime: epochMs(from + i * MS.minute),
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: Math.round(volume * close),
    };
  }
}

/**
 * A `{ table, asset: '' }` context, built twice. V8 widens the declared type of a literal's object
 * field from "this class" to "any object" the second time an object literal of that shape is made
 * (the engine makes its own tick contexts at its start), and throws away the code that relied on
 * the narrow type: the tick lookups compiled while generating (`integerTickAt`, `roundOnIntegerGrid`,
 * `roundNumberToTickValue`) were discarded at the engine's first bar and compiled again inside the
 * measured run. A user's backtest has no generator before the engine, so it never paid that; the
 * second literal settles the field's type before anything here is compiled.
 */
function tickContextOf(table: TickContext['table']): TickContext {
  let ctx: TickContext | undefined;
  for (let i = 0; i < 2; i++) ctx = { table, asset: '' };
  return ctx as TickContext;
}

function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { timeframeMs } from '../../domain/market/timeframe';
import { BookFeed } from '../broker/book-feed';
import type { BacktestInput } from './backtest-input';
import { barSteps, SyncBarSteps } from './bar-steps';
import { TradeFeed } from './trade-feed';

/** One time step's bars with the recorded trades and books the engine reads beside them. */
export interface FedStep {
  readonly bars: Candle[];
  readonly trades: readonly Trade[];
  readonly books: ReadonlyMap<Market, OrderbookSnapshot> | undefined;
}

/** A run's steps: refilled synchronously (`sync`), or awaited one by one with their tape and books. */
export type RunSteps =
  | { readonly sync: SyncBarSteps; readonly fed?: undefined }
  | { readonly sync?: undefined; readonly fed: AsyncGenerator<FedStep> };

/**
 * The steps of a run as every runner (the full result, an optimizer trial's score-only run) feeds
 * them to the engine. Without a tape or books and with synchronous sources (arrays, file readers),
 * no step needs to wait: one step array is refilled for every step and no promise is made per bar
 * (the runners' engines have no decision observer, the one holder of a step's bars). Otherwise each
 * step comes with the tape's trades stamped before its close and the books at its open.
 */
export function runSteps(input: BacktestInput): RunSteps {
  const tape = input.tradesByMarket === undefined ? undefined : new TradeFeed(input.tradesByMarket);
  const barMs = timeframeMs(input.timeframe);
  const books = input.booksByMarket === undefined ? undefined : new BookFeed(input.booksByMarket, barMs);
  const sync =
    tape === undefined && books === undefined ? SyncBarSteps.of(input.candlesByMarket, true) : undefined;
  if (sync !== undefined) return { sync };
  return { fed: fedSteps(input, tape, books, barMs) };
}

async function* fedSteps(
  input: BacktestInput,
  tape: TradeFeed | undefined,
  books: BookFeed | undefined,
  barMs: number,
): AsyncGenerator<FedStep> {
  for await (const bars of barSteps(input.candlesByMarket)) {
    const open = (bars[0] as Candle).openTime;
    const trades = tape === undefined ? NO_TRADES : await tape.takeBefore(open + barMs);
    yield { bars, trades, books: await books?.at(open) };
  }
}

const NO_TRADES: readonly Trade[] = Object.freeze([]);

import type { Candle, OrderbookSnapshot, Trade } from '../market/market-data';
import type { Market } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from '../trading/strategy-name';
import type { QuoteHints } from './quote-hints';
import type { StateNode } from './state-codec';

/** Direction of a signal: open/add long (`buy`), reduce/exit (`sell`), or explicitly no view (`flat`). */
export const SignalDirection = { buy: 'buy', sell: 'sell', flat: 'flat' } as const;
/** One of {@link SignalDirection}. */
export type SignalDirection = (typeof SignalDirection)[keyof typeof SignalDirection];

export type { QuoteHint, QuoteHints } from './quote-hints';

/**
 * What a strategy says about one market at one instant. Hints are floats: the ensemble and risk
 * engine turn them into exact, tick-rounded order intents.
 */
export interface StrategySignal {
  readonly strategy: StrategyName;
  readonly market: Market;
  readonly at: EpochMs;
  readonly direction: SignalDirection;
  /** Conviction 0..1; the ensemble multiplies it by the strategy's weight. */
  readonly strength: number;
  /** Human-readable cause, shown on the dashboard and in trade logs (e.g. `z=-2.3 < -2 entry`). */
  readonly reason: string;
  readonly priceHint?: number;
  readonly sizeHintKrw?: number;
  /**
   * Market making only: the layered quotes it wants resting, as columns the strategy refills for
   * the market's next signal (see QuoteHints: read them while deciding this step, copy to keep).
   */
  readonly quotes?: QuoteHints;
}

/**
 * Facts a strategy may use besides market data; `now` is the close time of the latest bar (no clock
 * reads). Valid only during the call it is passed to: the backtest moves one context object per
 * strategy and market from bar to bar instead of allocating one per bar, so a strategy must copy
 * what it needs and never keep the object.
 */
export interface StrategyContext {
  readonly now: EpochMs;
  /** Base volume this strategy currently holds in the market (0 if flat), from the position store. */
  readonly positionVolume: number;
  /**
   * Average entry price of that holding; undefined (or absent) while flat. The engine's contexts
   * work it out on first read (strategy-step's strategyContext).
   */
  readonly avgEntryPrice?: number | undefined;
  /** KRW the strategy may still deploy under its per-strategy cap. */
  readonly availableKrw: number;
}

/**
 * A strategy instance: deterministic, no I/O, no clock or random reads. It owns mutable indicator
 * state (O(1) updates) and is fed events in time order; the same instance type runs in the
 * backtester, the minute analysis function (restored from its snapshot, one new bar a minute) and
 * the executor.
 * Only closed bars are passed to `onBar`, so a strategy cannot look ahead.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** Markets this instance watches (stat-arb watches several). */
  readonly markets: readonly Market[];
  /** Bars needed before signals are meaningful. */
  readonly warmupBars: number;
  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[];
  /** Live tape; strategies that do not use it may omit the method. */
  onTrade?(trade: Trade, ctx: StrategyContext): readonly StrategySignal[];
  /** Live order-book snapshots; strategies that do not use it may omit the method. */
  onBook?(book: OrderbookSnapshot, ctx: StrategyContext): readonly StrategySignal[];
  /**
   * Identity of the state layout and parameters (see market-states.ts): a snapshot saved under
   * another key is discarded. Strategies without snapshot support omit it and the three methods.
   */
  readonly stateKey?: string;
  /** One market's indicator state as JSON-safe data, for the minute analysis' snapshot. */
  saveMarketState?(market: Market): StateNode | undefined;
  /** Restores what `saveMarketState` returned; throws SnapshotMismatchError when it does not fit. */
  loadMarketState?(market: Market, state: StateNode): void;
}

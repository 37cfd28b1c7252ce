import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import type { Timeframe } from '../../domain/market/timeframe';
import type { Decimal } from '../../domain/money/decimal';
import type { Krw } from '../../domain/money/quantities';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { Strategy } from '../../domain/strategies/strategy';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { BookSource } from '../broker/book-feed';
import type { CandleSource } from './bar-steps';
import type { StrategyParamOverrides } from './strategy-registry';
import type { TradeSource } from './trade-feed';

/** Strategy parameters and ensemble knobs: what the optimizer varies and a config snippet sets. */
export interface BacktestParams {
  readonly strategies?: StrategyParamOverrides;
  /** Ensemble weights; unspecified strategies keep the seed's 30/20/20/15/15. */
  readonly weights?: Partial<Record<StrategyName, number>>;
  /** Ensemble thresholds and sizing (minScore, perTradeCapKrw, aggressiveScore). */
  readonly ensemble?: Partial<Pick<EnsembleConfig, 'minScore' | 'perTradeCapKrw' | 'aggressiveScore'>>;
}

/**
 * Everything one backtest run needs. Nothing is read from a clock, the environment or the disk here:
 * the caller (CLI, optimizer worker, test) opens the candle sources, so runs are reproducible.
 */
export interface BacktestInput {
  /** One source per market, each oldest first; keys are market codes. */
  readonly candlesByMarket: ReadonlyMap<Market, CandleSource>;
  /**
   * Optional public trades (tape) per market, oldest first. Trades stamped inside a bar reach the
   * strategies' `onTrade` before that bar's close is shown to them, exactly as live trades arrive
   * before the minute's candle closes; markets without a tape run on bars alone.
   */
  readonly tradesByMarket?: ReadonlyMap<Market, TradeSource>;
  /**
   * Optional recorded order books per market, oldest first: the size shown at a resting order's
   * price when it arrives is the queue ahead of it (with a tape); see broker/resting-fills.
   */
  readonly booksByMarket?: ReadonlyMap<Market, BookSource>;
  readonly timeframe: Timeframe;
  readonly strategies: 'all' | readonly StrategyName[];
  /**
   * Ready-made strategy instances to run instead of building `strategies` from the registry: for
   * tests with scripted signals and for research on a variant not yet in the registry.
   */
  readonly strategyInstances?: readonly Strategy[];
  readonly params?: BacktestParams;
  readonly capital: Krw;
  /** Fee rate on every fill, maker and taker (Upbit KRW: 0.0005). */
  readonly feeRate: Decimal;
  /** Mean taker slippage in basis points beyond the one-tick synthetic spread. */
  readonly slippageBps: number;
  readonly seed: number;
  /** Hard risk limits; {@link DEFAULT_RISK_LIMITS} when omitted. */
  readonly risk?: RiskLimits;
  /** Exchange rules; Upbit's KRW rules with `feeRate` when omitted. */
  readonly rules?: MarketRules;
  /**
   * Assume an operator lifts, at the next KST day with no limit breached, the emergency latches that
   * live trading leaves to an operator (instant drop, weekly/monthly losses). Default true; false
   * keeps the run reducing-only after such a latch, exactly as an unattended live system would.
   */
  readonly assumeOperatorRelease?: boolean;
  /** Daily return goal for `dailyGoalHitRatePct` (fraction; 0.02 by default). */
  readonly dailyGoal?: number;
  /** Bars the sources will yield in total, when the caller knows, for the progress total. */
  readonly expectedBars?: number;
}

/** Engine state after one time step, for invariant tests and live progress displays. */
export interface StepSnapshot {
  /** Close time of the step's bars (when decisions were taken). */
  readonly at: number;
  readonly cash: Krw;
  /** Exact equity = cash + Σ held volume × last close. */
  readonly equity: Krw;
  /** Held base volume and last close per market, exact. */
  readonly holdings: ReadonlyMap<Market, { readonly volume: Decimal; readonly mark: Decimal }>;
}

/** Optional observers; the engine never depends on what they do. */
export interface BacktestHooks {
  /** Called after each time step; `total` is `input.expectedBars`, or 0 when unknown. */
  onProgress?(done: number, total: number): void;
  onStep?(snapshot: StepSnapshot): void;
}
